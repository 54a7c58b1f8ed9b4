import Foundation

/// The summary table as `drsim run` prints it, from summary.csv: the same columns and the same number
/// format, so that a number read on the terminal is found in the report.
public enum SummaryFormat {
    public static let units: [String: String] = [
        "detection_s": "s", "rto_s": "s", "recovered_50_s": "s", "recovered_90_s": "s", "recovered_99_s": "s",
        "failed_requests": "req", "write_rto_s": "s", "rpo_s": "s", "lost_writes": "writes", "delayed_writes": "writes",
        "conflict_overwrites": "writes", "false_failovers": "count",
    ]
    public static let header = ["metric", "unit", "mean [95% CI]", "p50", "p90", "p99", "max", "censored"]

    /// A compact number, as the terminal table writes it (`SummaryTable.short` in DRSim): about four
    /// significant figures, no exponent for ordinary values, `-` for unknown.
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

    /// The table's rows, one per metric of summary.csv, cells as the terminal shows them.
    public static func rows(_ f: ResultFolder) -> [[String]] {
        f.summary.map { s in
            let count = s("count") ?? 0, censored = s("censored") ?? 0
            let mean = s("mean").map { v in "\(censored > 0 ? "≥" : "")\(short(v)) [\(short(s("mean_ci_low"))), \(short(s("mean_ci_high")))]" } ?? "-"
            let cens = censored == 0 ? "" : String(format: "%.1f%%", 100 * censored / max(1, count))
            return [s.metric, units[s.metric] ?? "", mean, short(s("p50")), short(s("p90")), short(s("p99")), short(s("max")), cens]
        }
    }
}
