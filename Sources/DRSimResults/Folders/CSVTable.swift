import Foundation

/// A CSV file read whole (RFC 4180: quoted fields, doubled quotes, CRLF or LF line ends), kept by
/// column: numbers as doubles, anything else as text. Every row must have as many cells as the header.
///
/// Result files are mostly numbers, and a million-replication `replications.csv` is about 100 MB of
/// text: holding it as numbers takes 8 bytes a cell instead of a string per cell.
public struct CSVTable: Sendable {
    public let file: String
    public let header: [String]
    public let rowCount: Int
    /// Per column, the number in each row; NaN where the cell is empty or not a number.
    private let values: [[Double]]
    /// Per column, the cells that are neither empty nor a finite number, by row.
    private let texts: [[Int: String]]

    public init(text: String, file: String) throws(ResultFolderError) {
        try self.init(data: Data(text.utf8), file: file)
    }

    /// Reads `file` whole.
    /// - Throws: `ResultFolderError.unreadable`, or `.damaged` naming the file, the line and what is wrong.
    public init(contentsOf file: URL) throws(ResultFolderError) {
        let data: Data
        do { data = try Data(contentsOf: file) } catch {
            throw .unreadable(file: file.path, reason: (error as NSError).localizedDescription)
        }
        try self.init(data: data, file: file.path)
    }

    /// - Throws: `ResultFolderError.damaged` naming the file, the line and what is wrong.
    public init(data: Data, file: String) throws(ResultFolderError) {
        var reader = CSVReader(file: file)
        var failure: ResultFolderError?
        data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            do throws(ResultFolderError) { try reader.read(raw) } catch { failure = error }
        }
        if let failure { throw failure }
        try reader.finish()
        self.file = file
        header = reader.header
        values = reader.values
        texts = reader.texts
        rowCount = reader.row
    }

    /// The number the bytes spell, if they spell exactly one (as strtod reads it).
    fileprivate static func number(_ bytes: [UInt8]) -> Double? {
        guard bytes.count < 64 else { return nil }
        return withUnsafeTemporaryAllocation(of: CChar.self, capacity: bytes.count + 1) { buf -> Double? in
            for (k, b) in bytes.enumerated() { buf[k] = CChar(bitPattern: b) }
            buf[bytes.count] = 0
            var end: UnsafeMutablePointer<CChar>? = nil
            let v = strtod(buf.baseAddress!, &end)
            guard let end, end == buf.baseAddress! + bytes.count, bytes.first.map({ $0 != UInt8(ascii: " ") }) ?? false
            else { return nil }
            return v
        }
    }

    public func index(_ column: String) -> Int? { header.firstIndex(of: column) }

    /// - Throws: `ResultFolderError.damaged` naming the first of `columns` the header lacks.
    func require(_ columns: [String]) throws(ResultFolderError) {
        for column in columns where index(column) == nil {
            throw .damaged(file: file, line: 1, problem: "no '\(column)' column in the header")
        }
    }

    /// A cell as text ("" when empty).
    public func cell(row: Int, column j: Int) -> String {
        if let t = texts[j][row] { return t }
        let v = values[j][row]
        return v.isNaN ? "" : formatCell(v)
    }

    /// Every row as text (for small tables such as summary.csv).
    public var rows: [[String]] { (0..<rowCount).map { r in header.indices.map { cell(row: r, column: $0) } } }

    /// A column's numbers, nil for empty cells.
    /// - Throws: `ResultFolderError.damaged` for a cell that is neither empty nor a number.
    public func numbers(_ column: String) throws(ResultFolderError) -> [Double?]? {
        guard let j = index(column) else { return nil }
        if let (r, t) = texts[j].min(by: { $0.key < $1.key }) {
            throw .damaged(file: file, line: r + 2, problem: "column \(column) holds \"\(t.prefix(40))\", not a number")
        }
        return values[j].map { $0.isNaN ? nil : $0 }
    }

    private func formatCell(_ v: Double) -> String {
        v == v.rounded() && abs(v) < 1e15 ? String(Int64(v)) : "\(v)"
    }
}

/// A CSV file read byte by byte into `CSVTable`'s columns: the record and the cell being read, and
/// whether inside quotes.
private struct CSVReader {
    let file: String
    var header: [String] = []
    var values: [[Double]] = []
    var texts: [[Int: String]] = []
    /// The row being read, 0-based; -1 while reading the header.
    var row = -1
    var column = 0
    /// The line being read and the one the current record started on, 1-based.
    var line = 1, recordLine = 1
    var field: [UInt8] = []
    var quoted = false, wasQuoted = false, atFieldStart = true, anyByte = false

    init(file: String) {
        self.file = file
        field.reserveCapacity(64)
    }

    /// Reads every byte of `raw`.
    mutating func read(_ raw: UnsafeRawBufferPointer) throws(ResultFolderError) {
        var i = 0
        let n = raw.count
        while i < n {
            let b = raw[i]
            i += 1
            if quoted {
                if b == UInt8(ascii: "\"") {
                    if i < n, raw[i] == UInt8(ascii: "\"") {
                        field.append(b)
                        i += 1
                    } else {
                        quoted = false
                    }
                } else {
                    if b == UInt8(ascii: "\n") { line += 1 }
                    field.append(b)
                }
                continue
            }
            switch b {
            case UInt8(ascii: "\""):
                guard atFieldStart else {
                    throw .damaged(file: file, line: line, problem: "a quote inside an unquoted cell")
                }
                quoted = true
                wasQuoted = true
                atFieldStart = false
                anyByte = true
            case UInt8(ascii: ","):
                try endField()
                anyByte = true
            case UInt8(ascii: "\r"):
                continue
            case UInt8(ascii: "\n"):
                line += 1
                try endRecord()
            default:
                field.append(b)
                atFieldStart = false
                anyByte = true
            }
        }
    }

    /// Ends the last record, if the file does not end with a line end, and checks the file was whole.
    mutating func finish() throws(ResultFolderError) {
        if quoted { throw .damaged(file: file, line: line, problem: "a quoted cell that never ends") }
        if anyByte || !field.isEmpty || column > 0 { try endRecord() }
        if row < 0 { throw .damaged(file: file, line: 1, problem: "the file is empty (no header row)") }
    }

    mutating func endField() throws(ResultFolderError) {
        if row < 0 {
            header.append(String(decoding: field, as: UTF8.self))
        } else {
            guard column < header.count else {
                throw .damaged(file: file, line: recordLine, problem: "more cells than the header's \(header.count)")
            }
            var v = Double.nan
            if !field.isEmpty {
                if !wasQuoted, let d = CSVTable.number(field), d.isFinite {
                    v = d
                } else {
                    texts[column][row] = String(decoding: field, as: UTF8.self)
                }
            }
            values[column].append(v)
        }
        column += 1
        field.removeAll(keepingCapacity: true)
        wasQuoted = false
        atFieldStart = true
    }

    mutating func endRecord() throws(ResultFolderError) {
        try endField()
        if row < 0 {
            if header.count == 1 && header[0].isEmpty {
                throw .damaged(file: file, line: 1, problem: "the file is empty (no header row)")
            }
            values = Array(repeating: [], count: header.count)
            texts = Array(repeating: [:], count: header.count)
        } else if column != header.count {
            let cells = "\(column) cell\(column == 1 ? "" : "s")"
            throw .damaged(file: file, line: recordLine, problem: "\(cells) where the header has \(header.count)")
        }
        row += 1
        column = 0
        anyByte = false
        recordLine = line
    }
}
