import Foundation

/// One self-contained HTML page for a result folder: the summary table, the charts as inline SVG, the
/// config's warnings, the resolved config, the seed and the drsim version.
///
/// No script, no font, no image or style is fetched from anywhere: the page carries a Content Security
/// Policy that forbids every fetch, so a browser that opens it makes no network request. The page is
/// also well-formed XML (XHTML syntax), so tests can parse it.
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

    public init(folder: ResultFolder, charts: [Chart], warnings: [String], warningsNote: String? = nil, skipped: [String] = [],
                version: String) {
        self.folder = folder
        self.charts = charts
        self.warnings = warnings
        self.warningsNote = warningsNote
        self.skipped = skipped
        self.version = version
    }

    /// How to read each standard chart, by its name.
    static let captions: [String: String] = [
        "cdf-rto_s": "Each point says what share of the simulated incidents had recovered (the SLO met again and held) by that time. Read a percentile across: p90 is where the curve crosses 90%. The shaded band holds the true curve at every point at once with 95% confidence (Dvoretzky–Kiefer–Wolfowitz). Where incidents never recovered before the horizon, the curve stops below 100% and the gap is labelled: those incidents lie somewhere beyond the horizon.",
        "cdf-recovered_90_s": "The share of incidents in which 90% of requests succeed again by each time: mostly detection, the DNS TTL, client caches and request timeouts. Band and gap as above.",
        "cdf-rpo_s": "The data-loss window: the age, when its table failed, of the oldest acknowledged write that was lost. A curve that starts at 100% at zero means no incident lost a write.",
        "timeline-success-early": "The same, up to twice the 90th percentile of recovered_90_s: where most traffic comes back.",
        "timeline-success": "The share of requests that succeed at each moment after the fault, across incidents: the line is the median incident, the band holds the middle 90% of incidents (5th to 95th percentile at each moment, not one incident's path). The marked moments are medians from summary.csv, not per-incident times.",
    ]

    static let style = """
        :root { color-scheme: light; }
        body { margin: 0; font-family: system-ui, -apple-system, 'Segoe UI', Roboto, 'DejaVu Sans', sans-serif; color: #1a1a1a; background: #ffffff; line-height: 1.45; }
        main { max-width: 980px; margin: 0 auto; padding: 1.2rem 1rem 3rem; }
        h1 { font-size: 1.6rem; margin: 0.2rem 0 0.3rem; overflow-wrap: anywhere; }
        h2 { font-size: 1.2rem; margin: 2rem 0 0.6rem; border-bottom: 1px solid #d9d9d9; padding-bottom: 0.2rem; }
        .lede { color: #404040; margin: 0 0 0.8rem; }
        dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 0.15rem 1rem; margin: 0.6rem 0; font-size: 0.92rem; }
        dl.facts dt { color: #595959; }
        dl.facts dd { margin: 0; overflow-wrap: anywhere; }
        .scroll { overflow-x: auto; -webkit-overflow-scrolling: touch; }
        table { border-collapse: collapse; font-size: 0.9rem; font-variant-numeric: tabular-nums; }
        th, td { padding: 0.3rem 0.6rem; border-bottom: 1px solid #e6e6e6; white-space: nowrap; }
        th { text-align: left; background: #f2f2f2; }
        td.num { text-align: right; }
        figure { margin: 1.2rem 0 1.8rem; }
        figure svg { width: 100%; height: auto; max-width: 720px; display: block; }
        figcaption { font-size: 0.9rem; color: #404040; max-width: 720px; }
        pre { background: #f6f6f6; padding: 0.8rem; overflow-x: auto; font-size: 0.82rem; border: 1px solid #e6e6e6; }
        .note { font-size: 0.88rem; color: #595959; }
        ul.warnings li { margin: 0.3rem 0; }
        footer { margin-top: 2.5rem; font-size: 0.85rem; color: #595959; }
        @media (max-width: 560px) { main { padding: 0.8rem 0.6rem 2rem; } h1 { font-size: 1.3rem; } dl.facts { grid-template-columns: 1fr; } dl.facts dd { margin-bottom: 0.3rem; } }
        @media print { h2 { break-after: avoid; } figure { break-inside: avoid; } }
        """

    /// The page.
    public var html: String {
        let f = folder
        let e = xmlEscaped
        var h = """
            <!DOCTYPE html>
            <html xmlns="http://www.w3.org/1999/xhtml" lang="en">
            <head>
            <meta charset="utf-8" />
            <meta name="viewport" content="width=device-width, initial-scale=1" />
            <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:" />
            <meta name="generator" content="drsim \(e(version))" />
            <title>drsim report: \(e(f.name))</title>
            <style>
            \(Self.style)
            </style>
            </head>
            <body>
            <main>
            <header>
            <p class="note">drsim report</p>
            <h1>\(e(f.name))</h1>

            """
        if !f.configDescription.isEmpty { h += "<p class=\"lede\">\(e(f.configDescription))</p>\n" }
        let horizon = f.horizon.map { Axis.compact($0) + " s" } ?? "unknown"
        let facts: [(String, String)] = [
            ("incidents", String(f.replicationCount)), ("seed", f.seed), ("horizon", horizon),
            ("SLO", f.successTarget.map { t in "\(Axis.compact(t * 100))% of requests succeed, held for \(f.stableFor.map(Axis.compact) ?? "?") s" } ?? "unknown"),
            ("results written by", "drsim \(f.version)"), ("config hash", f.configHash), ("report written by", "drsim \(version)"),
        ]
        h += "<dl class=\"facts\">\n" + facts.map { "<dt>\(e($0.0))</dt><dd>\(e($0.1))</dd>" }.joined(separator: "\n") + "\n</dl>\n</header>\n"

        // Summary.
        h += "<section id=\"summary\">\n<h2>Summary</h2>\n"
        h += "<p class=\"note\">\(e("\(f.name): \(f.replicationCount) replications, seed \(f.seed), horizon \(horizon)")). As <code>drsim run</code> prints it, from summary.csv.</p>\n"
        h += "<div class=\"scroll\"><table>\n<thead><tr>" + SummaryFormat.header.map { "<th scope=\"col\">\(e($0))</th>" }.joined() + "</tr></thead>\n<tbody>\n"
        for row in SummaryFormat.rows(f) {
            h += "<tr>" + row.enumerated().map { i, c in
                i == 0 ? "<th scope=\"row\">\(e(c))</th>" : "<td\(i >= 2 ? " class=\"num\"" : "")>\(e(c))</td>"
            }.joined() + "</tr>\n"
        }
        h += "</tbody>\n</table></div>\n"
        h += "<p class=\"note\">A '-' is unknown: the event did not happen before the horizon in enough replications (see 'censored'). A '≥' marks a mean that is only a lower bound (censored incidents count as the horizon). Intervals are 95%: Student's t for the mean; the percentiles' distribution-free intervals are in summary.csv.</p>\n</section>\n"

        // Charts.
        h += "<section id=\"charts\">\n<h2>Charts</h2>\n"
        for c in charts {
            h += "<figure id=\"\(e(c.name))\">\n" + Self.inline(c.svg) + "<figcaption>\(e(Self.captions[c.name] ?? c.description))</figcaption>\n</figure>\n"
        }
        for s in skipped { h += "<p class=\"note\">Not drawn: \(e(s)).</p>\n" }
        h += "</section>\n"

        // Warnings.
        h += "<section id=\"warnings\">\n<h2>Warnings</h2>\n"
        if let note = warningsNote {
            h += "<p>\(e(note))</p>\n"
        } else if warnings.isEmpty {
            h += "<p>None: <code>drsim validate</code> finds nothing in this config that defeats failover.</p>\n"
        } else {
            h += "<p>What <code>drsim validate</code> says about this config: valid settings that defeat failover.</p>\n<ul class=\"warnings\">\n"
                + warnings.map { "<li>\(e($0))</li>" }.joined(separator: "\n") + "\n</ul>\n"
        }
        h += "</section>\n"

        // The resolved config.
        h += "<section id=\"config\">\n<h2>Resolved config</h2>\n<p class=\"note\">From run.json: every default filled in. Rerun with <code>drsim run</code> on this config and seed \(e(f.seed)) to get the same results byte for byte.</p>\n"
        h += "<pre>\(e(f.configText))</pre>\n</section>\n"
        h += "<footer>Written by drsim \(e(version)) from the result files in this folder (summary.csv, replications.csv, timeline.csv, run.json). Self-contained: no script, nothing fetched.</footer>\n"
        h += "</main>\n</body>\n</html>\n"
        return h
    }

    /// An SVG document as an inline element of the page: without its own line breaks at the ends.
    static func inline(_ svg: String) -> String {
        svg.hasSuffix("\n") ? svg : svg + "\n"
    }
}
