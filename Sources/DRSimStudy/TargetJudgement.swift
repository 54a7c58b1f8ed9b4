import DRSim
import DRSimResults
import Foundation

/// What `drsim check` makes of one target (docs/config.md, "expect"): it is judged on the statistic's
/// 95% interval, never on the estimate alone.
///
/// - *met*: the whole interval satisfies the target;
/// - *failed*: the whole interval breaks it;
/// - *undecided*: the interval straddles the bound, and more replications (about `toDecide`) would
///   likely settle it.
public struct TargetJudgement: Sendable {
    public enum Verdict: String, Sendable { case met, failed, undecided }

    public var expectation: Expectation
    public var replications: Int
    public var estimate: Double?
    /// The interval; −∞ or +∞ where it is open (too few replications, or censored values).
    public var low: Double
    public var high: Double
    public var verdict: Verdict
    /// About how many replications would decide an undecided target; nil if decided or if no count can.
    public var toDecide: Int?
    /// Why a target cannot be decided, or what censoring does to it.
    public var note: String?
    /// Undecided, and no number of replications can decide it: the estimate sits on the bound, or the
    /// end of the interval towards the bound is open because of censored values.
    public var undecidable = false

    /// Judges `e` on `sample`, the metric's values over the replications (censored ones at the horizon).
    public init(_ e: Expectation, sample: Sample) {
        expectation = e
        let n = sample.values.count
        replications = n
        let censoredCount = sample.censored.lazy.filter { $0 }.count
        var note: String?
        (estimate, low, high) = e.statistic.interval(of: sample)
        switch e.statistic {
        case .mean where n == 0:
            note = "no values"
        case .mean where censoredCount == n:
            note = "every replication is censored at the horizon: the mean is at least horizon_s"
        case .mean where censoredCount > 0:
            note =
                "\(censoredCount) of \(n) replications are censored at the horizon, "
                + "so the mean is only a lower bound (it can fail, never be met); raise horizon_s"
        case .percentile(let p, _) where high == .infinity && n > 0:
            let needed = Self.replicationsToBound(p)
            note =
                n < needed
                ? "\(n) replications cannot bound a \(Self.percent(p))th percentile from above: it needs at least "
                    + "\(needed)"
                : (censoredCount > 0
                    ? "the interval reaches into the \(censoredCount) replications censored at the horizon; raise "
                        + "horizon_s"
                    : nil)
        default: break
        }
        let c = e.comparison
        let b = e.bound
        // An upper limit is met when even the interval's top satisfies it, failed when even its bottom
        // breaks it; a lower limit the other way round.
        let (best, worst) = c.isUpperLimit ? (high, low) : (low, high)
        verdict = c.holds(best, b) ? .met : (!c.holds(worst, b) ? .failed : .undecided)
        toDecide = nil
        if verdict == .undecided, let est = estimate, n > 0 {
            // The interval narrows as 1/√n: the end towards the bound must come within the distance.
            let distance = abs(est - b)
            let half = est <= b ? high - est : est - low
            // Too few replications for the level: more of them close the interval.
            var tooFew = false
            if case .percentile(let p, _) = e.statistic { tooFew = n < Self.replicationsToBound(p) }
            if distance > 0 && half.isFinite {
                toDecide = Int((Double(n) * (half / distance) * (half / distance) * 1.1).rounded(.up))
            } else if distance == 0 {
                // More replications move the estimate off the bound, by an amount no one can say.
                if note == nil {
                    note = "the estimate equals the bound: more replications (--until-decided) will move it to one side"
                }
            } else if half.isInfinite && censoredCount > 0 && !tooFew {
                // The end towards the bound is open because of censored values: no count closes it.
                undecidable = true
            }
        } else if verdict == .undecided && estimate == nil && censoredCount > 0 {
            undecidable = true  // the statistic itself lies among censored values
        }
        self.note = note
    }

    /// The estimate for a person: `= 396.2`, or `≥ 3600 (censored)` where it lies among censored values.
    public var estimateText: String {
        if let e = estimate { return "= \(SummaryFormat.short(e))" }
        return low.isFinite ? "≥ \(SummaryFormat.short(low)) (censored)" : "unknown"
    }

    /// The fewest replications whose distribution-free interval of the p-quantile has an upper end:
    /// P(B ≥ n) = pⁿ ≤ 2.5% for B ~ Binomial(n, p) (99: 368, 90: 36, 99.9: 3,688).
    static func replicationsToBound(_ p: Double) -> Int {
        Int((log((1 - MetricSummary.confidence) / 2) / log(p)).rounded(.up))
    }

    /// The level of a percentile in percent, as in its name: 0.999 → "99.9".
    static func percent(_ p: Double) -> String { formatNumber((p * 1000).rounded() / 10) }

    /// The distance `--until-decided` must bring the interval's near end within, and that end's
    /// half-width now (as `--precision` narrows an interval).
    var narrowing: (halfWidth: Double?, allowed: Double?) {
        guard verdict == .undecided, let est = estimate else { return (nil, nil) }
        let half = est <= expectation.bound ? high - est : est - low
        return (half.isFinite ? half : nil, abs(est - expectation.bound))
    }
}

extension TargetJudgement: NarrowingCheck {
    public var met: Bool { verdict != .undecided }
    public var hopeless: Bool { undecidable }
    public var halfWidth: Double? { narrowing.halfWidth }
    public var allowed: Double? { narrowing.allowed }
}

extension TargetJudgement {
    /// Judges every target of `output`'s config, and `extra` ones, on its replications.
    public static func judge(_ targets: [Expectation], _ output: RunOutput) -> [TargetJudgement] {
        targets.map { TargetJudgement($0, sample: $0.metric.sample(output.results, config: output.config)) }
    }
}

extension Expectation.Statistic {
    /// The statistic on `sample` (a metric's values, censored ones at the horizon) with its 95%
    /// interval; an end is −∞ or +∞ where it is open. The mean is the restricted mean, whose interval
    /// has no upper end once a value is censored (each is a lower bound); a percentile's interval is
    /// the distribution-free one (`Sample.quantile`); the censored share's is Clopper–Pearson. The
    /// estimate is nil where there is none: no values, every one censored (mean), or among the
    /// censored ones (percentile).
    public func interval(of sample: Sample) -> (estimate: Double?, low: Double, high: Double) {
        let n = sample.values.count
        let censored = sample.censored.lazy.filter { $0 }.count
        switch self {
        case .mean:
            guard n > 0 else { return (nil, -.infinity, .infinity) }
            guard censored < n else { return (nil, sample.values.min()!, .infinity) }
            let (m, _, half) = MetricSummary.mean(sample.values)
            return (m, half.map { m - $0 } ?? -.infinity, censored > 0 ? .infinity : half.map { m + $0 } ?? .infinity)
        case .percentile(let p, _):
            let q = sample.quantile(p)
            return (q.value, q.low, q.high)
        case .censored:
            guard n > 0 else { return (nil, 0, 1) }
            let (low, high) = MetricSummary.share(censored, of: n)
            return (Double(censored) / Double(n), low, high)
        }
    }
}
