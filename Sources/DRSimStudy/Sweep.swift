import DRSim
import DRSimFiles
import Foundation

/// A sweep's results: every point of the grid run on the same incidents (the base config's seed and
/// replication numbers), in the grid's order (docs/config.md, "sweep").
public struct Sweep: Sendable {
    /// The config every point starts from (the file and `--set`, without the grid).
    public var base: Config
    public var grid: SweepGrid
    /// Point k's run, in grid order.
    public var points: [RunOutput]

    public init(base: Config, grid: SweepGrid, points: [RunOutput]) {
        precondition(points.count == grid.count, "one run per point")
        self.base = base
        self.grid = grid
        self.points = points
    }

    /// The statistics `sweep.csv` gives for every metric, in its column order.
    static let statistics: [(name: String, estimate: @Sendable (MetricSummary) -> Estimate)] = [
        ("mean", \.mean), ("p50", \.p50), ("p90", \.p90), ("p99", \.p99),
    ]

    public static func csvColumns(_ grid: SweepGrid) -> [String] {
        var columns = ["point"] + grid.axes.map(\.path)
        for m in Metric.allCases {
            for (s, _) in statistics { columns += ["\(m.rawValue)_\(s)", "\(m.rawValue)_\(s)_ci_low", "\(m.rawValue)_\(s)_ci_high"] }
            columns.append("\(m.rawValue)_censored_share")
        }
        return columns
    }

    /// `sweep.csv`: one row per point, the varied values, then every metric's statistics.
    public var csv: String {
        let cell = ResultFiles.cell
        var out = Self.csvColumns(grid).map(csvCell).joined(separator: ",") + "\r\n"
        for (k, run) in points.enumerated() {
            var row = [String(k + 1)] + grid.point(k).map { v in
                if case let .string(s) = v { return csvCell(s) }
                return csvCell(compactJSON(v))
            }
            for s in run.summaries {
                for (_, estimate) in Self.statistics {
                    let e = estimate(s)
                    row += [cell(e.value), cell(e.low), cell(e.high)]
                }
                row.append(s.count == 0 ? "" : cell(Double(s.censored) / Double(s.count)))
            }
            out += row.joined(separator: ",") + "\r\n"
        }
        return out
    }

    /// `sweep.json`: the resolved base config and the grid, each point with its overrides, folder and
    /// config hash.
    public var json: String {
        let resolved = base.resolved
        let axes: [JSON] = grid.axes.map { .object(["path": .string($0.path), "values": .array($0.values)]) }
        let runs = self.points
        let points: [JSON] = runs.indices.map { k in
            .object([
                "point": .number(Double(k + 1)), "folder": .string(grid.folder(k)),
                "set": .array(zip(grid.axes, grid.point(k)).map { .object(["path": .string($0.path), "value": $1]) }),
                "config_hash": .string(ResultFiles.configHash(runs[k].config.resolved)),
            ])
        }
        let doc: JSON = .object([
            "drsim_version": .string(DRSimInfo.version),
            "seed": .number(Double(base.seed)),
            "replications": .number(Double(runs.first?.config.replications ?? base.replications)),
            "base": .object(["config_hash": .string(ResultFiles.configHash(resolved)), "config": resolved]),
            "grid": .array(axes),
            "points": .array(points),
        ])
        return doc.serialized() + "\n"
    }

    /// Adds `sweep.csv`, `sweep.json` and every point's result files (in its folder) to `batch`.
    public func add(to batch: inout FileBatch, in directory: URL) {
        for (k, run) in points.enumerated() {
            ResultFiles(run).add(to: &batch, in: directory.appendingPathComponent(grid.folder(k)))
        }
        batch.add(directory.appendingPathComponent("sweep.csv"), text: csv)
        batch.add(directory.appendingPathComponent("sweep.json"), text: json)
    }

    /// The columns of the terminal table: the metrics that matter most to an architect.
    static let shown: [(metric: Metric, label: String, value: @Sendable (MetricSummary) -> Double?)] = [
        (.detection, "detection_s mean", \.mean.value),
        (.recovered90, "recovered_90_s mean", \.mean.value),
        (.rto, "rto_s p50", \.p50.value),
        (.rto, "rto_s p90", \.p90.value),
        (.rto, "rto_s never", { $0.count == 0 ? nil : Double($0.censored) / Double($0.count) }),
        (.failedRequests, "failed_requests mean", \.mean.value),
        (.lostWrites, "lost_writes mean", \.mean.value),
    ]

    /// The sweep as people read it: one row per point, the metrics that matter most, the best point of
    /// each marked with `*` (lowest; an unknown value counts as worse than any known one), and a line
    /// per metric naming it.
    public func text() -> String {
        let replications = points.first?.config.replications ?? base.replications
        var lines = ["\(base.name): \(grid.count) points, \(replications) replications each on the same incidents (seed \(base.seed))"]
        var rows = [["point"] + grid.axes.map(\.path) + Self.shown.map(\.label)]
        var best: [String] = []
        let values = Self.shown.map { col in points.map { run in col.value(run.summaries.first { $0.metric == col.metric.rawValue }!) } }
        var cells = points.indices.map { k in [String(k + 1)] + grid.point(k).map(compactJSON) }
        for (c, col) in Self.shown.enumerated() {
            let known = values[c].compactMap { $0 }
            let low = known.min()
            let winners = low.map { l in values[c].indices.filter { values[c][$0] == l } } ?? []
            let percent = col.label.hasSuffix("never")
            for k in points.indices {
                let v = values[c][k]
                let text = v.map { percent ? String(format: "%.1f%%", 100 * $0) : SummaryTable.short($0) } ?? "-"
                cells[k].append(text + (winners.contains(k) && winners.count < points.count ? "*" : " "))
            }
            if winners.isEmpty { best.append("\(col.label): unknown at every point") }
            else if winners.count == points.count { best.append("\(col.label): the same at every point") }
            else { best.append("\(col.label): " + winners.map { "point \($0 + 1) (\(grid.label($0)))" }.joined(separator: ", ")) }
        }
        rows += cells
        lines += SummaryTable.layout(rows, leftAligned: 1)
        lines.append("Best (lowest) per column, marked *:")
        lines += best.map { "  " + $0 }
        lines.append("A '-' is unknown (censored: see 'never'). sweep.csv has every metric with its 95% intervals; drsim compare gives paired differences.")
        return lines.joined(separator: "\n") + "\n"
    }

    /// The sweep as JSON: the grid, and per point its values and `summary.csv`'s statistics.
    public var summaryJSON: String {
        let points: [JSON] = self.points.enumerated().map { k, run in
            .object([
                "point": .number(Double(k + 1)),
                "set": .array(zip(grid.axes, grid.point(k)).map { .object(["path": .string($0.path), "value": $1]) }),
                "metrics": .array(run.summaries.map(SummaryTable.json)),
            ])
        }
        let doc: JSON = .object([
            "name": .string(base.name), "seed": .number(Double(base.seed)),
            "replications": .number(Double(self.points.first?.config.replications ?? base.replications)), "points": .array(points),
        ])
        return doc.serialized() + "\n"
    }
}
