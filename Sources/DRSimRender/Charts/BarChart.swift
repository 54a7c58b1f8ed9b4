/// The data of a horizontal bar chart: named rows, each a set of segments along a value axis, every
/// segment belonging to a series (its colour and legend entry). Stacked bars (an RTO split into its
/// stages) and tornado bars (a statistic at each end of an assumption's range, from the base value)
/// are both of this shape.
public struct BarChartData: Sendable {
    public struct Series: Sendable {
        public var label: String
        /// A fill, `#rrggbb` (from `Palette.fills`).
        public var colour: String
        public init(label: String, colour: String) {
            self.label = label
            self.colour = colour
        }
    }

    /// One bar piece from `from` to `to` (data units, either order).
    public struct Segment: Sendable {
        public var from: Double
        public var to: Double
        /// Index into `series`.
        public var series: Int
        /// Written inside the segment when it fits, or, with `outside`, beyond its `to` end.
        public var label: String?
        public var outside: Bool
        /// Which of the row's lanes (thinner bars one above the other) it is drawn in: a tornado draws the
        /// low end in lane 0 and the high end in lane 1, so that neither hides the other.
        public var lane: Int
        public init(from: Double, to: Double, series: Int, label: String? = nil, outside: Bool = false, lane: Int = 0) {
            self.from = from
            self.to = to
            self.series = series
            self.label = label
            self.outside = outside
            self.lane = max(0, lane)
        }
    }

    public struct Row: Sendable {
        public var label: String
        public var segments: [Segment]
        /// Said after the row's bar, or in its place: "not recovered by the horizon". Left out of the
        /// drawing when it does not fit, but always in the chart's description.
        public var note: String?
        public init(label: String, segments: [Segment], note: String? = nil) {
            self.label = label
            self.segments = segments
            self.note = note
        }
    }

    public var name: String
    public var title: String
    public var subtitle: String
    /// The value axis's name, without unit.
    public var xLabel: String
    public var quantity: Quantity
    /// What the rows are: "rank of rto_s", "assumption".
    public var yLabel: String
    public var series: [Series]
    /// Top row first.
    public var rows: [Row]
    /// Values marked across the plot (a base value).
    public var markers: [Marker]

    public init(
        name: String, title: String, subtitle: String, xLabel: String, quantity: Quantity, yLabel: String,
        series: [Series], rows: [Row], markers: [Marker] = []
    ) {
        self.name = name
        self.title = title
        self.subtitle = subtitle
        self.xLabel = xLabel
        self.quantity = quantity
        self.yLabel = yLabel
        self.series = series
        self.rows = rows
        self.markers = markers
    }
}

/// Horizontal bars on a value axis with nice ticks. Each series is one path (a rectangle per segment),
/// so a series is one element whatever the number of rows; segments are separated by a white edge, and
/// labelled with their value where they are wide enough. Series with no segment are left out of the
/// legend. Non-finite segment ends are dropped.
public enum BarChart {
    public static func draw(_ d: BarChartData) -> Chart {
        let segments = d.rows.flatMap(\.segments).filter(d.isDrawn)
        let used = d.series.indices.filter { i in segments.contains { $0.series == i } }
        let legend =
            used.map {
                LegendItem(key: .band(Fill(d.series[$0].colour, opacity: 1)), label: d.series[$0].label)
            } + Frame.markerLegend(d.markers)
        let bars = Bars(d, segments: segments, legend: legend)
        var c = bars.frame.canvas(title: d.title, subtitle: d.subtitle)
        for i in used { bars.drawSeries(i, on: &c) }
        for r in d.rows.indices {
            bars.drawSegmentLabels(ofRow: r, on: &c)
            bars.drawNote(ofRow: r, on: &c)
        }
        // Marked values are named in the legend: a label at the top would cover the first row.
        bars.frame.drawMarkers(&c, d.markers, labelled: false)
        bars.frame.drawLegend(&c)
        let desc = description(d, series: used)
        return Chart(
            name: d.name, title: d.title, description: desc,
            svg: c.rendered(title: d.title, description: desc))
    }

    /// The rows with their notes, the series drawn and the values marked.
    private static func description(_ d: BarChartData, series used: [Int]) -> String {
        "Bars of \(d.xLabel) by \(d.yLabel): "
            + d.rows.map { $0.label + ($0.note.map { " (\($0))" } ?? "") }.joined(separator: ", ") + "; segments: "
            + used.map { d.series[$0].label }.joined(separator: ", ")
            + (d.markers.isEmpty ? "" : "; marked: " + d.markers.map(\.label).joined(separator: ", ")) + "."
    }
}

