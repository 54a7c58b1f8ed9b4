import CGSL
import DRSimResults
import Foundation

/// One metric's outcomes over the replications of a run.
///
/// `values` holds every replication's value; a censored value (the event did not happen before the
/// horizon) is stored as the horizon and flagged in `censored`. Replications where the metric does not
/// apply are left out.
public struct Sample: Sendable {
    public var values: [Double] = []
    public var censored: [Bool] = []
    public init() {}
    public mutating func append(_ v: Double, censored c: Bool = false) {
        values.append(v)
        censored.append(c)
    }
}

extension Sample {
    /// The values in increasing order, every censored one (a lower bound at the horizon) after the
    /// uncensored ones, and how many are uncensored.
    public func sortedCensoredLast() -> (sorted: [Double], known: Int) {
        var order = Array(values.indices)
        order.sort { a, b in
            if censored[a] != censored[b] { return !censored[a] }
            return values[a] < values[b]
        }
        let known = censored.lazy.filter { !$0 }.count
        return (order.map { values[$0] }, known)
    }

    /// The p-quantile and its distribution-free interval at `level`, with bounds that are always
    /// usable: −∞ where the interval reaches below the smallest value, +∞ where it reaches above the
    /// largest or among censored values (a censored value stands for the horizon, so as a lower bound
    /// it stays valid). The value is nil where it falls among censored values.
    public func quantile(_ p: Double, level: Double = MetricSummary.confidence) -> (
        value: Double?, low: Double, high: Double
    ) {
        let n = values.count
        guard n > 0 else { return (nil, -.infinity, .infinity) }
        let (sorted, known) = sortedCensoredLast()
        let value = MetricSummary.quantile(sorted, known: known, p: p).value
        let (l, u) = MetricSummary.orders(n: n, p: p, level: level)
        let low = l >= 1 ? sorted[l - 1] : -.infinity
        let high = u <= n && u - 1 < known ? sorted[u - 1] : .infinity
        return (value, low, high)
    }
}

/// The statistics of one metric's sample (docs/model.md, "Statistics"), and the intervals they rest on.
extension MetricSummary {
    /// The summary of `sample`, the outcomes of the metric named `metric`.
    public init(metric: String, sample: Sample) {
        let n = sample.values.count
        let censored = sample.censored.lazy.filter { $0 }.count
        let (sorted, known) = sample.sortedCensoredLast()  // sorted[0..<known] are uncensored
        var mean = Estimate(value: nil, low: nil, high: nil)
        var sd: Double?
        // Nothing but the horizon: no estimate of the mean at all (not one of zero width).
        if n > 0 && censored < n {
            let (m, s, half) = Self.mean(sorted)
            // Every metric is ≥ 0, so the interval is cut at 0 (a t interval of a skewed count can
            // reach below it).
            mean = Estimate(value: m, low: half.map { Swift.max(0, m - $0) }, high: half.map { m + $0 })
            sd = s
        }
        func q(_ p: Double) -> Estimate { Self.quantile(sorted, known: known, p: p) }
        self.init(
            metric: metric, count: n, censored: censored, mean: mean, sd: sd,
            p50: q(0.5), p90: q(0.9), p99: q(0.99), p999: q(0.999), max: (n > 0 && censored == 0) ? sorted[n - 1] : nil)
    }

    /// The mean of `values` (at least one), with their standard deviation and the half-width of the
    /// mean's 95% Student's t interval (both nil for a single value). The interval is not cut anywhere.
    public static func mean(_ values: [Double]) -> (mean: Double, sd: Double?, halfWidth: Double?) {
        let n = values.count
        let m = values.withUnsafeBufferPointer { gsl_stats_mean($0.baseAddress, 1, n) }
        guard n >= 2 else { return (m, nil, nil) }
        let s = values.withUnsafeBufferPointer { gsl_stats_sd_m($0.baseAddress, 1, n, m) }
        return (m, s, gsl_cdf_tdist_Pinv(1 - (1 - confidence) / 2, Double(n - 1)) * s / Double(n).squareRoot())
    }

    /// The p-quantile (linear interpolation between order statistics, Hyndman and Fan type 7, as GSL's
    /// `gsl_stats_quantile_from_sorted_data`) with a distribution-free interval from the binomial
    /// distribution: [x₍ₗ₎, x₍ᵤ₎] with P(l ≤ B < u) ≥ 95% for B ~ Binomial(n, p).
    /// `sorted[0..<known]` are the uncensored values, in increasing order; the censored ones follow.
    public static func quantile(_ sorted: [Double], known: Int, p: Double) -> Estimate {
        let n = sorted.count
        guard n > 0 else { return Estimate(value: nil, low: nil, high: nil) }
        let h = Double(n - 1) * p
        let lowerIndex = Int(h.rounded(.down))
        let needed = h > Double(lowerIndex) ? lowerIndex + 1 : lowerIndex
        let value: Double? =
            needed < known
            ? sorted.withUnsafeBufferPointer { gsl_stats_quantile_from_sorted_data($0.baseAddress, 1, n, p) }
            : nil
        let (l, u) = orders(n: n, p: p)
        let low: Double? = (l >= 1 && l - 1 < known) ? sorted[l - 1] : nil
        let high: Double? = (u <= n && u - 1 < known) ? sorted[u - 1] : nil
        return Estimate(value: value, low: low, high: high)
    }

    /// The orders (1-based) of the distribution-free interval of the p-quantile of n values:
    /// l is the largest with P(B ≤ l − 1) ≤ α/2, u the smallest with P(B ≥ u) ≤ α/2, B ~ Binomial(n, p),
    /// α = 1 − `level`. l = 0 means the interval reaches below the smallest value, u = n + 1 above the
    /// largest.
    public static func orders(n: Int, p: Double, level: Double = confidence) -> (l: Int, u: Int) {
        let alpha = (1 - level) / 2
        let l = largest(in: 0...n) { k in k == 0 || gsl_cdf_binomial_P(UInt32(k - 1), p, UInt32(n)) <= alpha }
        let u = smallest(in: 1...(n + 1)) { k in k > n || gsl_cdf_binomial_Q(UInt32(k - 1), p, UInt32(n)) <= alpha }
        return (l, u)
    }

    /// The Clopper–Pearson interval of a share: k of n, at `level` (exact, never narrower than asked).
    public static func share(_ k: Int, of n: Int, level: Double = confidence) -> (low: Double, high: Double) {
        let alpha = (1 - level) / 2
        let low = k == 0 ? 0 : gsl_cdf_beta_Pinv(alpha, Double(k), Double(n - k + 1))
        let high = k == n ? 1 : gsl_cdf_beta_Qinv(alpha, Double(k + 1), Double(n - k))
        return (low, high)
    }

    /// The largest k in the range for which `ok` holds, `ok` being true up to some point and false after.
    private static func largest(in r: ClosedRange<Int>, _ ok: (Int) -> Bool) -> Int {
        var lo = r.lowerBound
        var hi = r.upperBound
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if ok(mid) { lo = mid } else { hi = mid - 1 }
        }
        return lo
    }

    /// The smallest k in the range for which `ok` holds, `ok` being false up to some point and true after.
    private static func smallest(in r: ClosedRange<Int>, _ ok: (Int) -> Bool) -> Int {
        var lo = r.lowerBound
        var hi = r.upperBound
        while lo < hi {
            let mid = (lo + hi) / 2
            if ok(mid) { hi = mid } else { lo = mid + 1 }
        }
        return lo
    }
}
