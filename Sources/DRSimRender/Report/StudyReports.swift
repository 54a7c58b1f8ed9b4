import DRSimResults
import Foundation

extension ReportSource {
    /// What the user asked the charts to show.
    public struct ChartOptions: Sendable {
        /// Target lines on a run's CDFs (`--target`).
        public var targets: [Expectation]
        /// A sweep's statistic (`--chart METRIC:STAT`) and the settings to chart it over (`--over`).
        public var chart: String?
        public var over: [String]
        /// What a comparison's sides are judged on (`--objective`); nil: `Objective.defaults`.
        public var objectives: [Objective]?
        public init(
            targets: [Expectation] = [], chart: String? = nil, over: [String] = [], objectives: [Objective]? = nil
        ) {
            self.targets = targets
            self.chart = chart
            self.over = over
            self.objectives = objectives
        }
    }

    /// Checks that `options` fit this kind of folder (before anything is drawn or run).
    /// - Throws: `ReportOptionError` naming the option and what to do instead.
    public func check(_ options: ChartOptions) throws(ReportOptionError) {
        if case .run = self {
        } else if !options.targets.isEmpty {
            throw ReportOptionError(
                "--target draws a target on a run's CDFs, and \(url.path) is \(kind) folder: give a run's folder, or "
                    + "leave out --target"
            )
        }
        // A target the report cannot draw is an error, not a silent omission.
        let charted = ResultCharts.cdfMetrics.map(\.column)
        for t in options.targets {
            guard charted.contains(t.metric.rawValue) else {
                throw ReportOptionError(
                    "--target \(t): the report draws targets on the CDFs of \(charted.joined(separator: ", ")), "
                        + "and \(t.metric.rawValue) has none; give one of those metrics (drsim check judges targets "
                        + "on every metric)"
                )
            }
            guard t.level != nil else {
                let what = t.statistic == .mean ? "a mean" : "a censored share"
                throw ReportOptionError(
                    "--target \(t): \(what) is not a point on a CDF; give a percentile, "
                        + "e.g. \(t.metric.rawValue):p99\(t.comparison.rawValue)\(Axis.compact(t.bound))")
            }
            guard t.bound >= 0 else {
                throw ReportOptionError(
                    "--target \(t): \(t.metric.rawValue) is never below 0; give a bound of 0 or more")
            }
        }
        if case .comparison = self {
        } else if options.objectives != nil {
            throw ReportOptionError(
                "--objective chooses what a comparison's sides are judged on, and \(url.path) is \(kind) folder: "
                    + "a sweep's front is over the objectives it was run with (sweep.json); run it again with "
                    + "--objective, or leave it out")
        }
        if case .sweep = self {
        } else if options.chart != nil || !options.over.isEmpty {
            throw ReportOptionError(
                "--chart and --over choose what a sweep's report draws, "
                    + "and \(url.path) is \(kind) folder: give a sweep's folder, or leave them out")
        }
    }

    /// The folder's charts, and what could not be drawn with the reason.
    /// - Throws: `ReportOptionError` for an option that does not fit the folder (a bad command line),
    ///   `ResultFolderError` for a damaged file.
    public func charts(_ options: ChartOptions) throws -> (charts: [Chart], skipped: [String]) {
        try check(options)
        switch self {
        case .run(let f): return try ResultCharts.all(f, targets: options.targets)
        case .sweep(let f):
            let choice = try SweepChartChoice(
                chart: options.chart, over: options.over, columns: f.table.header, paths: f.paths, values: f.values)
            return try SweepCharts.all(f, choice)
        case .comparison(let f): return try CompareCharts.all(f)
        case .sensitivity(let f): return SensitivityCharts.all(f)
        }
    }

    /// The report page of the folder with `charts` drawn.
    /// - Parameter objectives: what a comparison's sides are judged on; nil: `Objective.defaults`.
    public func page(
        charts: [Chart], skipped: [String], warnings: [String], warningsNote: String?, version: String,
        objectives: [Objective]? = nil
    ) -> ReportPage {
        switch self {
        case .run(let f):
            return Report(
                folder: f, charts: charts, warnings: warnings, warningsNote: warningsNote, skipped: skipped,
                version: version
            ).page
        case .sweep(let f):
            return Self.sweepPage(
                f, charts: charts, skipped: skipped, warnings: warnings, warningsNote: warningsNote, version: version)
        case .comparison(let f):
            var page = Self.comparePage(
                f, charts: charts, skipped: skipped, warnings: warnings, warningsNote: warningsNote, version: version)
            page.tables[0].list = Self.compareVerdict(f, objectives: objectives ?? Objective.defaults)
            return page
        case .sensitivity(let f):
            return Self.sensitivityPage(
                f, charts: charts, skipped: skipped, warnings: warnings, warningsNote: warningsNote, version: version)
        }
    }

