import DRSimKernel
import DRSimResults
import Dispatch
import Foundation

/// The success fraction over time across replications (docs/model.md, "What a replication reports"): at each timeline
/// point,
/// the mean and the 5th, 50th and 95th percentiles.
public struct Timeline: Sendable, Equatable {
    public var times: [Double]
    public var mean: [Double]
    public var p05: [Double]
    public var p50: [Double]
    public var p95: [Double]
    /// Percentiles are read from a histogram with this bin width: exact to ±half of it.
    public static let resolution = 0.001
}

/// Everything a run produced, in replication order.
public struct RunOutput: Sendable {
    public var config: Config
    public var results: [ReplicationResult]
    public var timeline: Timeline
    public var summaries: [MetricSummary]
}

public enum Runner {
    /// Replications handed to a worker at a time.
    static let chunk = 16
    /// The memory a pass over several points may give to its timeline accumulators and its workers'
    /// client populations (`passSize`).
    public static let passBudget = 512e6

    /// Runs every replication of `config` on `threads` workers. The output is the same, byte for byte,
    /// whatever the number of threads: each replication draws only from its own streams, results are
    /// stored by replication index, and timeline statistics are integer sums and counts. `progress`, if
    /// given, counts finished replications as they finish (it never changes a result).
    public static func run(_ config: Config, threads: Int, progress: RunProgress? = nil) throws -> RunOutput {
        try run([config], threads: threads, progress: progress)[0]
    }

    /// Runs every config, each to its own count, on `threads` workers: the points of a sweep or the
    /// sides of a comparison. Points run together in passes (`passSize`, bounded by `passBudget`), each
    /// worker running a chunk of replications for every point of the pass in turn so that the points
    /// share what they have in common (`SharedWork`); a pass's timeline sums are dropped once its
    /// outputs are made. Each output is byte for byte that of `run` on its config alone.
    public static func run(
        _ configs: [Config], threads: Int, progress: RunProgress? = nil, passBudget: Double = passBudget
    ) throws -> [RunOutput] {
        var outputs: [RunOutput] = []
        let size = passSize(configs, threads: threads, budget: passBudget)
        for from in stride(from: 0, to: configs.count, by: size) {
            let pass = Array(configs[from..<min(configs.count, from + size)])
            var runs = GrowingRuns(pass, passBudget: passBudget)
            try runs.extend(to: pass.map(\.replications), threads: threads, progress: progress)
            outputs += runs.outputs
        }
        return outputs
    }

    /// How many points run together: as many as fit `budget` with their timeline accumulators
    /// (`stripes`) and a client population per point on each worker; at least one.
    public static func passSize(_ configs: [Config], threads: Int, budget: Double = passBudget) -> Int {
        let workers = max(1, threads)
        let (accumulator, population) = ResourceEstimate.bytesPerPoint(configs)
        var size = configs.count
        while size > 1
            && Double(size * stripes(points: size, workers: workers)) * accumulator + Double(size * workers)
                * population > budget
        {
            size -= 1
        }
        return max(1, size)
    }

    /// Timeline accumulators per point when `workers` run `points` points together: enough that
    /// workers seldom wait for one (one each for a single point, one per point when there are at
    /// least as many points as workers).
    static func stripes(points: Int, workers: Int) -> Int { max(1, (workers + points - 1) / max(1, points)) }
}

/// Runs of one config or several that grow in batches: replications 0..<count of each so far, with
/// their timeline sums. Extending runs only the new replications, and each output is byte for byte
/// that of a run of its count from the start (a replication never depends on the others, and the
/// timeline is integer sums).
public struct GrowingRuns: Sendable {
    /// The configs, each `replications` the count run so far.
    public private(set) var configs: [Config]
    public private(set) var results: [[ReplicationResult]]
    private var timelines: [TimelineAccumulator?]
    /// Each config's cost per month (docs/model.md, "Cost"): it follows from the config, so it is worked out
    /// once and only the year's part per replication.
    private let costs: [CostModel]
    /// Bounds the memory of a pass of `extend` (`Runner.passSize`).
    let passBudget: Double

    /// Runs of `configs` with no replication yet (whatever their `replications` say).
    public init(_ configs: [Config], passBudget: Double = Runner.passBudget) {
        self.passBudget = passBudget
        self.configs = configs.map { c in
            var c = c
            c.replications = 0
            return c
        }
        results = Array(repeating: [], count: configs.count)
        timelines = Array(repeating: nil, count: configs.count)
        costs = configs.map(CostModel.init)
    }

