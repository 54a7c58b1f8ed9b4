import DRSimResults
import Foundation

/// A parsed JSON document, kept as a tree so that every key can be checked against the schema
/// (unknown keys are errors) and so that `--set` can edit it before decoding.
public indirect enum JSON: Equatable, Sendable, Decodable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSON])
    case object([String: JSON])

    public init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() {
            self = .null
        } else if let b = try? c.decode(Bool.self) {
            self = .bool(b)
        } else if let d = try? c.decode(Double.self) {
            self = .number(d)
        } else if let s = try? c.decode(String.self) {
            self = .string(s)
        } else if let a = try? c.decode([JSON].self) {
            self = .array(a)
        } else {
            self = .object(try c.decode([String: JSON].self))
        }
    }

    /// Parses `data` strictly (RFC 8259): a duplicate key, a trailing comma, a number out of Double's
    /// range, invalid UTF-8 or nesting deeper than `maxDepth` is an error. The error says what is wrong,
    /// on which line and column.
    public static func parse(_ data: Data) throws(ConfigError) -> JSON {
        // A UTF-8 byte-order mark, which some Windows editors write, is not part of the JSON (RFC 8259
        // lets a reader ignore it); line and column numbers count from after it.
        let bom: [UInt8] = [0xEF, 0xBB, 0xBF]
        var p = StrictParser(bytes: [UInt8](data.starts(with: bom) ? data.dropFirst(3) : data))
        do throws(StrictParser.Failure) {
            p.skipSpace()
            let v = try p.value(depth: 0, path: "")
            p.skipSpace()
            guard p.i == p.bytes.count else { throw p.fail("unexpected text after the JSON value") }
            return v
        } catch {
            throw ConfigError(issues: [ConfigIssue(path: error.path, message: "malformed JSON: \(error.message)")])
        }
    }

    /// Deeper nesting than this is refused (no config needs more than a handful of levels).
    public static let maxDepth = 64

    /// A short rendering of the value for error messages.
    public var brief: String {
        switch self {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .number(let d): return formatNumber(d)
        case .string(let s): return s.count > 40 ? "\"\(s.prefix(37))...\"" : "\"\(s)\""
        case .array(let a): return "an array of \(a.count)"
        case .object: return "an object"
        }
    }

    /// Serialises the value (object keys in sorted order, so the same value always gives the same bytes).
    public func serialized(indent: Int = 0, step: Int = 2) -> String {
        let pad = String(repeating: " ", count: indent + step)
        let end = String(repeating: " ", count: indent)
        switch self {
        case .null, .bool, .number: return brief
        case .string(let s): return jsonQuote(s)
        case .array(let a):
            if a.isEmpty { return "[]" }
            if a.allSatisfy({
                if case .number = $0 { return true }
                return false
            }) {
                return "[" + a.map { $0.brief }.joined(separator: ", ") + "]"
            }
            return "[\n" + a.map { pad + $0.serialized(indent: indent + step, step: step) }.joined(separator: ",\n")
                + "\n" + end + "]"
        case .object(let o):
            if o.isEmpty { return "{}" }
            return "{\n"
                + o.keys.sorted().map {
                    pad + jsonQuote($0) + ": " + o[$0]!.serialized(indent: indent + step, step: step)
                }
                .joined(separator: ",\n") + "\n" + end + "}"
        }
    }
}

/// A recursive-descent JSON reader over bytes, strict where Foundation's is lenient.
struct StrictParser {
    let bytes: [UInt8]
    var i = 0

    struct Failure: Error {
        var path: String
        var message: String
    }

    init(bytes: [UInt8]) { self.bytes = bytes }

    /// An error at the current position, with its line and column.
    func fail(_ what: String, path: String = "") -> Failure {
        var line = 1
        var column = 1
        for b in bytes[..<min(i, bytes.count)] {
            if b == UInt8(ascii: "\n") {
                line += 1
                column = 1
            } else {
                column += 1
            }
        }
        return Failure(path: path, message: "\(what) (line \(line), column \(column))")
    }

