import Foundation

/// One distribution on a CDF chart: the values observed, and how many incidents never reached the
/// event before the horizon (right-censored).
public struct CDFSeries: Sendable {
    public var label: String
    /// Observed values in data units (non-finite values are ignored).
    public var values: [Double]
    /// Incidents in which the event did not happen before the horizon.
    public var censored: Int

    public init(label: String, values: [Double], censored: Int) {
        self.label = label
        self.values = values.filter(\.isFinite)
        self.censored = max(0, censored)
    }

    public var count: Int { values.count + censored }
}

/// A target drawn on a CDF: a vertical line at `value`, and, with a `level`, the share of incidents
/// that must be at or below it (for "p99 ≤ 900 s", value 900 and level 0.99).
public struct CDFTarget: Sendable {
    public var value: Double
    public var level: Double?
    public var label: String
    public init(value: Double, level: Double?, label: String) {
        self.value = value
        self.level = level
        self.label = label
    }
}

/// The data of an empirical-CDF chart.
public struct CDFChartData: Sendable {
    public var name: String
    public var title: String
    public var subtitle: String
    /// The x axis's name, without unit: "RTO".
    public var xLabel: String
    public var quantity: Quantity
    public var series: [CDFSeries]
    /// The end of observation (data units): censored incidents are known only to lie beyond it.
    public var horizon: Double?
    public var targets: [CDFTarget]
    /// Values marked across the plot (zero, a mean with its interval).
    public var markers: [Marker]
    /// Confidence of the simultaneous band (Dvoretzky–Kiefer–Wolfowitz).
    public var confidence: Double

    public init(
        name: String, title: String, subtitle: String, xLabel: String, quantity: Quantity, series: [CDFSeries],
        horizon: Double?, targets: [CDFTarget] = [], markers: [Marker] = [], confidence: Double = 0.95
    ) {
        self.name = name
        self.title = title
        self.subtitle = subtitle
        self.xLabel = xLabel
        self.quantity = quantity
        self.series = series
        self.horizon = horizon
        self.targets = targets
        self.markers = markers
        self.confidence = confidence
    }
}

/// The empirical CDF with a Dvoretzky–Kiefer–Wolfowitz confidence band and honest censoring.
///
/// F̂(x) is the share of all incidents (censored ones included in the denominator) whose value is at
/// most x. Censored incidents never reach the event before the horizon, so the curve runs flat to the
/// horizon and stops there below 1; the gap is drawn and labelled with the censored share. The band is
/// F̂ ± ε with ε = √(ln(2/α) / 2n) (Massart's constant), clipped to [0, 1]: with probability at least
/// 1 − α it holds the true CDF at every x at once, below the horizon. It is exact for any distribution,
/// discrete or not, which drsim's metrics often are (many incidents recover at the same second).
public enum CDFChart {
    /// Half-width of the DKW band for `n` incidents at confidence `confidence`.
    public static func dkwEpsilon(n: Int, confidence: Double) -> Double {
        guard n > 0 else { return 1 }
        return (log(2 / (1 - confidence)) / (2 * Double(n))).squareRoot()
    }

    public static func draw(_ d: CDFChartData) -> Chart {
        let (lo, hi) = xRange(d)
        let xAxis = Axis(label: d.xLabel, quantity: d.quantity, lo: lo, hi: hi)
        let yAxis = Axis(
            label: "share of incidents at or below", quantity: .fraction, lo: 0, hi: 1, ticks: 5,
            fixed: true)
        let frame = Frame(x: xAxis, y: yAxis, legend: legend(d))
        var c = frame.canvas(title: d.title, subtitle: d.subtitle)
        var notes: [String] = []
        frame.drawMarkers(&c, d.markers)
        for (i, s) in d.series.enumerated() where s.count > 0 {
            let plot = CDFPlot(s, index: i, frame: frame, from: lo, d)
            plot.drawBand(on: &c)
            plot.drawCurve(on: &c)
            if let note = plot.drawCensored(on: &c) { notes.append(note) }
            if s.values.isEmpty { plot.drawNoneReached(on: &c) }
        }
        for t in d.targets where t.value.isFinite { drawTarget(t, frame, on: &c) }
        frame.drawLegend(&c)
        let desc = description(d, notes: notes)
        return Chart(
            name: d.name, title: d.title, description: desc,
            svg: c.rendered(title: d.title, description: desc))
    }

