import DRSim
import DRSimResults

/// One metric compared incident by incident: the distribution of B − A over the replications both
/// sides ran (docs/config.md, "compare.csv").
///
/// Every metric is better lower but `Metric.moreIsBetter`'s (`availability`). A censored value (the
/// event did not happen before the horizon) is worse than any value that happened and equal to another
/// censored one; that is how incidents are counted as better, equal or worse. In the differences, as in
/// the restricted mean of `summary.csv`, a censored value counts as its side's horizon, so with
/// censoring the mean difference is the difference of the two restricted means, and
/// `censoredA`/`censoredB` say how many there were.
public struct PairedMetric: Sendable, Equatable {
    public var metric: String
    /// Incidents in which the metric applies to both sides (0: it applies to one side or neither).
    public var count: Int
    public var censoredA: Int
    public var censoredB: Int
    /// The restricted means of each side.
    public var meanA: Double?
    public var meanB: Double?
    /// Mean of B − A with its 95% Student's t interval (not cut at 0: a difference can be negative).
    public var difference: Estimate
    public var sd: Double?
    /// Percentiles of B − A with their distribution-free 95% intervals (as `summary.csv`'s).
    public var p50: Estimate
    public var p90: Estimate
    public var p99: Estimate
    /// Incidents in which B is lower than A, equal to it, higher than it.
    public var better: Int
    public var equal: Int
    public var worse: Int

    /// Compares `a[i]` with `b[i]` for every i (the same incident on both sides).
    public init(_ metric: Metric, a: Sample, b: Sample) {
        precondition(
            a.values.isEmpty || b.values.isEmpty || a.values.count == b.values.count,
            "both sides ran the same incidents")
        self.metric = metric.rawValue
        let n = a.values.isEmpty || b.values.isEmpty ? 0 : a.values.count
        count = n
        censoredA = n == 0 ? 0 : a.censored.lazy.filter { $0 }.count
        censoredB = n == 0 ? 0 : b.censored.lazy.filter { $0 }.count
        var d = [Double]()
        var better = 0
        var equal = 0
        var worse = 0
        d.reserveCapacity(n)
        for i in 0..<n {
            d.append(b.values[i] - a.values[i])
            switch (a.censored[i], b.censored[i]) {
            case (true, true): equal += 1
            case (true, false): better += 1
            case (false, true): worse += 1
            case (false, false):
                let more = Metric.moreIsBetter.contains(metric)
                if b.values[i] == a.values[i] {
                    equal += 1
                } else if (b.values[i] < a.values[i]) != more {
                    better += 1
                } else {
                    worse += 1
                }
            }
        }
        (self.better, self.equal, self.worse) = (better, equal, worse)
        guard n > 0 else {
            let none = Estimate(value: nil, low: nil, high: nil)
            (meanA, meanB, difference, sd, p50, p90, p99) = (nil, nil, none, nil, none, none, none)
            return
        }
        meanA = MetricSummary.mean(a.values).mean
        meanB = MetricSummary.mean(b.values).mean
        let (m, s, half) = MetricSummary.mean(d)
        difference = Estimate(value: m, low: half.map { m - $0 }, high: half.map { m + $0 })
        sd = s
        d.sort()
        p50 = MetricSummary.quantile(d, known: n, p: 0.5)
        p90 = MetricSummary.quantile(d, known: n, p: 0.9)
        p99 = MetricSummary.quantile(d, known: n, p: 0.99)
    }

    public func share(_ k: Int) -> Double? { count == 0 ? nil : Double(k) / Double(count) }
}

/// Two runs of the same incidents (the same seed and replication numbers) compared metric by metric.
public struct PairedComparison: Sendable {
    public var a: RunOutput
    public var b: RunOutput
    public var metrics: [PairedMetric]
    /// The two sides on the objectives of the Pareto front.
    public var front: ComparisonFront

    /// - Parameter objectives: what the Pareto front is over; those whose metric has no values are left out.
    /// - Precondition: both ran the same seed and replication count.
    public init(a: RunOutput, b: RunOutput, objectives: [Objective] = Objective.defaults) {
        precondition(
            a.config.seed == b.config.seed && a.results.count == b.results.count, "both sides run the same incidents")
        self.a = a
        self.b = b
        metrics = Metric.allCases.map { m in
            PairedMetric(m, a: m.sample(a.results, config: a.config), b: m.sample(b.results, config: b.config))
        }
        front = ComparisonFront(a: a, b: b, objectives: objectives)
    }
}
