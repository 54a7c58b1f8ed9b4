import Foundation

/// The line that says how far `rto_s` moves over the TTL-extension shapes that fit the calibration
/// (`placeholder_ranges.csv`, docs/model.md, "Calibration"): `drsim run` prints it under its table and
/// the report under its summary, so a number that rests on a placeholder says so where it is read.
public enum PlaceholderRangeLine {
    /// The line for the shapes' median `rto_s` [s] (nil: beyond the horizon) and censored shares, each
    /// shape run on `replications` replications.
    public static func text(rtoP50: [Double?], censoredShare: [Double], replications: Int) -> String {
        let known = rtoP50.compactMap { $0 }
        let short = SummaryFormat.short
        let range: String
        if let low = known.min(), let high = known.max() {
            // A range of no width says the placeholder does not move this config's rto_s.
            range =
                (low == high ? "\(short(low)) s under every shape" : "\(short(low))–\(short(high)) s")
                + (known.count < rtoP50.count ? " or beyond the horizon" : "")
        } else {
            range = "unknown (beyond the horizon)"
        }
        let censored = censoredShare.isEmpty ? [0] : censoredShare
        let shares =
            censored.min()! == censored.max()!
            ? String(format: "%.1f%%", 100 * censored[0])
            : String(format: "%.1f%%–%.1f%%", 100 * censored.min()!, 100 * censored.max()!)
        let first = replications == 1 ? "the first replication" : "first \(replications) replications"
        return "rto_s p50 over \(rtoP50.count) TTL-extension shapes that fit Flavel et al. 2014 (a placeholder; "
            + "\(first)): \(range); never recovered \(shares) (\(ResultFileNames.placeholderRanges))."
    }

    /// The line for `placeholder_ranges.csv` as a result folder holds it; nil when it has no rows.
    /// - Throws: `ResultFolderError.damaged` when a column is missing or holds something not a number.
    public static func text(_ table: CSVTable) throws(ResultFolderError) -> String? {
        try table.require(["replications", "rto_s_p50", "rto_s_censored_share"])
        guard table.rowCount > 0, let p50 = try table.numbers("rto_s_p50"),
            let censored = try table.numbers("rto_s_censored_share"),
            let replications = try table.numbers("replications")
        else { return nil }
        return text(
            rtoP50: p50, censoredShare: censored.compactMap { $0 }, replications: Int(replications[0] ?? 0))
    }
}
