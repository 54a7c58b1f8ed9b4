import DRSimResults
import Foundation

/// A comparison's charts (docs/config.md, "Reports and charts"): for each main metric, the empirical
/// CDF of the per-incident difference B − A, from `a/replications.csv` and `b/replications.csv`, with
/// zero marked and compare.csv's mean difference with its 95% interval shaded.
///
/// As in compare.csv, a value that never happened before the horizon counts as its side's horizon, so
/// the distribution drawn is the one whose mean and percentiles compare.csv gives.
public enum CompareCharts {
    /// The metrics drawn: what the settings move first, then `rto_s` beside its value without the
    /// TTL-violating resolvers, then the data loss.
    public static let metrics = [
        "recovered_90_s", "failed_requests", "rto_s", "rto_honouring_s", "rpo_s", "lost_writes",
    ]

    public static func all(_ f: CompareFolder) throws(ResultFolderError) -> (charts: [Chart], skipped: [String]) {
        var charts: [Chart] = []
        var skipped: [String] = []
        for metric in metrics {
            guard let row = f.row(metric), let count = row["count"] ?? nil, count > 0 else {
                skipped.append(
                    "\(metric): compare.csv compares no incident for it (it applies to neither side, or to one only)")
                continue
            }
            guard let a = try f.a.replications.numbers(metric), let b = try f.b.replications.numbers(metric) else {
                skipped.append("\(metric): no such column in a/replications.csv and b/replications.csv")
                continue
            }
            let (ha, hb) = (f.a.horizon ?? 0, f.b.horizon ?? 0)
            let differences = zip(a, b).map { ($1 ?? hb) - ($0 ?? ha) }
            guard differences.contains(where: { $0 != 0 }) else {
                skipped.append(
                    "\(metric): B − A is 0 in all \(differences.count) incidents (the change does not move it)")
                continue
            }
            charts.append(chart(f, metric: metric, differences: differences, row: row))
        }
        return (charts, skipped)
    }

    static func chart(_ f: CompareFolder, metric: String, differences: [Double], row: [String: Double?]) -> Chart {
        func v(_ column: String) -> Double? { row[column] ?? nil }
        let quantity = Quantity.of(unit: Metric.unit(of: metric))
        let count = Double(differences.count)
        let share = { (column: String) in String(format: "%.0f%%", 100 * (v(column) ?? 0) / max(1, count)) }
        var markers = [Marker(x: 0, label: "0: B = A")]
        if let mean = v("diff_mean") {
            let unit = quantity == .seconds ? " s" : ""
            let interval = [v("diff_mean_ci_low"), v("diff_mean_ci_high")].map { $0.map(CompareTable.signed) ?? "?" }
                .joined(separator: ", ")
            markers.append(
                Marker(
                    x: mean, label: "mean \(CompareTable.signed(mean))\(unit) [\(interval)]",
                    low: v("diff_mean_ci_low"),
                    high: v("diff_mean_ci_high"), intervalLabel: "95% interval of the mean difference"))
        }
        let (ca, cb) = (Int(v("a_censored") ?? 0), Int(v("b_censored") ?? 0))
        let data = CDFChartData(
            name: "diff-\(metric)", title: "\(f.name): \(metric), B − A per incident",
            subtitle:
                "B better in \(share("b_better")), equal in \(share("equal")), worse in \(share("b_worse")) of the "
                + "incidents; seed \(f.a.seed)",
            xLabel: "B − A of \(metric)", quantity: quantity,
            series: [
                CDFSeries(
                    label: "B − A"
                        + (ca + cb > 0
                            ? " (never happened: A \(ca), B \(cb), counted as the horizon)" : ""),
                    values: differences, censored: 0)
            ],
            horizon: nil, markers: markers)
        return CDFChart.draw(data)
    }

    /// How to read the difference charts, by name.
    static var captions: [String: String] {
        Dictionary(
            uniqueKeysWithValues: metrics.map { m in
                (
                    "diff-\(m)",
                    "The share of incidents whose difference B − A in \(m) is at most each value: left of zero B is "
                        + "lower (better), "
                        + "right of it higher (worse); a jump at zero is the incidents the change did not move. The "
                        + "shaded span is the 95% interval "
                        + "of the mean difference (compare.csv's diff_mean_ci_low … diff_mean_ci_high); the band "
                        + "around the curve is its 95% "
                        + "Dvoretzky–Kiefer–Wolfowitz band. Both sides ran the same incidents, so each difference is "
                        + "the setting's, not noise between two samples."
                )
            })
    }
}
