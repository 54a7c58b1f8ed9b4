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

    public init(name: String, title: String, subtitle: String, xLabel: String, quantity: Quantity, series: [CDFSeries],
                horizon: Double?, targets: [CDFTarget] = [], markers: [Marker] = [], confidence: Double = 0.95) {
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
        let observed = d.series.flatMap(\.values)
        let anyCensored = d.series.contains { $0.censored > 0 }
        var hi = observed.max() ?? 0
        var lo = min(0, observed.min() ?? 0)
        if anyCensored, let h = d.horizon, h.isFinite { hi = max(hi, h) }
        for v in d.targets.map(\.value) + d.markers.flatMap({ [$0.x, $0.low, $0.high].compactMap { $0 } }) where v.isFinite {
            hi = max(hi, v)
            lo = min(lo, v)
        }
        let xAxis = Axis(label: d.xLabel, quantity: d.quantity, lo: lo, hi: hi)
        let yAxis = Axis(label: "share of incidents at or below", quantity: .fraction, lo: 0, hi: 1, ticks: 5, fixed: true)
        let pct = Int((d.confidence * 100).rounded())
        var legend: [LegendItem] = []
        for (i, s) in d.series.enumerated() {
            legend.append(LegendItem(key: .line(Stroke(Palette.colour(i), width: 2, dash: Palette.dash(i))),
                                     label: "\(s.label), n = \(s.count)"))
        }
        if let first = d.series.first(where: { $0.count > 0 }) {
            let eps = dkwEpsilon(n: first.count, confidence: d.confidence)
            legend.append(LegendItem(key: .band(Fill(Palette.band, opacity: 0.3)),
                                     label: "\(pct)% DKW band" + (d.series.count == 1 ? String(format: " (±%.3f)", eps) : "s")))
        }
        for t in d.targets { legend.append(LegendItem(key: .line(.target), label: t.label)) }
        legend += Frame.markerLegend(d.markers)
        let frame = Frame(x: xAxis, y: yAxis, legend: legend)
        let x = frame.x, y = frame.y
        var c = frame.canvas(title: d.title, subtitle: d.subtitle)
        var notes: [String] = []
        frame.drawMarkers(&c, d.markers)

        for (i, s) in d.series.enumerated() where s.count > 0 {
            let n = Double(s.count)
            let eps = dkwEpsilon(n: s.count, confidence: d.confidence)
            // Breakpoints (pixel, F̂ after the step), merged per half pixel.
            var steps: [(px: Double, f: Double)] = []
            var k = 0
            for v in s.values.sorted() {
                k += 1
                let p = x.map(v), f = Double(k) / n
                if let last = steps.last, abs(last.px - p) < 0.5 { steps[steps.count - 1].f = f } else { steps.append((p, f)) }
            }
            let endF = Double(s.values.count) / n
            let endPx = s.censored > 0 ? x.map(d.horizon ?? s.values.max() ?? 0) : (steps.last?.px ?? x.pixelLo)
            let startPx = x.map(lo)
            // Band: the upper edge forward, the lower edge back.
            var band = PathData()
            band.move(startPx, y.map(min(1, eps)))
            for st in steps { band.horizontal(st.px); band.vertical(y.map(min(1, st.f + eps))) }
            band.horizontal(max(endPx, steps.last?.px ?? startPx))
            band.vertical(y.map(max(0, endF - eps)))
            for j in stride(from: steps.count - 1, through: 0, by: -1) {
                band.horizontal(steps[j].px)
                band.vertical(y.map(max(0, (j > 0 ? steps[j - 1].f : 0) - eps)))
            }
            band.horizontal(startPx)
            band.close()
            c.path(band.d, fill: Fill(Palette.colour(i) == "#000000" ? Palette.band : Palette.colour(i), opacity: 0.22),
                   role: "band", series: s.label)
            // The curve.
            var curve = PathData()
            curve.move(startPx, y.map(0))
            for st in steps { curve.horizontal(st.px); curve.vertical(y.map(st.f)) }
            if s.censored > 0 { curve.horizontal(endPx) }
            c.path(curve.d, stroke: Stroke(Palette.colour(i), width: 2, dash: Palette.dash(i)), role: "series",
                   series: s.label)
            if s.censored > 0 {
                let share = Double(s.censored) / n
                c.line(endPx, y.map(endF), endPx, y.map(1), stroke: Stroke(Palette.colour(i), width: 1.5, dash: "1 3"),
                       role: "censored")
                c.circle(endPx, y.map(endF), r: 3.5, fill: "#ffffff", stroke: Palette.colour(i))
                let when = d.horizon.map { "by the \(x.valueText($0)) horizon" } ?? "before the end"
                let text = String(format: "%.1f%% never reached %@ (%d of %d)", 100 * share, when, s.censored, s.count)
                notes.append("\(s.label): " + text)
                let labelY = y.map(endF + share / 2) + 4 + Double(i) * 14
                let w = SVGCanvas.textWidth(text, size: 11)
                if endPx - 6 - w >= x.pixelLo {
                    c.text(endPx - 6, labelY, text, style: TextStyle(size: 11, anchor: .end, fill: Palette.colour(i)),
                           role: "censored-label")
                } else {
                    c.text(min(endPx + 6, x.pixelHi - w), labelY, text,
                           style: TextStyle(size: 11, fill: Palette.colour(i)), role: "censored-label")
                }
            }
            if s.values.isEmpty {
                c.text((x.pixelLo + x.pixelHi) / 2, y.map(0.5), "\(s.label): no incident reached it before the horizon",
                       style: TextStyle(anchor: .middle, fill: Palette.muted), role: "note")
            }
        }
        for t in d.targets where t.value.isFinite {
            let tx = x.map(t.value)
            c.line(tx, frame.top, tx, frame.bottom, stroke: .target, role: "target")
            if let level = t.level, level.isFinite {
                c.line(x.pixelLo, y.map(level), tx, y.map(level), stroke: Stroke(Palette.target, dash: "6 4"),
                       role: "target-level")
            }
            let w = SVGCanvas.textWidth(t.label, size: 11)
            c.text(tx + 4 + w > x.pixelHi ? tx - 4 : tx + 4, frame.top + 12, t.label,
                   style: TextStyle(size: 11, anchor: tx + 4 + w > x.pixelHi ? .end : .start, fill: Palette.target),
                   role: "target-label")
        }
        frame.drawLegend(&c)
        let eps = d.series.first.map { dkwEpsilon(n: $0.count, confidence: d.confidence) } ?? 1
        let desc = "Empirical CDF of " + d.series.map { "\($0.label) over \($0.count) incidents" }.joined(separator: "; ")
            + String(format: ". Shaded: %d%% Dvoretzky–Kiefer–Wolfowitz band (±%.3f). ", pct, eps) + notes.joined(separator: "; ")
            + (d.markers.isEmpty ? "" : " Marked: " + d.markers.map(\.label).joined(separator: "; ") + ".")
        return Chart(name: d.name, title: d.title, description: desc, svg: c.rendered(title: d.title, description: desc))
    }
}
