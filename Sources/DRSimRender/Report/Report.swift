import DRSimResults
import Foundation

/// The report of one result folder (`drsim report RESULTS_DIR`, `run --report`): its facts, the summary
/// table as `drsim run` prints it, the standard charts, the warnings and the resolved config, on a
/// `ReportPage`.
public struct Report {
    public let folder: ResultFolder
    public let charts: [Chart]
    /// What `validate` says about the config (each a line such as `dns.ttl_s: 300 s is above …`).
    public let warnings: [String]
    /// Why the warnings could not be given, if they could not (a config an older drsim wrote, say).
    public let warningsNote: String?
    /// Charts that could not be drawn, with the reason.
    public let skipped: [String]
    /// The drsim that writes the report.
    public let version: String

    public init(
        folder: ResultFolder, charts: [Chart], warnings: [String], warningsNote: String? = nil, skipped: [String] = [],
        version: String
    ) {
        self.folder = folder
        self.charts = charts
        self.warnings = warnings
        self.warningsNote = warningsNote
        self.skipped = skipped
        self.version = version
    }

    /// How to read each standard chart, by its name.
    static let captions: [String: String] = [
        "cdf-recovered_90_s": "Each point says what share of the simulated incidents had 90% of requests "
            + "succeeding again for good by that time: what the settings move (detection, the DNS TTL, client "
            + "caches, request timeouts). Read a percentile across: p90 is where the curve crosses 90%. The shaded "
            + "band holds the true curve at every point at once with 95% confidence (Dvoretzky–Kiefer–Wolfowitz). "
            + "Where incidents never recovered before the horizon, the curve stops below 100% and the gap is "
            + "labelled: those incidents lie somewhere beyond the horizon.",
        "cdf-rto_s": "The same for the SLO: the success target met again and held until the horizon. Its tail "
            + "waits for the resolvers that keep answers past the TTL, whose extension length is a placeholder; "
            + "the next chart leaves their traffic out. Band and gap as above.",
        "cdf-rto_honouring_s": "The RTO of the traffic behind resolvers that honour TTLs (the others' requests "
            + "left out): what the settings decide. The distance from the RTO chart is the stale-DNS tail "
            + "(stale_share_* in the summary).",
        "cdf-downtime_min_per_year": "With a year of operation: each replication's year of noise and outages "
            + "(docs/model.md, A year of operation), as minutes of all traffic failing. Blips, false failovers and "
            + "real outages each have their share in the summary (downtime_*_min_per_year); false_failovers_per_year "
            + "says how often noise moved traffic.",
        "cdf-rpo_s": "The data-loss window: the age, when its table failed, of the oldest acknowledged "
            + "write that was lost. A curve that starts at 100% at zero means no incident lost a write.",
        "timeline-success-early":
            "The same, up to twice the 90th percentile of recovered_90_s: where most traffic comes back.",
        "timeline-success": "The share of requests that succeed at each moment after the fault, across incidents: "
            + "the line is the median incident, the band holds the middle 90% of incidents (5th to 95th percentile at "
            + "each moment, "
            + "not one incident's path). The marked moments are medians from summary.csv, not per-incident times.",
        "stages-rto_s":
            "Where the RTO goes, at the median, p90 and p99 of rto_s: each bar is the RTO of the incident at that "
            + "rank, split into the stages "
            + "of the chain that ended it (detection, status to DNS, resolver and client caches, open connections, "
            + "…), as the mean over the incidents within "
            + "half a percent of that rank (breakdown.csv; drsim run prints the median's and the p99's). A rank whose "
            + "incident never recovered has no bar.",
    ]

    /// The page.
    public var page: ReportPage {
        let f = folder
        let d = f.document
        let facts: [(String, String)] = [
            ("incidents", String(f.replicationCount)), ("seed", f.seed), ("horizon", d.horizonText), ("SLO", d.sloText),
            ("results written by", "drsim \(f.version)"), ("config hash", f.configHash),
            ("report written by", "drsim \(version)"),
        ]
        let shown = f.summary.filter { SummaryFormat.isShown($0.metric, count: $0("count")) }
        let rows = Metric.displayOrder(shown, name: \.metric).map { s in
            SummaryFormat.row(metric: s.metric, value: s.callAsFunction)
        }
        // A folder whose placeholder_ranges.csv cannot be read still gets its report, without the line.
        let rangeLine = (f.placeholderRanges.flatMap { try? PlaceholderRangeLine.text($0) }).map { [$0] } ?? []
        let table = ReportPage.Table(
            before:
                "\(f.name): \(f.replicationCount) replications, seed \(f.seed), horizon \(d.horizonText). As drsim "
                + "run prints it, from summary.csv.",
            header: SummaryFormat.header, rows: rows, numericFrom: 2,
            after: [
                "A '-' is unknown: the event did not happen before the horizon in enough replications (see "
                    + "'censored'). A "
                    + "'≥' marks a mean that is only a lower bound (censored incidents count as the horizon). "
                    + "Intervals are 95%: "
                    + "Student's t for the mean; the percentiles' distribution-free intervals are in summary.csv."
            ] + rangeLine)
        return ReportPage(
            kind: "drsim report", name: f.name, description: f.configDescription, facts: facts,
            tables: [table] + (costTable.map { [$0] } ?? []),
            charts: charts,
            captions: Self.captions, skipped: skipped, warnings: warnings, warningsNote: warningsNote,
            configNote:
                "From run.json: every default filled in. Rerun with drsim run on this config and seed \(f.seed) to "
                + "get the same results byte for byte.",
            configs: [.init(label: "run.json", text: f.configText)],
            sources: "summary.csv, replications.csv, timeline.csv, breakdown.csv, run.json", version: version)
    }

    /// The "Cost per month" table: each part's mean from summary.csv, with what the prices are and when they
    /// were read (docs/model.md, "Cost"); nil for a folder without the cost metrics.
    var costTable: ReportPage.Table? {
        let summary = folder.summary
        func mean(_ m: Metric) -> Double? { summary.first { $0.metric == m.rawValue }?("mean") }
        guard let total = mean(.costPerMonth) else { return nil }
        let configPrices = folder.document.configValue("cost") != nil
        let rows = CostLine.parts.compactMap { p in mean(p.metric).map { [p.label, CostLine.dollars($0)] } }
        return ReportPage.Table(
            id: "cost",
            before: "Cost per month \(CostLine.pricesLabel(configPrices: configPrices)), from summary.csv"
                + (configPrices ? "." : "; list prices as read on \(CostLine.pricesRead)."),
            header: ["part", "USD per month"], rows: rows + [["total", CostLine.dollars(total)]], numericFrom: 1,
            after: [
                "An estimate of the failover design's own running costs: Route 53 health checks, the hosted "
                    + "zone and its queries at the refetch rate the TTL sets, the capacity held in each region (a "
                    + "placeholder hourly price), DynamoDB replicated writes and the global load balancer. Data "
                    + "transfer, storage, reads and the app's own requests are not included (docs/model.md, \"Cost\")."
            ])
    }

    public var html: String { page.html }
}