    /// Series `i`'s curve (and legend key).
    static func stroke(_ i: Int) -> Stroke { Stroke(Palette.colour(i), width: 2, dash: Palette.dash(i)) }

    /// The x axis's data range: every value observed, 0, the horizon if an incident is censored there,
    /// and every target and marker.
    private static func xRange(_ d: CDFChartData) -> (lo: Double, hi: Double) {
        let observed = d.series.flatMap(\.values)
        var hi = observed.max() ?? 0
        var lo = min(0, observed.min() ?? 0)
        if d.series.contains(where: { $0.censored > 0 }), let h = d.horizon, h.isFinite { hi = max(hi, h) }
        let marked = d.targets.map(\.value) + d.markers.flatMap { [$0.x, $0.low, $0.high].compactMap { $0 } }
        for v in marked where v.isFinite {
            hi = max(hi, v)
            lo = min(lo, v)
        }
        return (lo, hi)
    }

    /// A line per series with its count, the band (its half-width when there is one series), the
    /// targets and the markers.
    private static func legend(_ d: CDFChartData) -> [LegendItem] {
        var legend = d.series.enumerated().map { i, s in
            LegendItem(key: .line(stroke(i)), label: "\(s.label), n = \(s.count)")
        }
        if let first = d.series.first(where: { $0.count > 0 }) {
            let eps = dkwEpsilon(n: first.count, confidence: d.confidence)
            let label =
                "\(percent(d.confidence))% DKW band"
                + (d.series.count == 1 ? String(format: " (±%.3f)", eps) : "s")
            legend.append(LegendItem(key: .band(Fill(Palette.band, opacity: 0.3)), label: label))
        }
        for t in d.targets { legend.append(LegendItem(key: .line(.target), label: t.label)) }
        return legend + Frame.markerLegend(d.markers)
    }

    /// A target's value as a vertical line, its level (if any) as a horizontal one up to it, and its label
    /// at the top, on the side where it fits.
    private static func drawTarget(_ t: CDFTarget, _ frame: Frame, on c: inout SVGCanvas) {
        let x = frame.x
        let tx = x.map(t.value)
        c.line(tx, frame.top, tx, frame.bottom, stroke: .target, role: "target")
        if let level = t.level, level.isFinite {
            let y = frame.y.map(level)
            c.line(x.pixelLo, y, tx, y, stroke: Stroke(Palette.target, dash: "6 4"), role: "target-level")
        }
        let right = tx + 4 + SVGCanvas.textWidth(t.label, size: 11) <= x.pixelHi
        c.text(
            right ? tx + 4 : tx - 4, frame.top + 12, t.label,
            style: TextStyle(size: 11, anchor: right ? .start : .end, fill: Palette.target), role: "target-label")
    }

    private static func description(_ d: CDFChartData, notes: [String]) -> String {
        let eps = d.series.first.map { dkwEpsilon(n: $0.count, confidence: d.confidence) } ?? 1
        return "Empirical CDF of " + d.series.map { "\($0.label) over \($0.count) incidents" }.joined(separator: "; ")
            + String(format: ". Shaded: %d%% Dvoretzky–Kiefer–Wolfowitz band (±%.3f). ", percent(d.confidence), eps)
            + notes.joined(separator: "; ")
            + (d.markers.isEmpty ? "" : " Marked: " + d.markers.map(\.label).joined(separator: "; ") + ".")
    }

    /// A confidence as a whole percentage.
    private static func percent(_ confidence: Double) -> Int { Int((confidence * 100).rounded()) }
}

/// One series of a CDF chart on its frame: F̂ as steps in pixels, from the x axis's low end to the last
/// value observed, or to the horizon when some incidents are censored.
private struct CDFPlot {
    let s: CDFSeries
    /// The series's place: its colour and dash.
    let i: Int
    let frame: Frame
    let horizon: Double?
    /// Half-width of the series's band.
    let eps: Double
    /// Breakpoints: pixel x and F̂ after the step, merged per half pixel.
    let steps: [(px: Double, f: Double)]
    let startPx: Double
    let endPx: Double
    /// F̂ at the end: the share of incidents observed.
    let endF: Double

