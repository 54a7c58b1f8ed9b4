import Foundation

/// The summary table as people read it, on the terminal (`drsim run`, from the run in memory) and in
/// the report (from summary.csv): the same columns and the same number format, so that a number read
/// on the terminal is found in the report.
public enum SummaryFormat {
    public static let header = ["metric", "unit", "mean [95% CI]", "p50", "p90", "p99", "max", "censored"]

    /// The line under the table.
    public static let note =
        "A '-' is unknown: the event did not happen before the horizon in enough replications (see 'censored')."

    /// Whether the table shows a metric with `count` values: not the metrics of a year in a run without
    /// one, nor the cost's parts (the line under the table gives them; summary.csv has every metric).
    public static func isShown(_ metric: String, count: Double?) -> Bool {
        guard let m = Metric(rawValue: metric) else { return true }
        if Metric.perYear.contains(m) && (count ?? 0) == 0 { return false }
        return !Metric.costParts.contains(m)
    }

    /// A compact number for tables: about four significant figures, no exponent for ordinary values,
    /// `-` for unknown.
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

    /// The row of `metric`; `value` gives its number in a `summary.csv` column (nil: empty). With
    /// censoring the mean is restricted to the horizon: a lower bound, marked ≥.
    public static func row(metric: String, value: (String) -> Double?) -> [String] {
        let count = value("count") ?? 0
        let censored = value("censored") ?? 0
        let short = metric == Metric.availability.rawValue ? nines : short
        let mean =
            value("mean").map { v in
                "\(censored > 0 ? "≥" : "")\(short(v)) [\(short(value("mean_ci_low"))), "
                    + "\(short(value("mean_ci_high")))]"
            } ?? "-"
        let cens = censored == 0 ? "" : String(format: "%.1f%%", 100 * censored / max(1, count))
        return [
            metric, Metric.unit(of: metric), mean, short(value("p50")), short(value("p90")), short(value("p99")),
            short(value("max")), cens,
        ]
    }

    /// A share near 1 (`availability`) with the digits that tell its nines apart: six decimals.
    public static func nines(_ x: Double?) -> String { x.map { String(format: "%.6f", $0) } ?? "-" }

    /// Lines of a table: columns two spaces apart, the first `leftAligned` columns padded on the right,
    /// the others on the left (numbers), trailing spaces trimmed. Every row has the header's length.
    public static func layout(_ rows: [[String]], leftAligned: Int) -> [String] {
        guard let header = rows.first else { return [] }
        let widths = header.indices.map { i in rows.map { $0[i].count }.max()! }
        return rows.map { r in
            r.indices.map { i in
                i < leftAligned
                    ? r[i].padding(toLength: widths[i], withPad: " ", startingAt: 0)
                    : String(repeating: " ", count: widths[i] - r[i].count) + r[i]
            }.joined(separator: "  ").trimmingCharacters(in: .whitespaces)
        }
    }
}
