/// An estimate with its confidence interval; any part may be unknown (censoring, too few incidents).
public struct Estimate: Sendable, Equatable {
    public var value: Double?
    public var low: Double?
    public var high: Double?
    public init(value: Double?, low: Double? = nil, high: Double? = nil) {
        self.value = value
        self.low = low
        self.high = high
    }
}

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

    public init(name: String, title: String, subtitle: String, statistic: String, quantity: Quantity,
                xLabel: String, xValues: [String], yLabel: String, yValues: [String], cells: [[Estimate]]) {
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
    }
}

/// A heat map whose cells are labelled with their value and interval, on viridis (monotone in
/// lightness, so greyscale keeps the order), with a colour bar. Unknown cells are light grey, "unknown".
public enum HeatMap {
    public static func draw(_ d: HeatMapData) -> Chart {
        let rows = d.yValues.count, cols = d.xValues.count
        func cell(_ r: Int, _ c: Int) -> Estimate {
            r < d.cells.count && c < d.cells[r].count ? d.cells[r][c] : Estimate(value: nil)
        }
        let known = (0..<rows).flatMap { r in (0..<cols).compactMap { c in cell(r, c).value } }.filter(\.isFinite)
        let scale = Axis(label: d.statistic, quantity: d.quantity, lo: known.min() ?? 0, hi: known.max() ?? 1, ticks: 5)
        let labelWidth = min(160, max(40, (d.yValues.map { SVGCanvas.textWidth($0, size: 11) }.max() ?? 0) + 12))
        let left = 34 + labelWidth, top = 58.0, barSpace = 110.0
        let plotWidth = 720 - left - barSpace
        let cellW = plotWidth / Double(max(1, cols))
        let cellH = rows > 0 ? min(48, max(22, 360 / Double(rows))) : 48
        let bottom = top + cellH * Double(rows)
        var c = SVGCanvas(width: 720, height: max(bottom, top + 200) + 56)
        c.text(left, 22, d.title, style: .title, role: "title")
        if !d.subtitle.isEmpty { c.text(left, 41, d.subtitle, style: .subtitle, role: "subtitle") }
        let lo = scale.lo, hi = scale.hi
        func t(_ v: Double) -> Double { hi > lo ? (v - lo) / (hi - lo) : 0.5 }
        for r in 0..<rows {
            for col in 0..<cols {
                let e = cell(r, col)
                let x0 = left + Double(col) * cellW, y0 = top + Double(r) * cellH
                let showInterval = cellH >= 34 && cellW >= 84
                if let v = e.value, v.isFinite {
                    let (fill, light) = Palette.sequential(t(v))
                    let interval = "[\(e.low.map(scale.valueText) ?? "?"), \(e.high.map(scale.valueText) ?? "?")]"
                    c.rect(Box(x: x0, y: y0, width: cellW, height: cellH), fill: Fill(fill), outline: "#ffffff",
                           role: "cell",
                           title: "\(d.xLabel) = \(d.xValues[col]), \(d.yLabel) = \(d.yValues[r]): \(scale.valueText(v)) \(interval)")
                    let ink = light ? "#ffffff" : Palette.ink
                    c.text(x0 + cellW / 2, y0 + cellH / 2 + (showInterval ? -2 : 4), scale.valueText(v),
                           style: TextStyle(size: cellW < 60 ? 10 : 12, anchor: .middle, weight: "600", fill: ink),
                           role: "cell-value")
                    if showInterval {
                        c.text(x0 + cellW / 2, y0 + cellH / 2 + 12, interval,
                               style: TextStyle(size: 10, anchor: .middle, fill: ink), role: "cell-interval")
                    }
                } else {
                    c.rect(Box(x: x0, y: y0, width: cellW, height: cellH), fill: Fill("#eeeeee"), outline: "#ffffff",
                           role: "cell",
                           title: "\(d.xLabel) = \(d.xValues[col]), \(d.yLabel) = \(d.yValues[r]): unknown")
                    c.text(x0 + cellW / 2, y0 + cellH / 2 + 4, "unknown",
                           style: TextStyle(size: 11, anchor: .middle, fill: Palette.muted), role: "cell-value")
                }
            }
        }
        for (col, v) in d.xValues.enumerated() {
            c.text(left + (Double(col) + 0.5) * cellW, bottom + 16, v, style: .axis(.middle), role: "x-category")
        }
        for (r, v) in d.yValues.enumerated() {
            c.text(left - 6, top + (Double(r) + 0.5) * cellH + 4, v, style: .axis(.end), role: "y-category")
        }
        c.text(left + plotWidth / 2, bottom + 38, d.xLabel, style: .axisTitle, role: "x-label")
        // Centred on the colour bar's height, which is at least 200 px, so that a long setting's path fits.
        c.text(16, (top + max(bottom, top + 200)) / 2, d.yLabel, style: .axisTitle, rotate: -90, role: "y-label")
        // Colour bar: the legend of the cell colours.
        let barX = 720 - barSpace + 24, barTop = top, barBottom = max(bottom, top + 200)
        let steps = 40
        for i in 0..<steps {
            let f0 = Double(i) / Double(steps)
            let y1 = barBottom - (barBottom - barTop) * (f0 + 1 / Double(steps))
            c.rect(Box(x: barX, y: y1, width: 16, height: (barBottom - barTop) / Double(steps) + 0.5),
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
        let desc = "Heat map of \(d.statistic) over \(d.xLabel) (columns) and \(d.yLabel) (rows); each cell shows the value and its 95% interval."
        return Chart(name: d.name, title: d.title, description: desc, svg: c.rendered(title: d.title, description: desc))
    }
}
