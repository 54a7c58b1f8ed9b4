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

    @OptionGroup var gridOptions: GridOptions

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
    }

    func run() throws {
        let file = try options.file()
        let loaded = try loadConfig(file, overrides: try options.overrides(file), label: options.config)
        let base = loaded.config
        let grid = try gridOptions.grid(file, options)
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
