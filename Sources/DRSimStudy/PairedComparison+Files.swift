import DRSim
import DRSimFiles
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
        let cell = ResultFiles.cell
        var out = Self.csvColumns.joined(separator: ",") + "\r\n"
        for m in metrics {
            let row: [String] = [
                m.metric, String(m.count), cell(m.meanA), cell(m.meanB),
                cell(m.difference.value), cell(m.difference.low), cell(m.difference.high), cell(m.sd),
                cell(m.p50.value), cell(m.p50.low), cell(m.p50.high), cell(m.p90.value), cell(m.p90.low), cell(m.p90.high),
                cell(m.p99.value), cell(m.p99.low), cell(m.p99.high),
                String(m.better), String(m.equal), String(m.worse),
                cell(m.share(m.better)), cell(m.share(m.equal)), cell(m.share(m.worse)), String(m.censoredA), String(m.censoredB),
            ]
            out += row.joined(separator: ",") + "\r\n"
        }
        return out
    }

    /// Adds `compare.csv` and each side's result files (in `a/` and `b/`) to `batch`.
    public func add(to batch: inout FileBatch, in directory: URL) {
        ResultFiles(a).add(to: &batch, in: directory.appendingPathComponent("a"))
        ResultFiles(b).add(to: &batch, in: directory.appendingPathComponent("b"))
        batch.add(directory.appendingPathComponent("compare.csv"), text: csv)
    }

    /// The comparison as people read it on a terminal; `a` and `b` say what each side is.
    public func text(a labelA: String, b labelB: String) -> String {
        let short = SummaryTable.short
        func pct(_ k: Int, _ m: PairedMetric) -> String { m.count == 0 ? "-" : String(format: "%.1f%%", 100 * Double(k) / Double(m.count)) }
        var lines = [
            "A: \(labelA)",
            "B: \(labelB)",
            "\(a.config.replications) incidents on each side (seed \(a.config.seed)): the same incidents, so each difference is the setting's",
        ]
        var rows = [["metric", "unit", "A mean", "B mean", "B − A mean [95% CI]", "B − A median", "B better", "equal", "B worse"]]
        for m in metrics {
            let diff = m.difference.value.map { v in
                "\(signed(v)) [\(m.difference.low.map(signed) ?? "-"), \(m.difference.high.map(signed) ?? "-")]"
            } ?? "-"
            rows.append([m.metric, SummaryTable.units[m.metric] ?? "",
                         m.meanA.map { (m.censoredA > 0 ? "≥" : "") + short($0) } ?? "-",
                         m.meanB.map { (m.censoredB > 0 ? "≥" : "") + short($0) } ?? "-",
                         m.count == 0 ? "-" : diff, m.p50.value.map(signed) ?? "-",
                         pct(m.better, m), pct(m.equal, m), pct(m.worse, m)])
        }
        lines += SummaryTable.layout(rows, leftAligned: 2)
        lines.append("Lower is better for every metric. A value that never happened before the horizon is worse than any that did and")
        lines.append("equal to another such; in the means and differences it counts as the horizon (≥ marks a side with such values).")
        return lines.joined(separator: "\n") + "\n"
    }

    /// The comparison as JSON: `compare.csv`'s columns per metric.
    public var json: String {
        func n(_ x: Double?) -> JSON { x.map { .number($0) } ?? .null }
        let rows: [JSON] = metrics.map { m in
            .object([
                "metric": .string(m.metric), "count": .number(Double(m.count)), "a_mean": n(m.meanA), "b_mean": n(m.meanB),
                "diff_mean": n(m.difference.value), "diff_mean_ci_low": n(m.difference.low), "diff_mean_ci_high": n(m.difference.high),
                "diff_sd": n(m.sd), "diff_p50": n(m.p50.value), "diff_p50_ci_low": n(m.p50.low), "diff_p50_ci_high": n(m.p50.high),
                "diff_p90": n(m.p90.value), "diff_p90_ci_low": n(m.p90.low), "diff_p90_ci_high": n(m.p90.high),
                "diff_p99": n(m.p99.value), "diff_p99_ci_low": n(m.p99.low), "diff_p99_ci_high": n(m.p99.high),
                "b_better": .number(Double(m.better)), "equal": .number(Double(m.equal)), "b_worse": .number(Double(m.worse)),
                "a_censored": .number(Double(m.censoredA)), "b_censored": .number(Double(m.censoredB)),
            ])
        }
        let doc: JSON = .object([
            "a": .string(a.config.name), "b": .string(b.config.name), "seed": .number(Double(a.config.seed)),
            "replications": .number(Double(a.config.replications)), "metrics": .array(rows),
        ])
        return doc.serialized() + "\n"
    }
}

/// A difference with its sign: "+3.2", "−1.5", "0".
func signed(_ x: Double) -> String {
    x > 0 ? "+" + SummaryTable.short(x) : x < 0 ? "−" + SummaryTable.short(-x) : "0"
}
