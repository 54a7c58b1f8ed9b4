import DRSimResults
import Testing

/// The CSV reader behind every result-folder reader.
@Suite struct CSVTableTests {
    @Test func quotedCSVCells() throws {
        let t = try CSVTable(text: "a,b\r\n\"x, \"\"y\"\"\",2\r\n", file: "t.csv")
        #expect(t.rows == [["x, \"y\"", "2"]])
        // LF line ends, no final line end, empty cells, and a quoted number (text, not a number).
        let u = try CSVTable(text: "a,b,c\n1,,\"3\"\n4.5,-2e-3,", file: "u.csv")
        #expect(u.rowCount == 2)
        #expect(try u.numbers("a")! == [1, 4.5])
        #expect(try u.numbers("b")! == [nil, -0.002])
        #expect(throws: ResultFolderError.self) { try u.numbers("c") }
        #expect(throws: ResultFolderError.self) { try CSVTable(text: "a,b\n1,2,3\n", file: "v.csv") }
    }
}
