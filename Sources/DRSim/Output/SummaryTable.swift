import Foundation

/// The summary as people read it on a terminal, and as JSON for scripts.
public enum SummaryTable {
    /// Each metric's unit, as the tables show it.
    public static let units: [String: String] = [
        "detection_s": "s", "rto_s": "s", "recovered_50_s": "s", "recovered_90_s": "s", "recovered_99_s": "s",
        "failed_requests": "req", "write_rto_s": "s", "rpo_s": "s", "lost_writes": "writes", "delayed_writes": "writes",
        "conflict_overwrites": "writes", "false_failovers": "count",
    ]

    /// A compact number for the table: about four significant figures, no exponent for ordinary values.
    public static func short(_ x: Double?) -> String {
        guard let x else { return "-" }
        let a = abs(x)
        if a == 0 { return "0" }
        if a >= 1e7 || a < 1e-3 { return String(format: "%.3g", x) }
        if a >= 1000 { return String(format: "%.0f", x) }
        if a >= 100 { return String(format: "%.1f", x) }
        if a >= 10 { return String(format: "%.2f", x) }
        return String(format: "%.3f", x)
    }

    public static func text(_ run: RunOutput) -> String {
        let c = run.config
        var lines = ["\(c.name): \(c.replications) replications, seed \(c.seed), horizon \(short(c.horizon)) s"]
        let header = ["metric", "unit", "mean [95% CI]", "p50", "p90", "p99", "max", "censored"]
        var rows = [header]
        for s in run.summaries {
            // With censoring the mean is restricted to the horizon: a lower bound, marked ≥.
            let mean = s.mean.value.map { v in
                "\(s.meanIsLowerBound == true ? "≥" : "")\(short(v)) [\(short(s.mean.low)), \(short(s.mean.high))]"
            } ?? "-"
            let cens = s.censored == 0 ? "" : String(format: "%.1f%%", 100 * Double(s.censored) / Double(max(1, s.count)))
            rows.append([s.metric, units[s.metric] ?? "", mean, short(s.p50.value), short(s.p90.value),
                         short(s.p99.value), short(s.max), cens])
        }
        lines += layout(rows, leftAligned: 3)
        lines.append("A '-' is unknown: the event did not happen before the horizon in enough replications (see 'censored').")
        return lines.joined(separator: "\n") + "\n"
    }

    /// Lines of a table: columns two spaces apart, the first `leftAligned` columns padded on the right,
    /// the others on the left (numbers), trailing spaces trimmed. Every row has the header's length.
    public static func layout(_ rows: [[String]], leftAligned: Int) -> [String] {
        guard let header = rows.first else { return [] }
        let widths = header.indices.map { i in rows.map { $0[i].count }.max()! }
        return rows.map { r in
            r.indices.map { i in
                i < leftAligned ? r[i].padding(toLength: widths[i], withPad: " ", startingAt: 0)
                    : String(repeating: " ", count: widths[i] - r[i].count) + r[i]
            }.joined(separator: "  ").trimmingCharacters(in: .whitespaces)
        }
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
