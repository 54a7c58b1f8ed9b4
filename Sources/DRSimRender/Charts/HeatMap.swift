import DRSimResults

/// The data of a heat map: one statistic over a grid of two settings (the shape a sweep over two
/// `--vary` paths produces).
public struct HeatMapData: Sendable {
    public var name: String
    public var title: String
    public var subtitle: String
    /// What the cells hold, without unit: "p99 of rto_s".
    public var statistic: String
    public var quantity: Quantity
    public var xLabel: String
    public var xValues: [String]
    public var yLabel: String
    public var yValues: [String]
    /// `cells[row][column]`: row per `yValues`, column per `xValues`.
    public var cells: [[Estimate]]
    /// The cells on the Pareto front, in the shape of `cells` (empty: none marked), and what it is over.
    public var front: [[Bool]]
    public var frontOver: String

    public init(
        name: String, title: String, subtitle: String, statistic: String, quantity: Quantity,
        xLabel: String, xValues: [String], yLabel: String, yValues: [String], cells: [[Estimate]],
        front: [[Bool]] = [], frontOver: String = ""
    ) {
        self.name = name
        self.title = title
        self.subtitle = subtitle
        self.statistic = statistic
        self.quantity = quantity
        self.xLabel = xLabel
        self.xValues = xValues
        self.yLabel = yLabel
        self.yValues = yValues
        self.cells = cells
        self.front = front
        self.frontOver = frontOver
    }
}

/// A heat map whose cells are labelled with their value and interval, on viridis (monotone in
/// lightness, so greyscale keeps the order), with a colour bar. Unknown cells are light grey, "unknown".
public enum HeatMap {
    public static func draw(_ d: HeatMapData) -> Chart {
        let map = HeatMapPlot(d)
        let marked = d.front.joined().contains(true)
        var c = SVGCanvas(width: HeatMapPlot.width, height: map.barBottom + (marked ? 76 : 56))
        c.text(map.left, 22, d.title, style: .title, role: "title")
        if !d.subtitle.isEmpty { c.text(map.left, 41, d.subtitle, style: .subtitle, role: "subtitle") }
        for r in d.yValues.indices {
            for col in d.xValues.indices { map.drawCell(r, col, on: &c) }
        }
        map.drawAxes(on: &c)
        map.drawColourBar(on: &c)
        if marked {
            c.text(
                map.left, map.barBottom + 60, "Outlined: on the Pareto front over \(d.frontOver).",
                style: TextStyle(size: 11, fill: Palette.muted), role: "note")
        }
        let desc =
            "Heat map of \(d.statistic) over \(d.xLabel) (columns) and \(d.yLabel) (rows); "
            + "each cell shows the value and its 95% interval."
            + (marked ? " Outlined: on the Pareto front over \(d.frontOver)." : "")
        return Chart(
            name: d.name, title: d.title, description: desc,
            svg: c.rendered(title: d.title, description: desc))
    }
}

/// A heat map laid out [px]: the grid of cells right of the row names, the colour bar right of the grid.
private struct HeatMapPlot {
    static let width = 720.0, top = 58.0
    /// Right of the grid: the colour bar, its ticks and labels.
    static let barSpace = 110.0

    let d: HeatMapData
    /// The colour scale: from the least to the greatest known value.
    let scale: Axis
    let left: Double
    let plotWidth: Double
    let cellWidth: Double
    let cellHeight: Double
    /// The grid's bottom, and the colour bar's, which is at least 200 px tall.
    let bottom: Double
    var barBottom: Double { max(bottom, Self.top + 200) }

    init(_ d: HeatMapData) {
        let rows = d.yValues.count
        let cols = d.xValues.count
        self.d = d
        let known = (0..<rows).flatMap { r in (0..<cols).compactMap { c in d.cell(r, c).value } }.filter(\.isFinite)
        scale = Axis(label: d.statistic, quantity: d.quantity, lo: known.min() ?? 0, hi: known.max() ?? 1, ticks: 5)
        let labelWidth = min(160, max(40, (d.yValues.map { SVGCanvas.textWidth($0, size: 11) }.max() ?? 0) + 12))
        left = 34 + labelWidth
        plotWidth = Self.width - left - Self.barSpace
        cellWidth = plotWidth / Double(max(1, cols))
        cellHeight = rows > 0 ? min(48, max(22, 360 / Double(rows))) : 48
        bottom = Self.top + cellHeight * Double(rows)
    }

    /// Where `v` lies between the scale's ends, from 0 to 1 (0.5 when they are equal).
    func position(_ v: Double) -> Double { scale.hi > scale.lo ? (v - scale.lo) / (scale.hi - scale.lo) : 0.5 }

