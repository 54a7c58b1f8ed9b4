import DRSim
import DRSimFiles
import DRSimResults
import Foundation

extension Advice {
    /// What the point is in the answer: `chosen`, `runner-up`, `cheaper` (than the answer, or every
    /// point when there is none) or empty.
    func role(_ k: Int) -> String {
        if k == chosen { return "chosen" }
        if k == runnerUp { return "runner-up" }
        return cheaper.contains(k) ? "cheaper" : ""
    }

    /// `advise.csv`'s columns: the point and its settings, the objective with its interval, each
    /// target's estimate, interval and verdict (`target1_…` in the targets' order), the point's
    /// verdict, its replications and its role in the answer.
    public static func csvColumns(_ grid: SweepGrid, targets: Int) -> [String] {
        var columns = ["point"] + grid.axes.map(\.path) + ["objective", "objective_ci_low", "objective_ci_high"]
        for i in (0..<targets).map({ $0 + 1 }) {
            columns += ["target\(i)_estimate", "target\(i)_ci_low", "target\(i)_ci_high", "target\(i)_verdict"]
        }
        return columns + ["verdict", "replications", "advice"]
    }

    /// `advise.csv`: one row per point, in grid order.
    public var csv: String {
        var out = Self.csvColumns(grid, targets: targets.count).map(csvCell).joined(separator: ",") + "\r\n"
        for (k, p) in points.enumerated() {
            var row = [String(k + 1)] + grid.point(k).map(Self.cell)
            row += [p.objective.value, p.objective.low, p.objective.high].map(ResultFiles.cell)
            for t in p.judgements {
                row += [t.estimate, t.low, t.high].map { ResultFiles.cell($0.flatMap { $0.isFinite ? $0 : nil }) }
                row.append(t.verdict.rawValue)
            }
            row += [p.verdict.rawValue, String(p.replications), role(k)]
            out += row.joined(separator: ",") + "\r\n"
        }
        return out
    }

    /// A varied value in a cell: a string as itself, any other value as compact JSON.
    static func cell(_ v: JSON) -> String {
        if case .string(let s) = v { return csvCell(s) }
        return csvCell(compactJSON(v))
    }

    /// `advise.json`, and what `--json` prints: the search, the answer, and every point's judgement.
    public var json: String {
        let doc: JSON = .object([
            "drsim_version": .string(DRSimInfo.version), "name": .string(base.name),
            "seed": .number(Double(base.seed)), "config_hash": .string(ResultFiles.configHash(base.resolved)),
            "minimize": .string(objective.description), "targets": .array(targets.map { .string($0.description) }),
            "replications": .number(Double(start)), "max_replications": .number(Double(cap)),
            "outcome": .string(outcome.rawValue),
            "chosen": chosen.map { .number(Double($0 + 1)) } ?? .null,
            "runner_up": runnerUp.map { .number(Double($0 + 1)) } ?? .null,
            "cheaper": .array(cheaper.map { .number(Double($0 + 1)) }),
            "points": .array(points.indices.map(pointJSON)),
        ])
        return doc.serialized() + "\n"
    }

    func pointJSON(_ k: Int) -> JSON {
        let p = points[k]
        return .object([
            "point": .number(Double(k + 1)),
            "set": .array(zip(grid.axes, grid.point(k)).map { .object(["path": .string($0.path), "value": $1]) }),
            "replications": .number(Double(p.replications)), "objective": CheckReport.json(p.objective),
            "verdict": .string(p.verdict.rawValue), "advice": role(k).isEmpty ? .null : .string(role(k)),
            "targets": .array(p.judgements.map(CheckReport.json)),
        ])
    }

    /// Adds `advise.csv` and `advise.json` to `batch`.
    public func add(to batch: inout FileBatch, in directory: URL) {
        batch.add(directory.appendingPathComponent(ResultFileNames.advise), text: csv)
        batch.add(directory.appendingPathComponent(ResultFileNames.adviseDocument), text: json)
    }
}

extension Advice {
    /// The advice as people read it: a table of the points, then the answer in words with its evidence.
    public func text() -> String {
        let range = Set(points.map(\.replications)).sorted()
        let counts = range.count == 1 ? "\(range[0])" : "\(range.first!) to \(range.last!)"
        var lines = [
            "\(base.name): \(grid.count) points on the same incidents (seed \(base.seed)), \(counts) replications "
                + "each (at most \(cap)); minimizing \(objective)"
        ]
        let header =
            ["point"] + grid.axes.map(\.path) + ["\(objective) [95%]"] + targets.map(\.description)
            + ["replications", "advice"]
        let rows: [[String]] = points.indices.map { k in
            let p = points[k]
            return [String(k + 1)] + grid.point(k).map(compactJSON) + [Self.estimate(p.objective)]
                + p.judgements.map {
                    "\($0.verdict == .met ? "met" : $0.verdict.rawValue.uppercased()) \($0.estimateText)"
                }
                + [String(p.replications), role(k)]
        }
        lines += SummaryFormat.layout([header] + rows, leftAligned: 1 + grid.axes.count)
        lines.append("")
        lines += answerLines()
        return lines.joined(separator: "\n") + "\n"
    }

    /// An estimate with its interval: `183018 [181002, 185034]`.
    static func estimate(_ e: Estimate) -> String {
        guard e.value != nil else { return "-" }
        return "\(SummaryFormat.short(e.value)) [\(e.low.map(SummaryFormat.short) ?? "−∞"), "
            + "\(e.high.map(SummaryFormat.short) ?? "+∞")]"
    }

    /// A point by its number and settings, with its objective.
    func describe(_ k: Int) -> String {
        "point \(k + 1) (\(grid.label(k))): \(objective) = \(Self.estimate(points[k].objective)), "
            + "\(points[k].replications) replications"
    }

    /// The answer, the runner-up, and why each cheaper point is not the answer.
    func answerLines() -> [String] {
        var lines: [String] = []
        let width = targets.map { $0.description.count }.max() ?? 0
        if let c = chosen {
            lines.append("advise: the lowest \(objective) with every target met: \(describe(c))")
            for t in points[c].judgements { lines += CheckReport.lines(t, width: width, indent: "  ", growing: nil) }
            lines.append(
                runnerUp.map { "runner-up: \(describe($0))" } ?? "runner-up: none; no other point meets every target")
            if let r = runnerUp, let low = points[r].objective.low, let high = points[c].objective.high, low <= high {
                lines.append(
                    "  the two intervals of \(objective) overlap: drsim compare with the two points' settings gives "
                        + "their paired difference on the same incidents")
            }
        } else {
            lines.append(
                outcome == .failed
                    ? "advise: FAILED: every point fails a target"
                    : "advise: UNDECIDED: no point meets every target with confidence, and some are undecided at "
                        + "the most replications (--max-replications \(cap))")
        }
        guard !cheaper.isEmpty else { return lines }
        lines.append(chosen == nil ? "Every point, and why:" : "Cheaper points, and why each is not the answer:")
        for k in cheaper {
            lines.append("  \(describe(k))")
            for t in points[k].judgements where t.verdict != .met {
                lines += CheckReport.lines(t, width: width, indent: "    ", growing: nil)
            }
            if points[k].verdict == .undecided {
                lines.append(
                    points[k].replications >= cap
                        ? "    still undecided at the most replications (--max-replications \(cap))"
                        : "    no number of replications can decide it (see the note)")
            }
        }
        return lines
    }
}
