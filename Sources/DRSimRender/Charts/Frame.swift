/// A drawn chart: its SVG text, and the title and description it carries for screen readers.
public struct Chart: Sendable {
    /// A file-name stem, e.g. `cdf-rto_s`.
    public let name: String
    public let title: String
    public let description: String
    public let svg: String
}

/// One entry of a chart's legend.
struct LegendItem {
    enum Key {
        /// A short line, drawn as the chart draws what it names.
        case line(Stroke)
        /// A small filled box.
        case band(Fill)
        case marker(colour: String, marker: Palette.Marker)
    }
    var key: Key
    var label: String
}

/// The frame every x–y chart shares: title and subtitle, a plot area with grid, ticks and axis titles,
/// and a legend below the x axis (below, so that it never hides data).
///
/// With `categories`, the y axis names rows instead of measuring (a bar chart's): row i is the band
/// `categories.count - i - 1 … categories.count - i` of `y`, top row first, labelled at its middle.
struct Frame {
    static let width = 720.0
    let right = 28.0, top = 58.0
    let left: Double
    let plotHeight: Double
    var x: Axis
    var y: Axis
    let categories: [String]?
    let legend: [LegendItem]
    let legendRows: [[(LegendItem, Double)]]

    init(
        x: Axis, y: Axis, legend: [LegendItem], plotHeight: Double = 300, left: Double = 72, categories: [String]? = nil
    ) {
        self.plotHeight = plotHeight
        self.left = left
        self.x = x
        self.y = y
        self.categories = categories
        self.legend = legend
        self.x.pixelLo = left
        self.x.pixelHi = Frame.width - right
        self.y.pixelLo = top + plotHeight
        self.y.pixelHi = top
        // Lay the legend out in rows that fit the plot's width.
        var rows: [[(LegendItem, Double)]] = [[]]
        var used = 0.0
        let available = Frame.width - left - right
        for item in legend {
            let w = 34 + SVGCanvas.textWidth(item.label) + 18
            if used + w > available, !rows[rows.count - 1].isEmpty {
                rows.append([])
                used = 0
            }
            rows[rows.count - 1].append((item, used))
            used += w
        }
        legendRows = legend.isEmpty ? [] : rows
    }

    var bottom: Double { top + plotHeight }
    var height: Double { bottom + 58 + Double(legendRows.count) * 20 + 6 }

    /// Clamps a pixel x into the plot area (for labels).
    func clampX(_ v: Double) -> Double { min(max(v, x.pixelLo), x.pixelHi) }

    func canvas(title: String, subtitle: String) -> SVGCanvas {
        var c = SVGCanvas(width: Frame.width, height: height)
        // Titles start at the usual margin even where row names widen the left one.
        let titleX = min(left, 72)
        c.text(titleX, 22, title, style: .title, role: "title")
        if !subtitle.isEmpty { c.text(titleX, 41, subtitle, style: .subtitle, role: "subtitle") }
        // Grid and ticks.
        if let categories {
            for (i, name) in categories.enumerated() {
                c.text(left - 8, rowMiddle(i) + 4, name, style: .axis(.end), role: "y-category")
            }
        } else {
            for t in y.ticks {
                let py = y.map(t * y.factor)
                c.line(left, py, x.pixelHi, py, stroke: Stroke(Palette.grid), role: "grid")
                c.text(left - 8, py + 4, y.tickLabel(t), style: .axis(.end), role: "y-tick")
            }
        }
        for t in x.ticks {
            let pxv = x.map(t * x.factor)
            c.line(pxv, top, pxv, bottom, stroke: Stroke(Palette.grid), role: "grid")
            c.text(pxv, bottom + 17, x.tickLabel(t), style: .axis(.middle), role: "x-tick")
        }
        c.line(left, bottom, x.pixelHi, bottom, stroke: Stroke(Palette.axis), role: "axis")
        c.line(left, top, left, bottom, stroke: Stroke(Palette.axis), role: "axis")
        c.text((left + x.pixelHi) / 2, bottom + 38, x.title, style: .axisTitle, role: "x-label")
        c.text(18, (top + bottom) / 2, y.title, style: .axisTitle, rotate: -90, role: "y-label")
        return c
    }

    /// The pixel y of category row `i`'s middle (top row 0).
    func rowMiddle(_ i: Int) -> Double { y.map(Double((categories?.count ?? 0) - i) - 0.5) }

