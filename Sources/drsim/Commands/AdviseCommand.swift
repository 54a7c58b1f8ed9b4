import ArgumentParser
import DRSim
import DRSimFiles
import DRSimRender
import DRSimResults
import DRSimStudy
import Foundation

struct AdviseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "advise",
        abstract:
            "Searches a grid of settings for the lowest --minimize whose targets are all met with confidence.",
        discussion: """
            drsim advise CONFIG.json --target 'recovered_90_s:p90<=300' --minimize failed_requests \
            --vary dns.ttl_s=0,20,60 --vary health_checks[0].failure_threshold=1,3
            Every point of the grid (--vary, as drsim sweep takes it) runs on the same incidents, and its targets are \
            judged as drsim check judges them: met, failed or undecided on the statistic's 95% interval. A point that \
            could still be the answer (cheaper than the cheapest point that meets every target) and is undecided gets \
            more replications, up to --max-replications. The answer is the point of lowest objective whose targets \
            are all met, with the runner-up and, for every cheaper point, the target it fails or leaves undecided. \
            advise.csv and advise.json go to the output folder, with what drsim sweep writes for the grid \
            (sweep.csv, sweep.json, one folder per point, each point at the replications it ended with), its Pareto \
            front over --minimize and the targets' statistics and the answer as its chosen point; --report draws it.
            Exit status: 0 a point meets every target; 1 every point fails a target (or a failure to write: the \
            reason is on stderr); 3 no point meets every target and some are undecided; 64 bad command line; 65 bad \
            config.
            """)

    @OptionGroup var options: ConfigOptions

    @Option(
        name: .customLong("target"),
        help: ArgumentHelp(
            "A target every answer must meet: METRIC:STAT OP VALUE, e.g. 'recovered_90_s:p90 <= 300' (repeatable; "
                + "added to the config's expect list).",
            valueName: "TARGET"))
    var targets: [String] = []

    @Option(
        help: ArgumentHelp(
            "What to make lowest among the points that meet every target: METRIC (its mean) or METRIC:STAT.",
            valueName: "METRIC[:STAT]"))
    var minimize: String

    @OptionGroup var gridOptions: GridOptions

    @Option(
        parsing: .unconditional,
        help: ArgumentHelp(
            "The most replications a point that is undecided may reach (default \(Self.capFactor) × the starting "
                + "count).", valueName: "N"))
    var maxReplications: Int?

    @OptionGroup var output: OutputOptions

    @Flag(
        help: ArgumentHelp(
            "Also write report.html into the output folder: the grid as drsim sweep reports it, its Pareto front "
                + "with the answer ringed, and the advice; see `drsim report`."))
    var report = false

    /// The default cap is this many times the replications every point starts from.
    static let capFactor = 8

    func validate() throws {
        for t in targets {
            do { _ = try Expectation(parsing: t) } catch { throw ValidationError("--target \(error.message)") }
        }
        do { _ = try AdviceObjective(parsing: minimize) } catch { throw ValidationError(error.message) }
        if let m = maxReplications, !Config.replicationRange.contains(m) {
            throw ValidationError(
                "--max-replications must be from \(Config.replicationRange.lowerBound) to "
                    + "\(Config.replicationRange.upperBound), found \(m)")
        }
    }

    func run() throws {
        let file = try options.file()
        let loaded = try loadConfig(file, overrides: try options.overrides(file), label: options.config)
        let base = loaded.config
        let grid = try gridOptions.grid(file, options)
        var configs = try options.points(file, grid) { output.warn([$0]) }
        let objective = try AdviceObjective(parsing: minimize)
        try prepare(&configs, grid: grid, objective: objective)
        let start = base.replications
        let cap = maxReplications ?? min(Config.replicationRange.upperBound, Self.capFactor * start)
        guard start <= cap else {
            throw usageFailure(
                "--max-replications \(cap) is below the \(start) replications to start from; "
                    + "raise it, or start lower with --replications")
        }
        output.noteThreads()
        let dir = output.folder(default: "\(base.name)-advise")
        try output.checkResultFolder(dir)
        try output.checkMemory(configs, replications: cap, growing: true)
        let started = Date()
        let (points, runs) = try search(configs, objective: objective, start: start, cap: cap)
        let advice = Advice(
            base: base, grid: grid, objective: objective, targets: configs[0].expect, start: start, cap: cap,
            points: points)
        var batch = FileBatch()
        advice.sweep(runs).add(to: &batch, in: dir)
        advice.add(to: &batch, in: dir)
        try output.finish(batch, in: dir, text: advice.text(), json: advice.json)
        if report {
            try ReportWriter.afterRun(dir, warnings: loaded.warnings.map { "\($0)" }, quiet: output.quiet)
        }
        if !output.quiet {
            let total = points.reduce(0) { $0 + $1.replications }
            printError(
                String(
                    format: "drsim: %d points, %d replications in %.2f s; results in %@", grid.count, total,
                    Date().timeIntervalSince(started), dir.path))
        }
        switch advice.outcome {
        case .passed: return
        case .failed: throw ExitStatus.failure.code
        case .undecided: throw ExitStatus.undecided.code
        }
    }

    /// Adds the targets to every point's expect list (`CheckRun.add`, as `check --expect` does) and
    /// refuses, with exit 64, an advice with no target, or whose targets or objective have no values
    /// at a point (`Metric.absence(in:)`).
    func prepare(_ configs: inout [Config], grid: SweepGrid, objective: AdviceObjective) throws {
        let parsed = targets.compactMap { try? Expectation(parsing: $0) }
        for k in configs.indices {
            let which = "point \(k + 1) (\(grid.label(k)))"
            do { try CheckRun.add(parsed, to: &configs[k], option: "--target", which: which) } catch {
                throw usageFailure(error.message)
            }
            if let why = objective.metric.absence(in: configs[k]) {
                throw usageFailure(
                    "--minimize \(minimize): \(objective.metric.rawValue) has no values in \(which) (\(why))")
            }
        }
        guard !configs[0].expect.isEmpty else {
            throw usageFailure(
                "advise has no target to meet: give one or more with --target (e.g. --target "
                    + "'recovered_90_s:p90 <= 300'), or an \"expect\" list in the config")
        }
    }

    /// Runs the search (`Advice.search`) with its progress on stderr; an objective that no point gives
    /// a value exits 64, a simulation that fails prints why and exits 1.
    func search(_ configs: [Config], objective: AdviceObjective, start: Int, cap: Int) throws -> (
        points: [AdvicePoint], runs: [RunOutput]
    ) {
        let display = output.quiet ? nil : ProgressDisplay(total: configs.count * start)
        display?.start()
        defer { display?.finish() }
        do {
            return try Advice.search(
                configs, objective: objective, start: start, cap: cap, threads: output.workers,
                progress: display?.counter)
        } catch let e as UsageError {
            throw usageFailure(e.message)
        } catch {
            printError("drsim: the simulation failed: \(error)")
            throw ExitStatus.failure.code
        }
    }
}
