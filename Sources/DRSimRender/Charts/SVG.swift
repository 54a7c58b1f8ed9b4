import DRSimResults
import Foundation

/// A coordinate [px] as SVG text: two decimals at most, never NaN or infinity (a non-finite value is a
/// bug in the caller; it is drawn at 0 rather than producing a file browsers reject).
func px(_ v: Double) -> String {
    assert(v.isFinite, "non-finite coordinate")
    guard v.isFinite else { return "0" }
    let r = (v * 100).rounded() / 100
    if r == r.rounded() { return String(Int(r)) }
    var s = String(format: "%.2f", r)
    while s.hasSuffix("0") { s.removeLast() }
    return s
}

/// An SVG document assembled element by element. Presentation attributes, not CSS classes, so that a
/// chart looks the same inline in a page and as a file of its own.
struct SVGCanvas {
    let width: Double
    let height: Double
    private(set) var body: [String] = []

    init(width: Double, height: Double) {
        self.width = width
        self.height = height
    }

    static let font = "system-ui, -apple-system, 'Segoe UI', Roboto, 'DejaVu Sans', sans-serif"

    mutating func raw(_ element: String) { body.append(element) }

    mutating func line(_ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double, stroke: String, width: Double = 1,
                       dash: String? = nil, role: String? = nil) {
        body.append("<line x1=\"\(px(x1))\" y1=\"\(px(y1))\" x2=\"\(px(x2))\" y2=\"\(px(y2))\" stroke=\"\(stroke)\" stroke-width=\"\(px(width))\""
            + (dash.map { " stroke-dasharray=\"\($0)\"" } ?? "") + (role.map { " data-role=\"\($0)\"" } ?? "") + "/>")
    }

    mutating func rect(_ x: Double, _ y: Double, _ w: Double, _ h: Double, fill: String, stroke: String? = nil,
                       opacity: Double? = nil, role: String? = nil, title: String? = nil) {
        var e = "<rect x=\"\(px(x))\" y=\"\(px(y))\" width=\"\(px(max(0, w)))\" height=\"\(px(max(0, h)))\" fill=\"\(fill)\""
        if let stroke { e += " stroke=\"\(stroke)\"" }
        if let opacity { e += " fill-opacity=\"\(px(opacity))\"" }
        if let role { e += " data-role=\"\(role)\"" }
        if let title { e += "><title>\(xmlEscaped(title))</title></rect>" } else { e += "/>" }
        body.append(e)
    }

    /// A path; `series` names the data series it draws (tests count one path per series).
    mutating func path(_ d: String, stroke: String = "none", width: Double = 1, fill: String = "none",
                       fillOpacity: Double? = nil, dash: String? = nil, role: String, series: String? = nil) {
        var e = "<path d=\"\(d)\" stroke=\"\(stroke)\" stroke-width=\"\(px(width))\" fill=\"\(fill)\""
        if let fillOpacity { e += " fill-opacity=\"\(px(fillOpacity))\"" }
        if let dash { e += " stroke-dasharray=\"\(dash)\"" }
        e += " stroke-linejoin=\"round\" data-role=\"\(role)\""
        if let series { e += " data-series=\"\(xmlEscaped(series))\"" }
        body.append(e + "/>")
    }

    mutating func circle(_ x: Double, _ y: Double, r: Double, fill: String, stroke: String) {
        body.append("<circle cx=\"\(px(x))\" cy=\"\(px(y))\" r=\"\(px(r))\" fill=\"\(fill)\" stroke=\"\(stroke)\" stroke-width=\"1.5\"/>")
    }

    enum Anchor: String { case start, middle, end }

    mutating func text(_ x: Double, _ y: Double, _ s: String, size: Double = 12, anchor: Anchor = .start,
                       weight: String? = nil, fill: String = Palette.ink, rotate: Double? = nil, role: String? = nil) {
        var e = "<text x=\"\(px(x))\" y=\"\(px(y))\" font-size=\"\(px(size))\" text-anchor=\"\(anchor.rawValue)\" fill=\"\(fill)\""
        if let weight { e += " font-weight=\"\(weight)\"" }
        if let rotate { e += " transform=\"rotate(\(px(rotate)) \(px(x)) \(px(y)))\"" }
        if let role { e += " data-role=\"\(role)\"" }
        body.append(e + ">\(xmlEscaped(s))</text>")
    }

    /// The document: `title` and `description` become the SVG's accessible name and description.
    func rendered(title: String, description: String) -> String {
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(px(width)) \(px(height))\" width=\"\(px(width))\" height=\"\(px(height))\""
            + " role=\"img\" font-family=\"\(Self.font)\">\n"
            + "<title>\(xmlEscaped(title))</title>\n<desc>\(xmlEscaped(description))</desc>\n"
            + "<rect x=\"0\" y=\"0\" width=\"\(px(width))\" height=\"\(px(height))\" fill=\"#ffffff\"/>\n"
            + body.joined(separator: "\n") + "\n</svg>\n"
    }

    /// A rough width of `s` at `size` px in a sans-serif font: enough to lay out legends and labels.
    static func textWidth(_ s: String, size: Double = 12) -> Double { Double(s.count) * size * 0.58 }
}

/// Path data built from points, with the number formatting every chart shares.
struct PathData {
    private(set) var d = ""
    mutating func move(_ x: Double, _ y: Double) { d += "M\(px(x)) \(px(y))" }
    mutating func line(_ x: Double, _ y: Double) { d += "L\(px(x)) \(px(y))" }
    mutating func horizontal(_ x: Double) { d += "H\(px(x))" }
    mutating func vertical(_ y: Double) { d += "V\(px(y))" }
    mutating func close() { d += "Z" }
    var isEmpty: Bool { d.isEmpty }
}