    mutating func skipSpace() {
        while i < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[i]) { i += 1 }
    }

    func describe(_ path: String) -> String { path.isEmpty ? "" : " in \(path)" }

    mutating func value(depth: Int, path: String) throws(Failure) -> JSON {
        guard depth < JSON.maxDepth else { throw fail("nested deeper than \(JSON.maxDepth) levels") }
        guard i < bytes.count else { throw fail("the text ends where a value was expected\(describe(path))") }
        switch bytes[i] {
        case UInt8(ascii: "{"): return try object(depth: depth, path: path)
        case UInt8(ascii: "["): return try array(depth: depth, path: path)
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"):
            try literal("true")
            return .bool(true)
        case UInt8(ascii: "f"):
            try literal("false")
            return .bool(false)
        case UInt8(ascii: "n"):
            try literal("null")
            return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try number())
        default:
            throw fail(
                "unexpected character '\(Character(Unicode.Scalar(bytes[i])))' where a value was "
                    + "expected\(describe(path))"
            )
        }
    }

    mutating func literal(_ word: String) throws(Failure) {
        let w = Array(word.utf8)
        guard bytes.count - i >= w.count, Array(bytes[i..<(i + w.count)]) == w else {
            throw fail("invalid literal (expected \(word))")
        }
        i += w.count
    }

    mutating func object(depth: Int, path: String) throws(Failure) -> JSON {
        i += 1
        var o: [String: JSON] = [:]
        skipSpace()
        if i < bytes.count && bytes[i] == UInt8(ascii: "}") {
            i += 1
            return .object(o)
        }
        while true {
            skipSpace()
            guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") else {
                throw fail(
                    i < bytes.count && bytes[i] == UInt8(ascii: "}")
                        ? "a trailing comma before '}'\(describe(path))" : "expected a key in quotes\(describe(path))")
            }
            let keyStart = i
            let key = try string()
            let child = path.isEmpty ? key : "\(path).\(key)"
            if o[key] != nil {
                i = keyStart
                throw fail("duplicate key \"\(key)\"\(describe(path)): each key may appear once", path: child)
            }
            skipSpace()
            guard i < bytes.count, bytes[i] == UInt8(ascii: ":") else {
                throw fail("expected ':' after the key \"\(key)\"")
            }
            i += 1
            skipSpace()
            o[key] = try value(depth: depth + 1, path: child)
            skipSpace()
            guard i < bytes.count else { throw fail("the text ends inside an object\(describe(path))") }
            if bytes[i] == UInt8(ascii: ",") {
                i += 1
                continue
            }
            if bytes[i] == UInt8(ascii: "}") {
                i += 1
                return .object(o)
            }
            throw fail("expected ',' or '}'\(describe(path))")
        }
    }

    mutating func array(depth: Int, path: String) throws(Failure) -> JSON {
        i += 1
        var a: [JSON] = []
        skipSpace()
        if i < bytes.count && bytes[i] == UInt8(ascii: "]") {
            i += 1
            return .array(a)
        }
        while true {
            skipSpace()
            if i < bytes.count && bytes[i] == UInt8(ascii: "]") {
                throw fail("a trailing comma before ']'\(describe(path))")
            }
            a.append(try value(depth: depth + 1, path: "\(path)[\(a.count)]"))
            skipSpace()
            guard i < bytes.count else { throw fail("the text ends inside an array\(describe(path))") }
            if bytes[i] == UInt8(ascii: ",") {
                i += 1
                continue
            }
            if bytes[i] == UInt8(ascii: "]") {
                i += 1
                return .array(a)
            }
            throw fail("expected ',' or ']'\(describe(path))")
        }
    }

    mutating func string() throws(Failure) -> String {
        i += 1  // the opening quote
        var out: [UInt8] = []
        while true {
            guard i < bytes.count else { throw fail("the text ends inside a string") }
            let b = bytes[i]
            if b == UInt8(ascii: "\"") {
                i += 1
                break
            }
            if b < 0x20 { throw fail("a control character inside a string (write it as an escape such as \\n)") }
            if b != UInt8(ascii: "\\") {
                out.append(b)
                i += 1
                continue
            }
            i += 1
            guard i < bytes.count else { throw fail("the text ends inside a string") }
            let e = bytes[i]
            i += 1
            switch e {
            case UInt8(ascii: "\""): out.append(0x22)
            case UInt8(ascii: "\\"): out.append(0x5C)
            case UInt8(ascii: "/"): out.append(0x2F)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                var code = try hex4()
                if (0xD800..<0xDC00).contains(code) {
                    guard bytes.count - i >= 6, bytes[i] == UInt8(ascii: "\\"), bytes[i + 1] == UInt8(ascii: "u") else {
                        throw fail("an unpaired surrogate in a \\u escape")
                    }
                    i += 2
                    let low = try hex4()
                    guard (0xDC00..<0xE000).contains(low) else { throw fail("an unpaired surrogate in a \\u escape") }
                    code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                } else if (0xDC00..<0xE000).contains(code) {
                    throw fail("an unpaired surrogate in a \\u escape")
                }
                out.append(contentsOf: Array(String(Character(Unicode.Scalar(code)!)).utf8))
            default: throw fail("an invalid escape '\\\(Character(Unicode.Scalar(e)))' in a string")
            }
        }
        guard let s = String(validating: out, as: UTF8.self) else { throw fail("a string that is not valid UTF-8") }
        return s
    }

    mutating func hex4() throws(Failure) -> UInt32 {
        guard bytes.count - i >= 4 else { throw fail("a \\u escape needs four hex digits") }
        var v: UInt32 = 0
        for _ in 0..<4 {
            let c = bytes[i]
            let d: UInt32
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): d = UInt32(c - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): d = UInt32(c - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): d = UInt32(c - UInt8(ascii: "A") + 10)
            default: throw fail("a \\u escape needs four hex digits")
            }
            v = v * 16 + d
            i += 1
        }
        return v
    }

    mutating func number() throws(Failure) -> Double {
        let start = i
        func digits() -> Int {
            let s = i
            while i < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[i]) { i += 1 }
            return i - s
        }
        if bytes[i] == UInt8(ascii: "-") { i += 1 }
        guard i < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[i]) else {
            throw fail("a number needs digits")
        }
        if bytes[i] == UInt8(ascii: "0") {
            i += 1
            if i < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[i]) {
                throw fail("a number may not start with 0")
            }
        } else {
            _ = digits()
        }
        if i < bytes.count, bytes[i] == UInt8(ascii: ".") {
            i += 1
            guard digits() > 0 else { throw fail("a number needs digits after '.'") }
        }
        if i < bytes.count, bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E") {
            i += 1
            if i < bytes.count, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") { i += 1 }
            guard digits() > 0 else { throw fail("a number needs digits in its exponent") }
        }
        let text = String(decoding: bytes[start..<i], as: UTF8.self)
        guard let d = Double(text), d.isFinite else {
            i = start
            throw fail("the number \(text) is too large for a double")
        }
        return d
    }
}
