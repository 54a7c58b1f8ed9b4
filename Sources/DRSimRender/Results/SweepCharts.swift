import DRSimResults
import Foundation

/// What a sweep's report charts: a statistic of a metric (`--chart METRIC:STAT`) against one or two
/// of the varied settings (`--over PATH`, at most twice).
///
/// The first setting is the line chart's x axis and the heat map's columns, the second the heat map's
/// rows and the line chart's series. By default: the first varied setting whose values are all numbers
/// (so that the line has an x axis), then the first other one. Every other varied setting is held at
/// each of its values in turn: one heat map and one line chart per combination of their values.
public struct SweepChartChoice: Sendable, Equatable {
    /// The statistic drawn by default: what the settings move, the median time until 90% of traffic
    /// is back (docs/model.md, "The stale-DNS tail"); in a sweep.csv without it, the median RTO. Both
    /// are known at every point unless more than half of the incidents never get there.
    public static let defaultChart = "recovered_90_s:p50"
    static let fallbackChart = "rto_s:p50"
    /// The statistics `sweep.csv` has for every metric; `censored` is the share that never happened.
    public static let statistics = ["mean", "p50", "p90", "p99", "censored"]

    public var metric: String
    public var statistic: String
    /// Indices into the varied settings: the x axis (and heat map columns), then the rows, if any.
    public var x: Int
    public var y: Int?

    /// Checks `chart` and `over` against a sweep's columns and varied settings.
    /// - Parameters:
    ///   - columns: `sweep.csv`'s header.
    ///   - paths: the varied settings; `values`, each one's values as text.
    /// - Throws: `ReportOptionError` saying what is wrong and what to give instead.
    public init(chart: String?, over: [String], columns: [String], paths: [String], values: [[String]])
        throws(ReportOptionError)
    {
        let text = chart ?? (columns.contains("recovered_90_s_p50") ? Self.defaultChart : Self.fallbackChart)
        let parts = text.split(separator: ":", omittingEmptySubsequences: false).map {
            $0.trimmingCharacters(in: .whitespaces)
        }
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
            throw ReportOptionError(
                "--chart \(text): write METRIC:STAT, e.g. --chart rto_s:p99 (STAT: "
                    + "\(Self.statistics.joined(separator: ", ")))"
            )
        }
        let metrics = columns.filter {
            $0.hasSuffix("_mean") && columns.contains(String($0.dropLast(5)) + "_censored_share")
        }.map { String($0.dropLast(5)) }
        guard metrics.contains(parts[0]) else {
            throw ReportOptionError(
                "--chart \(text): sweep.csv has no metric \"\(parts[0])\"; the metrics: "
                    + "\(metrics.joined(separator: ", "))"
            )
        }
        guard Self.statistics.contains(parts[1]) else {
            throw ReportOptionError(
                "--chart \(text): sweep.csv has no statistic \"\(parts[1])\" for each point; "
                    + "choose one of \(Self.statistics.joined(separator: ", ")) (censored: the share of incidents in "
                    + "which it never happened)"
            )
        }
        (metric, statistic) = (parts[0], parts[1])
        guard over.count <= 2 else {
            throw ReportOptionError(
                "--over is given \(over.count) times: give at most two varied "
                    + "settings (the line's x and the heat map's columns, then the heat map's rows)")
        }
        var chosen: [Int] = []
        for o in over {
            guard let i = paths.firstIndex(of: o) else {
                throw ReportOptionError(
                    "--over \(o): not a setting this sweep varied; the varied settings: "
                        + "\(paths.joined(separator: ", "))"
                )
            }
            guard !chosen.contains(i) else {
                throw ReportOptionError("--over \(o) is given twice: give two different varied settings")
            }
            chosen.append(i)
        }
        let numeric = paths.indices.filter { i in values.allSatisfy { i < $0.count && Double($0[i]) != nil } }
        if chosen.isEmpty { chosen = [numeric.first ?? 0] }
        if chosen.count == 1, let other = paths.indices.first(where: { $0 != chosen[0] }) { chosen.append(other) }
        x = chosen[0]
        y = chosen.count > 1 ? chosen[1] : nil
    }

    /// sweep.csv's columns for the value and its interval (none for `censored`).
    var columns: (value: String, low: String?, high: String?) {
        statistic == "censored"
            ? ("\(metric)_censored_share", nil, nil)
            : ("\(metric)_\(statistic)", "\(metric)_\(statistic)_ci_low", "\(metric)_\(statistic)_ci_high")
    }

    /// "rto_s p50", "rto_s never (share)".
    public var label: String {
        statistic == "censored" ? "share of incidents in which \(metric) never happened" : "\(metric) \(statistic)"
    }

    var quantity: Quantity { statistic == "censored" ? .fraction : Quantity.of(unit: Metric.unit(of: metric)) }
}

