import DRSimRender
import DRSimResults
import DRSimTestSupport
import Foundation
import Testing

/// A result folder written by hand, in the shape `drsim run` writes (docs/config.md, "Result files").
struct FolderFixture {
    let url: URL

    init(
        replications: String? = nil, summary: String? = nil, timeline: String? = nil, run: String? = nil,
        breakdown: String? = nil,
        skip: [String] = []
    ) throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("drsim-render-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        let files = [
            "summary.csv": summary ?? """
                metric,count,censored,mean,mean_ci_low,mean_ci_high,sd,p50,p50_ci_low,p50_ci_high,\
                p90,p90_ci_low,p90_ci_high,p99,p99_ci_low,p99_ci_high,p999,max\r
                detection_s,4,0,100,90,110,5,101,95,105,108,,,,,,,110\r
                rto_s,4,1,1500,1000,2000,400,1200,,,,,,,,,,\r
                recovered_90_s,4,1,1057.5,300,1800,1500,410,,,,,,,,,,\r
                rpo_s,4,0,0,0,0,0,0,0,0,0,,,,,,,0\r
                lost_writes,4,0,0,0,0,0,0,0,0,0,,,,,,,0\r

                """,
            "replications.csv": replications ?? """
                replication,detection_s,rto_s,recovered_90_s,rpo_s,lost_writes,rto_censored\r
                1,100,900,400,0,0,0\r
                2,101,1200,410,0,0,0\r
                3,99,600,,0,0,0\r
                4,110,3600,420,0,0,1\r

                """,
            "timeline.csv": timeline ?? "t_s,success_mean,success_p05,success_p50,success_p95\r\n"
                + (0...3600).map { t in
                    let s = min(1, max(0, Double(t - 200) / 300))
                    return "\(t),\(s),\(s * 0.8),\(s),\(min(1, s * 1.2))\r\n"
                }.joined(),
            // Incident 3 recovers first (600 s), then 1 (900 s: the median of four), then 2; 4 never does.
            "breakdown.csv": breakdown ?? """
                replication,rto_s,rto_censored,decided_by,detection_s,propagation_s,resolver_cache_s,client_cache_s,\
                connection_s,lb_reprogramming_s,activation_s,scale_up_s,repointing_s,outage_s\r
                1,900,0,dns_answer,100,5,700,45,50,0,0,0,0,0\r
                2,1200,0,dns_answer,101,6,1000,43,50,0,0,0,0,0\r
                3,600,0,load_balancer,99,0,0,0,0,501,0,0,0,0\r
                4,3600,1,,,,,,,,,,,\r

                """,
            "run.json": run ?? """
                {"config": {"name": "fixture <&>", "description": "a \\"quoted\\" one", "horizon_s": 3600,
                 "slo": {"success_target": 0.99, "stable_for_s": 60}, "dns": {"ttl_s": 60},
                 "expect": ["rto_s:p99 <= 2400"]},
                 "config_hash": "fnv1a64:0123456789abcdef", "drsim_version": "0.2.0", "replications": 4, "seed": 42}
                """,
        ]
        for (name, text) in files where !skip.contains(name) {
            try Data(text.utf8).write(to: url.appendingPathComponent(name))
        }
    }
}

