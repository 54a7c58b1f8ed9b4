import DRSimResults

/// One point of a line with its interval.
public struct LinePoint: Sendable {
    public var x: Double
    public var estimate: Estimate
    public init(x: Double, estimate: Estimate) {
        self.x = x
        self.estimate = estimate
    }
}

/// The data of a line chart with interval bars: a statistic against one setting, one line per series
/// (the shape a sweep over one `--vary` path produces).
public struct IntervalLineChartData: Sendable {
    public struct Series: Sendable {
        public var label: String
        public var points: [LinePoint]
        public init(label: String, points: [LinePoint]) {
            self.label = label
            self.points = points
        }
    }
    public var name: String
    public var title: String
    public var subtitle: String
    public var xLabel: String
    public var xQuantity: Quantity
    public var yLabel: String
    public var yQuantity: Quantity
    public var series: [Series]
    public var levels: [Level]

    public init(
        name: String, title: String, subtitle: String, xLabel: String, xQuantity: Quantity, yLabel: String,
        yQuantity: Quantity, series: [Series], levels: [Level] = []
    ) {
        self.name = name
        self.title = title
        self.subtitle = subtitle
        self.xLabel = xLabel
        self.xQuantity = xQuantity
        self.yLabel = yLabel
        self.yQuantity = yQuantity
        self.series = series
        self.levels = levels
    }
}

/// Lines through estimates with their intervals as bars; each series has its own colour, dash and
/// marker. A point with an unknown value breaks the line (it is not joined across).
public enum IntervalLineChart {
    public static func draw(_ d: IntervalLineChartData) -> Chart {
        let pts = d.series.flatMap(\.points)
        let xs = pts.map(\.x).filter(\.isFinite)
        let ys =
            pts.flatMap { [$0.estimate.value, $0.estimate.low, $0.estimate.high].compactMap { $0 } }.filter(\.isFinite)
            + d.levels.map(\.y)
        let xAxis = Axis(label: d.xLabel, quantity: d.xQuantity, lo: xs.min() ?? 0, hi: xs.max() ?? 1)
        let yAxis =
            d.yQuantity == .fraction
            ? Axis(label: d.yLabel, quantity: .fraction, lo: 0, hi: 1, ticks: 5, fixed: true)
            : Axis(label: d.yLabel, quantity: d.yQuantity, lo: min(0, ys.min() ?? 0), hi: ys.max() ?? 1)
        var legend = d.series.enumerated().map { i, s in
            LegendItem(key: .marker(colour: Palette.colour(i), marker: Palette.marker(i)), label: s.label)
        }
        legend.append(LegendItem(key: .line(Stroke(Palette.muted)), label: "bars: 95% interval"))
        for l in d.levels { legend.append(LegendItem(key: .line(.target), label: l.label)) }
        let frame = Frame(x: xAxis, y: yAxis, legend: legend)
        let x = frame.x
        let y = frame.y
        var c = frame.canvas(title: d.title, subtitle: d.subtitle)
        for l in d.levels where l.y.isFinite {
            c.line(x.pixelLo, y.map(l.y), x.pixelHi, y.map(l.y), stroke: .target, role: "target")
        }
        for (i, s) in d.series.enumerated() {
            let colour = Palette.colour(i)
            let sorted = s.points.filter(\.x.isFinite).sorted { $0.x < $1.x }
            var path = PathData()
            var open = false
            for p in sorted {
                if let v = p.estimate.value, v.isFinite {
                    open ? path.line(x.map(p.x), y.map(v)) : path.move(x.map(p.x), y.map(v))
                    open = true
                } else {
                    open = false
                }
            }
            c.path(path.d, stroke: Stroke(colour, width: 2, dash: Palette.dash(i)), role: "series", series: s.label)
            for p in sorted {
                let px0 = x.map(p.x)
                if let lo = p.estimate.low, let hi = p.estimate.high, lo.isFinite, hi.isFinite {
                    let bar = Stroke(colour, width: 1.2)
                    c.line(px0, y.map(lo), px0, y.map(hi), stroke: bar, role: "interval")
                    c.line(px0 - 4, y.map(lo), px0 + 4, y.map(lo), stroke: bar, role: "interval")
                    c.line(px0 - 4, y.map(hi), px0 + 4, y.map(hi), stroke: bar, role: "interval")
                }
                if let v = p.estimate.value, v.isFinite {
                    Marks.draw(&c, Palette.marker(i), x: px0, y: y.map(v), colour: colour)
                } else {
                    let style = TextStyle(size: 10, anchor: .middle, fill: Palette.muted)
                    c.text(px0, frame.bottom - 6, "unknown", style: style, role: "note")
                }
            }
        }
        frame.drawLegend(&c)
        let desc =
            "\(d.yLabel) against \(d.xLabel): " + d.series.map(\.label).joined(separator: ", ")
            + ", with 95% intervals as bars."
        return Chart(
            name: d.name, title: d.title, description: desc, svg: c.rendered(title: d.title, description: desc))
    }
}
