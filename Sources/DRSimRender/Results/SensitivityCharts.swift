import DRSimResults
import Foundation

/// A sensitivity study's charts (docs/config.md, "Sensitivity"): one tornado per statistic, a row per
/// assumption, most influential first, with bars from the base value to the statistic at the low and
/// at the high end of the assumption's range, from sensitivity.csv.
public enum SensitivityCharts {
    public static func all(_ f: SensitivityFolder) -> (charts: [Chart], skipped: [String]) {
        (f.statistics.map { tornado(f, $0) }, [])
    }

    /// The statistic's quantity: a share for `censored`, else its metric's unit.
    static func quantity(_ statistic: String) -> Quantity {
        let parts = statistic.split(separator: ":").map(String.init)
        return parts.last == "censored" ? .fraction : Quantity.of(unit: Metric.unit(of: parts.first ?? ""))
    }

    /// A value as the table shows it: `≥` where it lies among censored incidents (at the horizon).
    static func show(_ f: SensitivityFolder, _ v: Double?, row: Int) -> String {
        guard let v else { return "(as base)" }
        let atHorizon = f.number(row, "lower_bound") == 1 && f.document.horizon.map { v >= $0 } == true
        return (atHorizon ? "≥" : "") + SummaryFormat.short(v)
    }

    static func tornado(_ f: SensitivityFolder, _ statistic: String) -> Chart {
        let rows = f.rows(statistic)
        let base = rows.first.flatMap { f.number($0, "base") }
        let unit = quantity(statistic) == .seconds ? " s" : ""
        let bars = rows.map { r -> BarChartData.Row in
            let segments = [("at_low", 0), ("at_high", 1)].compactMap { column, series -> BarChartData.Segment? in
                guard let base, let v = f.number(r, column) else { return nil }
                return .init(
                    from: base, to: v, series: series, label: show(f, v, row: r) + unit, outside: true, lane: series)
            }
            return .init(
                label: f.text(r, "assumption"), segments: segments,
                note: segments.isEmpty ? "as base at both ends" : nil)
        }
        let data = BarChartData(
            name: "tornado-\(statistic.replacingOccurrences(of: ":", with: "-"))",
            title: "\(f.name): what moves \(statistic)",
            subtitle: "each assumption at the ends of its range, one at a time; "
                + "\(f.document.replications.map(String.init) ?? "?") incidents each, seed \(f.document.seed)",
            xLabel: statistic, quantity: quantity(statistic), yLabel: "assumption, by swing",
            series: [
                .init(label: "at the low end of the range", colour: Palette.fill(0)),
                .init(label: "at the high end of the range", colour: Palette.fill(1)),
            ],
            rows: bars, markers: base.map { [Marker(x: $0, label: "base \(show(f, $0, row: rows[0]))\(unit)")] } ?? [])
        return BarChart.draw(data)
    }

    /// How to read a tornado.
    static let caption =
        "Each row is one assumption moved over its plausible range with everything else as in the config, on the same "
            + "incidents: "
        + "the bars run from the base value (the line) to the statistic at the low end and at the high end of the "
            + "range; rows are sorted by swing, "
        + "so the assumptions that decide the number come first. An assumption whose end the config already sits at, "
            + "or refuses, has no bar on "
        + "that side. A '≥' value lies among incidents that never recovered by the horizon (a lower bound). The "
            + "ranges and the reasons for them are in the table above and in sensitivity.csv."
}
