import ArgumentParser
import DRSimRender

/// What a sweep's report charts (`report` on a sweep's folder, and `sweep --report`).
struct SweepChartOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "(a sweep) The statistic of the heat map and the line: "
                + "METRIC:STAT with STAT mean, p50, p90, p99 or censored (default \(SweepChartChoice.defaultChart)).",
            valueName: "METRIC:STAT"))
    var chart: String?

    @Option(
        help: ArgumentHelp(
            "(a sweep) A varied setting to chart against, at most twice: the first is the line's x axis and "
                + "the heat map's columns, the second the heat map's rows (default: the first varied setting with "
                    + "numbers, then the next).",
            valueName: "PATH"))
    var over: [String] = []

    /// Refuses, with exit 64, a choice that does not fit the grid (before a sweep runs).
    func check(paths: [String], values: [[String]], columns: [String]) throws {
        do { _ = try SweepChartChoice(chart: chart, over: over, columns: columns, paths: paths, values: values) } catch
        {
            throw usageFailure(error.description)
        }
    }
}
