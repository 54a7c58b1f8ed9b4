import DRSim
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
        switch e.statistic {
        case .mean:
            if n == 0 || censoredCount == n {
                (estimate, low, high) = (nil, n == 0 ? -.infinity : sample.values.min()!, .infinity)
                note = n == 0 ? "no values" : "every replication is censored at the horizon: the mean is at least horizon_s"
            } else {
                let (m, _, half) = MetricSummary.mean(sample.values)
                estimate = m
                low = half.map { m - $0 } ?? -.infinity
                // A censored value is a lower bound, so the restricted mean is one too: no upper end.
                high = censoredCount > 0 ? .infinity : half.map { m + $0 } ?? .infinity
                if censoredCount > 0 {
                    note = "\(censoredCount) of \(n) replications are censored at the horizon, so the mean is only a lower bound (it can fail, never be met); raise horizon_s"
                }
            }
        case let .percentile(p, _):
            (estimate, low, high) = sample.quantile(p)
            if high == .infinity && n > 0 {
                let needed = Self.replicationsToBound(p)
                note = n < needed
                    ? "\(n) replications cannot bound a \(Self.percent(p))th percentile from above: it needs at least \(needed)"
                    : (censoredCount > 0 ? "the interval reaches into the \(censoredCount) replications censored at the horizon; raise horizon_s" : nil)
            }
        case .censored:
            estimate = n > 0 ? Double(censoredCount) / Double(n) : nil
            (low, high) = n > 0 ? MetricSummary.share(censoredCount, of: n) : (0, 1)
        }
        let c = e.comparison, b = e.bound
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
            if case let .percentile(p, _) = e.statistic { tooFew = n < Self.replicationsToBound(p) }
            if distance > 0 && half.isFinite {
                toDecide = Int((Double(n) * (half / distance) * (half / distance) * 1.1).rounded(.up))
            } else if distance == 0 {
                // More replications move the estimate off the bound, by an amount no one can say.
                if note == nil { note = "the estimate equals the bound: more replications (--until-decided) will move it to one side" }
            } else if half.isInfinite && censoredCount > 0 && !tooFew {
                // The end towards the bound is open because of censored values: no count closes it.
                undecidable = true
            }
        } else if verdict == .undecided && estimate == nil && censoredCount > 0 {
            undecidable = true   // the statistic itself lies among censored values
        }
        self.note = note
    }

    /// The estimate for a person: `= 396.2`, or `≥ 3600 (censored)` where it lies among censored values.
    public var estimateText: String {
        if let e = estimate { return "= \(SummaryTable.short(e))" }
        return low.isFinite ? "≥ \(SummaryTable.short(low)) (censored)" : "unknown"
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
