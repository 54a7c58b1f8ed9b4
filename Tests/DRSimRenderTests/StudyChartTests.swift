import DRSimRender
import DRSimResults
import DRSimTestSupport
import Foundation
import Testing

/// Study folders written by hand, in the shapes `drsim sweep`, `compare` and `sensitivity` write.
enum StudyFixture {
    static func folder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("drsim-study-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    static func write(_ files: [String: String], in url: URL) throws {
        for (name, text) in files { try Data(text.utf8).write(to: url.appendingPathComponent(name)) }
    }

    /// A sweep over `axes` (path and values): each point's rto_s p50 is `p50(k)` s with the interval
    /// ±10 s, its mean `p50(k) + 5` s; 10% of incidents never recover.
    static func sweep(_ axes: [(path: String, values: [String])], p50: (Int) -> Double? = { 100 * Double($0 + 1) })
        throws -> URL
    {
        let url = try folder()
        var points: [[String]] = [[]]
        for a in axes { points = points.flatMap { p in a.values.map { p + [$0] } } }
        var csv =
            (["point"] + axes.map(\.path) + [
                "rto_s_mean", "rto_s_mean_ci_low", "rto_s_mean_ci_high", "rto_s_p50", "rto_s_p50_ci_low",
                "rto_s_p50_ci_high", "rto_s_censored_share",
            ]).joined(separator: ",") + "\r\n"
        for (k, p) in points.enumerated() {
            let v = p50(k)
            let cells = [
                v.map { $0 + 5 }, v.map { $0 - 5 }, v.map { $0 + 15 }, v, v.map { $0 - 10 }, v.map { $0 + 10 }, 0.1,
            ]
            csv += ([String(k + 1)] + p + cells.map { $0.map { "\($0)" } ?? "" }).joined(separator: ",") + "\r\n"
        }
        let grid = axes.map { "{\"path\": \"\($0.path)\", \"values\": [\($0.values.joined(separator: ", "))]}" }.joined(
            separator: ", ")
        try write(
            [
                "sweep.csv": csv,
                "sweep.json": """
                {"drsim_version": "0.2.0", "seed": 7, "replications": 30, "grid": [\(grid)], "points": [],
                 "base": {"config_hash": "fnv1a64:00", "config": {"name": "fx", "horizon_s": 3600, "slo": \
                 {"success_target": 0.99, "stable_for_s": 60}}}}
                """,
            ], in: url)
        return url
    }

    /// A sweep over TTL 60, 300 × failure_threshold 1, 2 with the default objectives and availability, as `drsim sweep`
    /// writes them with a year and costs: points 1, 2 and 4 are on the front, 3 is dominated by 2 (every
    /// interval ±2%); an advice chose point 2. Without `year`, availability and false failovers have no
    /// values, and sweep.json says why.
    static func frontSweep(year: Bool = true) throws -> URL {
        let url = try folder()
        let columns = [
            "recovered_90_s_p90", "false_failovers_per_year_mean", "cost_per_month_mean", "availability_mean",
        ]
        let points: [[Double]] = [
            [100, 5, 10, 0.995], [150, 1, 12, 0.9995], [200, 2, 15, 0.999], [300, 0.2, 30, 0.99995],
        ]
        var csv =
            (["point", "dns.ttl_s", "health_checks[0].failure_threshold"]
            + columns.flatMap { [$0, $0 + "_ci_low", $0 + "_ci_high"] } + ["cost_per_month_censored_share"])
            .joined(separator: ",") + "\r\n"
        for (k, p) in points.enumerated() {
            let cells = p.enumerated().flatMap { j, v -> [String] in
                guard year || j == 0 || j == 2 else { return ["", "", ""] }
                let half = j == 3 ? 0.00001 : v * 0.02
                return ["\(v)", "\(v - half)", "\(v + half)"]
            }
            let set = [String(k + 1), k < 2 ? "60" : "300", String(k % 2 + 1)]
            csv += (set + cells + ["0"]).joined(separator: ",") + "\r\n"
        }
        let why = "it is a metric of a year of operation, and none is simulated: add a \\\"year\\\" section"
        let objectives =
            year
            ? #"["recovered_90_s:p90", "false_failovers_per_year:mean", "cost_per_month:mean"], "chosen": 2"#
            : #"["recovered_90_s:p90", "cost_per_month:mean"], "chosen": null, "#
                + #""objectives_left_out": [{"objective": "false_failovers_per_year:mean", "reason": "y"}], "#
                + #""metrics_without_values": {"availability": "availability has no values (\#(why))"}"#
        try write(
            [
                "sweep.csv": csv,
                "sweep.json": """
                {"drsim_version": "0.2.0", "seed": 7, "replications": 30, "points": [], \
                "grid": [{"path": "dns.ttl_s", "values": [60, 300]}, \
                {"path": "health_checks[0].failure_threshold", "values": [1, 2]}], \
                "objectives": \(objectives), \
                "base": {"config_hash": "fnv1a64:00", "config": {"name": "fx", "horizon_s": 3600}}}
                """,
            ], in: url)
        return url
    }

