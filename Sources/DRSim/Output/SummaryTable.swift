import DRSimResults
import Foundation

/// The summary as people read it on a terminal, and as JSON for scripts.
public enum SummaryTable {
    /// The summary table `drsim run` prints (`SummaryFormat`'s, as the report shows it too), metrics in
    /// display order (`Metric.displayOrder`: what the settings move first).
    public static func text(_ run: RunOutput) -> String {
        let c = run.config
        let horizon = SummaryFormat.short(c.horizon)
        var lines = ["\(c.name): \(c.replications) replications, seed \(c.seed), horizon \(horizon) s"]
        let shown = run.summaries.filter { SummaryFormat.isShown($0.metric, count: $0.value("count")) }
        let rows = Metric.displayOrder(shown, name: \.metric).map { s in
            SummaryFormat.row(metric: s.metric, value: s.value)
        }
        lines += SummaryFormat.layout([SummaryFormat.header] + rows, leftAligned: 3)
        lines.append(SummaryFormat.note)
        return lines.joined(separator: "\n") + "\n"
    }

    /// The summary as one JSON object; `extra` adds keys (`drsim run`'s `placeholder_range`).
    public static func json(_ run: RunOutput, extra: [String: JSON] = [:]) -> String {
        var doc: [String: JSON] = [
            "name": .string(run.config.name), "replications": .number(Double(run.config.replications)),
            "seed": .number(Double(run.config.seed)), "metrics": .array(run.summaries.map(json)),
        ]
        doc.merge(extra) { _, new in new }
        return JSON.object(doc).serialized() + "\n"
    }

    /// The line under the table with the cost per month and its parts (`CostLine`), from the cost metrics'
    /// means; empty when the run has no cost.
    public static func costText(_ run: RunOutput) -> String {
        CostLine.text(configPrices: run.config.cost != nil) { mean(run, $0) }.map { $0 + "\n" } ?? ""
    }

    /// The cost per month and its parts as a JSON object keyed by metric (`drsim run --json`'s `cost`).
    public static func costJSON(_ run: RunOutput) -> JSON {
        var o = CostLine.json { mean(run, $0) }.mapValues { $0.map(JSON.number) ?? .null }
        o["prices"] = .string(run.config.cost == nil ? "list prices read \(CostLine.pricesRead)" : "the config's")
        return .object(o)
    }

    private static func mean(_ run: RunOutput, _ m: Metric) -> Double? {
        run.summaries.first { $0.metric == m.rawValue }?.mean.value
    }

    /// One metric's summary as a JSON object, with `summary.csv`'s column names as keys.
    public static func json(_ s: MetricSummary) -> JSON {
        var object: [String: JSON] = ["metric": .string(s.metric)]
        for column in MetricSummary.columns.dropFirst() {
            object[column] = s.value(column).map { .number($0) } ?? .null
        }
        object["mean_is_lower_bound"] = s.meanIsLowerBound.map { .bool($0) } ?? .null
        return .object(object)
    }
}
