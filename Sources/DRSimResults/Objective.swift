/// What a comparison of settings trades off: one statistic of one metric, and whether less or more of
/// it is better (docs/config.md, "sweep", Objectives). Written as check targets name what they measure:
/// `recovered_90_s:p90`, `false_failovers_per_year:mean`; a bare metric (`cost_per_month`) is its mean.
///
/// Less is better, except for the metrics in `Metric.moreIsBetter` (`availability`); `max:METRIC:STAT`
/// or `min:METRIC:STAT` says the direction outright.
public struct Objective: Sendable, Equatable, CustomStringConvertible {
    public var metric: Metric
    /// `mean`, `p50`, `p90` or `p99`: the statistics `sweep.csv` has for every metric, with intervals.
    public var statistic: String
    /// Whether more is better (the objective is maximised).
    public var maximise: Bool

    public static let statistics = ["mean", "p50", "p90", "p99"]

    /// What recovers fast, what fails over on noise, what it costs (docs/model.md, "A year of operation", "Cost").
    public static let defaults: [Objective] = [
        Objective(metric: .recovered90, statistic: "p90"),
        Objective(metric: .falseFailoversPerYear, statistic: "mean"),
        Objective(metric: .costPerMonth, statistic: "mean"),
    ]

    public static let form =
        "METRIC:STAT or METRIC (its mean), STAT one of mean, p50, p90, p99; max:METRIC:STAT or min:METRIC:STAT "
        + "to say which way is better, e.g. recovered_90_s:p90"

    /// An objective in the metric's own direction unless `maximise` says otherwise.
    public init(metric: Metric, statistic: String, maximise: Bool? = nil) {
        self.metric = metric
        self.statistic = statistic
        self.maximise = maximise ?? Metric.moreIsBetter.contains(metric)
    }

    /// Reads `[max:|min:]METRIC[:STAT]`; the error says what is wrong and the form.
    public init(parsing text: String) throws(ExpectationError) {
        var parts = text.split(separator: ":", omittingEmptySubsequences: false).map {
            $0.trimmingCharacters(in: .whitespaces)
        }
        var direction: Bool? = nil
        if parts.count > 1, parts[0] == "max" || parts[0] == "min" {
            direction = parts[0] == "max"
            parts.removeFirst()
        }
        guard (1...2).contains(parts.count), !parts[0].isEmpty else {
            throw ExpectationError("\(jsonQuote(text)): write \(Self.form)")
        }
        guard let metric = Metric(rawValue: parts[0]) else {
            throw ExpectationError(
                "\(jsonQuote(text)): no metric \"\(parts[0])\"; the metrics: "
                    + Metric.allCases.map(\.rawValue).joined(separator: ", "))
        }
        let statistic = parts.count == 2 ? parts[1] : "mean"
        guard Self.statistics.contains(statistic) else {
            throw ExpectationError(
                "\(jsonQuote(text)): no statistic \"\(statistic)\" for an objective; allowed: "
                    + "\(Self.statistics.joined(separator: ", ")) (the statistics sweep.csv gives with intervals)")
        }
        self.init(metric: metric, statistic: statistic, maximise: direction)
    }

    /// As written: `recovered_90_s:p90`, `availability:mean`; `max:`/`min:` only against the metric's direction.
    public var description: String {
        let own = maximise == Metric.moreIsBetter.contains(metric)
        return (own ? "" : maximise ? "max:" : "min:") + "\(metric.rawValue):\(statistic)"
    }

    /// "recovered_90_s p90": as tables head its column.
    public var label: String { "\(metric.rawValue) \(statistic)" }

    /// The label, and "(more is better)" when it is maximised: as lines about the front name it.
    public var named: String { label + (maximise ? " (more is better)" : "") }

    /// `sweep.csv`'s column of the estimate (`recovered_90_s_p90`); its interval adds `_ci_low`, `_ci_high`.
    public var column: String { "\(metric.rawValue)_\(statistic)" }

    /// The estimate in a `summary.csv` row.
    public func estimate(_ s: MetricSummary) -> Estimate {
        Estimate(value: s.value(statistic), low: s.value(statistic + "_ci_low"), high: s.value(statistic + "_ci_high"))
    }

    /// The estimate among `sweep.csv`'s cells, by column name (nil: an empty cell or no such column).
    public func estimate(_ cell: (String) -> Double?) -> Estimate {
        Estimate(value: cell(column), low: cell(column + "_ci_low"), high: cell(column + "_ci_high"))
    }
}

extension Metric {
    /// The metrics of which more is better; less is better for every other.
    public static let moreIsBetter: Set<Metric> = [.availability]
}