    /// A comparison of two hand-written result folders: B's rto_s is A's minus 100, 200, 300 s (the
    /// fourth incident is censored on both sides, 0); rpo_s is the same on both sides.
    static func comparison() throws -> URL {
        let url = try folder()
        let a = try FolderFixture()
        let b = try FolderFixture(
            replications: """
                replication,detection_s,rto_s,recovered_90_s,rpo_s,lost_writes,rto_censored\r
                1,100,800,390,0,0,0\r
                2,101,1000,400,0,0,0\r
                3,99,300,,0,0,0\r
                4,110,3600,410,0,0,1\r

                """)
        try FileManager.default.moveItem(at: a.url, to: url.appendingPathComponent("a"))
        try FileManager.default.moveItem(at: b.url, to: url.appendingPathComponent("b"))
        let columns =
            "metric,count,a_mean,b_mean,diff_mean,diff_mean_ci_low,diff_mean_ci_high,diff_sd,"
            + "diff_p50,diff_p50_ci_low,diff_p50_ci_high,b_better,equal,b_worse,a_censored,b_censored"
        try write(
            [
                "compare.csv": columns + "\r\nrto_s,4,1575,1425,-150,-330,30,129,-150,,,3,1,0,1,1\r\n"
                    + "rpo_s,4,0,0,0,0,0,0,0,0,0,0,4,0,0,0\r\nlost_writes,0,,,,,,,,,,0,0,0,0,0\r\n"
            ], in: url)
        return url
    }

    static func sensitivity() throws -> URL {
        let url = try folder()
        try write(
            [
                "sensitivity.csv": """
                statistic,rank,assumption,path,range,base,at_low,at_high,swing,lower_bound,why\r
                rto_s:p50,1,TTL extension,clients.resolver_mix.*.extra_s,×0.33 … ×3,1800,900,3600,1800,1,"why, quoted"\r
                rto_s:p50,2,TTL,dns.ttl_s,10 … 300,1800,1700,,100,0,a design setting\r
                rto_s:p50,3,think time,clients.think_time_s,×0.3 … ×3,1800,,,0,0,busier or idler users\r
                lost_writes:mean,1,replication lag,database.replication_lag_s,×0.4 … \
                ×3,129.2,51.7,385.6,333.9,0,placeholder\r

                """,
                "run.json": """
                {"config": {"name": "sens fx", "horizon_s": 3600}, "config_hash": "fnv1a64:01", "drsim_version": \
                "0.2.0", "replications": 20, "seed": 42}
                """,
            ], in: url)
        return url
    }
}

@Suite struct StudyChartTests {
    static let noFront = "the Pareto front's scatter: this sweep's front is over no objective; it needs two"
    static let twoAxes: [(path: String, values: [String])] = [
        ("dns.ttl_s", ["60", "300"]), ("health_checks[0].failure_threshold", ["2", "3", "4"]),
    ]

    @Test(.slow) func aSweepFolderIsReadAndItsKindFound() throws {
        let url = try StudyFixture.sweep(Self.twoAxes)
        let source = try ReportSource(path: url.path)
        guard case .sweep(let f) = source else {
            Issue.record("not read as a sweep: \(source.kind)")
            return
        }
        #expect(f.paths == ["dns.ttl_s", "health_checks[0].failure_threshold"])
        #expect(f.values.count == 6 && f.values[4] == ["300", "3"])
        #expect(f.replications == 30 && f.name == "fx")
        if case .comparison = try ReportSource(path: StudyFixture.comparison().path) {
        } else {
            Issue.record("compare folder not found")
        }
        if case .sensitivity = try ReportSource(path: StudyFixture.sensitivity().path) {
        } else {
            Issue.record("sensitivity folder not found")
        }
        if case .run = try ReportSource(path: FolderFixture().url.path) {} else { Issue.record("run folder not found") }
    }

