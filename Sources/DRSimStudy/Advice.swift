import DRSim
import DRSimResults
import Foundation

/// What `drsim advise --minimize` names: a statistic of a metric, `cost_per_month` (its mean) or
/// `recovered_90_s:p90`, whose lowest value among the points that meet every target is the answer.
public struct AdviceObjective: Sendable, Equatable, CustomStringConvertible {
    public var metric: Metric
    public var statistic: Expectation.Statistic

    /// Reads `METRIC` (its mean) or `METRIC:STAT` (STAT as targets take it: mean, censored, a percentile).
    public init(parsing text: String) throws(UsageError) {
        let s = text.trimmingCharacters(in: .whitespaces)
        do {
            (metric, statistic) = try Expectation.measure(s.contains(":") ? s : s + ":mean")
        } catch {
            throw UsageError("--minimize \(text): \(error.message)")
        }
        if Metric.moreIsBetter.contains(metric) {
            throw UsageError(
                "--minimize \(text): more \(metric.rawValue) is better, so its lowest is the worst point; minimize "
                    + "downtime_min_per_year instead, or bound it with --target '\(metric.rawValue):mean >= …'")
        }
    }

    public var description: String { "\(metric.rawValue):\(statistic.name)" }
}

/// One point of an advice search: its targets judged on the replications it ran, and its objective.
public struct AdvicePoint: Sendable {
    /// The point's place in the grid (0-based).
    public var index: Int
    public var replications: Int
    /// The objective's estimate and 95% interval (an end nil where it is open).
    public var objective: Estimate
    /// The verdict on each target, in the targets' order (`TargetJudgement`, as `drsim check` judges).
    public var judgements: [TargetJudgement]
    /// The most replications the point may run (`--max-replications`).
    public var cap: Int

    public init(index: Int, replications: Int, objective: Estimate, judgements: [TargetJudgement], cap: Int) {
        self.index = index
        self.replications = replications
        self.objective = objective
        self.judgements = judgements
        self.cap = cap
    }

    /// Judges `output`'s targets (its config's expect list) and estimates `objective` on it.
    public init(_ index: Int, _ output: RunOutput, objective: AdviceObjective, cap: Int) {
        let (value, low, high) = objective.statistic.interval(
            of: objective.metric.sample(output.results, config: output.config))
        self.init(
            index: index, replications: output.results.count,
            objective: Estimate(value: value, low: low.isFinite ? low : nil, high: high.isFinite ? high : nil),
            judgements: TargetJudgement.judge(output.config.expect, output), cap: cap)
    }

    /// Met when every target is met, failed when one is failed, otherwise undecided.
    public var verdict: TargetJudgement.Verdict {
        if judgements.contains(where: { $0.verdict == .failed }) { return .failed }
        return judgements.allSatisfy { $0.verdict == .met } ? .met : .undecided
    }

    /// Undecided, and more replications may decide it: below the cap, with an undecided target that
    /// some count of replications can settle.
    public var decidable: Bool {
        verdict == .undecided && replications < cap
            && judgements.contains { $0.verdict == .undecided && !$0.undecidable }
    }
}

/// `drsim advise`'s answer (docs/config.md, "advise"): every point of a grid judged on the same
/// incidents, the cheapest point whose targets are all met with confidence, the runner-up, and the
/// cheaper points with the targets they fail or leave undecided.
public struct Advice: Sendable {
    /// The config every point starts from (the file and `--set`, without the grid).
    public var base: Config
    public var grid: SweepGrid
    public var objective: AdviceObjective
    /// The targets every point is judged on, in order.
    public var targets: [Expectation]
    /// The replications every point starts from, and the most any may run.
    public var start: Int
    public var cap: Int
    /// Point k's judgement, in grid order.
    public var points: [AdvicePoint]

    public init(
        base: Config, grid: SweepGrid, objective: AdviceObjective, targets: [Expectation], start: Int, cap: Int,
        points: [AdvicePoint]
    ) {
        self.base = base
        self.grid = grid
        self.objective = objective
        self.targets = targets
        self.start = start
        self.cap = cap
        self.points = points
    }

    /// The points from the lowest objective to the highest (ties in grid order; points without an
    /// estimate last).
    public var order: [Int] { Self.order(points) }

    /// `points` from the lowest objective to the highest (as `order`).
    public static func order(_ points: [AdvicePoint]) -> [Int] {
        points.indices.sorted { a, b in
            let (x, y) = (points[a].objective.value ?? .infinity, points[b].objective.value ?? .infinity)
            return x != y ? x < y : a < b
        }
    }

    /// The answer: the point of lowest objective whose targets are all met; nil if none is.
    public var chosen: Int? { order.first { points[$0].verdict == .met } }

    /// The next point, by objective, whose targets are all met.
    public var runnerUp: Int? {
        guard let c = chosen else { return nil }
        return order.drop(while: { $0 != c }).dropFirst().first { points[$0].verdict == .met }
    }

    /// The points cheaper than the answer (every point when there is none), cheapest first.
    public var cheaper: [Int] { Array(order.prefix(while: { $0 != chosen })) }

    /// Passed when a point meets every target, failed when every point fails one, otherwise undecided.
    public var outcome: CheckReport.Outcome {
        if chosen != nil { return .passed }
        return points.allSatisfy { $0.verdict == .failed } ? .failed : .undecided
    }

    /// The points to run further: those that could still be the answer (cheaper than the cheapest
    /// all-met point) and are undecided, while more replications may decide them.
    public static func toGrow(_ points: [AdvicePoint]) -> [Int] {
        var out: [Int] = []
        for k in order(points) {
            if points[k].verdict == .met { break }
            if points[k].decidable { out.append(k) }
        }
        return out
    }

    /// Runs `configs` (a grid's points, each with the targets in its expect list) from `start`
    /// replications on `threads` workers, then adds replications, on the same incidents, to each
    /// point that could still be the answer while it is undecided, up to `cap` (`Precision.next`
    /// sizes each step as `--until-decided` does). The counts depend only on the results, so they are
    /// the same for any number of threads. Returns the points' judgements and the runs they were judged
    /// on, both in grid order; throws a `UsageError` when no point has an estimate of the objective.
    public static func search(
        _ configs: [Config], objective: AdviceObjective, start: Int, cap: Int, threads: Int, progress: RunProgress?
    ) throws -> (points: [AdvicePoint], runs: [RunOutput]) {
        var runs = GrowingRuns(configs)
        var counts = Array(repeating: min(start, cap), count: configs.count)
        while true {
            try runs.extend(to: counts, threads: threads, progress: progress)
            let outputs = runs.outputs
            let points = outputs.indices.map { AdvicePoint($0, outputs[$0], objective: objective, cap: cap) }
            guard points.contains(where: { $0.objective.value != nil }) else {
                let why = configs.lazy.compactMap { objective.metric.absence(in: $0) }.first
                throw UsageError(
                    "--minimize \(objective): no point of the grid has an estimate of it ("
                        + (why ?? "no replication gives \(objective.metric.rawValue) a value before the horizon")
                        + "); minimize another metric")
            }
            let grow = toGrow(points)
            if grow.isEmpty { return (points, outputs) }
            for k in grow {
                let open = points[k].judgements.filter { $0.verdict == .undecided && !$0.undecidable }
                counts[k] = Precision.next(after: counts[k], open, cap: cap)
            }
        }
    }
}
