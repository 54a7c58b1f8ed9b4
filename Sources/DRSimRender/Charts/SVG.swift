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

    mutating func line(_ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double, stroke: Stroke, role: String? = nil) {
        body.append(
            "<line x1=\"\(px(x1))\" y1=\"\(px(y1))\" x2=\"\(px(x2))\" y2=\"\(px(y2))\""
                + " stroke=\"\(stroke.colour)\" stroke-width=\"\(px(stroke.width))\""
                + (stroke.dash.map { " stroke-dasharray=\"\($0)\"" } ?? "")
                + (role.map { " data-role=\"\($0)\"" } ?? "") + "/>")
    }

    /// A rectangle; `outline` is the colour of its edge (none if nil), `title` its tooltip.
    mutating func rect(_ box: Box, fill: Fill, outline: String? = nil, role: String? = nil, title: String? = nil) {
        var e =
            "<rect x=\"\(px(box.x))\" y=\"\(px(box.y))\" width=\"\(px(max(0, box.width)))\""
            + " height=\"\(px(max(0, box.height)))\" fill=\"\(fill.colour)\""
        if let outline { e += " stroke=\"\(outline)\"" }
        if let opacity = fill.opacity { e += " fill-opacity=\"\(px(opacity))\"" }
        if let role { e += " data-role=\"\(role)\"" }
        if let title { e += "><title>\(xmlEscaped(title))</title></rect>" } else { e += "/>" }
        body.append(e)
    }

    /// A path; `series` names the data series it draws (tests count one path per series).
    mutating func path(_ d: String, stroke: Stroke = .none, fill: Fill = .none, role: String, series: String? = nil) {
        var e =
            "<path d=\"\(d)\" stroke=\"\(stroke.colour)\" stroke-width=\"\(px(stroke.width))\" fill=\"\(fill.colour)\""
        if let opacity = fill.opacity { e += " fill-opacity=\"\(px(opacity))\"" }
        if let dash = stroke.dash { e += " stroke-dasharray=\"\(dash)\"" }
        e += " stroke-linejoin=\"round\" data-role=\"\(role)\""
        if let series { e += " data-series=\"\(xmlEscaped(series))\"" }
        body.append(e + "/>")
    }

    mutating func circle(_ x: Double, _ y: Double, r: Double, fill: String, stroke: String) {
        body.append(
            "<circle cx=\"\(px(x))\" cy=\"\(px(y))\" r=\"\(px(r))\" fill=\"\(fill)\" stroke=\"\(stroke)\" "
                + "stroke-width=\"1.5\"/>"
        )
    }

    enum Anchor: String { case start, middle, end }

    /// Text at (x, y), its baseline at y; `rotate` turns it by that many degrees about (x, y).
    mutating func text(
        _ x: Double, _ y: Double, _ s: String, style: TextStyle = TextStyle(), rotate: Double? = nil,
        role: String? = nil
    ) {
        var e =
            "<text x=\"\(px(x))\" y=\"\(px(y))\" font-size=\"\(px(style.size))\""
            + " text-anchor=\"\(style.anchor.rawValue)\" fill=\"\(style.fill)\""
        if let weight = style.weight { e += " font-weight=\"\(weight)\"" }
        if let rotate { e += " transform=\"rotate(\(px(rotate)) \(px(x)) \(px(y)))\"" }
        if let role { e += " data-role=\"\(role)\"" }
        body.append(e + ">\(xmlEscaped(s))</text>")
    }

    /// The document: `title` and `description` become the SVG's accessible name and description.
    func rendered(title: String, description: String) -> String {
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(px(width)) \(px(height))\" width=\"\(px(width))\" "
            + "height=\"\(px(height))\" role=\"img\" font-family=\"\(Self.font)\">\n"
            + "<title>\(xmlEscaped(title))</title>\n<desc>\(xmlEscaped(description))</desc>\n"
            + "<rect x=\"0\" y=\"0\" width=\"\(px(width))\" height=\"\(px(height))\" fill=\"#ffffff\"/>\n"
            + body.joined(separator: "\n") + "\n</svg>\n"
    }

    /// A rough width of `s` at `size` px in a sans-serif font: enough to lay out legends and labels.
    static func textWidth(_ s: String, size: Double = 12) -> Double { Double(s.count) * size * 0.58 }
}

/// How a line or an outline is drawn: its colour, width [px] and dash pattern (SVG's
/// `stroke-dasharray`; nil for a solid line).
struct Stroke {
    var colour: String
    var width: Double
    var dash: String?

    init(_ colour: String, width: Double = 1, dash: String? = nil) {
        self.colour = colour
        self.width = width
        self.dash = dash
    }

    /// No stroke: a filled shape without an outline.
    static let none = Stroke("none")
    /// A target or level the data is judged against.
    static let target = Stroke(Palette.target, width: 1.5, dash: "6 4")
}

/// How an area is filled: its colour and opacity (nil: opaque, without a `fill-opacity` attribute).
struct Fill {
    var colour: String
    var opacity: Double?

    init(_ colour: String, opacity: Double? = nil) {
        self.colour = colour
        self.opacity = opacity
    }

    static let none = Fill("none")
}

/// A rectangle on the canvas [px]: its top left corner, width and height.
struct Box {
    var x: Double
    var y: Double
    var width: Double
    var height: Double
}

/// How a text is set: its size [px], which of its ends or its middle stands at x, its weight (nil: the
/// font's normal one) and its colour.
struct TextStyle {
    var size = 12.0
    var anchor = SVGCanvas.Anchor.start
    var weight: String?
    var fill = Palette.ink

    /// A chart's title, and the line under it.
    static let title = TextStyle(size: 15, weight: "600")
    static let subtitle = TextStyle(fill: Palette.muted)
    /// An axis's name, centred on it.
    static let axisTitle = TextStyle(anchor: .middle)

    /// Tick labels and category names along an axis.
    static func axis(_ anchor: SVGCanvas.Anchor) -> TextStyle {
        TextStyle(size: 11, anchor: anchor, fill: Palette.axis)
    }
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
