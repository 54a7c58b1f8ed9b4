import ArgumentParser
import DRSim
import DRSimFiles
import DRSimRender
import DRSimResults
import DRSimStudy
import Foundation

struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Runs the replications, prints the summary table, writes the result files.")

    @OptionGroup var options: ConfigOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var precision: PrecisionOptions

    @Flag(
        help:
            ArgumentHelp(
                "Also write report.html (summary, charts, warnings, resolved config) into the output folder; see "
                    + "`drsim report`.")
    )
    var report = false

    @Flag(
        help: ArgumentHelp(
            "Skip the range of rto_s over the plausible TTL-extension shapes (placeholder_ranges.csv), which "
                + "reruns the first 250 replications once per other shape."))
    var noPlaceholderRange = false

    @Option(
        parsing: .unconditional,
        help: ArgumentHelp(
            "Replay only this incident (1-based, as in replications.csv): prints its row; writes no result folder.",
            valueName: "N"))
    var replication: Int?

    @Option(
        help: ArgumentHelp(
            "With --replication, write the incident's state changes to FILE as JSON lines.", valueName: "FILE"))
    var trace: String?

    func validate() throws {
        if let n = replication, n < 1 {
            throw ValidationError("--replication counts from 1 (as in replications.csv), found \(n)")
        }
        if trace != nil && replication == nil {
            throw ValidationError("--trace needs --replication N: the incident to replay")
        }
        if trace?.isEmpty == true { throw ValidationError("--trace \"\": give a file, e.g. --trace incident.jsonl") }
        if replication != nil && (report || !precision.precision.isEmpty) {
            throw ValidationError("--replication replays one incident: it takes no --report or --precision")
        }
        if replication != nil && (output.out != nil || output.force) {
            throw ValidationError(
                "--replication replays one incident and writes no result folder, so it takes no --out or --force; "
                    + "--trace FILE writes the incident's events")
        }
    }

    func run() throws {
        let file = try options.file()
        let loaded = try loadConfig(file, overrides: try options.overrides(file), label: options.config)
        let config = loaded.config
        output.warn(loaded.warnings)
        output.noteThreads()
        if file.sweep != nil && !output.quiet {
            printError(
                "note: \(options.config) has a sweep section; run runs the config without it (drsim sweep runs the "
                    + "grid)"
            )
        }
        if let n = replication {
            if let trace {
                try refusing { () throws(ResultFolderRefusal) in
                    try ResultFolderGuard.drsim.checkOutputFile(trace, .trace, config: options.config)
                }
            }
            return try replay(config, n)
        }
        let dir = output.folder(default: config.name)
        try output.checkResultFolder(dir)
        let started = Date()
        let targets = precision.targets
        let (runs, outcome) = try precision.run([config], fixed: config.replications, output: output) { runs in
            let summaries = runs[0].summaries
            return targets.map { PrecisionCheck($0, $0.estimate(summaries)) }
        }
        let result = runs[0]
        let elapsed = Date().timeIntervalSince(started)
        var batch = FileBatch()
        ResultFiles(result).add(to: &batch, in: dir)
        let range = noPlaceholderRange ? nil : try PlaceholderRange.run(result, threads: output.workers)
        if let range { batch.add(dir.appendingPathComponent(ResultFileNames.placeholderRanges), text: range.csv) }
        try output.finish(
            batch, in: dir,
            text: SummaryTable.text(result) + (range?.text ?? "") + SummaryTable.costText(result)
                + RTOStages(result).text,
            json: SummaryTable.json(result, extra: jsonExtra(result, range)),
            precision: outcome?.report(cap: precision.cap))
        if report { try ReportWriter.afterRun(dir, warnings: loaded.warnings.map { "\($0)" }, quiet: output.quiet) }
        if !output.quiet {
            printError(
                String(
                    format: "drsim: %d replications in %.2f s on %d thread%@ (%.0f replications/s); results in %@",
                    result.config.replications, elapsed, output.workers, output.workers == 1 ? "" : "s",
                    Double(result.config.replications) / max(elapsed, 1e-9), dir.path))
        }
    }

    /// The keys `--json` adds to the summary: the cost per month's parts, and the placeholder's range.
    func jsonExtra(_ result: RunOutput, _ range: PlaceholderRange?) -> [String: JSON] {
        var extra = ["cost": SummaryTable.costJSON(result)]
        if let range { extra["placeholder_range"] = range.json }
        return extra
    }

    /// Replays incident `n` alone: the same streams as in a full run, so the same row.
    func replay(_ config: Config, _ n: Int) throws {
        guard n <= config.replications else {
            throw usageFailure(
                "--replication \(n): the run has \(config.replications) replications (1 … \(config.replications)); "
                    + "raise --replications to replay a later one")
        }
        let (result, events): (ReplicationResult, [TraceEvent])
        do { (result, events) = try IncidentSimulator(config: config).trace(replication: n - 1) } catch {
            printError("drsim: the simulation failed: \(error)")
            throw ExitStatus.failure.code
        }
        if let trace {
            let file = URL(fileURLWithPath: trace)
            var batch = FileBatch()
            batch.add(file, text: events.map { $0.jsonLine + "\n" }.joined())
            try output.write(batch, to: file.deletingLastPathComponent())
            if !output.quiet { printError("drsim: \(events.count) events of incident \(n) in \(trace)") }
        }
        if !output.quiet || output.json {
            try printOutput(ResultFiles.replicationsHeader + ResultFiles.replicationRow(result, number: n))
        }
    }
}

extension OutputFileKind {
    /// An incident's events as JSON lines (`run --replication N --trace FILE`).
    static let trace = OutputFileKind(option: "--trace", kind: "trace", example: "incident.jsonl", isOwn: isDRSimTrace)

    /// Whether a file's first bytes are a trace drsim wrote: its first line an event with its time,
    /// component and event.
    static func isDRSimTrace(_ head: Data) -> Bool {
        guard let line = head.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).first,
            case .object(let o)? = try? JSON.parse(Data(line))
        else { return false }
        return o["t_s"] != nil && o["component"] != nil && o["event"] != nil
    }
}
