import ArgumentParser
import DRSim
import Foundation

struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measures drsim on this machine: kernel throughput, replications per second, parallel efficiency, peak memory, and the SimPy twin side by side.",
        discussion: "Figures only, no pass or fail. --quick runs every part at a small size, to check that the benchmarks still work.")

    @Flag(help: "Small sizes: a smoke run of every part (seconds, not minutes).")
    var quick = false

    @Option(help: "Replications for the 1,000,000-replication peak-memory run (0 skips it).")
    var memoryReplications: Int?

    @Flag(help: "Skip the SimPy twin (it needs python3 with simpy; see bench/requirements.txt).")
    var noSimpy = false

    @Option(help: "Folder with the bundled models.")
    var models = "models"

    func run() throws {
        let cores = ProcessInfo.processInfo.activeProcessorCount
        print("drsim \(DRSimInfo.version) bench on \(cores) cores\(quick ? " (quick: small sizes, figures are rough)" : "")")

        // 1. Kernel: the hold model, one core.
        print("\nkernel hold model (one core; each delivered event schedules one more, exponential delay; best of \(tries))")
        var holdRates: [Int: Double] = [:]
        for p in [10, 1_000, 100_000] {
            let rate = try best { try Benchmarks.hold(pending: p, events: quick ? 200_000 : 5_000_000) }
            holdRates[p] = rate
            print(String(format: "  P = %7d pending: %6.2f million events/s", p, rate / 1e6))
        }

        // 2. Replications per second, one core, every bundled model.
        print("\nreplications per second, one core, best of \(tries)")
        let files = try FileManager.default.contentsOfDirectory(atPath: models).filter { $0.hasSuffix(".json") }.sorted()
        var seedConfig: Config?
        for f in files {
            let path = "\(models)/\(f)"
            let loaded = try Config.load(data: Data(contentsOf: URL(fileURLWithPath: path)),
                                         overrides: [try Override(parsing: "replications=\(quick ? 200 : 5000)")],
                                         defaultName: String(f.dropLast(5)))
            if f == "seed-active-passive.json" { seedConfig = loaded.config }
            let rate = try best { try Benchmarks.replications(loaded.config, threads: 1).perSecond }
            print(String(format: "  %-32@ %8.0f replications/s", f as NSString, rate))
        }

        // 3. Parallel efficiency on the seed model, with a check that the bytes do not change.
        guard var seed = seedConfig else { throw ValidationError("\(models)/seed-active-passive.json is missing") }
        seed.replications = quick ? 1_000 : 20_000
        print("\nparallel efficiency, seed-active-passive, \(seed.replications) replications, best of \(tries) (1 and \(cores) threads interleaved)")
        var one = 0.0, all = 0.0, identical = true
        for _ in 0..<tries {
            let a = try Benchmarks.replications(seed, threads: 1)
            one = max(one, a.perSecond)
            if cores > 1 {
                let b = try Benchmarks.replications(seed, threads: cores)
                all = max(all, b.perSecond)
                identical = identical && a.files == b.files
            }
        }
        print(String(format: "  1 thread : %8.0f replications/s", one))
        if cores > 1 {
            print(String(format: "  %d threads: %8.0f replications/s, efficiency %.0f%%, output bytes %@", cores, all,
                         100 * all / one / Double(cores), identical ? "identical" : "DIFFERENT"))
        }

        // 4. Peak memory of a large run, in a child process.
        let memReps = memoryReplications ?? (quick ? 20_000 : 1_000_000)
        if memReps > 0 {
            print("\npeak memory, seed-active-passive, \(memReps) replications (child process, all cores)")
            let (seconds, maxRSS) = try measureChild(["run", "\(models)/seed-active-passive.json", "--replications", "\(memReps)",
                                                      "--out", NSTemporaryDirectory() + "drsim-bench-\(getpid())", "--quiet"])
            print(String(format: "  %.1f s, peak resident memory %.0f MB", seconds, Double(maxRSS) / 1e6))
        }

        // 5. The SimPy twin, side by side.
        if !noSimpy {
            try SimPyComparison(models: models, quick: quick, drsimHold: holdRates).run()
        }
    }

    var tries: Int { quick ? 1 : 3 }

    /// The highest of `tries` measurements: the least disturbed by whatever else the machine runs.
    func best(_ measure: () throws -> Double) rethrows -> Double {
        var top = 0.0
        for _ in 0..<tries { top = max(top, try measure()) }
        return top
    }

    /// Runs this binary with `args`; returns its wall-clock time and peak resident set size [bytes].
    func measureChild(_ args: [String]) throws -> (Double, Int) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        p.arguments = args
        p.standardOutput = FileHandle.nullDevice
        let start = Date()
        try p.run()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else { throw ValidationError("the child run failed with status \(p.terminationStatus)") }
        var usage = rusage()
        getrusage(__rusage_who_t(RUSAGE_CHILDREN.rawValue), &usage)
        return (Date().timeIntervalSince(start), usage.ru_maxrss * 1024)
    }
}
