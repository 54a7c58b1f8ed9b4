import Foundation

/// A CSV file read whole (RFC 4180: quoted fields, doubled quotes, CRLF or LF line ends), with its
/// columns by name. Every row must have as many cells as the header.
public struct CSVTable: Sendable {
    public let file: String
    public let header: [String]
    public let rows: [[String]]

    /// - Throws: `ResultFolderError.damaged` naming the file, the line and what is wrong.
    public init(text: String, file: String) throws(ResultFolderError) {
        self.file = file
        var records: [[String]] = []
        var field = "", record: [String] = []
        var quoted = false, atFieldStart = true, line = 1
        var it = text.unicodeScalars.makeIterator()
        var pending: Unicode.Scalar? = nil
        func next() -> Unicode.Scalar? {
            if let p = pending { pending = nil; return p }
            return it.next()
        }
        while let ch = next() {
            if quoted {
                if ch == "\"" {
                    let after = next()
                    if after == "\"" { field.unicodeScalars.append("\"") } else { quoted = false; pending = after }
                } else {
                    if ch == "\n" { line += 1 }
                    field.unicodeScalars.append(ch)
                }
                continue
            }
            switch ch {
            case "\"" where atFieldStart:
                quoted = true
                atFieldStart = false
            case ",":
                record.append(field)
                field = ""
                atFieldStart = true
            case "\r":
                continue
            case "\n":
                record.append(field)
                records.append(record)
                record = []
                field = ""
                atFieldStart = true
                line += 1
            default:
                if ch == "\"" { throw .damaged(file: file, line: line, problem: "a quote inside an unquoted cell") }
                field.unicodeScalars.append(ch)
                atFieldStart = false
            }
        }
        if quoted { throw .damaged(file: file, line: line, problem: "a quoted cell that never ends") }
        if !field.isEmpty || !record.isEmpty { record.append(field); records.append(record) }
        guard let header = records.first, !(header.count == 1 && header[0].isEmpty) else {
            throw .damaged(file: file, line: 1, problem: "the file is empty (no header row)")
        }
        for (i, r) in records.enumerated().dropFirst() where r.count != header.count {
            throw .damaged(file: file, line: i + 1, problem: "\(r.count) cell\(r.count == 1 ? "" : "s") where the header has \(header.count)")
        }
        self.header = header
        rows = Array(records.dropFirst())
    }

    public func index(_ column: String) -> Int? { header.firstIndex(of: column) }

    /// A column's numbers, nil for empty cells.
    /// - Throws: `ResultFolderError.damaged` for a cell that is neither empty nor a number.
    public func numbers(_ column: String) throws(ResultFolderError) -> [Double?]? {
        guard let j = index(column) else { return nil }
        var out: [Double?] = []
        out.reserveCapacity(rows.count)
        for (i, r) in rows.enumerated() {
            let cell = r[j]
            if cell.isEmpty { out.append(nil); continue }
            guard let v = Double(cell), v.isFinite else {
                throw .damaged(file: file, line: i + 2, problem: "column \(column) holds \"\(cell.prefix(40))\", not a number")
            }
            out.append(v)
        }
        return out
    }
}
