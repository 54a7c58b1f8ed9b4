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
        if c.decodeNil() { self = .null }
        else if let b = try? c.decode(Bool.self) { self = .bool(b) }
        else if let d = try? c.decode(Double.self) { self = .number(d) }
        else if let s = try? c.decode(String.self) { self = .string(s) }
        else if let a = try? c.decode([JSON].self) { self = .array(a) }
        else { self = .object(try c.decode([String: JSON].self)) }
    }

    /// Parses `data`; the error says what is wrong and, where the parser knows, on which line and column.
    public static func parse(_ data: Data) throws(ConfigError) -> JSON {
        do {
            return try JSONDecoder().decode(JSON.self, from: data)
        } catch {
            // JSONSerialization's messages name the place ("Invalid value around character 8").
            var detail = "the file is not valid JSON"
            do {
                _ = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
            } catch let e as NSError {
                if let d = e.userInfo[NSDebugDescriptionErrorKey] as? String { detail = locate(d, in: data) }
            } catch {}
            throw ConfigError(issues: [ConfigIssue(path: "", message: "malformed JSON: \(detail)")])
        }
    }

    /// Adds the line and column to a message that gives a character offset.
    private static func locate(_ message: String, in data: Data) -> String {
        guard let r = message.range(of: #"character (\d+)"#, options: .regularExpression),
              let offset = Int(message[r].dropFirst("character ".count)) else { return message }
        var line = 1, column = 1
        for b in data.prefix(offset) {
            if b == UInt8(ascii: "\n") { line += 1; column = 1 } else { column += 1 }
        }
        return message.replacingOccurrences(of: ".", with: "", options: [.anchored, .backwards]) + " (line \(line), column \(column))"
    }

    /// A short rendering of the value for error messages.
    public var brief: String {
        switch self {
        case .null: return "null"
        case let .bool(b): return b ? "true" : "false"
        case let .number(d): return formatNumber(d)
        case let .string(s): return s.count > 40 ? "\"\(s.prefix(37))...\"" : "\"\(s)\""
        case let .array(a): return "an array of \(a.count)"
        case .object: return "an object"
        }
    }

    /// Serialises the value (object keys in sorted order, so the same value always gives the same bytes).
    public func serialized(indent: Int = 0, step: Int = 2) -> String {
        let pad = String(repeating: " ", count: indent + step)
        let end = String(repeating: " ", count: indent)
        switch self {
        case .null, .bool, .number: return brief
        case let .string(s): return jsonQuote(s)
        case let .array(a):
            if a.isEmpty { return "[]" }
            if a.allSatisfy({ if case .number = $0 { return true }; return false }) {
                return "[" + a.map { $0.brief }.joined(separator: ", ") + "]"
            }
            return "[\n" + a.map { pad + $0.serialized(indent: indent + step, step: step) }.joined(separator: ",\n") + "\n" + end + "]"
        case let .object(o):
            if o.isEmpty { return "{}" }
            return "{\n" + o.keys.sorted().map { pad + jsonQuote($0) + ": " + o[$0]!.serialized(indent: indent + step, step: step) }
                .joined(separator: ",\n") + "\n" + end + "}"
        }
    }
}

func jsonQuote(_ s: String) -> String {
    var out = "\""
    for u in s.unicodeScalars {
        switch u {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        case "\r": out += "\\r"
        case "\t": out += "\\t"
        case _ where u.value < 0x20: out += String(format: "\\u%04x", u.value)
        default: out.unicodeScalars.append(u)
        }
    }
    return out + "\""
}

/// Writes a number so that it reads back to the same Double: integers without a fraction, others in
/// Swift's shortest round-trip form.
public func formatNumber(_ d: Double) -> String {
    if d.isNaN { return "nan" }
    if d.isInfinite { return d > 0 ? "inf" : "-inf" }
    if d == d.rounded(), abs(d) < 1e15 { return String(Int64(d)) }
    return "\(d)"
}