    init(_ s: CDFSeries, index i: Int, frame: Frame, from lo: Double, _ d: CDFChartData) {
        let x = frame.x
        let n = Double(s.count)
        var steps: [(px: Double, f: Double)] = []
        var k = 0
        for v in s.values.sorted() {
            k += 1
            let p = x.map(v)
            let f = Double(k) / n
            if let last = steps.last, abs(last.px - p) < 0.5 {
                steps[steps.count - 1].f = f
            } else {
                steps.append((p, f))
            }
        }
        self.s = s
        self.i = i
        self.frame = frame
        horizon = d.horizon
        eps = CDFChart.dkwEpsilon(n: s.count, confidence: d.confidence)
        self.steps = steps
        endF = Double(s.values.count) / n
        endPx = s.censored > 0 ? x.map(d.horizon ?? s.values.max() ?? 0) : (steps.last?.px ?? x.pixelLo)
        startPx = x.map(lo)
    }

    /// The DKW band, F̂ ± eps clipped to [0, 1]: the upper edge forward, the lower edge back.
    func drawBand(on c: inout SVGCanvas) {
        let y = frame.y
        var band = PathData()
        band.move(startPx, y.map(min(1, eps)))
        for st in steps {
            band.horizontal(st.px)
            band.vertical(y.map(min(1, st.f + eps)))
        }
        band.horizontal(max(endPx, steps.last?.px ?? startPx))
        band.vertical(y.map(max(0, endF - eps)))
        for j in stride(from: steps.count - 1, through: 0, by: -1) {
            band.horizontal(steps[j].px)
            band.vertical(y.map(max(0, (j > 0 ? steps[j - 1].f : 0) - eps)))
        }
        band.horizontal(startPx)
        band.close()
        let colour = Palette.colour(i) == "#000000" ? Palette.band : Palette.colour(i)
        c.path(band.d, fill: Fill(colour, opacity: 0.22), role: "band", series: s.label)
    }

    /// F̂, running flat to the end when some incidents are censored.
    func drawCurve(on c: inout SVGCanvas) {
        let y = frame.y
        var curve = PathData()
        curve.move(startPx, y.map(0))
        for st in steps {
            curve.horizontal(st.px)
            curve.vertical(y.map(st.f))
        }
        if s.censored > 0 { curve.horizontal(endPx) }
        c.path(curve.d, stroke: CDFChart.stroke(i), role: "series", series: s.label)
    }

    /// The censored gap, from F̂'s end up to 1, dotted and labelled with the censored share; the label is
    /// returned for the chart's description. Nil, and nothing drawn, if no incident is censored.
    func drawCensored(on c: inout SVGCanvas) -> String? {
        guard s.censored > 0 else { return nil }
        let x = frame.x
        let y = frame.y
        let share = Double(s.censored) / Double(s.count)
        c.line(
            endPx, y.map(endF), endPx, y.map(1), stroke: Stroke(Palette.colour(i), width: 1.5, dash: "1 3"),
            role: "censored")
        c.circle(endPx, y.map(endF), r: 3.5, fill: "#ffffff", stroke: Palette.colour(i))
        let when = horizon.map { "by the \(x.valueText($0)) horizon" } ?? "before the end"
        let text = String(format: "%.1f%% never reached %@ (%d of %d)", 100 * share, when, s.censored, s.count)
        let labelY = y.map(endF + share / 2) + 4 + Double(i) * 14
        let w = SVGCanvas.textWidth(text, size: 11)
        if endPx - 6 - w >= x.pixelLo {
            c.text(
                endPx - 6, labelY, text, style: TextStyle(size: 11, anchor: .end, fill: Palette.colour(i)),
                role: "censored-label")
        } else {
            c.text(
                min(endPx + 6, x.pixelHi - w), labelY, text, style: TextStyle(size: 11, fill: Palette.colour(i)),
                role: "censored-label")
        }
        return "\(s.label): " + text
    }

    /// Said in the middle of the plot when no incident of the series reached the event.
    func drawNoneReached(on c: inout SVGCanvas) {
        c.text(
            (frame.x.pixelLo + frame.x.pixelHi) / 2, frame.y.map(0.5),
            "\(s.label): no incident reached it before the horizon",
            style: TextStyle(anchor: .middle, fill: Palette.muted), role: "note")
    }
}