    /// The cell of row `r` (per `yValues`) and column `col` (per `xValues`): its colour, value and, where the
    /// cell is large enough, interval; the title names its settings.
    func drawCell(_ r: Int, _ col: Int, on c: inout SVGCanvas) {
        let e = d.cell(r, col)
        let box = Box(
            x: left + Double(col) * cellWidth, y: Self.top + Double(r) * cellHeight, width: cellWidth,
            height: cellHeight)
        let (midX, midY) = (box.x + cellWidth / 2, box.y + cellHeight / 2)
        let settings = "\(d.xLabel) = \(d.xValues[col]), \(d.yLabel) = \(d.yValues[r])"
        guard let v = e.value, v.isFinite else {
            c.rect(box, fill: Fill("#eeeeee"), outline: "#ffffff", role: "cell", title: "\(settings): unknown")
            c.text(
                midX, midY + 4, "unknown", style: TextStyle(size: 11, anchor: .middle, fill: Palette.muted),
                role: "cell-value")
            return
        }
        let showInterval = cellHeight >= 34 && cellWidth >= 84
        let (fill, light) = Palette.sequential(position(v))
        let interval = "[\(e.low.map(scale.valueText) ?? "?"), \(e.high.map(scale.valueText) ?? "?")]"
        c.rect(
            box, fill: Fill(fill), outline: "#ffffff", role: "cell",
            title: "\(settings): \(scale.valueText(v)) \(interval)")
        let ink = light ? "#ffffff" : Palette.ink
        let valueStyle = TextStyle(size: cellWidth < 60 ? 10 : 12, anchor: .middle, weight: "600", fill: ink)
        c.text(midX, midY + (showInterval ? -2 : 4), scale.valueText(v), style: valueStyle, role: "cell-value")
        if showInterval {
            c.text(
                midX, midY + 12, interval, style: TextStyle(size: 10, anchor: .middle, fill: ink),
                role: "cell-interval")
        }
        if r < d.front.count, col < d.front[r].count, d.front[r][col] {
            let inset = Box(x: box.x + 2, y: box.y + 2, width: cellWidth - 4, height: cellHeight - 4)
            c.raw(
                "<rect x=\"\(px(inset.x))\" y=\"\(px(inset.y))\" width=\"\(px(inset.width))\" "
                    + "height=\"\(px(inset.height))\" fill=\"none\" stroke=\"\(Palette.target)\" stroke-width=\"3\" "
                    + "data-role=\"front-cell\"><title>\(xmlEscaped(settings)): on the front</title></rect>")
        }
    }

    /// The columns' values under the grid and the rows' left of it, and the two settings' names.
    func drawAxes(on c: inout SVGCanvas) {
        for (col, v) in d.xValues.enumerated() {
            c.text(left + (Double(col) + 0.5) * cellWidth, bottom + 16, v, style: .axis(.middle), role: "x-category")
        }
        for (r, v) in d.yValues.enumerated() {
            c.text(left - 6, Self.top + (Double(r) + 0.5) * cellHeight + 4, v, style: .axis(.end), role: "y-category")
        }
        c.text(left + plotWidth / 2, bottom + 38, d.xLabel, style: .axisTitle, role: "x-label")
        // Centred on the colour bar's height, which is at least 200 px, so that a long setting's path fits.
        c.text(16, (Self.top + barBottom) / 2, d.yLabel, style: .axisTitle, rotate: -90, role: "y-label")
    }

    /// The legend of the cell colours: the scale in 40 steps, bottom to top, with its ticks and title.
    func drawColourBar(on c: inout SVGCanvas) {
        let barX = Self.width - Self.barSpace + 24
        let barTop = Self.top
        let steps = 40
        for i in 0..<steps {
            let f0 = Double(i) / Double(steps)
            let y1 = barBottom - (barBottom - barTop) * (f0 + 1 / Double(steps))
            c.rect(
                Box(x: barX, y: y1, width: 16, height: (barBottom - barTop) / Double(steps) + 0.5),
                fill: Fill(Palette.sequential(f0 + 0.5 / Double(steps)).fill), role: "colour-bar")
        }
        var bar = scale
        bar.pixelLo = barBottom
        bar.pixelHi = barTop
        for tick in scale.ticks {
            let py = bar.map(tick * scale.factor)
            c.line(barX + 16, py, barX + 20, py, stroke: Stroke(Palette.axis), role: "bar-tick")
            c.text(barX + 23, py + 4, scale.tickLabel(tick), style: .axis(.start), role: "bar-tick-label")
        }
        c.text(barX + 8, barBottom + 18, scale.title, style: TextStyle(size: 11, anchor: .middle), role: "legend")
    }
}

extension HeatMapData {
    /// The cell of row `r` and column `c`; unknown where `cells` has none.
    func cell(_ r: Int, _ c: Int) -> Estimate {
        r < cells.count && c < cells[r].count ? cells[r][c] : Estimate(value: nil)
    }
}