    static func sweepPage(
        _ f: SweepFolder, charts: [Chart], skipped: [String], warnings: [String], warningsNote: String?, version: String
    ) -> ReportPage {
        let d = f.document
        let varied = f.paths.indices.map { i in
            var seen: [String] = []
            for v in f.values.map({ $0[i] }) where !seen.contains(v) { seen.append(v) }
            return "\(f.paths[i]): \(seen.joined(separator: ", "))"
        }
        let facts: [(String, String)] = [
            ("points", String(f.values.count)),
            ("incidents", "\(f.replicationsText) per point, the same incidents at every point"),
            ("seed", d.seed), ("varied", varied.joined(separator: "; ")), ("horizon", d.horizonText),
            ("SLO", d.sloText),
            ("results written by", "drsim \(d.version)"), ("base config hash", d.configHash),
            ("report written by", "drsim \(version)"),
        ]
        let objectives = f.objectives
        let columns = Dictionary(
            uniqueKeysWithValues: SweepTable.columns(objectives: objectives).map { c in
                (c.column, (try? f.numbers(c.column)) ?? nil)
            })
        let intervals = Dictionary(
            uniqueKeysWithValues: objectives.flatMap { [$0.column + "_ci_low", $0.column + "_ci_high"] }.map { c in
                (c, (try? f.numbers(c)) ?? nil)
            })
        let table = SweepTable.table(paths: f.paths, values: f.values, objectives: objectives) { k, column in
            ((columns[column] ?? intervals[column]) ?? nil)?[k] ?? nil
        }
        let summary = ReportPage.Table(
            id: "sweep-table",
            before:
                "\(f.name): \(f.values.count) points, \(f.replicationsText) replications each on the same incidents "
                + "(seed \(d.seed)). "
                + "As drsim sweep prints it, from sweep.csv; the last column is each point's place on the Pareto "
                + "front (below).",
            header: table.header, rows: table.rows, numericFrom: 1 + f.paths.count,
            list: table.front + f.objectivesLeftOut, after: [SweepTable.note])
        let advice = f.advice.map { [adviceTable(f, $0)] } ?? []
        return ReportPage(
            kind: f.advice == nil ? "drsim sweep report" : "drsim advise report", name: f.name,
            description: d.configDescription, facts: facts,
            tables: advice + [summary] + ((try? SweepCharts.ninesTable(f)).map { [$0] } ?? []), charts: charts,
            captions: [:], skipped: skipped, warnings: warnings, warningsNote: warningsNote,
            configNote: "From sweep.json: the base config every point starts from, every default filled in; "
                + "each point sets its varied values on it as --set would (each point's folder has its own run.json).",
            configs: [.init(label: "base config", text: d.configText)],
            sources: "sweep.csv, sweep.json" + (f.advice == nil ? "" : ", advise.json"),
            version: version)
    }

    static func comparePage(
        _ f: CompareFolder, charts: [Chart], skipped: [String], warnings: [String], warningsNote: String?,
        version: String
    ) -> ReportPage {
        let (a, b) = (f.a, f.b)
        let n = a.replications.rowCount
        let same = a.horizon == b.horizon
        let pairing = CompareTable.pairing(sameHorizon: same)
        let facts: [(String, String)] = [
            ("A", "\(a.name) (a/)"), ("B", "\(b.name) (b/)"),
            ("incidents", "\(n) on each side, \(same ? "the same incidents" : pairing)"), ("seed", a.seed),
            ("horizon", a.document.horizonText + (a.horizon == b.horizon ? "" : " (B: \(b.document.horizonText))")),
            ("SLO", a.document.sloText),
            ("results written by", "drsim \(a.version)"), ("config hashes", "A \(a.configHash), B \(b.configHash)"),
            ("report written by", "drsim \(version)"),
        ]
        let rows = f.metrics.map { m in CompareTable.row(metric: m) { (f.row(m)?[$0] ?? nil) ?? nil } }
        let table = ReportPage.Table(
            id: "compare-table",
            before:
                "B − A, incident by incident: \(n) incidents on each side (seed \(a.seed)), \(pairing). As drsim "
                + "compare prints it, from compare.csv.",
            header: CompareTable.header, rows: rows, numericFrom: 2, after: [CompareTable.notes.joined(separator: " ")])
        return ReportPage(
            kind: "drsim compare report", name: f.name, description: "A: \(a.configDescription)", facts: facts,
            tables: [table], charts: charts,
            captions: CompareCharts.captions, skipped: skipped, warnings: warnings, warningsNote: warningsNote,
            configNote: "From a/run.json and b/run.json: each side's resolved config, every default filled in.",
            configs: [
                .init(label: "A (a/run.json)", text: a.configText), .init(label: "B (b/run.json)", text: b.configText),
            ],
            sources: "compare.csv, a/, b/", version: version)
    }