extension Quantity {
    /// The quantity of a unit as the tables name it: "s" is seconds, anything else a plain count.
    static func of(unit: String) -> Quantity { unit == "s" ? .seconds : .plain(unit) }

    /// The quantity of a config setting by its path's suffix: `_s` seconds (kept in seconds, as the
    /// config writes them), `_per_s` a rate.
    static func of(path: String) -> Quantity {
        path.hasSuffix("_per_s") ? .plain("/s") : path.hasSuffix("_s") ? .plain("s") : .plain("")
    }
}

/// A sweep's charts (docs/config.md, "Reports and charts"): the Pareto front's scatters (`front`), then
/// per combination of the settings not charted, a heat map of the chosen statistic over the two charted
/// settings (each cell its value and 95% interval) and a line of it against the first, one line per value
/// of the second, with interval bars. Drawn from sweep.csv and sweep.json only.
public enum SweepCharts {
    /// At most this many combinations of the other settings are drawn (the rest are named as skipped).
    static let maxGroups = 12
    /// At most this many lines on one chart: the palette's distinct colours.
    static let maxLines = Palette.series.count

    public static func all(_ f: SweepFolder, _ choice: SweepChartChoice) throws(ResultFolderError)
        -> (charts: [Chart], skipped: [String])
    {
        let statistic = try StatisticColumns(f, choice)
        let front = try front(f)
        let others = f.paths.indices.filter { $0 != choice.x && $0 != choice.y }
        var groups = pointGroups(f, by: others)
        var charts: [Chart] = []
        var skipped: [String] = []
        if groups.count > maxGroups {
            skipped.append(
                "the charts for \(groups.count - maxGroups) more combinations of "
                    + "\(others.map { f.paths[$0] }.joined(separator: ", ")) "
                    + "(at most \(maxGroups) are drawn; choose the settings to chart with --over)")
            groups = Array(groups.prefix(maxGroups))
        }
        for (g, group) in groups.enumerated() {
            let held = zip(others, group.key).map { "\(f.paths[$0])=\($1)" }.joined(separator: ", ")
            let charted = ChartGroup(
                f: f, choice: choice, statistic: statistic, points: group.points, held: held,
                suffix: groups.count > 1 ? "-\(g + 1)" : "", onFront: front.onFront)
            if let map = charted.heatMap() { charts.append(map) }
            if let line = charted.line(skipped: &skipped) { charts.append(line) }
        }
        if choice.y == nil { skipped.append("a heat map: it needs two varied settings, and this sweep varied one") }
        return (front.charts + charts, front.skipped + skipped)
    }

    /// The points grouped by their values of the settings `others`: groups and points in the grid's order.
    private static func pointGroups(_ f: SweepFolder, by others: [Int]) -> [(key: [String], points: [Int])] {
        var groups: [(key: [String], points: [Int])] = []
        for k in f.values.indices {
            let key = others.map { f.values[k][$0] }
            if let g = groups.firstIndex(where: { $0.key == key }) {
                groups[g].points.append(k)
            } else {
                groups.append((key, [k]))
            }
        }
        return groups
    }
}

/// The chosen statistic's columns of sweep.csv: per point, its value and interval.
private struct StatisticColumns {
    let value: [Double?]
    let low: [Double?]?
    let high: [Double?]?

    init(_ f: SweepFolder, _ choice: SweepChartChoice) throws(ResultFolderError) {
        let cols = choice.columns
        guard let value = try f.numbers(cols.value) else {
            throw .damaged(file: f.table.file, line: 1, problem: "no '\(cols.value)' column in the header")
        }
        self.value = value
        low = try cols.low.flatMap { c throws(ResultFolderError) in try f.numbers(c) }
        high = try cols.high.flatMap { c throws(ResultFolderError) in try f.numbers(c) }
    }

    /// Point `k`'s estimate.
    func estimate(_ k: Int) -> Estimate { Estimate(value: value[k], low: low?[k] ?? nil, high: high?[k] ?? nil) }
}