    /// Runs replications `count..<n` of every config on `threads` workers; `progress` counts finished
    /// replications.
    public mutating func extend(to n: Int, threads: Int, progress: RunProgress? = nil) throws {
        try extend(to: Array(repeating: n, count: configs.count), threads: threads, progress: progress)
    }

    /// Runs replications `count..<counts[k]` of config k (none if `counts[k]` ≤ its count), in passes
    /// of `Runner.passSize` points.
    public mutating func extend(to counts: [Int], threads: Int, progress: RunProgress? = nil) throws {
        precondition(counts.count == configs.count, "one count per config")
        let size = Runner.passSize(configs, threads: threads, budget: passBudget)
        for from in stride(from: 0, to: configs.count, by: size) {
            try extendPass(
                Array(from..<min(configs.count, from + size)), to: counts, threads: threads, progress: progress)
        }
    }

    private mutating func extendPass(_ points: [Int], to counts: [Int], threads: Int, progress: RunProgress?) throws {
        let starts = points.map { results[$0].count }
        let ends = points.indices.map { max(starts[$0], counts[points[$0]]) }
        let first = starts.min() ?? 0
        let last = ends.max() ?? 0
        guard last > first, zip(starts, ends).contains(where: { $0 < $1 }) else { return }
        let configs = points.map { self.configs[$0] }
        let costs = points.map { self.costs[$0] }
        let workers = max(1, min(threads, (last - first + Runner.chunk - 1) / Runner.chunk))
        // Workers write each replication's result straight into its slot of the final arrays, which
        // are moved into boxes for the pass so that each can lend its buffer (`withBuffers`).
        let boxes = points.enumerated().map { p, k in
            let box = ResultBox(results[k])
            results[k] = []
            box.values.append(contentsOf: repeatElement(ReplicationResult(), count: ends[p] - starts[p]))
            return box
        }
        let shared = ResultBox.withBuffers(boxes) { buffers in
            let shared = Shared(results: buffers, from: starts, to: ends, workers: workers, progress: progress)
            DispatchQueue.concurrentPerform(iterations: workers) { w in shared.work(worker: w, configs, costs) }
            return shared
        }
        for (p, k) in points.enumerated() {
            results[k] = boxes[p].values
            if shared.error != nil { results[k].removeSubrange(starts[p]...) }
        }
        if let e = shared.error { throw e }
        for (p, k) in points.enumerated() {
            // Moved out, not copied, so that merging into the first copies nothing.
            var stripes = shared.takeAccumulators(point: p)
            if timelines[k] == nil && !stripes.isEmpty { timelines[k] = stripes.removeFirst() }
            for a in stripes { timelines[k]!.merge(a) }
            self.configs[k].replications = ends[p]
        }
    }

    /// Config k's results, timeline and summaries so far.
    public func output(_ k: Int) -> RunOutput {
        let n = results[k].count
        let timeline =
            timelines[k]?.timeline(replications: n) ?? Timeline(times: [], mean: [], p05: [], p50: [], p95: [])
        let summaries = Metric.allCases.map { m in
            MetricSummary(metric: m.rawValue, sample: m.sample(results[k], config: configs[k]))
        }
        return RunOutput(config: configs[k], results: results[k], timeline: timeline, summaries: summaries)
    }

    public var outputs: [RunOutput] { configs.indices.map(output) }
}

/// A run of one config that grows in batches (`GrowingRuns` of one).
public struct GrowingRun: Sendable {
    private var runs: GrowingRuns

    /// A run of `config` with no replication yet (whatever `config.replications` says).
    public init(_ config: Config) { runs = GrowingRuns([config]) }

    /// The config, its `replications` the count run so far.
    public var config: Config { runs.configs[0] }
    public var results: [ReplicationResult] { runs.results[0] }
    public var count: Int { runs.results[0].count }

    /// Runs replications `count..<n` on `threads` workers; nothing if `n ≤ count`. `progress` counts
    /// finished replications.
    public mutating func extend(to n: Int, threads: Int, progress: RunProgress? = nil) throws {
        try runs.extend(to: n, threads: threads, progress: progress)
    }

    /// The results, timeline and summaries of the replications run so far.
    public var output: RunOutput { runs.output(0) }
}

/// One point's results while a pass runs.
private final class ResultBox {
    var values: [ReplicationResult]
    init(_ values: [ReplicationResult]) { self.values = values }

