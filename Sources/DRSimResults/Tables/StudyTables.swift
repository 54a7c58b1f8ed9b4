import Foundation

/// A sweep's table, as `drsim sweep` prints it and its report shows it: one row per point, its varied
/// values, then the statistics that matter most to an architect, the lowest of each column marked `*`
/// (an unknown value counts as worse than any known one), and a line per column naming the best.
///
/// Cells are looked up by `sweep.csv`'s column names, so the terminal (from the runs in memory) and the
/// report (from the file) build the same table.
public enum SweepTable {
    public struct Column: Sendable {
        public var label: String
        /// `sweep.csv`'s column.
        public var column: String
        /// A share, shown in percent.
        public var percent: Bool
        /// Whether the column's lowest value is marked best: not for the stale-DNS tail, which the
        /// settings do not decide.
        public var ranked = true
    }

    /// What the settings move first (`recovered_90_s`, `failed_requests`), then `rto_s` beside its value
    /// without the TTL-violating resolvers and the share they still pin at 15 minutes (docs/model.md,
    /// "The stale-DNS tail").
    public static let columns = [
        Column(label: "recovered_90_s mean", column: "recovered_90_s_mean", percent: false),
        Column(label: "failed_requests mean", column: "failed_requests_mean", percent: false),
        Column(label: "detection_s mean", column: "detection_s_mean", percent: false),
        Column(label: "rto_honouring_s p50", column: "rto_honouring_s_p50", percent: false),
        Column(label: "rto_s p50", column: "rto_s_p50", percent: false),
        Column(label: "rto_s never", column: "rto_s_censored_share", percent: true),
        Column(label: "stale 15 min", column: "stale_share_15m_mean", percent: true, ranked: false),
        Column(label: "lost_writes mean", column: "lost_writes_mean", percent: false),
        Column(label: "cost/month USD", column: "cost_per_month_mean", percent: false),
    ]

    public static let note =
        "A '-' is unknown (censored: see 'never'). sweep.csv has "
        + "every metric with its 95% intervals; drsim compare gives paired differences."

    /// Point `k` as people read it: `dns.ttl_s=60, health_checks[0].failure_threshold=2`.
    public static func label(paths: [String], values: [String]) -> String {
        zip(paths, values).map { "\($0)=\($1)" }.joined(separator: ", ")
    }

    /// - Parameters:
    ///   - paths: the varied settings, in the grid's order.
    ///   - values: per point, its varied values as text.
    ///   - value: point k's number in a `sweep.csv` column (nil: empty).
    /// - Returns: the header, one row per point, and the best point(s) of each column.
    public static func table(paths: [String], values: [[String]], value: (Int, String) -> Double?) -> (
        header: [String], rows: [[String]], best: [String]
    ) {
        let n = values.count
        var rows = (0..<n).map { k in [String(k + 1)] + values[k] }
        var best: [String] = []
        for col in columns {
            let v = (0..<n).map { value($0, col.column) }
            let low = col.ranked ? v.compactMap { $0 }.min() : nil
            let winners = low.map { l in v.indices.filter { v[$0] == l } } ?? []
            for k in 0..<n {
                let text =
                    v[k].map { col.percent ? String(format: "%.1f%%", 100 * $0) : SummaryFormat.short($0) } ?? "-"
                rows[k].append(text + (winners.contains(k) && winners.count < n ? "*" : " "))
            }
            guard col.ranked else { continue }
            if winners.isEmpty {
                best.append("\(col.label): unknown at every point")
            } else if winners.count == n {
                best.append("\(col.label): the same at every point")
            } else {
                best.append(
                    "\(col.label): "
                        + winners.map { "point \($0 + 1) (\(label(paths: paths, values: values[$0])))" }.joined(
                            separator: ", "))
            }
        }
        return (["point"] + paths + columns.map(\.label), rows, best)
    }
}

/// A comparison's table, as `drsim compare` prints it and its report shows it: per metric, each side's
/// mean, the mean difference B − A with its interval, the median difference, and the shares of
/// incidents in which B is better, equal, worse. Cells are looked up by `compare.csv`'s column names.
public enum CompareTable {
    public static let header = [
        "metric", "unit", "A mean", "B mean", "B − A mean [95% CI]", "B − A median", "B better", "equal", "B worse",
    ]

    /// Whether the two sides' differences are the setting's: they run the same incidents only with one
    /// horizon (the draws depend on it).
    public static func pairing(sameHorizon: Bool) -> String {
        sameHorizon
            ? "the same incidents, so each difference is the setting's"
            : "not paired draw for draw: the two horizons differ"
    }

    /// A difference with its sign: "+3.2", "−1.5", "0".
    public static func signed(_ x: Double) -> String {
        x > 0 ? "+" + SummaryFormat.short(x) : x < 0 ? "−" + SummaryFormat.short(-x) : "0"
    }

    /// The row of `metric`; `value` gives its number in a `compare.csv` column (nil: empty).
    public static func row(metric: String, value: (String) -> Double?) -> [String] {
        let short = SummaryFormat.short
        let count = value("count") ?? 0
        func pct(_ column: String) -> String {
            count == 0 ? "-" : String(format: "%.1f%%", 100 * (value(column) ?? 0) / count)
        }
        func mean(_ side: String) -> String {
            value("\(side)_mean").map { ((value("\(side)_censored") ?? 0) > 0 ? "≥" : "") + short($0) } ?? "-"
        }
        let diff =
            value("diff_mean").map { v in
                "\(signed(v)) [\(value("diff_mean_ci_low").map(signed) ?? "-"), "
                    + "\(value("diff_mean_ci_high").map(signed) ?? "-")]"
            } ?? "-"
        return [
            metric, Metric.unit(of: metric), mean("a"), mean("b"), count == 0 ? "-" : diff,
            value("diff_p50").map(signed) ?? "-", pct("b_better"), pct("equal"), pct("b_worse"),
        ]
    }

    /// The lines under the table.
    public static let notes = [
        "Lower is better for every metric. A value that never happened before the horizon is worse than any that did "
            + "and",
        "equal to another such; in the means and differences it counts as the horizon (≥ marks a side with such "
            + "values).",
    ]
}