    /// The two sides on `objectives` from their summary.csv, as `drsim compare` prints it: the verdict,
    /// then a line per objective left out because a side has no value of it.
    static func compareVerdict(_ f: CompareFolder, objectives: [Objective]) -> [String] {
        func estimate(_ side: ResultFolder, _ o: Objective) -> Estimate {
            guard let row = side.summary.first(where: { $0.metric == o.metric.rawValue }) else {
                return Estimate(value: nil)
            }
            let s = o.statistic
            return Estimate(value: row(s), low: row(s + "_ci_low"), high: row(s + "_ci_high"))
        }
        var used: [Objective] = []
        var notes: [String] = []
        for o in objectives {
            if [f.a, f.b].contains(where: { ($0.summary.first { $0.metric == o.metric.rawValue }?("count") ?? 0) == 0 })
                || [f.a, f.b].allSatisfy({ estimate($0, o).value == nil })
            {
                notes.append("objective \(o) left out: \(o.label) has no value in a/summary.csv or b/summary.csv")
            } else {
                used.append(o)
            }
        }
        let pair = PairVerdict(
            objectives: used, a: used.map { estimate(f.a, $0) }, b: used.map { estimate(f.b, $0) })
        return [pair.line] + notes
    }

    static func sensitivityPage(
        _ f: SensitivityFolder, charts: [Chart], skipped: [String], warnings: [String], warningsNote: String?,
        version: String
    ) -> ReportPage {
        let d = f.document
        let statistics = f.statistics
        let facts: [(String, String)] = [
            ("incidents", "\(d.replications.map(String.init) ?? "?") per run, the same incidents in every run"),
            ("seed", d.seed),
            ("horizon", d.horizonText), ("SLO", d.sloText), ("statistics", statistics.joined(separator: ", ")),
            ("results written by", "drsim \(d.version)"), ("config hash", d.configHash),
            ("report written by", "drsim \(version)"),
        ]
        let tables = statistics.map { s in
            let rows = f.rows(s)
            return ReportPage.Table(
                id: "sensitivity-\(s.replacingOccurrences(of: ":", with: "-"))",
                before:
                    "\(s) (base "
                    + "\(rows.first.map { SensitivityCharts.show(f, f.number($0, "base"), row: $0) } ?? "-")):",
                header: ["rank", "assumption", "range", "at low", "at high", "swing", "lower bound"],
                rows: rows.map { r in
                    [
                        f.text(r, "rank"), f.text(r, "assumption"), f.text(r, "range"),
                        SensitivityCharts.show(f, f.number(r, "at_low"), row: r),
                        SensitivityCharts.show(f, f.number(r, "at_high"), row: r),
                        SummaryFormat.short(f.number(r, "swing")),
                        f.number(r, "lower_bound") == 1 ? "yes" : "",
                    ]
                },
                numericFrom: 3)
        }
        var page = ReportPage(
            kind: "drsim sensitivity report", name: f.name, description: d.configDescription, facts: facts,
            tables: tables, charts: charts,
            captions: Dictionary(uniqueKeysWithValues: charts.map { ($0.name, SensitivityCharts.caption) }),
            skipped: skipped,
            warnings: warnings, warningsNote: warningsNote,
            configNote: "From run.json: the base config every assumption is moved from, every default filled in.",
            configs: [.init(label: "run.json", text: d.configText)], sources: "sensitivity.csv, run.json",
            version: version)
        if !page.tables.isEmpty {
            page.tables[page.tables.count - 1].after = [
                "As drsim sensitivity prints it, from sensitivity.csv (which also gives each range's reason). "
                    + "'(as base)': the config already sits at that end, or refuses it. "
                    + "'lower bound': a value of the row lies among incidents that never happened by the horizon; '≥' "
                    + "marks one at the horizon."
            ]
        }
        return page
    }
}

/// A report option that does not fit the folder (`--chart` naming a statistic sweep.csv does not have,
/// `--over` naming a setting that was not varied, …): a bad command line, with what to give instead.
public struct ReportOptionError: Error, CustomStringConvertible, Equatable {
    public var description: String
    public init(_ description: String) { self.description = description }
}
