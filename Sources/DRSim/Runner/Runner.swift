import Dispatch
import DRSimKernel
import Foundation

/// The success fraction over time across replications (MODEL.md section 10): at each timeline point,
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

/// Metric names as they appear in the result files (MODEL.md section 10).
public enum Metric: String, CaseIterable, Sendable {
    case detection = "detection_s"
    case rto = "rto_s"
    case recovered50 = "recovered_50_s"
    case recovered90 = "recovered_90_s"
    case recovered99 = "recovered_99_s"
    case failedRequests = "failed_requests"
    case rpo = "rpo_s"
    case lostWrites = "lost_writes"

    /// The value of this metric in one replication, nil if it never happened; with whether it is censored.
    func value(_ r: ReplicationResult) -> Double? {
        switch self {
        case .detection: r.detection
        case .rto: r.rto
        case .recovered50: r.recovered50
        case .recovered90: r.recovered90
        case .recovered99: r.recovered99
        case .failedRequests: r.failedRequests
        case .rpo: r.rpo
        case .lostWrites: Double(r.lostWrites)
        }
    }
    func censored(_ r: ReplicationResult) -> Bool {
        switch self {
        case .rto: r.rtoCensored
        default: value(r) == nil
        }
    }
}

public enum Runner {
    /// Replications handed to a worker at a time.
    static let chunk = 16

    /// Runs every replication of `config` on `threads` workers. The output is the same, byte for byte,
    /// whatever the number of threads: each replication draws only from its own streams, results are
    /// stored by replication index, and timeline statistics are integer sums and counts.
    public static func run(_ config: Config, threads: Int) throws -> RunOutput {
        let n = config.replications
        let points = Int((config.horizon / config.timelineStep).rounded(.down)) + 1
        let workers = max(1, min(threads, (n + chunk - 1) / chunk))
        let shared = Shared(replications: n, workers: workers, points: points)
        defer { shared.release() }

        DispatchQueue.concurrentPerform(iterations: workers) { w in
            shared.work(worker: w, config: config, points: points)
        }
        if let e = shared.error { throw e }

        let results = Array(shared.results)
        // Merge the workers' timeline accumulators in worker order (integer adds: order-free anyway).
        var sums = [UInt64](repeating: 0, count: points)
        var hist = [UInt32](repeating: 0, count: points * Shared.bins)
        for w in 0..<workers {
            for p in 0..<points { sums[p] &+= shared.sums[w][p] }
            for b in 0..<hist.count { hist[b] &+= shared.hists[w][b] }
        }
        let total = Double(ClientPopulation.Plan(config).totalWeight)
        var timeline = Timeline(times: [], mean: [], p05: [], p50: [], p95: [])
        for p in 0..<points {
            timeline.times.append(Double(p) * config.timelineStep)
            timeline.mean.append(Double(sums[p]) / total / Double(n))
            let row = hist[(p * Shared.bins)..<((p + 1) * Shared.bins)]
            timeline.p05.append(histogramQuantile(row, 0.05, n))
            timeline.p50.append(histogramQuantile(row, 0.5, n))
            timeline.p95.append(histogramQuantile(row, 0.95, n))
        }
        let summaries = Metric.allCases.map { m in
            var s = Sample()
            for r in results {
                let c = m.censored(r)
                s.append(m.value(r) ?? config.horizon, censored: c)
            }
            return MetricSummary(metric: m.rawValue, sample: s)
        }
        return RunOutput(config: config, results: results, timeline: timeline, summaries: summaries)
    }

    /// The q-quantile of a histogram of `n` values in bins of width `Timeline.resolution`: the
    /// smallest bin whose cumulative count reaches ⌈q·n⌉ (the inverse of the empirical CDF).
    static func histogramQuantile(_ row: ArraySlice<UInt32>, _ q: Double, _ n: Int) -> Double {
        let need = max(1, Int((q * Double(n)).rounded(.up)))
        var acc = 0
        for (i, c) in row.enumerated() {
            acc += Int(c)
            if acc >= need { return Double(i) * Timeline.resolution }
        }
        return 1
    }
}

/// State the workers share: the next chunk to take, the results by index, per-worker accumulators.
private final class Shared: @unchecked Sendable {
    static let bins = Int((1 / Timeline.resolution).rounded()) + 1
    let results: UnsafeMutableBufferPointer<ReplicationResult>
    var sums: [[UInt64]]
    var hists: [[UInt32]]
    private let lock = NSLock()
    private var next = 0
    private(set) var error: KernelError?
    let count: Int

    init(replications n: Int, workers: Int, points: Int) {
        count = n
        results = .allocate(capacity: n)
        results.initialize(repeating: ReplicationResult())
        sums = Array(repeating: [], count: workers)
        hists = Array(repeating: [], count: workers)
    }

    func release() { results.deallocate() }

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
        var sum = [UInt64](repeating: 0, count: points)
        var hist = [UInt32](repeating: 0, count: points * Self.bins)
        let total = Double(sim.populationPlan.totalWeight)
        while let range = take() {
            for i in range {
                do {
                    results[i] = try sim.run(replication: i)
                } catch {
                    fail(error)
                    return
                }
                // Sample s(t) at every timeline point.
                let curve = sim.curve
                var step = 0
                for p in 0..<points {
                    let t = Double(p) * config.timelineStep
                    while step + 1 < curve.times.count && curve.times[step + 1] <= t { step += 1 }
                    let up = curve.upWeight[step]
                    sum[p] &+= UInt64(up)
                    let bin = Int((Double(up) / total / Timeline.resolution).rounded())
                    hist[p * Self.bins + min(bin, Self.bins - 1)] &+= 1
                }
            }
        }
        lock.lock()
        sums[w] = sum
        hists[w] = hist
        lock.unlock()
    }
}