    /// Six points: rto_s p50 is 100 … 600 s in grid order (ttl slowest), so 60 s / threshold 4 is 300 s.
    @Test func sweepHeatMapAndLineShowTheStatisticWithItsInterval() throws {
        let f = try SweepFolder(path: StudyFixture.sweep(Self.twoAxes).path)
        let choice = try SweepChartChoice(
            chart: nil, over: [], columns: f.table.header, paths: f.paths, values: f.values)
        #expect(choice.metric == "rto_s" && choice.statistic == "p50" && choice.x == 0 && choice.y == 1)
        let (charts, skipped) = try SweepCharts.all(f, choice)
        #expect(charts.map(\.name) == ["heatmap-rto_s-p50", "line-rto_s-p50"])
        #expect(skipped == [Self.noFront], "the fixture's sweep.csv has none of the default objectives")
        let heat = try #require(checkChart(charts[0]))
        #expect(heat.texts(role: "x-category") == ["60", "300"])
        #expect(heat.texts(role: "y-category") == ["2", "3", "4"])
        // Rows are thresholds, columns TTLs: row 3 (threshold 4) holds points 3 (300 s) and 6 (600 s).
        #expect(heat.texts(role: "cell-value") == ["1.67 min", "6.67 min", "3.33 min", "8.33 min", "5 min", "10 min"])
        #expect(
            heat.texts(role: "cell-interval").first == "[1.5 min, 1.83 min]", "90 … 110 s on the cells' minute scale")
        #expect(heat.texts(role: "legend") == ["rto_s p50 (min)"])
        let line = try #require(checkChart(charts[1], series: 3, units: ["s", "min"]))
        #expect(
            line.all("path", role: "series").compactMap { $0.attributes["data-series"] }
                == [
                    "health_checks[0].failure_threshold=2", "health_checks[0].failure_threshold=3",
                    "health_checks[0].failure_threshold=4",
                ])
        #expect(line.all("line", role: "interval").count == 3 * 6, "a bar and two caps per point")
        #expect(line.texts(role: "x-label") == ["dns.ttl_s (s)"])
        #expect(line.texts(role: "x-tick").compactMap(Double.init).contains(300))
    }

    /// The front's scatters: the first objective against each other, intervals on both axes, the front
    /// over three objectives in colour but not joined (a line in two of them would zigzag), the dominated
    /// point faded, the chosen one ringed.
    @Test func theFrontIsDrawnAgainstTheFirstObjective() throws {
        let f = try SweepFolder(path: StudyFixture.frontSweep().path)
        #expect(f.objectives.map(\.description) == Objective.defaults.map(\.description))
        #expect(f.chosen == 1)
        let (charts, skipped, onFront) = try SweepCharts.front(f)
        #expect(skipped.isEmpty && onFront == [true, true, false, true])
        #expect(
            charts.map(\.name) == [
                "front-recovered_90_s_p90-false_failovers_per_year_mean",
                "front-recovered_90_s_p90-cost_per_month_mean",
            ])
        for chart in charts {
            let doc = try #require(checkChart(chart, series: 0, units: ["min"]))
            #expect(doc.all("line", role: "interval").count == 2 * 4, "an x bar and a y bar per point")
            #expect(doc.texts(role: "point-label").sorted() == ["1", "2", "3", "4"])
            let faded = doc.all("g", role: "dominated")
            #expect(faded.count == 1 && faded[0].attributes["opacity"] == "0.35")
            #expect(faded.first?.text.trimmingCharacters(in: .whitespacesAndNewlines) == "3", "point 3 is faded")
            #expect(doc.all("g", role: "front").count == 3)
            #expect(doc.texts(role: "chosen") == ["chosen"])
            #expect(doc.all("path", role: "series").isEmpty, "no line through a front over three objectives")
        }
        // Charted in the report before the heat map and the line.
        let choice = try SweepChartChoice(
            chart: "cost_per_month:mean", over: [], columns: f.table.header, paths: f.paths, values: f.values)
        let all = try SweepCharts.all(f, choice)
        #expect(all.charts.map(\.name).prefix(2) == charts.map(\.name)[...])
        // The heat map outlines the cells on the front: every point but 3 (TTL 300, threshold 1).
        let heat = try #require(all.charts.first { $0.name.hasPrefix("heatmap") }.flatMap { checkChart($0) })
        let outlined = heat.all("rect", role: "front-cell").map(\.text)
        #expect(outlined.count == 3)
        #expect(!outlined.contains { $0.contains("dns.ttl_s = 300, health_checks[0].failure_threshold = 1") })
        #expect(heat.all("desc").first?.text.contains("Outlined: on the Pareto front over recovered_90_s p90") == true)
    }

    @Test func oneObjectiveHasNoScatter() throws {
        let f = try SweepFolder(path: StudyFixture.frontSweep(year: false).path)
        #expect(f.objectives.map(\.description) == ["recovered_90_s:p90", "cost_per_month:mean"])
        #expect(f.objectivesLeftOut == ["objective false_failovers_per_year:mean left out: y"])
        #expect(f.chosen == nil)
        #expect(try SweepCharts.front(f).charts.count == 1)
    }

    /// An advice's folder: the front sweep with advise.json beside it (point 2 chosen, point 4 the
    /// runner-up, point 1 cheaper and failing, point 2 grown to 90 replications). The report is the
    /// sweep's with an Advice table first, whose rows say each point's role and why.
    @Test func anAdvicesFolderReportsTheAdviceOverTheSweep() throws {
        let url = try StudyFixture.frontSweep()
        let sweepJSON = url.appendingPathComponent("sweep.json")
        let counts = [30, 90, 30, 30].enumerated().map { #"{"point": \#($0 + 1), "replications": \#($1)}"# }
        try Data(
            String(contentsOf: sweepJSON, encoding: .utf8).replacingOccurrences(
                of: #""points": []"#, with: #""points": ["# + counts.joined(separator: ", ") + "]"
            ).utf8
        ).write(to: sweepJSON)
        func point(_ k: Int, _ cost: Double, _ verdict: String, _ detection: Double) -> String {
            #"{"point": \#(k), "replications": \#(k == 2 ? 90 : 30), "verdict": "\#(verdict)", "#
                + #""objective": {"value": \#(cost), "low": \#(cost - 1), "high": \#(cost + 1)}, "targets": ["#
                + #"{"target": "detection_s:p50 >= 60", "verdict": "\#(verdict)", "estimate": \#(detection), "#
                + #""ci_low": \#(detection - 2), "ci_high": \#(detection + 2)}]}"#
        }
        try StudyFixture.write(
            [
                "advise.json": #"{"minimize": "cost_per_month:mean", "targets": ["detection_s:p50 >= 60"], "#
                    + #""outcome": "passed", "chosen": 2, "runner_up": 4, "cheaper": [1], "points": ["#
                    + [
                        point(1, 10, "failed", 35), point(2, 12, "met", 103), point(3, 15, "failed", 35),
                        point(4, 30, "met", 104),
                    ].joined(separator: ", ") + "]}"
            ], in: url)
        guard case .sweep(let f) = try ReportSource(path: url.path) else {
            Issue.record("an advice's folder is read as a sweep's")
            return
        }
        #expect(f.advice?.chosen == 1 && f.chosen == 1)
        #expect(f.pointReplications == [30, 90, 30, 30] && f.replicationsText == "30 to 90")
        let page = ReportSource.sweep(f).page(
            charts: [], skipped: [], warnings: [], warningsNote: nil, version: "test")
        let table = try #require(page.tables.first)
        #expect(table.id == "advice-table")
        #expect(
            table.rows == [
                [
                    "chosen", "2", "dns.ttl_s=60, health_checks[0].failure_threshold=2", "every target met",
                    "12.00 [11.00, 13.00]", "90",
                ],
                [
                    "runner-up", "4", "dns.ttl_s=300, health_checks[0].failure_threshold=2", "every target met",
                    "30.00 [29.00, 31.00]", "30",
                ],
                [
                    "cheaper", "1", "dns.ttl_s=60, health_checks[0].failure_threshold=1",
                    "FAILED detection_s:p50 >= 60: 35.00 [33.00, 37.00]", "10.00 [9.000, 11.00]", "30",
                ],
            ])
        #expect(page.tables.dropFirst().first?.id == "sweep-table")
    }

    /// The cheapest point that reaches each level of availability, and what each nine adds.
    @Test func theCostOfOneMoreNine() throws {
        let t = try SweepCharts.ninesTable(try SweepFolder(path: StudyFixture.frontSweep().path))
        #expect(
            t.rows == [
                ["99%", "1 (dns.ttl_s=60, health_checks[0].failure_threshold=1)", "10.00", "-"],
                ["99.9%", "2 (dns.ttl_s=60, health_checks[0].failure_threshold=2)", "12.00", "+2.000"],
                ["99.99%", "4 (dns.ttl_s=300, health_checks[0].failure_threshold=2)", "30.00", "+18.00"],
                ["99.999%", "none reaches it", "-", "-"],
            ])
        let missing = try SweepCharts.ninesTable(try SweepFolder(path: StudyFixture.frontSweep(year: false).path))
        #expect(missing.rows.allSatisfy { $0.dropFirst().allSatisfy { $0 == "-" } })
        #expect(
            missing.before?.hasPrefix("The cost of one more nine: availability has no values (it is a metric of a year")
                == true,
            "\(missing.before ?? "")")
    }

    @Test func withThreeSettingsEachValueOfTheThirdGetsItsOwnCharts() throws {
        let axes = Self.twoAxes + [(path: "health_checks[0].interval_s", values: ["10", "30"])]
        let f = try SweepFolder(path: StudyFixture.sweep(axes).path)
        let choice = try SweepChartChoice(
            chart: "rto_s:mean", over: ["health_checks[0].interval_s", "dns.ttl_s"], columns: f.table.header,
            paths: f.paths, values: f.values)
        let (charts, _) = try SweepCharts.all(f, choice)
        #expect(
            charts.map(\.name) == [
                "heatmap-rto_s-mean-1", "line-rto_s-mean-1", "heatmap-rto_s-mean-2", "line-rto_s-mean-2",
                "heatmap-rto_s-mean-3", "line-rto_s-mean-3",
            ])
        let second = try #require(checkChart(charts[2]))
        #expect(second.texts(role: "subtitle").first?.hasSuffix("health_checks[0].failure_threshold=3") == true)
        #expect(second.texts(role: "x-category") == ["10", "30"])
        // Threshold 3: points 3, 4 (ttl 60) and 9, 10 (ttl 300), means 305, 405, 905, 1005 s.
        #expect(second.texts(role: "cell-value") == ["5.08 min", "6.75 min", "15.1 min", "16.8 min"])
    }

    @Test func aSettingThatIsNotANumberHasNoLine() throws {
        let f = try SweepFolder(
            path: StudyFixture.sweep([
                (path: "dns.policy", values: ["\"failover\"", "\"weighted\""]),
                (path: "dns.ttl_s", values: ["60", "300"]),
            ]).path)
        #expect(f.values[0] == ["failover", "60"])
        let choice = try SweepChartChoice(
            chart: "rto_s:censored", over: [], columns: f.table.header, paths: f.paths, values: f.values)
        #expect(choice.x == 1 && choice.y == 0, "the line's x is the first setting with numbers")
        let (charts, _) = try SweepCharts.all(f, choice)
        let line = try #require(checkChart(charts[1], series: 2, units: ["%"]))
        #expect(line.all("line", role: "interval").isEmpty, "a censored share has no interval")
        let forced = try SweepChartChoice(
            chart: nil, over: ["dns.policy"], columns: f.table.header, paths: f.paths, values: f.values)
        let (onlyHeat, skipped) = try SweepCharts.all(f, forced)
        #expect(onlyHeat.map(\.name) == ["heatmap-rto_s-p50"])
        #expect(
            skipped.count == 2 && skipped[0] == Self.noFront && skipped[1].contains("not all numbers")
                && skipped[1].contains("--over"), "\(skipped)")
    }

    @Test func oneSettingGivesALineAndNoHeatMap() throws {
        let f = try SweepFolder(
            path: StudyFixture.sweep([(path: "dns.ttl_s", values: ["10", "60", "300"])], p50: { $0 == 1 ? nil : 100 })
                .path)
        let (charts, skipped) = try SweepCharts.all(
            f, SweepChartChoice(chart: nil, over: [], columns: f.table.header, paths: f.paths, values: f.values))
        #expect(charts.map(\.name) == ["line-rto_s-p50"])
        #expect(skipped == [Self.noFront, "a heat map: it needs two varied settings, and this sweep varied one"])
        let line = try #require(checkChart(charts[0], series: 1))
        #expect(line.texts(role: "note") == ["unknown"], "the unknown p50 is said, not drawn")
    }

    struct BadChoice: CustomTestStringConvertible, Sendable {
        var chart: String?
        var over: [String]
        var says: String
        var testDescription: String { "\(chart ?? "-") \(over)" }
    }

    @Test(arguments: [
        BadChoice(chart: "rto_s", over: [], says: "write METRIC:STAT"),
        BadChoice(chart: "rto:p50", over: [], says: "sweep.csv has no metric \"rto\"; the metrics: rto_s"),
        BadChoice(chart: "rto_s:p95", over: [], says: "no statistic \"p95\""),
        BadChoice(
            chart: nil, over: ["dns.ttl"],
            says: "--over dns.ttl: not a setting this sweep varied; "
                + "the varied settings: dns.ttl_s, health_checks[0].failure_threshold"),
        BadChoice(chart: nil, over: ["dns.ttl_s", "dns.ttl_s"], says: "given twice"),
        BadChoice(chart: nil, over: ["a", "b", "c"], says: "at most two"),
    ])
    func aChoiceThatDoesNotFitSaysWhatToGive(_ k: BadChoice) throws {
        let f = try SweepFolder(path: StudyFixture.sweep(Self.twoAxes).path)
        #expect {
            try SweepChartChoice(
                chart: k.chart, over: k.over, columns: f.table.header, paths: f.paths, values: f.values)
        } throws: { ($0 as? ReportOptionError)?.description.contains(k.says) == true }
    }

    /// B − A of rto_s: −100, −200, −300 s and 0 (both censored).
    @Test func comparisonDrawsTheDifferencesWithZeroAndTheMean() throws {
        let f = try CompareFolder(path: StudyFixture.comparison().path)
        let (charts, skipped) = try CompareCharts.all(f)
        #expect(charts.map(\.name) == ["diff-rto_s"])
        #expect(skipped.contains("rpo_s: B − A is 0 in all 4 incidents (the change does not move it)"))
        #expect(skipped.contains { $0.hasPrefix("lost_writes: compare.csv compares no incident") })
        #expect(skipped.contains { $0.hasPrefix("recovered_90_s:") })
        let doc = try #require(checkChart(charts[0], series: 1, units: ["min", "%"]))
        #expect(doc.texts(role: "marker-label") == ["0: B = A", "mean −150.0 s [−330.0, +30.00]"])
        #expect(doc.all("rect", role: "marker-interval").count == 1)
        #expect(doc.texts(role: "subtitle").first?.hasPrefix("B better in 75%, equal in 25%, worse in 0%") == true)
        #expect(doc.texts(role: "legend").first?.contains("never happened: A 1, B 1") == true)
        // The curve's steps: 1/4 at −300 s, 2/4 at −200, 3/4 at −100, 4/4 at 0: four rises.
        let curve = try #require(doc.all("path", role: "series").first?.attributes["d"])
        #expect(curve.filter { $0 == "V" }.count == 4)
        let zero = try #require(doc.all("line", role: "marker").first)
        let x0 = Double(zero.attributes["x1"]!)!
        let lastX = pathNumbers(curve).filter { $0.axis == "x" }.map(\.value).max()!
        #expect(abs(lastX - x0) < 0.01, "the last step is at zero")
    }

    @Test func tornadoBarsRunFromTheBaseToEachEnd() throws {
        let f = try SensitivityFolder(path: StudyFixture.sensitivity().path)
        #expect(f.statistics == ["rto_s:p50", "lost_writes:mean"])
        let (charts, _) = SensitivityCharts.all(f)
        #expect(charts.map(\.name) == ["tornado-rto_s-p50", "tornado-lost_writes-mean"])
        let doc = try #require(checkChart(charts[0], series: 2, units: ["min"]))
        #expect(doc.texts(role: "y-category") == ["TTL extension", "TTL", "think time"])
        #expect(doc.texts(role: "segment-label") == ["900.0 s", "≥3600 s", "1700 s"])
        #expect(doc.texts(role: "note") == ["as base at both ends"])
        #expect(
            doc.texts(role: "legend") == ["at the low end of the range", "at the high end of the range", "base 1800 s"])
        let base = try #require(doc.all("line", role: "marker").first)
        let bars = doc.all("path", role: "series").map {
            pathNumbers($0.attributes["d"] ?? "").filter { $0.axis == "x" }.map(\.value)
        }
        let x = Double(base.attributes["x1"]!)!
        #expect(bars.allSatisfy { $0.contains { abs($0 - x) < 0.01 } }, "every bar starts at the base line")
        let writes = try #require(checkChart(charts[1], series: 2))
        #expect(writes.texts(role: "x-label") == ["lost_writes:mean (writes)"])
    }

    /// A comparison's report gives the verdict `drsim compare` prints, from each side's summary.csv; the
    /// fixture's sides are the same, with no year and no cost.
    @Test func aComparisonsReportJudgesTheSidesOnTheObjectives() throws {
        let source = try ReportSource(path: StudyFixture.comparison().path)
        func list(_ o: [Objective]?) -> [String] {
            source.page(charts: [], skipped: [], warnings: [], warningsNote: nil, version: "9.9", objectives: o)
                .tables[0].list
        }
        #expect(
            list(nil) == [
                "Pareto front: no objective has values on both sides, so neither side dominates.",
                "objective recovered_90_s:p90 left out: recovered_90_s p90 has no value in a/summary.csv or "
                    + "b/summary.csv",
                "objective false_failovers_per_year:mean left out: false_failovers_per_year mean has no value in "
                    + "a/summary.csv or b/summary.csv",
                "objective cost_per_month:mean left out: cost_per_month mean has no value in a/summary.csv or "
                    + "b/summary.csv",
            ])
        let two = try ["detection_s:mean", "max:rto_s"].map { try Objective(parsing: $0) }
        #expect(
            list(two) == [
                "On detection_s mean, rto_s mean (more is better): A and B are equal by the estimates; both are on "
                    + "the Pareto front."
            ])
        let sweep = try ReportSource(path: StudyFixture.sweep(Self.twoAxes).path)
        #expect(throws: ReportOptionError.self) { try sweep.check(.init(objectives: two)) }
    }

    @Test(.slow, arguments: ["sweep", "comparison", "sensitivity"])
    func studyPagesHaveTheRunPagesSections(_ kind: String) throws {
        let url =
            try kind == "sweep"
            ? StudyFixture.sweep(Self.twoAxes)
            : kind == "comparison" ? StudyFixture.comparison() : StudyFixture.sensitivity()
        let source = try ReportSource(path: url.path)
        let drawn = try source.charts(.init())
        let html = source.page(
            charts: drawn.charts, skipped: drawn.skipped, warnings: ["w <1>"], warningsNote: nil, version: "9.9"
        ).html
        let page = try #require(XMLDocument(html))
        #expect(page.all("section").map { $0.attributes["id"] ?? "" } == ["summary", "charts", "warnings", "config"])
        #expect(page.all("figure").count == drawn.charts.count && !drawn.charts.isEmpty)
        #expect(page.all("li").map(\.text).contains("w <1>"))
        #expect(page.all("script").isEmpty)
        let body = page.all("body").first?.text ?? ""
        #expect(body.contains("drsim 9.9") && body.contains("drsim 0.2.0"))
        let table = page.all("table").first?.text ?? ""
        switch kind {
        case "sweep":
            #expect(
                table.contains("6.67 min") == false && table.contains("600.0"),
                "the table's cells are the terminal's numbers: \(table)")
        case "comparison": #expect(table.contains("−150.0 [−330.0, +30.00]") && table.contains("75.0%"), "\(table)")
        default: #expect(table.contains("≥3600") && table.contains("900.0"), "\(table)")
        }
    }
}
