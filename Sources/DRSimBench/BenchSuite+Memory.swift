import DRSim
import Foundation

extension BenchSuite {
    /// One run of the seed model whose peak memory part 4 measures.
    struct MemoryRun {
        var label: String
        var replications: Int
        /// `--threads`, if the run does not use all cores.
        var threads: Int?
        /// `--set` overrides, `PATH=VALUE`.
        var sets: [String] = []
    }

    /// The runs part 4 measures: a large run, and runs that stress the other terms of the resource
    /// guard's estimate (one worker's accumulators, the timeline, the resolvers).
    func memoryRuns(replications memReps: Int) -> [MemoryRun] {
        let resolverRuns = options.quick ? 10 : 100
        return [
            MemoryRun(label: "\(memReps) replications, all cores", replications: memReps),
            MemoryRun(label: "1,000 replications, one worker", replications: 1000, threads: 1),
            MemoryRun(
                label: "100 replications, 20,000 timeline rows, all cores", replications: 100,
                sets: ["timeline_step_s=0.18"]),
            MemoryRun(
                label: "\(resolverRuns) replications, 100,000 resolvers, all cores", replications: resolverRuns,
                sets: ["clients.resolvers=100000"]),
        ]
    }

    /// Part 4: the peak resident memory of `memoryRuns`, each in a child process, beside what the
    /// resource guard estimates from its config. Skipped when the large run's replications are 0.
    func peakMemory(_ seed: SeedModel) throws {
        let memReps = options.memoryReplications ?? (options.quick ? 20_000 : 1_000_000)
        guard memReps > 0 else { return }
        output(
            "\npeak memory, seed-active-passive (child processes; estimate: what the resource guard expects "
                + "from the config)")
        for run in memoryRuns(replications: memReps) {
            let out = BenchScratch.make("drsim-bench-\(getpid())")
            defer { BenchScratch.remove(out) }
            let args =
                ["run", seed.path, "--replications", "\(run.replications)"]
                + (run.threads.map { ["--threads", "\($0)"] } ?? [])
                + run.sets.flatMap { ["--set", $0] } + ["--out", out.path, "--quiet", "--no-placeholder-range"]
            let (seconds, peak) = try ChildRun.measure(options.executable, args)
            let config = try seed.config(setting: run.sets, replications: run.replications)
            let estimate = ResourceEstimate(
                [config], replications: run.replications,
                workers: run.threads ?? cores
            ).bytes
            output(
                String(
                    format: "  %@: %.1f s, peak resident memory %.0f MB, estimate %.0f MB", run.label, seconds,
                    Double(peak) / 1e6, estimate / 1e6))
        }
    }
}
