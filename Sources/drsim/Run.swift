import ArgumentParser
import DRSim
import Foundation

struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Runs the replications, prints the summary table, writes the result files.")

    @OptionGroup var options: ConfigOptions

    @Option(help: "Worker threads (default, and at most: all cores). Results never depend on it.")
    var threads: Int?

    @Option(help: "Output folder (default: results/<name>/).")
    var out: String?

    @Flag(help: "Print the summary as JSON on stdout instead of the table.")
    var json = false

    @Flag(help: "Print nothing on stderr but errors.")
    var quiet = false

    func validate() throws {
        if let t = threads, t < 1 { throw ValidationError("--threads must be at least 1, found \(t)") }
    }

    func run() throws {
        let loaded = try options.load()
        let config = loaded.config
        if !quiet { for w in loaded.warnings { printError("warning: \(w)") } }
        // More workers than cores would only cost memory (a timeline histogram each), never time.
        let cores = ProcessInfo.processInfo.activeProcessorCount
        if let asked = threads, asked > cores, !quiet {
            printError("drsim: --threads \(asked): this machine has \(cores) core\(cores == 1 ? "" : "s"); using \(cores)")
        }
        let threads = min(threads ?? cores, cores)
        let started = Date()
        let output: RunOutput
        do {
            output = try Runner.run(config, threads: threads)
        } catch {
            printError("drsim: the simulation failed: \(error)")
            throw Exit.failure
        }
        let elapsed = Date().timeIntervalSince(started)
        let dir = URL(fileURLWithPath: out ?? "results/\(config.name)")
        do {
            try ResultFiles(output).write(to: dir)
        } catch {
            printError("drsim: cannot write the results to \(dir.path): \((error as NSError).localizedDescription)")
            throw Exit.failure
        }
        try printOutput(json ? SummaryTable.json(output) : SummaryTable.text(output) + SummaryTable.breakdownText(output))
        if !quiet {
            printError(String(format: "drsim: %d replications in %.2f s on %d thread%@ (%.0f replications/s); results in %@",
                              config.replications, elapsed, threads, threads == 1 ? "" : "s",
                              Double(config.replications) / max(elapsed, 1e-9), dir.path))
        }
    }
}
