import DRSimResults
import Foundation

/// The summary as people read it on a terminal, and as JSON for scripts.
public enum SummaryTable {
    /// The summary table `drsim run` prints (`SummaryFormat`'s, as the report shows it too).
    public static func text(_ run: RunOutput) -> String {
        let c = run.config
        let horizon = SummaryFormat.short(c.horizon)
        var lines = ["\(c.name): \(c.replications) replications, seed \(c.seed), horizon \(horizon) s"]
        let rows = run.summaries.map { s in SummaryFormat.row(metric: s.metric, value: s.value) }
        lines += SummaryFormat.layout([SummaryFormat.header] + rows, leftAligned: 3)
        lines.append(SummaryFormat.note)
        return lines.joined(separator: "\n") + "\n"
    }

    public static func json(_ run: RunOutput) -> String {
        let doc: JSON = .object([
            "name": .string(run.config.name), "replications": .number(Double(run.config.replications)),
            "seed": .number(Double(run.config.seed)), "metrics": .array(run.summaries.map(json)),
        ])
        return doc.serialized() + "\n"
    }

    /// One metric's summary as a JSON object, with `summary.csv`'s column names as keys.
    public static func json(_ s: MetricSummary) -> JSON {
        func n(_ x: Double?) -> JSON { x.map { .number($0) } ?? .null }
        return .object([
            "metric": .string(s.metric), "count": .number(Double(s.count)), "censored": .number(Double(s.censored)),
            "mean": n(s.mean.value), "mean_ci_low": n(s.mean.low), "mean_ci_high": n(s.mean.high), "sd": n(s.sd),
            "p50": n(s.p50.value), "p50_ci_low": n(s.p50.low), "p50_ci_high": n(s.p50.high),
            "p90": n(s.p90.value), "p90_ci_low": n(s.p90.low), "p90_ci_high": n(s.p90.high),
            "p99": n(s.p99.value), "p99_ci_low": n(s.p99.low), "p99_ci_high": n(s.p99.high),
            "p999": n(s.p999.value), "max": n(s.max), "p999_ci_low": n(s.p999.low), "p999_ci_high": n(s.p999.high),
            "mean_is_lower_bound": s.meanIsLowerBound.map { .bool($0) } ?? .null,
        ])
    }
}
