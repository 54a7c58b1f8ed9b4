import DRSimRender
import DRSimResults
import Foundation
import Testing

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// An SVG or XHTML document parsed by Foundation's XMLParser: every element with its attributes and
/// text, so that tests check what was drawn, not how the text looks.
struct XMLDocument {
    struct Element {
        var name: String
        var attributes: [String: String]
        var text: String
    }
    var elements: [Element] = []

    /// Parses `text`; records an issue and returns nil if it is not well-formed XML.
    init?(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let delegate = Collector()
        let parser = XMLParser(data: Data(text.utf8))
        parser.delegate = delegate
        guard parser.parse() else {
            Issue.record(
                "not well-formed XML: \(parser.parserError.map { "\($0)" } ?? "?") at line \(parser.lineNumber)",
                sourceLocation: sourceLocation)
            return nil
        }
        elements = delegate.done
    }

    func all(_ name: String, role: String? = nil) -> [Element] {
        elements.filter { $0.name == name && (role == nil || $0.attributes["data-role"] == role) }
    }
    func texts(role: String) -> [String] { all("text", role: role).map(\.text) }

    /// Every number in every coordinate-bearing attribute.
    var coordinateTexts: [String] {
        let keys = ["x", "y", "x1", "x2", "y1", "y2", "cx", "cy", "r", "width", "height", "d", "transform", "viewBox"]
        return elements.flatMap { e in keys.compactMap { e.attributes[$0] } }
    }

    private final class Collector: NSObject, XMLParserDelegate {
        var stack: [Element] = []
        var done: [Element] = []
        func parser(
            _ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
            attributes: [String: String] = [:]
        ) {
            stack.append(Element(name: name, attributes: attributes, text: ""))
        }
        func parser(_ parser: XMLParser, foundCharacters string: String) {
            if !stack.isEmpty { stack[stack.count - 1].text += string }
        }
        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            let e = stack.removeLast()
            done.append(e)
            if !stack.isEmpty { stack[stack.count - 1].text += e.text }
        }
    }
}

/// The checks every chart must pass: well-formed, finite coordinates, axis titles with units, ticks
/// at nice numbers evenly spaced, one path per series.
@discardableResult
func checkChart(
    _ chart: Chart, series: Int? = nil, units: [String] = [], sourceLocation: SourceLocation = #_sourceLocation
) -> XMLDocument? {
    guard let doc = XMLDocument(chart.svg, sourceLocation: sourceLocation) else { return nil }
    for c in doc.coordinateTexts {
        let lower = c.lowercased()
        #expect(
            !lower.contains("nan") && !lower.contains("inf"), "non-finite coordinate \(c)",
            sourceLocation: sourceLocation)
    }
    #expect(doc.all("svg").first?.attributes["viewBox"] != nil, sourceLocation: sourceLocation)
    #expect(doc.all("title").first?.text.isEmpty == false, sourceLocation: sourceLocation)
    let labels = doc.texts(role: "x-label") + doc.texts(role: "y-label")
    for u in units {
        #expect(
            labels.contains { $0.hasSuffix("(\(u))") }, "no axis in \(u): \(labels)", sourceLocation: sourceLocation)
    }
    for role in ["x-tick", "y-tick"] {
        let ticks = doc.texts(role: role).compactMap(Double.init)
        guard ticks.count >= 2 else { continue }
        let step = ticks[1] - ticks[0]
        #expect(step > 0, sourceLocation: sourceLocation)
        let m = step / pow(10, log10(step).rounded(.down))
        #expect(
            [1, 2, 5, 10].contains { abs(m - Double($0)) < 1e-6 },
            "\(role) step \(step) is not 1, 2 or 5 × 10^k: \(ticks)",
            sourceLocation: sourceLocation)
        for (a, b) in zip(ticks, ticks.dropFirst()) {
            #expect(
                abs((b - a) - step) < step * 1e-6, "\(role) ticks unevenly spaced: \(ticks)",
                sourceLocation: sourceLocation)
        }
        for t in ticks {
            #expect(
                abs(t / step - (t / step).rounded()) < 1e-6, "\(role) tick \(t) is not a multiple of \(step)",
                sourceLocation: sourceLocation)
        }
    }
    if let series {
        let paths = doc.all("path", role: "series")
        #expect(
            paths.count == series, "\(paths.count) series paths, expected \(series)", sourceLocation: sourceLocation)
        #expect(
            Set(paths.compactMap { $0.attributes["data-series"] }).count == paths.count, sourceLocation: sourceLocation)
    }
    // Series lie inside the plot area, which the axis lines bound, and are drawn in pixels, not in data units.
    let axes = doc.all("line", role: "axis")
    if let xAxis = axes.first, let yAxis = axes.dropFirst().first,
        let left = Double(xAxis.attributes["x1"] ?? ""), let right = Double(xAxis.attributes["x2"] ?? ""),
        let top = Double(yAxis.attributes["y1"] ?? ""), let bottom = Double(yAxis.attributes["y2"] ?? "")
    {
        for p in doc.all("path", role: "series") + doc.all("path", role: "band") {
            let numbers = pathNumbers(p.attributes["d"] ?? "")
            let xs = numbers.filter { $0.axis == "x" }.map(\.value)
            let ys = numbers.filter { $0.axis == "y" }.map(\.value)
            #expect(
                xs.allSatisfy { $0 >= left - 0.01 && $0 <= right + 0.01 },
                "x outside the plot: \(xs.min() ?? 0)…\(xs.max() ?? 0)",
                sourceLocation: sourceLocation)
            #expect(
                ys.allSatisfy { $0 >= top - 0.01 && $0 <= bottom + 0.01 },
                "y outside the plot: \(ys.min() ?? 0)…\(ys.max() ?? 0)",
                sourceLocation: sourceLocation)
        }
    }
    #expect(!doc.texts(role: "legend").isEmpty, "no legend", sourceLocation: sourceLocation)
    return doc
}

/// The numbers of path data made of M, L, H, V and Z, each tagged with its axis.
func pathNumbers(_ d: String) -> [(axis: Character, value: Double)] {
    var out: [(Character, Double)] = []
    var command: Character = "M"
    var pending = ""
    var inPair = 0
    func flush() {
        guard !pending.isEmpty, let v = Double(pending) else {
            pending = ""
            return
        }
        switch command {
        case "H": out.append(("x", v))
        case "V": out.append(("y", v))
        default:
            out.append((inPair % 2 == 0 ? "x" : "y", v))
            inPair += 1
        }
        pending = ""
    }
    for ch in d {
        if "MLHVZ".contains(ch) {
            flush()
            command = ch
            inPair = 0
        } else if ch == " " {
            flush()
        } else {
            pending.append(ch)
        }
    }
    flush()
    return out
}
