import ArgumentParser
import DRSimBench
import Foundation

struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measures drsim on this machine: kernel throughput, replications per second, parallel efficiency, "
            + "peak memory, a 3 × 3 sweep against nine runs, optionally a baseline build, "
            + "and the SimPy twins side by side.",
        discussion: "Figures only, no pass or fail. --quick runs every part at a small size, "
            + "to check that the benchmarks still work.")

    @Flag(help: "Small sizes: a smoke run of every part (seconds, not minutes).")
    var quick = false

    @Option(parsing: .unconditional, help: "Replications for the 1,000,000-replication peak-memory run (0 skips it).")
    var memoryReplications: Int?

    @Flag(
        help: ArgumentHelp(
            "Skip the SimPy twins (they need simpy and numpy: the repository's .venv, DRSIM_PYTHON, "
                + "or python3; see bench/requirements.txt)."))
    var noSimpy = false

    @Option(help: "Folder with the bundled models.")
    var models = "models"

    @Option(
        help: ArgumentHelp(
            "Another drsim executable (say, a previous release build) to time against this one: "
                + "both run the seed model on one thread, alternating, best of 3, "
                + "and their result files are checked to be byte-identical.", valueName: "path"))
    var baseline: String?

    /// This drsim executable, which the benchmarks run as child processes.
    static var executable: URL { URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath() }

    var options: BenchOptions {
        BenchOptions(
            quick: quick, memoryReplications: memoryReplications, models: models, baseline: baseline,
            simPy: !noSimpy, executable: Self.executable)
    }

    func validate() throws {
        do { try options.validate() } catch { throw error.commandLineError }
    }

    func run() throws {
        do {
            try BenchSuite(options, output: { print($0) }).run()
        } catch let error as BenchError {
            throw error.commandLineError
        }
    }
}

extension BenchError {
    /// How the command line reports it: a benchmark that cannot run as asked as a command-line error
    /// (exit 64), a bad config with its problems listed (exit 65).
    var commandLineError: Error {
        switch self {
        case .invalid(let message): ValidationError(message)
        case .badConfig(let error): reportBadConfig(error, label: "bench")
        }
    }
}