/// The points of a sweep where the settings not charted hold one combination of values: they make one
/// heat map (with two charted settings) and one line chart.
private struct ChartGroup {
    let f: SweepFolder
    let choice: SweepChartChoice
    let statistic: StatisticColumns
    /// Indices into the sweep's points, in the grid's order.
    let points: [Int]
    /// The settings held and their values, "dns.ttl_s=60, …": empty when every varied setting is charted.
    let held: String
    /// Ends the charts' names when there are several groups: "-2".
    let suffix: String
    /// Per point of the sweep, whether it is on the Pareto front (empty without objectives).
    let onFront: [Bool]

    var name: String { "\(choice.metric)-\(choice.statistic)" }
    var subtitle: String {
        "\(f.replicationsText) incidents per point, seed \(f.document.seed)" + (held.isEmpty ? "" : "; \(held)")
    }
    var xPath: String { f.paths[choice.x] }
    var yPath: String? { choice.y.map { f.paths[$0] } }

    /// The values of varied setting `i` in the group, each once, in the grid's order.
    func distinct(_ i: Int) -> [String] {
        var out: [String] = []
        for k in points where !out.contains(f.values[k][i]) { out.append(f.values[k][i]) }
        return out
    }

    /// The point whose charted settings have the values `xv` and `yv`.
    func point(_ xv: String, _ yv: String?) -> Int? {
        points.first { k in f.values[k][choice.x] == xv && choice.y.map { f.values[k][$0] == yv } ?? true }
    }

    /// Whether point `k` is on the Pareto front.
    func isOnFront(_ k: Int) -> Bool { onFront.indices.contains(k) && onFront[k] }

    /// The statistic over both charted settings; nil when only one is charted.
    func heatMap() -> Chart? {
        guard let yPath, let y = choice.y else { return nil }
        let xs = distinct(choice.x)
        let ys = distinct(y)
        return HeatMap.draw(
            HeatMapData(
                name: "heatmap-\(name)\(suffix)", title: "\(f.name): \(choice.label) by setting", subtitle: subtitle,
                statistic: choice.label, quantity: choice.quantity, xLabel: xPath, xValues: xs, yLabel: yPath,
                yValues: ys,
                cells: ys.map { yv in xs.map { xv in point(xv, yv).map(statistic.estimate) ?? Estimate(value: nil) } },
                front: ys.map { yv in xs.map { xv in point(xv, yv).map(isOnFront) ?? false } },
                frontOver: f.objectives.map(\.named).joined(separator: ", ")))
    }

    /// The statistic against the first charted setting, a line per value of the second; nil, with the reason
    /// in `skipped`, when the first's values are not all numbers. Lines beyond the palette's are named there.
    func line(skipped: inout [String]) -> Chart? {
        let xs = distinct(choice.x)
        let ys = choice.y.map(distinct) ?? []
        guard xs.allSatisfy({ Double($0) != nil }) else {
            skipped.append(
                "the line of \(choice.label) against \(xPath)\(held.isEmpty ? "" : " with \(held)"): "
                    + "its values are not all numbers (the heat map and the table show them); "
                    + "choose a setting with numbers with --over")
            return nil
        }
        let lines = ys.isEmpty ? [nil] : ys.map(Optional.some)
        let maxLines = SweepCharts.maxLines
        if lines.count > maxLines {
            skipped.append(
                "\(lines.count - maxLines) lines of \(choice.label) against \(xPath) (\(yPath ?? "") "
                    + "= \(lines.dropFirst(maxLines).compactMap { $0 }.joined(separator: ", "))): "
                    + "at most \(maxLines) lines are drawn on one chart")
        }
        let series = lines.prefix(maxLines).map { yv in
            let points = xs.compactMap { xv in
                point(xv, yv).map { LinePoint(x: Double(xv)!, estimate: statistic.estimate($0)) }
            }
            let label = yv.map { "\(yPath ?? "")=\($0)" } ?? choice.label
            return IntervalLineChartData.Series(label: label, points: points)
        }
        return IntervalLineChart.draw(
            IntervalLineChartData(
                name: "line-\(name)\(suffix)", title: "\(f.name): \(choice.label) against \(xPath)", subtitle: subtitle,
                xLabel: xPath, xQuantity: Quantity.of(path: xPath), yLabel: choice.label, yQuantity: choice.quantity,
                series: series))
    }
}
