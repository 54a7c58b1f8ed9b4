/// A vertical line marking a moment (fault start, detection) or a value (zero, a mean) with its label;
/// with `low` and `high`, its interval is shaded.
public struct Marker: Sendable {
    public var x: Double
    public var label: String
    public var low: Double?
    public var high: Double?
    /// The interval's legend entry.
    public var intervalLabel: String?
    public init(x: Double, label: String, low: Double? = nil, high: Double? = nil, intervalLabel: String? = nil) {
        self.x = x
        self.label = label
        self.low = low
        self.high = high
        self.intervalLabel = intervalLabel
    }
}

/// A horizontal target line (the SLO's success target, a target p99).
public struct Level: Sendable {
    public var y: Double
    public var label: String
    public init(y: Double, label: String) {
        self.y = y
        self.label = label
    }
}

/// The data of a band chart over time: a central line, a band around it, optional extra lines, moments
/// marked, and target levels.
public struct TimelineChartData: Sendable {
    public struct Line: Sendable {
        public var label: String
        public var y: [Double]
        public init(label: String, y: [Double]) {
            self.label = label
            self.y = y
        }
    }
    public var name: String
    public var title: String
    public var subtitle: String
    public var xLabel: String
    public var xQuantity: Quantity
    public var yLabel: String
    public var yQuantity: Quantity
    public var x: [Double]
    /// The central line first, then any others (drawn dashed or dotted).
    public var lines: [Line]
    public var bandLabel: String
    public var bandLow: [Double]
    public var bandHigh: [Double]
    public var markers: [Marker]
    public var levels: [Level]

    public init(
        name: String, title: String, subtitle: String, xLabel: String, xQuantity: Quantity, yLabel: String,
        yQuantity: Quantity, x: [Double], lines: [Line], bandLabel: String, bandLow: [Double], bandHigh: [Double],
        markers: [Marker] = [], levels: [Level] = []
    ) {
        self.name = name
        self.title = title
        self.subtitle = subtitle
        self.xLabel = xLabel
        self.xQuantity = xQuantity
        self.yLabel = yLabel
        self.yQuantity = yQuantity
        self.x = x
        self.lines = lines
        self.bandLabel = bandLabel
        self.bandLow = bandLow
        self.bandHigh = bandHigh
        self.markers = markers
        self.levels = levels
    }
}

/// Lines and a band over time, such as the success fraction's median and 5th–95th percentiles.
public enum TimelineChart {
    static let bandFill = Fill(Palette.colour(1), opacity: 0.22)

    /// Line `i`'s stroke: the first in the band's colour, solid and wider; the others in colours and dashes
    /// of their own.
    static func lineStroke(_ i: Int) -> Stroke {
        i == 0
            ? Stroke(Palette.colour(1), width: 2)
            : Stroke(Palette.colour(i + 2), width: 1.5, dash: Palette.dash(i + 1))
    }

    public static func draw(_ d: TimelineChartData) -> Chart {
        // Only points where x and every drawn value are finite.
        let n = ([d.x.count, d.bandLow.count, d.bandHigh.count] + d.lines.map(\.y.count)).min() ?? 0
        let rows = (0..<n).filter { i in
            d.x[i].isFinite && d.bandLow[i].isFinite && d.bandHigh[i].isFinite
                && d.lines.allSatisfy { $0.y[i].isFinite }
        }
        let xs = rows.map { d.x[$0] }
        let xAxis = Axis(label: d.xLabel, quantity: d.xQuantity, lo: xs.min() ?? 0, hi: xs.max() ?? 1)
        let fractions = d.yQuantity == .fraction
        let ys = rows.flatMap { i in [d.bandLow[i], d.bandHigh[i]] + d.lines.map { $0.y[i] } } + d.levels.map(\.y)
        let yAxis =
            fractions
            ? Axis(label: d.yLabel, quantity: .fraction, lo: 0, hi: 1, ticks: 5, fixed: true)
            : Axis(label: d.yLabel, quantity: d.yQuantity, lo: min(0, ys.min() ?? 0), hi: ys.max() ?? 1)
        var legend = d.lines.indices.map { LegendItem(key: .line(lineStroke($0)), label: d.lines[$0].label) }
        legend.append(LegendItem(key: .band(bandFill), label: d.bandLabel))
        for l in d.levels { legend.append(LegendItem(key: .line(.target), label: l.label)) }
        legend += Frame.markerLegend(d.markers)
        let frame = Frame(x: xAxis, y: yAxis, legend: legend)
        let x = frame.x
        let y = frame.y
        var c = frame.canvas(title: d.title, subtitle: d.subtitle)

        if !rows.isEmpty {
            let high = simplified(rows.map { (x.map(d.x[$0]), y.map(d.bandHigh[$0])) })
            let low = simplified(rows.map { (x.map(d.x[$0]), y.map(d.bandLow[$0])) })
            var band = PathData()
            for (j, p) in high.enumerated() { j == 0 ? band.move(p.x, p.y) : band.line(p.x, p.y) }
            for p in low.reversed() { band.line(p.x, p.y) }
            band.close()
            c.path(band.d, fill: bandFill, role: "band", series: d.bandLabel)
            for (i, l) in d.lines.enumerated().reversed() {
                var path = PathData()
                for (j, p) in simplified(rows.map { (x.map(d.x[$0]), y.map(l.y[$0])) }).enumerated() {
                    j == 0 ? path.move(p.x, p.y) : path.line(p.x, p.y)
                }
                c.path(path.d, stroke: lineStroke(i), role: "series", series: l.label)
            }
        } else {
            c.text(
                (x.pixelLo + x.pixelHi) / 2, (frame.top + frame.bottom) / 2, "no data",
                style: TextStyle(anchor: .middle, fill: Palette.muted), role: "note")
        }
        for l in d.levels where l.y.isFinite {
            let py = y.map(l.y)
            c.line(x.pixelLo, py, x.pixelHi, py, stroke: .target, role: "target")
        }
        frame.drawMarkers(&c, d.markers)
        frame.drawLegend(&c)
        let desc =
            "\(d.lines.first?.label ?? "line") of \(d.yLabel) over \(d.xLabel) with the \(d.bandLabel) band"
            + (d.markers.isEmpty ? "" : "; marked: " + d.markers.map(\.label).joined(separator: ", "))
            + (d.levels.isEmpty ? "" : "; " + d.levels.map(\.label).joined(separator: ", "))
        return Chart(
            name: d.name, title: d.title, description: desc, svg: c.rendered(title: d.title, description: desc))
    }
}
