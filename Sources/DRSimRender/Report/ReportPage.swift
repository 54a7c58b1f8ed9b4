import DRSimResults
import Foundation

/// One self-contained HTML page of a drsim report, whatever folder it is drawn from (a run, a sweep,
/// a comparison, a sensitivity study): the facts (incidents, seed, versions, config hash), the summary
/// table(s), the charts as inline SVG, the config's warnings, the resolved config(s) and a footer.
///
/// No script, no font, no image or style is fetched from anywhere: the page carries a Content Security
/// Policy that forbids every fetch, so a browser that opens it makes no network request. The page is
/// also well-formed XML (XHTML syntax), so tests can parse it.
public struct ReportPage: Sendable {
    /// A table of the summary section: a note before it, its rows (the first cell of each a row
    /// header; cells from `numericFrom` on right-aligned), and notes after it.
    public struct Table: Sendable {
        public var id: String?
        public var before: String?
        public var header: [String]
        public var rows: [[String]]
        public var numericFrom: Int
        /// Listed under the table (a sweep's Pareto front and the objectives left out).
        public var list: [String]
        public var after: [String]
        public init(
            id: String? = nil, before: String? = nil, header: [String], rows: [[String]], numericFrom: Int,
            list: [String] = [], after: [String] = []
        ) {
            self.id = id
            self.before = before
            self.header = header
            self.rows = rows
            self.numericFrom = numericFrom
            self.list = list
            self.after = after
        }
    }

    /// A resolved config shown in full, with what it is.
    public struct Config: Sendable {
        public var label: String
        public var text: String
        public init(label: String, text: String) {
            self.label = label
            self.text = text
        }
    }

    /// "drsim report", "drsim sweep report", …: the line above the title.
    public var kind: String
    public var name: String
    public var description: String
    public var facts: [(String, String)]
    public var tables: [Table]
    public var charts: [Chart]
    /// How to read a chart, by its name (a chart without one is captioned with its description).
    public var captions: [String: String]
    /// Charts that could not be drawn, with the reason.
    public var skipped: [String]
    /// What `validate` says about the config(s).
    public var warnings: [String]
    /// Why the warnings could not be given, if they could not.
    public var warningsNote: String?
    public var configNote: String
    public var configs: [Config]
    /// The files the page was drawn from, for the footer.
    public var sources: String
    /// The drsim that writes the report.
    public var version: String

    public init(
        kind: String, name: String, description: String, facts: [(String, String)], tables: [Table], charts: [Chart],
        captions: [String: String] = [:], skipped: [String], warnings: [String], warningsNote: String?,
        configNote: String, configs: [Config], sources: String, version: String
    ) {
        self.kind = kind
        self.name = name
        self.description = description
        self.facts = facts
        self.tables = tables
        self.charts = charts
        self.captions = captions
        self.skipped = skipped
        self.warnings = warnings
        self.warningsNote = warningsNote
        self.configNote = configNote
        self.configs = configs
        self.sources = sources
        self.version = version
    }

    static let style = """
        :root { color-scheme: light; }
        body { margin: 0; font-family: system-ui, -apple-system, 'Segoe UI', Roboto, 'DejaVu Sans', sans-serif; color: \
        #1a1a1a; background: #ffffff; line-height: 1.45; }
        main { max-width: 980px; margin: 0 auto; padding: 1.2rem 1rem 3rem; }
        h1 { font-size: 1.6rem; margin: 0.2rem 0 0.3rem; overflow-wrap: anywhere; }
        h2 { font-size: 1.2rem; margin: 2rem 0 0.6rem; border-bottom: 1px solid #d9d9d9; padding-bottom: 0.2rem; }
        .lede { color: #404040; margin: 0 0 0.8rem; }
        dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 0.15rem 1rem; margin: 0.6rem 0; \
        font-size: 0.92rem; }
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
        ul.notes li { margin: 0.15rem 0; font-size: 0.9rem; }
        ul.warnings li { margin: 0.3rem 0; }
        footer { margin-top: 2.5rem; font-size: 0.85rem; color: #595959; }
        @media (max-width: 560px) { main { padding: 0.8rem 0.6rem 2rem; } h1 { font-size: 1.3rem; } dl.facts { \
        grid-template-columns: 1fr; } dl.facts dd { margin-bottom: 0.3rem; } }
        @media print { h2 { break-after: avoid; } figure { break-inside: avoid; } }
        """

