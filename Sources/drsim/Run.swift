import ArgumentParser
import DRSim
import Foundation

struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Runs the replications, prints the summary table, writes the result files.")

    @OptionGroup var options: ConfigOptions

    @Option(help: "Worker threads (default: all cores). Results never depend on it.")
    var threads: Int?

    @Option(help: "Output folder (default: results/<name>/).")
    var out: String?

    @Flag(help: "Print the summary as JSON on stdout instead of the table.")
    var json = false

    @Flag(help: "Quiet: nothing on stdout or stderr but errors (no table, warnings, progress or timing); --json still prints the JSON summary it asks for.")
    var quiet = false

    @Flag(help: "Also write report.html (summary, charts, warnings, resolved config) into the output folder; see `drsim report`.")
    var report = false

    func validate() throws {
        if let t = threads, t < 1 { throw ValidationError("--threads must be at least 1, found \(t)") }
    }

    func run() throws {
        let loaded = try options.load()
        let config = loaded.config
        if !quiet { for w in loaded.warnings { printError("warning: \(w)") } }
        let threads = threads ?? ProcessInfo.processInfo.activeProcessorCount
        let started = Date()
        let progress = quiet ? nil : ProgressDisplay(total: config.replications)
        progress?.start()
        let output: RunOutput
        do {
            defer { progress?.finish() }
            output = try Runner.run(config, threads: threads, progress: progress?.counter)
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
        if report {
            let page = try ReportWriter.write(resultsDir: dir.path, targets: [], svg: false, warnings: loaded.warnings.map { "\($0)" })
            if !quiet { printError("drsim: report in \(dir.path)/\(page.lastPathComponent)") }
        }
        if json {
            print(SummaryTable.json(output), terminator: "")
        } else if !quiet {
            print(SummaryTable.text(output), terminator: "")
        }
        if !quiet {
            printError(String(format: "drsim: %d replications in %.2f s on %d thread%@ (%.0f replications/s); results in %@",
                              config.replications, elapsed, threads, threads == 1 ? "" : "s",
                              Double(config.replications) / max(elapsed, 1e-9), dir.path))
        }
    }
}
