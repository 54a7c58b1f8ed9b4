import ArgumentParser
import DRSim
import DRSimFiles
import DRSimRender
import DRSimStudy
import Foundation

struct SweepCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sweep",
        abstract:
            "Runs a grid of settings on the same incidents: sweep.csv, one folder per point, a table with the "
            + "Pareto front.",
        discussion: """
            drsim sweep CONFIG.json --vary dns.ttl_s=60,300 --vary health_checks[0].failure_threshold=2,3
            Several --vary make a full grid (first --vary slowest); PATH=A..B:STEP gives A, A+STEP, … B. A sweep \
            section in the config does the same (docs/config.md, "sweep"). Every point runs the base config's seed and \
            replication numbers, and its result files are those of drsim run CONFIG.json --set PATH=VALUE ….
            No point is best at everything: the table marks the points on the Pareto front over the objectives \
            (--objective), and names for every other point the points that dominate it.
            """)

    @OptionGroup var options: ConfigOptions

    @Option(
        name: .customLong("vary"),
        help: ArgumentHelp(
            "A config path and its values: "
                + "PATH=V1,V2,… (JSON values) or PATH=A..B:STEP (repeatable; several make a grid).",
            valueName: "PATH=VALUES"))
    var vary: [String] = []

    // Unconditional, so that `--max-points -1` is read as a (refused) number, not as a missing value.
    @Option(
        parsing: .unconditional,
        help: ArgumentHelp(
            "Refuse a grid of more points than this (default \(SweepGrid.defaultMaxPoints), "
                + "or the config's sweep.max_points).", valueName: "N"))
    var maxPoints: Int?

    @OptionGroup var objectives: ObjectiveOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var precision: PrecisionOptions

    @Flag(
        help: """
            Also write report.html into the output folder: the sweep's table, a heat map and a line of --chart over \
            the varied settings; see `drsim report`.
            """)
    var report = false

    @OptionGroup var charts: SweepChartOptions

    func validate() throws {
        if !report && (charts.chart != nil || !charts.over.isEmpty) {
            throw ValidationError(
                "--chart and --over choose what the report draws: add --report (or draw it later with drsim report "
                    + "DIR --chart …)"
            )
        }
        if let m = maxPoints, !SweepGrid.maxPointsRange.contains(m) {
            throw ValidationError(
                "--max-points must be from 1 to \(SweepGrid.maxPointsRange.upperBound), found \(m): "
                    + "it is the most points a grid may have (default \(SweepGrid.defaultMaxPoints))")
        }
        // --vary is read in run(), against the limit the config's sweep.max_points may set: read here
        // with no limit, a range such as 0..1e8:1 would be expanded in full before anything refused it.
    }

    func run() throws {
        let file = try options.file()
        let loaded = try loadConfig(file, overrides: try options.overrides(), label: options.config)
        let base = loaded.config
        let grid = try options.grid(file, vary: vary, maxPoints: maxPoints)
        if report {
            try charts.check(
                paths: grid.axes.map(\.path), values: (0..<grid.count).map { grid.point($0).map(compactJSON) },
                columns: Sweep.csvColumns(grid))
        }
        let configs = try options.points(file, grid) { output.warn([$0]) }
        output.noteThreads()
        let dir = output.folder(default: "\(base.name)-sweep")
        try output.checkResultFolder(dir)
        let started = Date()
        // Every point runs the same count: with --precision, until every target is met at every point.
        let targets = precision.targets
        let (runs, outcome) = try precision.run(configs, fixed: base.replications, output: output) { grown in
            grown.indices.flatMap { k in
                let summaries = grown[k].summaries
                return targets.map { PrecisionCheck($0, $0.estimate(summaries), scope: "point \(k + 1)") }
            }
        }
        let elapsed = Date().timeIntervalSince(started)
        // With --precision, the count the points reached: sweep.json is then that of a fixed sweep of it.
        var ran = base
        ran.replications = runs.first?.config.replications ?? base.replications
        let sweep = Sweep(base: ran, grid: grid, points: runs, objectives: objectives.objectives)
        var batch = FileBatch()
        sweep.add(to: &batch, in: dir)
        try output.finish(
            batch, in: dir, text: sweep.text(), json: sweep.summaryJSON,
            precision: outcome?.report(cap: precision.cap))
        if report {
            try ReportWriter.afterRun(
                dir, options: .init(chart: charts.chart, over: charts.over), warnings: loaded.warnings.map { "\($0)" },
                quiet: output.quiet)
        }
        if !output.quiet {
            let total = runs.reduce(0) { $0 + $1.config.replications }
            printError(
                String(
                    format:
                        "drsim: %d points, %d replications in %.2f s on %d thread%@ (%.0f replications/s); results in "
                            + "%@",
                    grid.count, total, elapsed, output.workers, output.workers == 1 ? "" : "s",
                    Double(total) / max(elapsed, 1e-9), dir.path))
        }
    }
}
