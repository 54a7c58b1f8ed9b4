import DRSim
import DRSimKernel
import Foundation

/// Measurements for `drsim bench`. Each returns figures for this machine; none is a pass/fail test.
public enum Benchmarks {
    /// What `body` returns, and the seconds of wall-clock time it takes.
    public static func timed<T>(_ body: () throws -> T) rethrows -> (value: T, seconds: Double) {
        let start = DispatchTime.now().uptimeNanoseconds
        let value = try body()
        return (value, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
    }

    /// Kernel throughput on the hold model with `pending` events, on the calling thread: events
    /// delivered per second over `events` deliveries, after as many again to warm up.
    public static func hold(pending: Int, events: Int, seed: UInt64 = 1) throws -> Double {
        let stream = RandomStream(key: StreamKey(seed: seed, replication: 0, component: "hold"))
        var sim = Simulation(model: HoldModel(stream: stream))
        for _ in 0..<pending {
            try sim.scheduler.schedule(.hold, after: SimTime(microseconds: Int64(stream.exponential(mean: 1_000_000))))
        }
        for _ in 0..<events { try sim.step() }
        let seconds = try timed {
            for _ in 0..<events { try sim.step() }
        }.seconds
        return Double(events) / seconds
    }

    /// Replications per second of a config with `threads` workers, and the result files' bytes (for
    /// checking that they do not depend on the thread count).
    public static func replications(_ config: Config, threads: Int) throws -> (perSecond: Double, files: [String]) {
        let (output, seconds) = try timed { try Runner.run(config, threads: threads) }
        return (Double(config.replications) / seconds, ResultFiles(output).texts)
    }
}
