import ArgumentParser
import DRSim
import DRSimResults
import DRSimStudy
import Foundation

struct ExplainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract:
            "Tells one incident's story in sentences: what failed, who noticed when, when traffic came back and why "
            + "the last of it took so long.",
        discussion: """
            The incident is replayed exactly as the run's row in replications.csv (same seed, same replication \
            number). Pick it by number, or as the run's worst or median for a metric (--worst rto_s, --median rto_s: \
            the run is made first to find it). `drsim run CONFIG --replication N --trace FILE` writes the same \
            incident's events as JSON lines.
            """)

    @OptionGroup var options: ConfigOptions

    @Option(
        parsing: .unconditional, help: ArgumentHelp("The incident (1-based, as in replications.csv).", valueName: "N"))
    var replication: Int?

    @Option(
        help: ArgumentHelp("The incident with the largest value of METRIC (censored ones first).", valueName: "METRIC"))
    var worst: String?

    @Option(help: ArgumentHelp("The incident at the median of METRIC.", valueName: "METRIC"))
    var median: String?

    @Option(
        parsing: .unconditional,
        help: "Worker threads for the run that finds --worst or --median (results never depend on it).")
    var threads: Int?

    func validate() throws {
        guard [replication != nil, worst != nil, median != nil].filter({ $0 }).count == 1 else {
            throw ValidationError(
                "give one of --replication N, --worst METRIC or --median METRIC, e.g. drsim explain CONFIG.json "
                    + "--worst rto_s"
            )
        }
        if let n = replication, n < 1 {
            throw ValidationError("--replication counts from 1 (as in replications.csv), found \(n)")
        }
        for m in [worst, median].compactMap({ $0 }) where Metric(rawValue: m) == nil {
            throw ValidationError(
                "no metric \"\(m)\"; the metrics: \(Metric.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        if let t = threads, t < 1 { throw ValidationError("--threads must be at least 1, found \(t)") }
    }

    func run() throws {
        let loaded = try options.load()
        let config = loaded.config
        var n = replication ?? 0
        if let name = worst ?? median, let metric = Metric(rawValue: name) {
            let cores = ProcessInfo.processInfo.activeProcessorCount
            let output: RunOutput
            do { output = try Runner.run(config, threads: min(threads ?? cores, cores)) } catch {
                printError("drsim: the simulation failed: \(error)")
                throw ExitStatus.failure.code
            }
            guard let picked = IncidentStory.pick(metric, worst: worst != nil, in: output.results, config: config)
            else {
                let why = metric.absence(in: config) ?? "no incident has one"
                throw ValidationError("\(name) has no values in this config (\(why))")
            }
            n = picked
            printError(
                "drsim: the \(worst != nil ? "worst" : "median") \(name) of \(config.replications) replications is "
                    + "incident \(n)"
            )
        }
        guard n <= config.replications else {
            throw usageFailure(
                "--replication \(n): the run has \(config.replications) replications (1 … \(config.replications)); "
                    + "raise --replications to explain a later one")
        }
        let story: IncidentStory
        do { story = try IncidentStory(config, replication: n) } catch {
            printError("drsim: the simulation failed: \(error)")
            throw ExitStatus.failure.code
        }
        try printOutput(story.text)
    }
}
