import Foundation

/// A sweep's table, as `drsim sweep` prints it and its report shows it: one row per point, its varied
/// values, the statistics that matter most to an architect, then the objectives' statistics not among
/// them and each point's place on the Pareto front over the objectives (`ParetoFront`): `front`, or the
/// points that dominate it.
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
        Column(label: "stale 15 min", column: "stale_share_15m_mean", percent: true),
        Column(label: "lost_writes mean", column: "lost_writes_mean", percent: false),
        Column(label: "cost/month USD", column: "cost_per_month_mean", percent: false),
    ]

    /// The columns of a table over `objectives`: `columns`, then each objective's not among them.
    public static func columns(objectives: [Objective]) -> [Column] {
        columns
            + objectives.filter { o in !columns.contains { $0.column == o.column } }.map {
                Column(label: $0.label, column: $0.column, percent: $0.metric.unit == "share")
            }
    }

    public static let note =
        "A '-' is unknown (censored: see 'never'). sweep.csv has "
        + "every metric with its 95% intervals; drsim compare gives paired differences."

    /// At most this many dominating points are named in a row (the rest are counted).
    static let namedDominators = 3

    /// Point `k` as people read it: `dns.ttl_s=60, health_checks[0].failure_threshold=2`.
    public static func label(paths: [String], values: [String]) -> String {
        zip(paths, values).map { "\($0)=\($1)" }.joined(separator: ", ")
    }

    /// Every point's place on the Pareto front over `objectives`, from `sweep.csv`'s cells.
    /// - Parameter value: point k's number in a `sweep.csv` column (nil: empty).
    public static func front(objectives: [Objective], count: Int, value: (Int, String) -> Double?)
        -> [ParetoFront.Standing]
    {
        let points = (0..<count).map { k in objectives.map { o in o.estimate { value(k, $0) } } }
        return ParetoFront.standings(points, maximise: objectives.map(\.maximise))
    }

    /// A point's place as the table's last column shows it: `front`, `by 2, 5` (the points that dominate
    /// it), `by 2 ~` when every domination is within noise.
    public static func place(_ s: ParetoFront.Standing) -> String {
        if s.onFront { return "front" }
        let named = s.dominatedBy.prefix(namedDominators).map { String($0 + 1) }.joined(separator: ", ")
        let more = s.dominatedBy.count - namedDominators
        return "by \(named)" + (more > 0 ? " +\(more)" : "") + (s.clearlyDominatedBy.isEmpty ? " ~" : "")
    }

    /// The lines under the table: what the front is over, which points are on it, and, over one objective,
    /// that the front is then only the best point on it.
    public static func frontLines(objectives: [Objective], standings: [ParetoFront.Standing]) -> [String] {
        guard !objectives.isEmpty else {
            return ["Pareto front: no objective has values in this sweep, so there is none."]
        }
        let front = standings.indices.filter { standings[$0].onFront }.map { String($0 + 1) }
        let over = objectives.map(\.named)
        return [
            "Pareto front over \(over.joined(separator: ", ")): "
                + "point\(front.count == 1 ? "" : "s") \(front.joined(separator: ", ")).",
            "A point is dominated ('by N') when point N is as good on every objective and better on one; '~' when "
                + "every such point is better only within noise (the 95% intervals overlap on each objective "
                + "where it is better).",
        ]
            + (objectives.count == 1
                ? [
                    "With one objective the front is only the point(s) with the "
                        + "\(objectives[0].maximise ? "highest" : "lowest") \(objectives[0].label): a trade-off "
                        + "needs another (see the objectives left out, or --objective)."
                ] : [])
    }

    /// - Parameters:
    ///   - paths: the varied settings, in the grid's order.
    ///   - values: per point, its varied values as text.
    ///   - objectives: what the front is over (those with values).
    ///   - value: point k's number in a `sweep.csv` column (nil: empty).
    /// - Returns: the header, one row per point, and the lines about the front.
    public static func table(
        paths: [String], values: [[String]], objectives: [Objective], value: (Int, String) -> Double?
    ) -> (header: [String], rows: [[String]], front: [String]) {
        let n = values.count
        let shown = columns(objectives: objectives)
        let standings = front(objectives: objectives, count: n, value: value)
        let rows = (0..<n).map { k in
            [String(k + 1)] + values[k]
                + shown.map { col in
                    value(k, col.column).map {
                        col.percent
                            ? String(format: "%.1f%%", 100 * $0)
                            : col.column.hasPrefix(Metric.availability.rawValue + "_")
                                ? SummaryFormat.nines($0) : SummaryFormat.short($0)
                    }
                        ?? "-"
                } + (objectives.isEmpty ? [] : [place(standings[k])])
        }
        let header = ["point"] + paths + shown.map(\.label) + (objectives.isEmpty ? [] : ["Pareto"])
        return (header, rows, frontLines(objectives: objectives, standings: standings))
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
        let short = metric == Metric.availability.rawValue ? SummaryFormat.nines : SummaryFormat.short
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
        "Lower is better for every metric but availability. A value that never happened before the horizon is worse "
            + "than any that did and",
        "equal to another such; in the means and differences it counts as the horizon (≥ marks a side with such "
            + "values).",
    ]
}
