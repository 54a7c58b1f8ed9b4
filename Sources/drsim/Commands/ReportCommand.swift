import ArgumentParser
import DRSim
import DRSimFiles
import DRSimRender
import DRSimResults
import DRSimStudy
import Foundation

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Writes report.html into a result folder, or a sweep's, "
            + "a comparison's or a sensitivity study's folder: tables, SVG charts, warnings, resolved config.",
        discussion: """
            The page is self-contained (inline SVG and CSS, no script, nothing fetched) and is drawn from the \
            folder's files only, so any folder drsim wrote works: a run's (summary, CDFs, success timeline, RTO by \
            stage), a sweep's (its table with the Pareto front, the front's scatters, the cost of one more nine, a \
            heat map and a line of --chart over the varied settings), an advice's (the sweep's, with the answer \
            ringed on the front and an Advice table of the answer, the runner-up and why each cheaper point is not \
            it), a comparison's (its table and the verdict on \
            --objective, the distribution of each incident's difference B − A) or a sensitivity study's (its tables, \
            a tornado chart per statistic). A folder that is missing, incomplete or damaged exits 65 with what is \
            wrong; an option that does not fit the folder exits 64; a report that cannot be written exits 1 and \
            leaves no partial file.
            """)

    @Argument(
        help: """
            A folder drsim wrote: a run's (summary.csv, replications.csv, timeline.csv, run.json), a sweep's, an \
            advice's, a comparison's or a sensitivity study's.
            """,
        completion: .directory)
    var resultsDir: String

    @Option(
        name: .customLong("target"),
        help: ArgumentHelp(
            "(a run's folder) A target line on a CDF, as METRIC:STAT<=VALUE (repeatable), e.g. rto_s:p99<=900.",
            valueName: "target"))
    var targets: [String] = []

    @OptionGroup var charts: SweepChartOptions
    @OptionGroup var objectives: ObjectiveOptions

    @Flag(help: "Also write each chart as an SVG file into <results-dir>/charts/.")
    var svg = false

    @Flag(help: "Print nothing on stderr but errors.")
    var quiet = false

    func validate() throws {
        for t in targets {
            do { _ = try Expectation(parsing: t) } catch { throw ValidationError("--target \(error.message)") }
        }
    }

    func run() throws {
        let parsed = targets.compactMap { try? Expectation(parsing: $0) }
        let options = ReportSource.ChartOptions(
            targets: parsed, chart: charts.chart, over: charts.over, objectives: objectives.named)
        let written = try ReportWriter.write(resultsDir: resultsDir, options: options, svg: svg, warnings: nil)
        if !quiet { printError("drsim: report in \(written.path)") }
    }
}
