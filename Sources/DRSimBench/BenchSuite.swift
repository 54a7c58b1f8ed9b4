import DRSim
import Foundation

/// `drsim bench`: measures drsim on this machine, part by part, and hands each line of figures to
/// `output` as soon as it is measured. Figures only, no pass or fail; each figure is the best of
/// `tries` measurements, the least disturbed by whatever else the machine runs.
public struct BenchSuite {
    let options: BenchOptions
    let output: (String) -> Void
    let cores = ProcessInfo.processInfo.activeProcessorCount

    /// Numbers of pending events the hold model is measured at, in drsim's kernel and in SimPy.
    static let holdSizes = [10, 1_000, 100_000]

    public init(_ options: BenchOptions, output: @escaping (String) -> Void) {
        self.options = options
        self.output = output
    }

    /// Runs every part in turn, each printing its own section.
    public func run() throws {
        output(
            "drsim \(DRSimInfo.version) bench on \(cores) cores"
                + (options.quick ? " (quick: small sizes, figures are rough)" : ""))
        let holdRates = try kernelHold()
        let seed = try replicationsPerSecond()
        try parallelEfficiency(seed)
        try peakMemory(seed)
        try sweepAgainstRuns(seed)
        try yearOfOperation(seed)
        if let baseline = options.baseline {
            try againstBaseline(baseline)
        }
        if options.simPy {
            try simPyTwins(seed, drsimHold: holdRates)
        }
    }

    var tries: Int { options.quick ? 1 : 3 }

    /// The highest of `tries` measurements.
    func best(_ measure: () throws -> Double) rethrows -> Double {
        var top = 0.0
        for _ in 0..<tries { top = max(top, try measure()) }
        return top
    }

    /// Part 1, the kernel: events delivered per second on the hold model, one core, at each of
    /// `holdSizes` pending events; returns them by that number.
    func kernelHold() throws -> [Int: Double] {
        output(
            "\nkernel hold model (one core; each delivered event schedules one more, exponential delay; "
                + "best of \(tries))")
        var rates: [Int: Double] = [:]
        for p in Self.holdSizes {
            let rate = try best { try Benchmarks.hold(pending: p, events: options.quick ? 200_000 : 5_000_000) }
            rates[p] = rate
            output(String(format: "  P = %7d pending: %6.2f million events/s", p, rate / 1e6))
        }
        return rates
    }

    /// Part 2: replications per second of every bundled model, one core; returns the seed model.
    func replicationsPerSecond() throws -> SeedModel {
        output("\nreplications per second, one core, best of \(tries)")
        let files = try FileManager.default.contentsOfDirectory(atPath: options.models)
            .filter { $0.hasSuffix(".json") }.sorted()
        var seed: SeedModel?
        for f in files {
            let path = "\(options.models)/\(f)"
            let data = try Data(contentsOf: URL(fileURLWithPath: path))
            let replications = try Override(parsing: "replications=\(options.quick ? 200 : 5000)")
            let config = try Config.load(
                data: data, overrides: [replications],
                defaultName: String(f.dropLast(5))
            ).config
            if f == SeedModel.file { seed = SeedModel(path: path, data: data, config: config) }
            let rate = try best { try Benchmarks.replications(config, threads: 1).perSecond }
            output(
                "  " + f.padding(toLength: 38, withPad: " ", startingAt: 0)
                    + String(format: "%8.0f replications/s", rate))
        }
        guard let seed else { throw BenchError.invalid("\(options.models)/\(SeedModel.file) is missing") }
        return seed
    }

    /// Part 3: parallel efficiency on the seed model, one thread against all cores, interleaved, with a
    /// check that the result files' bytes do not depend on the thread count.
    func parallelEfficiency(_ seed: SeedModel) throws {
        var config = seed.config
        config.replications = options.quick ? 1_000 : 20_000
        output(
            "\nparallel efficiency, seed-active-passive, \(config.replications) replications, best of \(tries) "
                + "(1 and \(cores) threads interleaved)")
        var one = 0.0
        var all = 0.0
        var identical = true
        for _ in 0..<tries {
            let a = try Benchmarks.replications(config, threads: 1)
            one = max(one, a.perSecond)
            if cores > 1 {
                let b = try Benchmarks.replications(config, threads: cores)
                all = max(all, b.perSecond)
                identical = identical && a.files == b.files
            }
        }
        output(String(format: "  1 thread : %8.0f replications/s", one))
        if cores > 1 {
            output(
                String(
                    format: "  %d threads: %8.0f replications/s, efficiency %.0f%%, output bytes %@", cores, all,
                    100 * all / one / Double(cores), identical ? "identical" : "DIFFERENT"))
        }
    }
}

/// The bundled seed model, which most parts measure: its file, its bytes (read once) and its config
/// as part 2 loaded it.
struct SeedModel {
    static let file = "seed-active-passive.json"
    let path: String
    let data: Data
    let config: Config

    /// The seed model with `sets` (`PATH=VALUE`, as `--set` takes them) and `replications`.
    func config(setting sets: [String], replications: Int) throws -> Config {
        let overrides = try (sets + ["replications=\(replications)"]).map { s throws(ConfigIssue) in
            try Override(parsing: s)
        }
        do {
            return try Config.load(data: data, overrides: overrides, defaultName: "seed-active-passive").config
        } catch {
            throw BenchError.badConfig(error)
        }
    }
}