    /// The pixel height of one category row.
    var rowHeight: Double { plotHeight / Double(max(1, categories?.count ?? 1)) }

    /// Legend entries for `markers`, in their styles.
    static func markerLegend(_ markers: [Marker]) -> [LegendItem] {
        markers.enumerated().flatMap { i, m -> [LegendItem] in
            let line = LegendItem(key: .line(markerStroke(i)), label: m.label)
            guard m.low != nil && m.high != nil else { return [line] }
            return [LegendItem(key: .band(markerInterval), label: m.intervalLabel ?? "interval"), line]
        }
    }

    /// Marker `i`'s line, and the shading of a marker's interval.
    static func markerStroke(_ i: Int) -> Stroke {
        Stroke(Palette.ink, dash: ["3 3", "8 3", "1 2", "10 3 2 3"][i % 4])
    }
    static let markerInterval = Fill(Palette.colour(4), opacity: 0.2)

    /// Moments or values marked across the plot (a vertical line each, its interval shaded), labelled
    /// at the top (unless `labelled` is false), staggered so that close ones stay legible. Markers
    /// outside the x axis are left out.
    func drawMarkers(_ c: inout SVGCanvas, _ markers: [Marker], labelled: Bool = true) {
        for (i, m) in markers.enumerated() where m.x.isFinite && m.x >= x.lo && m.x <= x.hi {
            if let lo = m.low, let hi = m.high, lo.isFinite, hi.isFinite {
                let a = x.map(max(x.lo, min(lo, hi)))
                let b = x.map(min(x.hi, max(lo, hi)))
                c.rect(
                    Box(x: a, y: top, width: max(1, b - a), height: plotHeight), fill: Self.markerInterval,
                    role: "marker-interval")
            }
            let mx = x.map(m.x)
            c.line(mx, top, mx, bottom, stroke: Self.markerStroke(i), role: "marker")
            guard labelled else { continue }
            let w = SVGCanvas.textWidth(m.label, size: 11)
            let right = mx + 4 + w <= x.pixelHi
            c.text(
                right ? mx + 4 : mx - 4, top + 12 + Double(i) * 14, m.label,
                style: TextStyle(size: 11, anchor: right ? .start : .end), role: "marker-label")
        }
    }

    func drawLegend(_ c: inout SVGCanvas) {
        for (row, items) in legendRows.enumerated() {
            let y0 = bottom + 58 + Double(row) * 20
            for (item, offset) in items {
                let x0 = left + offset
                switch item.key {
                case .line(let stroke):
                    c.line(x0, y0 - 4, x0 + 28, y0 - 4, stroke: stroke, role: "legend-key")
                case .band(let fill):
                    c.rect(Box(x: x0, y: y0 - 10, width: 28, height: 12), fill: fill, role: "legend-key")
                case .marker(let colour, let marker):
                    c.line(x0, y0 - 4, x0 + 28, y0 - 4, stroke: Stroke(colour, width: 1.5), role: "legend-key")
                    Marks.draw(&c, marker, x: x0 + 14, y: y0 - 4, colour: colour)
                }
                c.text(x0 + 34, y0, item.label, role: "legend")
            }
        }
    }
}

enum Marks {
    static func draw(_ c: inout SVGCanvas, _ m: Palette.Marker, x: Double, y: Double, colour: String, size: Double = 4)
    {
        switch m {
        case .circle: c.circle(x, y, r: size, fill: "#ffffff", stroke: colour)
        case .square:
            c.raw(
                "<rect x=\"\(px(x - size))\" y=\"\(px(y - size))\" width=\"\(px(2 * size))\" "
                    + "height=\"\(px(2 * size))\" fill=\"\(colour)\"/>"
            )
        case .triangle:
            c.raw(
                "<path d=\"M\(px(x)) \(px(y - size - 1))L\(px(x + size + 1)) \(px(y + size))L\(px(x - size - 1)) "
                    + "\(px(y + size))Z\" fill=\"\(colour)\" data-role=\"marker\"/>")
        case .diamond:
            c.raw(
                "<path d=\"M\(px(x)) \(px(y - size - 1))L\(px(x + size + 1)) \(px(y))L\(px(x)) "
                    + "\(px(y + size + 1))L\(px(x - size - 1)) "
                    + "\(px(y))Z\" fill=\"#ffffff\" stroke=\"\(colour)\" stroke-width=\"1.5\" data-role=\"marker\"/>")
        }
    }
}
