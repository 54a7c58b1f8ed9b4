import Dispatch
import DRSimKernel
import Foundation

/// The success fraction over time across replications (docs/model.md, "What a replication reports"): at each timeline point,
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

/// Metric names as they appear in the result files (docs/model.md, "What a replication reports").
public enum Metric: String, CaseIterable, Sendable {
    case detection = "detection_s"
    case rto = "rto_s"
    case recovered50 = "recovered_50_s"
    case recovered90 = "recovered_90_s"
    case recovered99 = "recovered_99_s"
    case failedRequests = "failed_requests"
    case writeRTO = "write_rto_s"
    case rpo = "rpo_s"
    case lostWrites = "lost_writes"
    case delayedWrites = "delayed_writes"
    /// Not modelled yet (it needs a key space and a popularity skew): always empty.
    case conflictOverwrites = "conflict_overwrites"
    case falseFailovers = "false_failovers"

    /// The value of this metric in one replication, nil if it never happened or does not apply.
    public func value(_ r: ReplicationResult) -> Double? {
        switch self {
        case .detection: r.detection
        case .rto: r.rto
        case .recovered50: r.recovered50
        case .recovered90: r.recovered90
        case .recovered99: r.recovered99
        case .failedRequests: r.failedRequests
        case .writeRTO: r.writeRTO
        case .rpo: r.rpo
        case .lostWrites: Double(r.lostWrites)
        case .delayedWrites: Double(r.delayedWrites)
        case .conflictOverwrites: nil
        case .falseFailovers: Double(r.falseFailovers)
        }
    }
    /// Whether the metric applies to a config: `conflict_overwrites` is not modelled in this version,
    /// and with no writes there is no write recovery.
    public func applies(to config: Config) -> Bool {
        switch self {
        case .conflictOverwrites: false
        case .writeRTO: config.traffic.writeShare > 0
        default: true
        }
    }
    /// Whether the event did not happen before the horizon (`rto_s`: the target was never held).
    public func censored(_ r: ReplicationResult) -> Bool {
        switch self {
        case .rto: r.rtoCensored
        default: value(r) == nil
        }
    }

    /// This metric over `results`, a censored value standing for `config`'s horizon; empty where the
    /// metric does not apply (docs/model.md, "Statistics").
    public func sample(_ results: [ReplicationResult], config: Config) -> Sample {
        var s = Sample()
        guard applies(to: config) else { return s }
        s.values.reserveCapacity(results.count)
        s.censored.reserveCapacity(results.count)
        for r in results { s.append(value(r) ?? config.horizon, censored: censored(r)) }
        return s
    }
}

public enum Runner {
    /// Replications handed to a worker at a time.
    static let chunk = 16

    /// Runs every replication of `config` on `threads` workers. The output is the same, byte for byte,
    /// whatever the number of threads: each replication draws only from its own streams, results are
    /// stored by replication index, and timeline statistics are integer sums and counts. `progress`, if
    /// given, counts finished replications as they finish (it never changes a result).
    public static func run(_ config: Config, threads: Int, progress: RunProgress? = nil) throws -> RunOutput {
        var run = GrowingRun(config)
        try run.extend(to: config.replications, threads: threads, progress: progress)
        return run.output
    }
}

/// A run that grows in batches: replications 0..<count so far, with their timeline sums. Extending it
/// runs only the new replications, and its output is byte for byte that of a run of `count`
/// replications from the start (a replication never depends on the others, and the timeline is
/// integer sums).
public struct GrowingRun: Sendable {
    /// The config, its `replications` the count run so far.
    public private(set) var config: Config
    public private(set) var results: [ReplicationResult] = []
    private var timeline: TimelineAccumulator?

    /// A run of `config` with no replication yet (whatever `config.replications` says).
    public init(_ config: Config) {
        self.config = config
        self.config.replications = 0
    }

    public var count: Int { results.count }

    /// Runs replications `count..<n` on `threads` workers; nothing if `n ≤ count`. `progress` counts
    /// finished replications.
    public mutating func extend(to n: Int, threads: Int, progress: RunProgress? = nil) throws {
        let start = results.count
        guard n > start else { return }
        let config = self.config
        let points = Int((config.horizon / config.timelineStep).rounded(.down)) + 1
        let workers = max(1, min(threads, (n - start + Runner.chunk - 1) / Runner.chunk))
        // Workers write each replication's result straight into its slot of the final array.
        results.append(contentsOf: repeatElement(ReplicationResult(), count: n - start))
        let shared = results.withUnsafeMutableBufferPointer { buffer in
            let shared = Shared(results: buffer, from: start, workers: workers, progress: progress)
            DispatchQueue.concurrentPerform(iterations: workers) { w in
                shared.work(worker: w, config: config, points: points)
            }
            return shared
        }
        if let e = shared.error {
            results.removeSubrange(start...)
            throw e
        }
        var sum = timeline ?? shared.accumulators[0]
        for a in shared.accumulators.dropFirst(timeline == nil ? 1 : 0) { sum.merge(a) }
        timeline = sum
        self.config.replications = n
    }

    /// The results, timeline and summaries of the replications run so far.
    public var output: RunOutput {
        let n = results.count
        let timeline = self.timeline?.timeline(replications: n)
            ?? Timeline(times: [], mean: [], p05: [], p50: [], p95: [])
        let summaries = Metric.allCases.map { m in MetricSummary(metric: m.rawValue, sample: m.sample(results, config: config)) }
        return RunOutput(config: config, results: results, timeline: timeline, summaries: summaries)
    }
}

/// State the workers share: the next chunk to take, the results by index, per-worker accumulators.
private final class Shared: @unchecked Sendable {
    let results: UnsafeMutableBufferPointer<ReplicationResult>
    /// Each worker's timeline accumulator, stored when it finishes.
    var accumulators: [TimelineAccumulator]
    private let lock = NSLock()
    private var next = 0
    private(set) var error: KernelError?
    let count: Int
    let progress: RunProgress?

    /// Replications `from..<results.count` are to be run; `results` must stay valid until every worker
    /// has returned.
    init(results: UnsafeMutableBufferPointer<ReplicationResult>, from: Int, workers: Int, progress: RunProgress?) {
        count = results.count
        next = from
        self.progress = progress
        self.results = results
        accumulators = []
    }

    private func take() -> Range<Int>? {
        lock.lock()
        defer { lock.unlock() }
        guard error == nil, next < count else { return nil }
        let r = next..<min(count, next + Runner.chunk)
        next = r.upperBound
        return r
    }

    private func fail(_ e: KernelError) {
        lock.lock()
        if error == nil { error = e }
        lock.unlock()
    }

    func work(worker w: Int, config: Config, points: Int) {
        let sim = IncidentSimulator(config: config)
        var timeline = TimelineAccumulator(points: points, step: config.timelineStep,
                                           totalWeight: sim.populationPlan.totalWeight)
        while let range = take() {
            for i in range {
                do {
                    results[i] = try sim.run(replication: i)
                } catch {
                    fail(error)
                    return
                }
                timeline.add(sim.curve)
            }
            progress?.add(range.count)
        }
        lock.lock()
        accumulators.append(timeline)
        lock.unlock()
    }
}
