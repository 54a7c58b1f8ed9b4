import DRSim
import DRSimFiles
import DRSimResults
import Foundation

/// A sweep's results: every point of the grid run on the same incidents (the base config's seed and
/// replication numbers), in the grid's order (docs/config.md, "sweep").
public struct Sweep: Sendable {
    /// The config every point starts from (the file and `--set`, without the grid).
    public var base: Config
    public var grid: SweepGrid
    /// Point k's run, in grid order.
    public var points: [RunOutput]
    /// What the Pareto front is over (`--objective`), and what was left out.
    public var objectives: ObjectiveChoice
    /// Point k's place on the front over `objectives.used` (empty when no objective is used).
    public var standings: [ParetoFront.Standing]
    /// The point (0-based) an advice chose among these, drawn on the report's front; nil: none.
    public var chosen: Int? = nil

    /// - Parameter objectives: what the Pareto front is over; those whose metric has no values are left out.
    public init(base: Config, grid: SweepGrid, points: [RunOutput], objectives: [Objective] = Objective.defaults) {
        precondition(points.count == grid.count, "one run per point")
        self.base = base
        self.grid = grid
        self.points = points
        let choice = ObjectiveChoice(
            objectives, configs: points.map(\.config), summaries: points.map(\.summaries), name: { "point \($0 + 1)" })
        self.objectives = choice
        standings =
            choice.used.isEmpty
            ? []
            : ParetoFront.standings(
                points.map { p in choice.used.map { ObjectiveChoice.estimate($0, p.summaries) } },
                maximise: choice.used.map(\.maximise))
    }

    /// The statistics `sweep.csv` gives for every metric, in its column order.
    static let statistics: [(name: String, estimate: @Sendable (MetricSummary) -> Estimate)] = [
        ("mean", \.mean), ("p50", \.p50), ("p90", \.p90), ("p99", \.p99),
    ]

    public static func csvColumns(_ grid: SweepGrid) -> [String] {
        var columns = ["point"] + grid.axes.map(\.path)
        for m in Metric.allCases {
            for (s, _) in statistics {
                columns += ["\(m.rawValue)_\(s)", "\(m.rawValue)_\(s)_ci_low", "\(m.rawValue)_\(s)_ci_high"]
            }
            columns.append("\(m.rawValue)_censored_share")
        }
        return columns + frontColumns
    }

    /// The last columns of `sweep.csv`: 1 on the Pareto front, 0 off it (empty without objectives), and
    /// the points (numbers, separated by spaces) that dominate the point, all of them and the clearly.
    public static let frontColumns = ["pareto_front", "dominated_by", "dominated_clearly_by"]

    /// Point k's `frontColumns` cells.
    func frontCells(_ k: Int) -> [String] {
        guard k < standings.count else { return ["", "", ""] }
        let s = standings[k]
        func numbers(_ points: [Int]) -> String { points.map { String($0 + 1) }.joined(separator: " ") }
        return [s.onFront ? "1" : "0", numbers(s.dominatedBy), numbers(s.clearlyDominatedBy)]
    }

    /// A point's statistics by `sweep.csv`'s column name (nil: an empty cell).
    static func columns(_ run: RunOutput) -> [String: Double?] {
        var out: [String: Double?] = [:]
        for s in run.summaries {
            for (name, estimate) in Self.statistics {
                let e = estimate(s)
                out["\(s.metric)_\(name)"] = e.value
                out["\(s.metric)_\(name)_ci_low"] = e.low
                out["\(s.metric)_\(name)_ci_high"] = e.high
            }
            out["\(s.metric)_censored_share"] = s.count == 0 ? nil : Double(s.censored) / Double(s.count)
        }
        return out
    }

    /// `sweep.csv`: one row per point, the varied values, then every metric's statistics.
    public var csv: String {
        let columns = Self.csvColumns(grid)
        var out = columns.map(csvCell).joined(separator: ",") + "\r\n"
        for (k, run) in points.enumerated() {
            let values = Self.columns(run)
            let row =
                [String(k + 1)]
                + grid.point(k).map { v in
                    if case .string(let s) = v { return csvCell(s) }
                    return csvCell(compactJSON(v))
                }
                + columns.dropFirst(1 + grid.axes.count).dropLast(Self.frontColumns.count).map {
                    ResultFiles.cell(values[$0] ?? nil)
                } + frontCells(k)
            out += row.joined(separator: ",") + "\r\n"
        }
        return out
    }

    /// The replications every point ran at least: all of them ran as many in a sweep; an advice adds
    /// replications to the points it could not yet decide, and sweep.json gives each point's own count.
    var fewestReplications: Int { points.map(\.config.replications).min() ?? base.replications }

