/// An estimate with its 95% confidence interval; any part is nil where the data cannot give it
/// (censoring, too few replications).
public struct Estimate: Sendable, Equatable {
    public var value: Double?
    public var low: Double?
    public var high: Double?
    public init(value: Double?, low: Double? = nil, high: Double? = nil) {
        self.value = value
        self.low = low
        self.high = high
    }
}

/// The statistics docs/model.md, "What a replication reports", asks of one metric: one row of
/// `summary.csv`.
///
/// With censoring: the mean is the restricted mean (censored values count as the horizon, so it is a
/// lower bound), a percentile that falls among censored values is unknown (nil), and so is the max.
/// When every value is censored, the mean, its interval and the sd are unknown too.
public struct MetricSummary: Sendable, Equatable {
    public var metric: String
    public var count: Int
    public var censored: Int
    public var mean: Estimate
    public var sd: Double?
    public var p50: Estimate
    public var p90: Estimate
    public var p99: Estimate
    public var p999: Estimate
    public var max: Double?

    /// Confidence level of every interval.
    public static let confidence = 0.95

    /// summary.csv's columns, in the file's order: the metric, then the numbers `value(_:)` gives.
    public static let columns = [
        "metric", "count", "censored", "mean", "mean_ci_low", "mean_ci_high", "sd",
        "p50", "p50_ci_low", "p50_ci_high", "p90", "p90_ci_low", "p90_ci_high",
        "p99", "p99_ci_low", "p99_ci_high", "p999", "max", "p999_ci_low", "p999_ci_high",
        "mean_is_lower_bound",
    ]

    public init(
        metric: String, count: Int, censored: Int, mean: Estimate, sd: Double?,
        p50: Estimate, p90: Estimate, p99: Estimate, p999: Estimate, max: Double?
    ) {
        self.metric = metric
        self.count = count
        self.censored = censored
        self.mean = mean
        self.sd = sd
        self.p50 = p50
        self.p90 = p90
        self.p99 = p99
        self.p999 = p999
        self.max = max
    }

    /// Whether `mean` is a restricted mean, a lower bound of the true one (some values are censored at
    /// the horizon); nil when there is no mean.
    public var meanIsLowerBound: Bool? { mean.value == nil ? nil : censored > 0 }

    /// The number in `summary.csv`'s column `column` (`mean`, `p99_ci_low`, `count`, …); nil for an
    /// empty cell or a column that holds no number.
    public func value(_ column: String) -> Double? {
        switch column {
        case "count": Double(count)
        case "censored": Double(censored)
        case "sd": sd
        case "max": max
        case "mean_is_lower_bound": meanIsLowerBound.map { $0 ? 1 : 0 }
        default: estimateCell(column)
        }
    }

    /// A cell of one of the estimates' columns: `mean`, `p50_ci_low`, `p999_ci_high`, …
    private func estimateCell(_ column: String) -> Double? {
        let parts = column.split(separator: "_", maxSplits: 1).map(String.init)
        let estimate: Estimate
        switch parts[0] {
        case "mean": estimate = mean
        case "p50": estimate = p50
        case "p90": estimate = p90
        case "p99": estimate = p99
        case "p999": estimate = p999
        default: return nil
        }
        switch parts.count == 1 ? "" : parts[1] {
        case "": return estimate.value
        case "ci_low": return estimate.low
        case "ci_high": return estimate.high
        default: return nil
        }
    }
}
