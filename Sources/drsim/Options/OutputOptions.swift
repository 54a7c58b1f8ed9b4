import ArgumentParser
import DRSim
import DRSimFiles
import DRSimResults
import DRSimStudy
import Foundation

/// Where and how a running command writes and prints its results.
struct OutputOptions: ParsableArguments {
    @Option(
        parsing: .unconditional, help: "Worker threads (default, and at most: all cores). Results never depend on it.")
    var threads: Int?

    @Option(
        help:
            ArgumentHelp(
                "Output folder (default: results/<name>/; sweep: results/<name>-sweep/; advise: "
                    + "results/<name>-advise/; compare: results/<name>-compare/ or results/<A>-vs-<B>/).")
    )
    var out: String?

    @Flag(help: "Print the summary as JSON on stdout instead of the table.")
    var json = false

    @Flag(
        help: ArgumentHelp(
            "Replace the results in the output folder (as a whole: it is swapped for the new one). "
                + "Without it, a folder holding results is left as it is and drsim stops before simulating."))
    var force = false

    @Flag(
        help:
            ArgumentHelp(
                "Quiet: nothing on stdout or stderr but errors (no table, warnings, progress or timing); --json still "
                    + "prints the JSON summary it asks for.")
    )
    var quiet = false

    func validate() throws {
        if let t = threads, t < 1 { throw ValidationError("--threads must be at least 1, found \(t)") }
        if out?.isEmpty == true { throw ValidationError("--out \"\": give a folder, e.g. --out results/NAME") }
    }

    /// Checks, before anything is simulated, that `dir` can take a result set
    /// (`ResultFolderGuard.checkResultFolder`); `replacing`: its results may be replaced (default:
    /// --force). On failure prints why and exits 1.
    func checkResultFolder(_ dir: URL, replacing: Bool? = nil, alsoWrites: Set<String> = []) throws {
        try refusing { () throws(ResultFolderRefusal) in
            try ResultFolderGuard.drsim.checkResultFolder(dir, replacing: replacing ?? force, alsoWrites: alsoWrites)
        }
    }

    /// Refuses, before anything is simulated, a run that would not fit this machine's memory
    /// (`ResourceEstimate`: `configs` held at once, `replications` each at the most), and says the
    /// estimate of a large one (over 1 GB) on stderr. Prints why and exits 1.
    func checkMemory(_ configs: [Config], replications: Int, growing: Bool) throws {
        let estimate = ResourceEstimate(configs, replications: replications, workers: workers, growing: growing)
        if let why = estimate.refusal() {
            printError("drsim: \(why)")
            throw ExitStatus.failure.code
        }
        if !quiet && estimate.bytes > 1e9 {
            printError(
                "drsim: this run will need about \(ResourceEstimate.text(estimate.bytes)) of memory (estimated from "
                    + "the config)"
            )
        }
    }

    /// More workers than cores would only cost memory (a timeline histogram each), never time.
    var workers: Int {
        let cores = ProcessInfo.processInfo.activeProcessorCount
        return min(threads ?? cores, cores)
    }

    func folder(default name: String) -> URL { URL(fileURLWithPath: out ?? "results/\(name)") }

    /// Writes `batch` all or nothing; on failure prints why and exits 1.
    func write(_ batch: FileBatch, to dir: URL) throws {
        do {
            try batch.write()
        } catch {
            printError("drsim: cannot write the results to \(dir.path): \((error as NSError).localizedDescription)")
            throw ExitStatus.failure.code
        }
    }

    /// Writes `batch`, whose result set replaces `dir` as a whole, then prints `text` (or `json` with
    /// --json) and, after the text, `precision`: how --precision went (`PrecisionOutcome.report`).
    /// `replacing`: the folder's results may be replaced (default: --force); without that, results that
    /// another run wrote there meanwhile are kept and this one fails.
    func finish(
        _ batch: FileBatch, in dir: URL, text: @autoclosure () -> String, json: @autoclosure () -> String,
        precision: [String]? = nil, replacing: Bool? = nil
    ) throws {
        var batch = batch
        batch.replace(folder: dir, keepIfHolding: replacing ?? force ? [] : ResultFolderGuard.drsim.markers)
        try write(batch, to: dir)
        guard self.json || !quiet else { return }
        var out = self.json ? json() : text()
        if let precision, !self.json { out += precision.joined(separator: "\n") + "\n" }
        try printOutput(out)
    }

    /// The config's warnings.
    func warn(_ warnings: [ConfigIssue], _ prefix: String = "") {
        guard !quiet else { return }
        for w in warnings { printError("warning: \(prefix)\(w)") }
    }

    /// A note, once per command, when more threads were asked for than there are cores.
    func noteThreads() {
        guard !quiet, let asked = threads, asked > workers else { return }
        printError(
            "drsim: --threads \(asked): this machine has \(workers) core\(workers == 1 ? "" : "s"); using \(workers)")
    }
}

extension ResultFolderGuard {
    /// drsim's result folders: the files a run, check, sweep, comparison, sensitivity study or report
    /// writes in them.
    static let drsim = ResultFolderGuard(resultFiles: Set(ResultFileNames.all), markers: ResultFileNames.markers)
}

extension ResultFolderRefusal {
    /// How the command line reports it: a wrong path as a command-line error (exit 64), a place that
    /// cannot be written with its reason on stderr (exit 1).
    var commandLineError: Error {
        switch kind {
        case .usage:
            return ValidationError(message)
        case .unwritable:
            printError("drsim: \(message)")
            return ExitStatus.failure.code
        }
    }
}

/// Runs a check of `ResultFolderGuard`, its refusal reported as `ResultFolderRefusal.commandLineError`.
func refusing(_ check: () throws(ResultFolderRefusal) -> Void) throws {
    do { try check() } catch { throw error.commandLineError }
}