    /// `sweep.json`: the resolved base config and the grid, each point with its overrides, folder, config
    /// hash, replications and place on the Pareto front; the objectives used and left out, and the point
    /// an advice chose.
    public var json: String {
        let resolved = base.resolved
        let axes: [JSON] = grid.axes.map { .object(["path": .string($0.path), "values": .array($0.values)]) }
        let runs = self.points
        let points: [JSON] = runs.indices.map { k in
            .object(
                [
                    "point": .number(Double(k + 1)), "folder": .string(grid.folder(k)),
                    "set": .array(
                        zip(grid.axes, grid.point(k)).map { .object(["path": .string($0.path), "value": $1]) }),
                    "config_hash": .string(ResultFiles.configHash(runs[k].config.resolved)),
                    "replications": .number(Double(runs[k].config.replications)),
                ].merging(frontKeys(k)) { a, _ in a })
        }
        let doc: JSON = .object([
            "drsim_version": .string(DRSimInfo.version),
            "seed": .number(Double(base.seed)),
            "replications": .number(Double(fewestReplications)),
            "base": .object(["config_hash": .string(ResultFiles.configHash(resolved)), "config": resolved]),
            "grid": .array(axes),
            "points": .array(points),
            "objectives": .array(objectives.used.map { .string($0.description) }),
            "objectives_left_out": objectives.leftOutJSON,
            "chosen": chosen.map { .number(Double($0 + 1)) } ?? .null,
            "metrics_without_values": metricsWithoutValues,
        ])
        return doc.serialized() + "\n"
    }

    /// Point k's place on the front as sweep.json and `--json` give it: `pareto_front`, `dominated_by`,
    /// `dominated_clearly_by` (point numbers); none without objectives.
    func frontKeys(_ k: Int) -> [String: JSON] {
        guard k < standings.count else { return [:] }
        let s = standings[k]
        return [
            "pareto_front": .bool(s.onFront),
            "dominated_by": .array(s.dominatedBy.map { .number(Double($0 + 1)) }),
            "dominated_clearly_by": .array(s.clearlyDominatedBy.map { .number(Double($0 + 1)) }),
        ]
    }

    /// Why each metric that has no values at some point has none (as `ObjectiveChoice` says it), so that
    /// a report can say what a chart or table over it is missing.
    var metricsWithoutValues: JSON {
        var out: [String: JSON] = [:]
        for m in Metric.allCases {
            let o = Objective(metric: m, statistic: "mean")
            if let why = ObjectiveChoice.absence(o, configs: points.map(\.config), name: { "point \($0 + 1)" }) {
                out[m.rawValue] = .string(why)
            }
        }
        return .object(out)
    }

    /// Adds `sweep.csv`, `sweep.json` and every point's result files (in its folder) to `batch`.
    public func add(to batch: inout FileBatch, in directory: URL) {
        for (k, run) in points.enumerated() {
            ResultFiles(run).add(to: &batch, in: directory.appendingPathComponent(grid.folder(k)))
        }
        batch.add(directory.appendingPathComponent(ResultFileNames.sweep), text: csv)
        batch.add(directory.appendingPathComponent(ResultFileNames.sweepDocument), text: json)
    }

    /// The sweep as people read it: `SweepTable`'s rows, the objectives left out, and the Pareto front.
    public func text() -> String {
        let replications = points.first?.config.replications ?? base.replications
        var lines = [
            "\(base.name): \(grid.count) points, \(replications) replications each on the same incidents (seed "
                + "\(base.seed))"
        ]
        let values = points.map(Self.columns)
        let table = SweepTable.table(
            paths: grid.axes.map(\.path), values: points.indices.map { grid.point($0).map(compactJSON) },
            objectives: objectives.used
        ) { k, column in
            values[k][column] ?? nil
        }
        lines += SummaryFormat.layout([table.header] + table.rows, leftAligned: 1)
        lines += table.front + objectives.notes
        lines.append(SweepTable.note)
        return lines.joined(separator: "\n") + "\n"
    }

    /// The sweep as JSON: the grid, and per point its values and `summary.csv`'s statistics.
    public var summaryJSON: String {
        let points: [JSON] = self.points.enumerated().map { k, run in
            .object(
                [
                    "point": .number(Double(k + 1)),
                    "set": .array(
                        zip(grid.axes, grid.point(k)).map { .object(["path": .string($0.path), "value": $1]) }),
                    "metrics": .array(run.summaries.map(SummaryTable.json)),
                ].merging(frontKeys(k)) { a, _ in a })
        }
        let doc: JSON = .object([
            "name": .string(base.name), "seed": .number(Double(base.seed)),
            "replications": .number(Double(self.points.first?.config.replications ?? base.replications)),
            "points": .array(points), "objectives": .array(objectives.used.map { .string($0.description) }),
            "objectives_left_out": objectives.leftOutJSON,
        ])
        return doc.serialized() + "\n"
    }
}