    /// Calls `body` with every box's buffer, valid for the call.
    static func withBuffers<R>(_ boxes: [ResultBox], _ body: ([UnsafeMutableBufferPointer<ReplicationResult>]) -> R)
        -> R
    {
        func nest(_ i: Int, _ buffers: [UnsafeMutableBufferPointer<ReplicationResult>]) -> R {
            guard i < boxes.count else { return body(buffers) }
            return boxes[i].values.withUnsafeMutableBufferPointer { nest(i + 1, buffers + [$0]) }
        }
        return nest(0, [])
    }
}

/// State the workers share: the next chunk to take, the results by point and index, and the timeline
/// accumulators, `stripes` per point, each behind its lock (integer sums, so the order in which
/// workers add to them never changes a byte).
private final class Shared: @unchecked Sendable {
    let results: [UnsafeMutableBufferPointer<ReplicationResult>]
    let from: [Int], to: [Int]
    let workers: Int
    let stripes: Int
    /// One timeline accumulator, made by the first worker to add to it, and its lock.
    final class Stripe {
        let lock = NSLock()
        var sums: TimelineAccumulator?
    }

    /// Point p's stripe s at p · stripes + s.
    private let accumulators: [Stripe]
    private let lock = NSLock()
    private var next: Int
    private let end: Int
    private(set) var error: KernelError?
    let progress: RunProgress?

    /// Replications `from[p]..<to[p]` of point p are to be run into `results[p]`, which must stay
    /// valid until every worker has returned.
    init(
        results: [UnsafeMutableBufferPointer<ReplicationResult>], from: [Int], to: [Int], workers: Int,
        progress: RunProgress?
    ) {
        self.results = results
        self.from = from
        self.to = to
        self.workers = workers
        stripes = Runner.stripes(points: results.count, workers: workers)
        accumulators = (0..<results.count * stripes).map { _ in Stripe() }
        next = from.min() ?? 0
        end = to.max() ?? 0
        self.progress = progress
    }

    private func take() -> Range<Int>? {
        lock.lock()
        defer { lock.unlock() }
        guard error == nil, next < end else { return nil }
        let r = next..<min(end, next + Runner.chunk)
        next = r.upperBound
        return r
    }

    private func fail(_ e: KernelError) {
        lock.lock()
        if error == nil { error = e }
        lock.unlock()
    }

    /// Point p's accumulators, in stripe order, given up by the workers (call once they are done).
    func takeAccumulators(point p: Int) -> [TimelineAccumulator] {
        (0..<stripes).compactMap { s in
            let stripe = accumulators[p * stripes + s]
            defer { stripe.sums = nil }
            return stripe.sums
        }
    }

    /// Runs chunks of replications until none is left, each result with its cost per month (`costs`, one per
    /// point, docs/model.md "Cost").
    func work(worker w: Int, _ configs: [Config], _ costs: [CostModel]) {
        let shared = SharedWork(configs, slots: Runner.chunk)
        let sims = configs.indices.map { IncidentSimulator(config: configs[$0], point: $0, shared: shared) }
        let n = configs.count
        // Workers start at different points, so that those sharing an accumulator seldom meet.
        let first = w * n / workers
        while let range = take() {
            // Point by point, so that each simulator's scratch stays in cache for the chunk.
            shared.start(replications: range)
            for q in 0..<n {
                let p = (first + q) % n
                let lo = max(range.lowerBound, from[p])
                let hi = min(range.upperBound, to[p])
                guard lo < hi else { continue }
                let stripe = accumulators[p * stripes + w % stripes]
                for i in lo..<hi {
                    do {
                        results[p][i] = try sims[p].run(replication: i)
                        results[p][i].cost = costs[p].estimate(year: results[p][i].year)
                    } catch {
                        fail(error)
                        return
                    }
                    stripe.lock.lock()
                    if stripe.sums == nil {
                        let c = configs[p]
                        stripe.sums = TimelineAccumulator(
                            points: Int((c.horizon / c.timelineStep).rounded(.down)) + 1, step: c.timelineStep,
                            totalWeight: sims[p].populationPlan.totalWeight)
                    }
                    stripe.sums!.add(sims[p].curve)
                    stripe.lock.unlock()
                }
                // Only the point being run keeps the buffers that grow with its moves, so that a pass of
                // many points needs about the memory of one (a config whose answer flaps needs hundreds
                // of megabytes of them).
                if n > 1 { sims[p].releaseScratch() }
                progress?.add(hi - lo)
            }
        }
    }
}