@Suite struct ResultFolderTests {
    @Test func readsEveryFileAndDrawsTheStandardCharts() throws {
        let f = try FolderFixture()
        let folder = try ResultFolder(path: f.url.path)
        #expect(folder.name == "fixture <&>")
        #expect(folder.seed == "42")
        #expect(folder.summary("rto_s")?("censored") == 1)
        #expect(folder.summary("rto_s")?("p90") == nil)
        let (charts, skipped) = try ResultCharts.all(folder)
        #expect(
            charts.map(\.name) == ["cdf-recovered_90_s", "cdf-rto_s", "cdf-rpo_s", "timeline-success", "stages-rto_s"])
        // The fixture predates rto_honouring_s: its chart is left out without a note.
        #expect(skipped.isEmpty)
        // rto_s: one incident censored by rto_censored (its cell holds the horizon); recovered_90_s: one empty cell.
        let rto = try #require(checkChart(charts[1], series: 1, units: ["min", "%"]))
        #expect(rto.texts(role: "censored-label").first?.hasPrefix("25.0%") == true)
        #expect(rto.all("line", role: "target").count == 1, "the config's expect rto_s:p99 <= 2400 is a target line")
        #expect(rto.texts(role: "target-label") == ["target p99 ≤ 40 min"])
        let r90 = try #require(checkChart(charts[0], series: 1, units: ["min", "%"]))
        #expect(r90.texts(role: "censored-label").count == 1)
        #expect(r90.all("line", role: "target").isEmpty)
        let rpo = try #require(checkChart(charts[2], series: 1, units: ["s", "%"]))
        #expect(rpo.texts(role: "censored-label").isEmpty)
        let timeline = try #require(checkChart(charts[3], series: 2, units: ["min", "%"]))
        let markers = timeline.texts(role: "marker-label")
        #expect(markers.count == 3)
        #expect(markers[1].contains("101 s") && markers[1].contains("summary.csv"), "\(markers)")
        #expect(timeline.all("line", role: "target").count == 1)
        #expect(charts[1].svg.contains("fixture &lt;&amp;&gt;"))
    }

    /// The median of four incidents is the second by RTO (900 s, incident 1, alone within half a percent
    /// of its rank); the p90 and p99 are the censored fourth.
    @Test func rtoStagesAreStackedAtTheRanks() throws {
        let folder = try ResultFolder(path: FolderFixture().url.path)
        let chart = try #require(try ResultCharts.all(folder).charts.first { $0.name == "stages-rto_s" })
        let doc = try #require(checkChart(chart, series: 5, units: ["min"]))
        #expect(doc.texts(role: "y-category") == ["median: 900.0 s", "p90: never", "p99: never"])
        #expect(
            doc.all("path", role: "series").compactMap { $0.attributes["data-series"] }
                == [
                    "detection (health checks)", "status to DNS", "resolver caches", "client caches",
                    "open connections",
                ])
        #expect(
            doc.texts(role: "segment-label") == ["100.0 s", "700.0 s"],
            "5, 45 and 50 s are too narrow (30 px) for their labels")
        #expect(doc.texts(role: "note").filter { $0.hasPrefix("not recovered") }.count == 2)
        // The stacked segments end at the RTO: 900 s is at 15 of the axis's minutes.
        let resolver = try #require(
            doc.all("path", role: "series").first { $0.attributes["data-series"] == "resolver caches" })
        let xs = pathNumbers(resolver.attributes["d"] ?? "").filter { $0.axis == "x" }.map(\.value)
        let axis = try #require(doc.all("line", role: "axis").first)
        let (left, right) = (Double(axis.attributes["x1"]!)!, Double(axis.attributes["x2"]!)!)
        let top = try #require(doc.texts(role: "x-tick").compactMap(Double.init).max())
        #expect(
            abs(xs.max()! - (left + (right - left) * (805.0 / 60) / top)) < 0.02,
            "resolver caches end at 100 + 5 + 700 s")
        #expect(chart.description.contains("last event: dns_answer, 1 incident"))
    }

    @Test func aFolderWithoutBreakdownNamesTheChartAsSkipped() throws {
        let folder = try ResultFolder(path: FolderFixture(skip: ["breakdown.csv"]).url.path)
        let (charts, skipped) = try ResultCharts.all(folder)
        #expect(!charts.contains { $0.name == "stages-rto_s" })
        #expect(skipped == ["the RTO by stage (no breakdown.csv in this folder: drsim 0.1 did not write it)"])
    }

    @Test func targetsGivenByTheCallerAreDrawn() throws {
        let folder = try ResultFolder(path: FolderFixture().url.path)
        let (charts, _) = try ResultCharts.all(folder, targets: [try Expectation(parsing: "rpo_s:p99<=5")])
        let rpo = try #require(checkChart(charts[2], series: 1))
        #expect(rpo.texts(role: "target-label") == ["target p99 ≤ 5 s"])
    }

    struct BadCase: CustomTestStringConvertible, Sendable {
        var name: String
        var make: @Sendable () throws -> String
        var says: [String]
        var testDescription: String { name }
    }

    static let badCases = [
        BadCase(name: "missing folder", make: { "/nonexistent/drsim-results" }, says: ["does not exist", "drsim run"]),
        BadCase(
            name: "a file, not a folder",
            make: {
                let f = try FolderFixture()
                return f.url.appendingPathComponent("run.json").path
            }, says: ["is a file, not a folder"]),
        BadCase(
            name: "an empty folder",
            make: {
                try FolderFixture(skip: ResultFolder.files).url.path
            },
            says: [
                "holds no complete drsim results",
                "summary.csv, replications.csv, timeline.csv, run.json", "--out",
            ]),
        BadCase(
            name: "a short row",
            make: {
                try FolderFixture(replications: "replication,rto_s,rto_censored\r\n1,900,0\r\n2,900\r\n").url.path
            }, says: ["replications.csv, line 3", "2 cells where the header has 3", "run the config again"]),
        BadCase(
            name: "a cell that is not a number",
            make: {
                try FolderFixture(
                    replications: "replication,rto_s,rto_censored\r\n1,soon,0\r\n2,1,0\r\n3,1,0\r\n4,1,0\r\n"
                ).url.path
            }, says: ["replications.csv, line 2", "column rto_s holds \"soon\""]),
        BadCase(
            name: "an unterminated quote",
            make: {
                try FolderFixture(timeline: "t_s,success_p05,success_p50,success_p95\r\n\"0,1,1,1\r\n").url.path
            }, says: ["timeline.csv", "never ends"]),
        BadCase(
            name: "a summary cut short",
            make: {
                try FolderFixture(summary: "metric,count,censored,mean\r\ndetection_s,4,0,100\r\nrto_s,4,1,1500\r\n")
                    .url.path
            },
            says: [
                "summary.csv, line 4", "no row for recovered_90_s, which replications.csv has (the file is cut short)",
            ]),
        BadCase(
            name: "replications cut short",
            make: {
                try FolderFixture(
                    replications:
                        "replication,detection_s,rto_s,recovered_90_s,rpo_s,lost_writes,rto_censored\r\n"
                        + "1,100,900,400,0,0,0\r\n"
                ).url.path
            }, says: ["replications.csv, line 3", "1 replications, but summary.csv counts 4 for detection_s"]),
        BadCase(
            name: "a sweep's folder",
            make: {
                let f = try FolderFixture(skip: ResultFolder.files)
                try Data("point\r\n".utf8).write(to: f.url.appendingPathComponent("sweep.csv"))
                return f.url.path
            }, says: ["is a sweep's folder, not a result folder", "/point-1"]),
        BadCase(
            name: "an empty summary", make: { try FolderFixture(summary: "").url.path },
            says: ["summary.csv, line 1", "empty"]),
        BadCase(
            name: "breakdown cut short",
            make: {
                try FolderFixture(breakdown: "replication,rto_s,rto_censored\r\n1,900,0\r\n").url.path
            }, says: ["breakdown.csv, line 3", "1 replications, but replications.csv has 4"]),
        BadCase(
            name: "run.json not JSON", make: { try FolderFixture(run: "{\"config\": ").url.path },
            says: ["run.json", "not a JSON object"]),
        BadCase(
            name: "a timeline without its columns",
            make: {
                try FolderFixture(timeline: "t_s,success\r\n0,1\r\n").url.path
            }, says: ["timeline.csv, line 1", "success_p05"]),
    ]

    @Test(.slow, arguments: badCases) func badFoldersSayWhatIsWrongAndWhatToDo(_ k: BadCase) throws {
        let path = try k.make()
        do {
            let folder = try ResultFolder(path: path)
            _ = try ResultCharts.all(folder)
            Issue.record("no error for \(k.name)")
        } catch {
            for s in k.says { #expect(error.description.contains(s), "\(error.description)") }
        }
    }
}
