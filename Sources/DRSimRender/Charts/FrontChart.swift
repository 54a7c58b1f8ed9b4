import DRSimResults

/// The data of a Pareto front's scatter: each point's estimate of two objectives with their intervals,
/// and its place on the front over every objective.
public struct FrontChartData: Sendable {
    public struct Point: Sendable {
        /// What the point is called on the chart: its number in the sweep.
        public var label: String
        public var x: Estimate
        public var y: Estimate
        public var onFront: Bool
        /// The point an advice chose.
        public var chosen: Bool
        public init(label: String, x: Estimate, y: Estimate, onFront: Bool, chosen: Bool = false) {
            self.label = label
            self.x = x
            self.y = y
            self.onFront = onFront
            self.chosen = chosen
        }
    }
    public var name: String
    public var title: String
    public var subtitle: String
    public var xLabel: String
    public var xQuantity: Quantity
    public var yLabel: String
    public var yQuantity: Quantity
    public var points: [Point]
    /// What the front is over, for the description: "recovered_90_s p90, cost_per_month mean".
    public var over: String
    /// Whether the front is over these two objectives only: then its points are joined by a line; over
    /// more, a line in two of them would zigzag through points that other objectives put on the front.
    public var joined: Bool

    public init(
        name: String, title: String, subtitle: String, over: String, xLabel: String, xQuantity: Quantity,
        yLabel: String, yQuantity: Quantity, points: [Point], joined: Bool
    ) {
        self.name = name
        self.title = title
        self.subtitle = subtitle
        self.over = over
        self.xLabel = xLabel
        self.xQuantity = xQuantity
        self.yLabel = yLabel
        self.yQuantity = yQuantity
        self.points = points
        self.joined = joined
    }
}

/// A scatter of two objectives: every point with its 95% intervals as bars on both axes and its number
/// beside it, the points on the front in colour and joined by a line in the order of x, the dominated
/// ones faded, the chosen one ringed. A point with an unknown value on either axis is named in a note.
public enum FrontChart {
    /// The opacity of a dominated point.
    static let faded = 0.35

    public static func draw(_ d: FrontChartData) -> Chart {
        let known = d.points.filter { p in [p.x.value, p.y.value].allSatisfy { $0?.isFinite == true } }
        func range(_ e: [Estimate]) -> (Double, Double) {
            let v = e.flatMap { [$0.value, $0.low, $0.high].compactMap { $0 } }.filter(\.isFinite)
            return (v.min() ?? 0, v.max() ?? 1)
        }
        let (x0, x1) = range(known.map(\.x))
        let (y0, y1) = range(known.map(\.y))
        var legend = [
            LegendItem(
                key: .marker(colour: Palette.colour(1), marker: .circle),
                label: d.joined ? "on the front (joined)" : "on the front over every objective"),
            LegendItem(key: .line(Stroke(Palette.muted)), label: "dominated (faded); bars: 95% interval"),
        ]
        if d.points.contains(where: \.chosen) {
            legend.append(LegendItem(key: .line(Stroke(Palette.target, width: 2)), label: "ringed: chosen"))
        }
        let frame = Frame(
            x: Axis(label: d.xLabel, quantity: d.xQuantity, lo: x0, hi: x1),
            y: Axis(label: d.yLabel, quantity: d.yQuantity, lo: y0, hi: y1), legend: legend)
        var c = frame.canvas(title: d.title, subtitle: d.subtitle)
        let front = known.filter(\.onFront).sorted { ($0.x.value!, $0.y.value!) < ($1.x.value!, $1.y.value!) }
        var path = PathData()
        for (i, p) in front.enumerated() {
            let (px0, py0) = (frame.x.map(p.x.value!), frame.y.map(p.y.value!))
            i == 0 ? path.move(px0, py0) : path.line(px0, py0)
        }
        if d.joined { c.path(path.d, stroke: Stroke(Palette.colour(1), width: 2), role: "series", series: "front") }
        for p in known where !p.onFront { draw(p, on: &c, frame: frame) }
        for p in known where p.onFront { draw(p, on: &c, frame: frame) }
        let unknown = d.points.filter { p in !known.contains { $0.label == p.label } }.map(\.label)
        if !unknown.isEmpty {
            c.text(
                frame.x.pixelLo + 6, frame.top + 14, "unknown, not drawn: \(unknown.joined(separator: ", "))",
                style: TextStyle(size: 11, fill: Palette.muted), role: "note")
        }
        frame.drawLegend(&c)
        let desc =
            "\(d.yLabel) against \(d.xLabel) at each point, with 95% intervals as bars; the points on the Pareto "
            + "front over \(d.over) (\(front.map(\.label).joined(separator: ", ")))"
            + (d.joined ? " are joined" : " in colour") + ", the dominated ones faded."
        return Chart(
            name: d.name, title: d.title, description: desc, svg: c.rendered(title: d.title, description: desc))
    }

    /// One point: its interval bars, its marker and number; faded when dominated, ringed when chosen.
    private static func draw(_ p: FrontChartData.Point, on c: inout SVGCanvas, frame: Frame) {
        let (x, y) = (frame.x, frame.y)
        let (cx, cy) = (x.map(p.x.value!), y.map(p.y.value!))
        let colour = p.onFront ? Palette.colour(1) : Palette.muted
        c.raw("<g data-role=\"\(p.onFront ? "front" : "dominated")\"\(p.onFront ? "" : " opacity=\"\(faded)\"")>")
        let bar = Stroke(colour, width: 1.2)
        if let lo = p.x.low, let hi = p.x.high, lo.isFinite, hi.isFinite {
            c.line(x.map(lo), cy, x.map(hi), cy, stroke: bar, role: "interval")
        }
        if let lo = p.y.low, let hi = p.y.high, lo.isFinite, hi.isFinite {
            c.line(cx, y.map(lo), cx, y.map(hi), stroke: bar, role: "interval")
        }
        Marks.draw(&c, .circle, x: cx, y: cy, colour: colour)
        c.text(cx + 6, cy - 6, p.label, style: TextStyle(size: 10, fill: colour), role: "point-label")
        c.raw("</g>")
        if p.chosen {
            c.circle(cx, cy, r: 9, fill: "none", stroke: Palette.target)
            c.text(cx + 11, cy + 14, "chosen", style: TextStyle(size: 11, fill: Palette.target), role: "chosen")
        }
    }
}
