import DRSim
import DRSimFiles
import DRSimResults
import Foundation

extension PairedComparison {
    public static let csvColumns = [
        "metric", "count", "a_mean", "b_mean", "diff_mean", "diff_mean_ci_low", "diff_mean_ci_high", "diff_sd",
        "diff_p50", "diff_p50_ci_low", "diff_p50_ci_high", "diff_p90", "diff_p90_ci_low", "diff_p90_ci_high",
        "diff_p99", "diff_p99_ci_low", "diff_p99_ci_high",
        "b_better", "equal", "b_worse", "b_better_share", "equal_share", "b_worse_share", "a_censored", "b_censored",
    ]

    /// `compare.csv`: one row per metric (docs/config.md, "compare.csv").
    public var csv: String {
        var out = Self.csvColumns.joined(separator: ",") + "\r\n"
        for m in metrics {
            let values = m.columns
            out +=
                ([m.metric] + Self.csvColumns.dropFirst().map { ResultFiles.cell(values[$0] ?? nil) }).joined(
                    separator: ",") + "\r\n"
        }
        return out
    }

    /// Adds `compare.csv` and each side's result files (in `a/` and `b/`) to `batch`.
    public func add(to batch: inout FileBatch, in directory: URL) {
        ResultFiles(a).add(to: &batch, in: directory.appendingPathComponent("a"))
        ResultFiles(b).add(to: &batch, in: directory.appendingPathComponent("b"))
        batch.add(directory.appendingPathComponent(ResultFileNames.compare), text: csv)
    }

    /// The comparison as people read it on a terminal; `a` and `b` say what each side is.
    public func text(a labelA: String, b labelB: String) -> String {
        let same = a.config.horizon == b.config.horizon
        var lines = [
            "A: \(labelA)",
            "B: \(labelB)",
            "\(a.config.replications) incidents on each side (seed \(a.config.seed))\(same ? ":" : ",") "
                + "\(CompareTable.pairing(sameHorizon: same))",
        ]
        let rows = Metric.displayOrder(metrics, name: \.metric).map { m in
            let values = m.columns
            return CompareTable.row(metric: m.metric) { values[$0] ?? nil }
        }
        lines += SummaryFormat.layout([CompareTable.header] + rows, leftAligned: 2)
        lines += CompareTable.notes + front.lines
        return lines.joined(separator: "\n") + "\n"
    }

    /// The comparison as JSON: `compare.csv`'s columns per metric.
    public var json: String {
        func n(_ x: Double?) -> JSON { x.map { .number($0) } ?? .null }
        let rows: [JSON] = metrics.map { m in
            .object([
                "metric": .string(m.metric), "count": .number(Double(m.count)), "a_mean": n(m.meanA),
                "b_mean": n(m.meanB),
                "diff_mean": n(m.difference.value), "diff_mean_ci_low": n(m.difference.low),
                "diff_mean_ci_high": n(m.difference.high),
                "diff_sd": n(m.sd), "diff_p50": n(m.p50.value), "diff_p50_ci_low": n(m.p50.low),
                "diff_p50_ci_high": n(m.p50.high),
                "diff_p90": n(m.p90.value), "diff_p90_ci_low": n(m.p90.low), "diff_p90_ci_high": n(m.p90.high),
                "diff_p99": n(m.p99.value), "diff_p99_ci_low": n(m.p99.low), "diff_p99_ci_high": n(m.p99.high),
                "b_better": .number(Double(m.better)), "equal": .number(Double(m.equal)),
                "b_worse": .number(Double(m.worse)),
                "a_censored": .number(Double(m.censoredA)), "b_censored": .number(Double(m.censoredB)),
            ])
        }
        let doc: JSON = .object([
            "a": .string(a.config.name), "b": .string(b.config.name), "seed": .number(Double(a.config.seed)),
            "replications": .number(Double(a.config.replications)), "metrics": .array(rows), "front": front.json,
        ])
        return doc.serialized() + "\n"
    }
}

extension PairedMetric {
    /// The metric's numbers by `compare.csv`'s column name (nil: an empty cell).
    public var columns: [String: Double?] {
        func d(_ k: Int) -> Double { Double(k) }
        return [
            "count": d(count), "a_mean": meanA, "b_mean": meanB,
            "diff_mean": difference.value, "diff_mean_ci_low": difference.low, "diff_mean_ci_high": difference.high,
            "diff_sd": sd,
            "diff_p50": p50.value, "diff_p50_ci_low": p50.low, "diff_p50_ci_high": p50.high,
            "diff_p90": p90.value, "diff_p90_ci_low": p90.low, "diff_p90_ci_high": p90.high,
            "diff_p99": p99.value, "diff_p99_ci_low": p99.low, "diff_p99_ci_high": p99.high,
            "b_better": d(better), "equal": d(equal), "b_worse": d(worse),
            "b_better_share": share(better), "equal_share": share(equal), "b_worse_share": share(worse),
            "a_censored": d(censoredA), "b_censored": d(censoredB),
        ]
    }
}
