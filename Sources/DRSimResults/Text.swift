import Foundation

// How numbers and text are written into result files, tables and markup.

/// A number as result files write it: the shortest text that reads back as the same double, an integer
/// without a decimal point; `nan`, `inf` and `-inf` for the values JSON has no number for.
public func formatNumber(_ d: Double) -> String {
    if d.isNaN { return "nan" }
    if d.isInfinite { return d > 0 ? "inf" : "-inf" }
    if d == d.rounded(), abs(d) < 1e15 { return String(Int64(d)) }
    return "\(d)"
}

/// A string as a JSON string literal: quoted, with quotes, backslashes and control characters escaped.
public func jsonQuote(_ s: String) -> String {
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

/// Escapes text for XML character data and attribute values (both quote kinds), and replaces the
/// control characters XML 1.0 forbids, so that any config name or warning can go into an SVG, HTML or
/// JUnit file.
public func xmlEscaped(_ s: String) -> String {
    var out = ""
    out.reserveCapacity(s.utf8.count)
    for ch in s.unicodeScalars {
        switch ch {
        case "&": out += "&amp;"
        case "<": out += "&lt;"
        case ">": out += "&gt;"
        case "\"": out += "&quot;"
        case "'": out += "&#39;"
        case "\n", "\t", "\r": out.unicodeScalars.append(ch)
        default:
            let forbidden = ch.value < 0x20 || (0xFFFE...0xFFFF).contains(ch.value)
            if forbidden { out += "\u{FFFD}" } else { out.unicodeScalars.append(ch) }
        }
    }
    return out
}
