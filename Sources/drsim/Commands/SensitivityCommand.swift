import ArgumentParser
import DRSim
import DRSimFiles
import DRSimResults
import DRSimStudy
import Foundation

struct SensitivityCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sensitivity",
        abstract:
            "Moves each assumption one at a time over its plausible range, on the same incidents, and ranks them by "
            + "effect.",
        discussion: """
            Every assumption drsim cannot pin down (resolver behaviour and population, client kinds, think time and \
            timeouts, status-to-DNS delay, replication lag, scale-up, reprogramming, …) is set to each end of its \
            plausible range in turn, all else as in the config, and each run is made at the config's seed and \
            replication count, so it runs the same incidents wherever the setting does not change what is drawn. \
            Prints one tornado table per statistic (most influential first) and writes sensitivity.csv with every \
            range and its reason. TTL is included as a design setting, for scale.
            """)

    @OptionGroup var options: ConfigOptions
    @OptionGroup var output: OutputOptions

    @Option(
        name: .customLong("statistic"),
        help: ArgumentHelp(
            "What to rank by: METRIC:STAT, "
                + "e.g. rto_s:p90 (repeatable; default \(Measure.defaults.joined(separator: ", "))).",
            valueName: "METRIC:STAT"))
    var statistics: [String] = []

    @Flag(
        help:
            ArgumentHelp(
                "Also write report.html into the output folder: the tornado tables, and a tornado chart per statistic; "
                    + "see `drsim report`.")
    )
    var report = false

    func validate() throws {
        var seen: [Measure] = []
        for s in statistics {
            let m: Measure
            do { m = try Measure(parsing: s) } catch { throw ValidationError("--statistic \(s): \(error.message)") }
            if seen.contains(m) { throw ValidationError("--statistic \(s) is given twice; give each statistic once") }
            seen.append(m)
        }
    }

    func run() throws {
        let loaded = try options.load()
        let config = loaded.config
        output.warn(loaded.warnings)
        output.noteThreads()
        let measures = (statistics.isEmpty ? Measure.defaults : statistics).compactMap { try? Measure(parsing: $0) }
        let dir = output.folder(default: "\(config.name)-sensitivity")
        try output.checkResultFolder(dir)
        // The base run is held while each end runs.
        try output.checkMemory([config, config], replications: config.replications, growing: false)
        let started = Date()
        let study: Sensitivity
        let progress =
            output.quiet ? nil : ProgressDisplay(total: Sensitivity.plannedRuns(config) * config.replications)
        progress?.start()
        do {
            study = try Sensitivity(config, measures: measures) { c in
                try Runner.run(c, threads: output.workers, progress: progress?.counter)
            }
        } catch {
            progress?.finish()
            printError("drsim: the simulation failed: \(error)")
            throw ExitStatus.failure.code
        }
        progress?.finish()
        var batch = FileBatch()
        batch.add(dir.appendingPathComponent(ResultFileNames.sensitivity), text: study.csv)
        batch.add(dir.appendingPathComponent(ResultFileNames.run), text: ResultFiles.runJSON(config))
        try output.finish(batch, in: dir, text: study.text, json: study.json)
        if report { try ReportWriter.afterRun(dir, warnings: loaded.warnings.map { "\($0)" }, quiet: output.quiet) }
        if !output.quiet {
            printError(
                String(
                    format: "drsim: %d runs of %d replications in %.1f s; results in %@", study.runs,
                    config.replications,
                    Date().timeIntervalSince(started), dir.path))
        }
    }
}