    /// The page.
    public var html: String {
        let e = xmlEscaped
        var h = """
            <!DOCTYPE html>
            <html xmlns="http://www.w3.org/1999/xhtml" lang="en">
            <head>
            <meta charset="utf-8" />
            <meta name="viewport" content="width=device-width, initial-scale=1" />
            <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src \
            data:" />
            <meta name="generator" content="drsim \(e(version))" />
            <title>\(e(kind)): \(e(name))</title>
            <style>
            \(Self.style)
            </style>
            </head>
            <body>
            <main>
            <header>
            <p class="note">\(e(kind))</p>
            <h1>\(e(name))</h1>

            """
        if !description.isEmpty { h += "<p class=\"lede\">\(e(description))</p>\n" }
        h +=
            "<dl class=\"facts\">\n" + facts.map { "<dt>\(e($0.0))</dt><dd>\(e($0.1))</dd>" }.joined(separator: "\n")
            + "\n</dl>\n</header>\n"

        h += "<section id=\"summary\">\n<h2>Summary</h2>\n"
        for t in tables { h += Self.table(t) }
        h += "</section>\n"

        h += "<section id=\"charts\">\n<h2>Charts</h2>\n"
        for c in charts {
            h +=
                "<figure id=\"\(e(c.name))\">\n" + (c.svg.hasSuffix("\n") ? c.svg : c.svg + "\n")
                + "<figcaption>\(e(captions[c.name] ?? c.description))</figcaption>\n</figure>\n"
        }
        for s in skipped { h += "<p class=\"note\">Not drawn: \(e(s)).</p>\n" }
        h += "</section>\n"

        h += "<section id=\"warnings\">\n<h2>Warnings</h2>\n"
        if let note = warningsNote {
            h += "<p>\(e(note))</p>\n"
        } else if warnings.isEmpty {
            h += "<p>None: <code>drsim validate</code> finds nothing in this config that defeats failover.</p>\n"
        } else {
            h +=
                "<p>What <code>drsim validate</code> says about this config: valid settings that defeat "
                    + "failover.</p>\n<ul class=\"warnings\">\n"
                + warnings.map { "<li>\(e($0))</li>" }.joined(separator: "\n") + "\n</ul>\n"
        }
        h += "</section>\n"

        h += "<section id=\"config\">\n<h2>Resolved config</h2>\n<p class=\"note\">\(e(configNote))</p>\n"
        for c in configs {
            if configs.count > 1 { h += "<h3>\(e(c.label))</h3>\n" }
            h += "<pre>\(e(c.text))</pre>\n"
        }
        h += "</section>\n"
        h +=
            "<footer>Written by drsim \(e(version)) from the files in this folder (\(e(sources))). Self-contained: no "
                + "script, nothing fetched.</footer>\n"
        h += "</main>\n</body>\n</html>\n"
        return h
    }

    static func table(_ t: ReportPage.Table) -> String {
        let e = xmlEscaped
        var h = t.before.map { "<p class=\"note\">\(e($0))</p>\n" } ?? ""
        h +=
            "<div class=\"scroll\"><table\(t.id.map { " id=\"\(e($0))\"" } ?? "")>\n<thead><tr>"
            + t.header.map { "<th scope=\"col\">\(e($0))</th>" }.joined() + "</tr></thead>\n<tbody>\n"
        for row in t.rows {
            h +=
                "<tr>"
                + row.enumerated().map { i, c in
                    i == 0
                        ? "<th scope=\"row\">\(e(c))</th>"
                        : "<td\(i >= t.numericFrom ? " class=\"num\"" : "")>\(e(c))</td>"
                }.joined() + "</tr>\n"
        }
        h += "</tbody>\n</table></div>\n"
        if !t.list.isEmpty {
            h += "<ul class=\"notes\">\n" + t.list.map { "<li>\(e($0))</li>" }.joined(separator: "\n") + "\n</ul>\n"
        }
        for a in t.after { h += "<p class=\"note\">\(e(a))</p>\n" }
        return h
    }
}