extension BarChartData {
    /// Whether a segment is drawn: both its ends are finite and its series is one of `series`.
    func isDrawn(_ s: Segment) -> Bool { s.from.isFinite && s.to.isFinite && series.indices.contains(s.series) }
}

/// A bar chart laid out: a frame with a category row per bar, each bar split into lanes one above the other.
private struct Bars {
    let d: BarChartData
    let frame: Frame
    /// A bar's height, and one lane's [px].
    let barHeight: Double
    let laneHeight: Double

    /// Rows are taller with more lanes, shorter when there are many; the left margin fits the row names.
    init(_ d: BarChartData, segments: [BarChartData.Segment], legend: [LegendItem]) {
        let values = segments.flatMap { [$0.from, $0.to] } + d.markers.map(\.x).filter(\.isFinite)
        let xAxis = Axis(label: d.xLabel, quantity: d.quantity, lo: min(0, values.min() ?? 0), hi: values.max() ?? 1)
        let yAxis = Axis(label: d.yLabel, quantity: .plain(""), lo: 0, hi: Double(max(1, d.rows.count)), fixed: true)
        let widest = d.rows.map { SVGCanvas.textWidth($0.label, size: 11) }.max() ?? 0
        let lanes = (segments.map(\.lane).max() ?? 0) + 1
        let rowHeight = lanes > 1 ? 18.0 * Double(lanes) : d.rows.count > 8 ? 26.0 : 36.0
        self.d = d
        frame = Frame(
            x: xAxis, y: yAxis, legend: legend, plotHeight: max(90, rowHeight * Double(d.rows.count)),
            left: min(300, max(72, widest + 40)), categories: d.rows.map(\.label))
        barHeight = frame.rowHeight * (lanes > 1 ? 0.8 : 0.62)
        laneHeight = barHeight / Double(lanes)
    }

    /// The middle of lane `lane` of row `r` [px].
    func middle(_ r: Int, _ lane: Int) -> Double {
        frame.rowMiddle(r) - barHeight / 2 + laneHeight * (Double(lane) + 0.5)
    }

    /// Series `i` as one path: a rectangle per segment of it, in every row.
    func drawSeries(_ i: Int, on c: inout SVGCanvas) {
        let x = frame.x
        var path = PathData()
        for (r, row) in d.rows.enumerated() {
            for s in row.segments where s.series == i && s.from.isFinite && s.to.isFinite {
                let (a, b) = (x.map(min(s.from, s.to)), x.map(max(s.from, s.to)))
                let top = middle(r, s.lane) - laneHeight / 2
                path.move(a, top)
                path.horizontal(b)
                path.vertical(top + laneHeight)
                path.horizontal(a)
                path.close()
            }
        }
        c.path(
            path.d, stroke: Stroke("#ffffff"), fill: Fill(d.series[i].colour), role: "series",
            series: d.series[i].label)
    }

    /// The labels of row `r`'s segments: inside a segment where it is wide enough; an `outside` one beyond
    /// its `to` end, or inside that end where the plot ends first.
    func drawSegmentLabels(ofRow r: Int, on c: inout SVGCanvas) {
        let x = frame.x
        for s in d.rows[r].segments where d.isDrawn(s) {
            guard let label = s.label else { continue }
            let mid = middle(r, s.lane) + 0.5
            let (a, b) = (x.map(s.from), x.map(s.to))
            let w = SVGCanvas.textWidth(label, size: 10)
            if s.outside {
                let after = b >= a
                let fits = after ? b + 4 + w <= x.pixelHi : b - 4 - w >= x.pixelLo
                let rightOfEnd = fits == after
                c.text(
                    rightOfEnd ? b + 4 : b - 4, mid + 3, label,
                    style: TextStyle(size: 10, anchor: rightOfEnd ? .start : .end), role: "segment-label")
            } else if abs(b - a) >= w + 6 {
                let ink = Palette.isDark(d.series[s.series].colour) ? "#ffffff" : Palette.ink
                c.text(
                    (a + b) / 2, mid + 3, label, style: TextStyle(size: 10, anchor: .middle, fill: ink),
                    role: "segment-label")
            }
        }
    }

    /// Row `r`'s note, after its bar where it fits (the chart's description has it in any case).
    func drawNote(ofRow r: Int, on c: inout SVGCanvas) {
        guard let note = d.rows[r].note else { return }
        let x = frame.x
        let ends = d.rows[r].segments.filter { $0.from.isFinite && $0.to.isFinite }.map { x.map(max($0.from, $0.to)) }
        let end = ends.max() ?? x.pixelLo
        if end + 6 + SVGCanvas.textWidth(note, size: 11) <= x.pixelHi {
            c.text(end + 6, frame.rowMiddle(r) + 4, note, style: TextStyle(size: 11, fill: Palette.muted), role: "note")
        }
    }
}
