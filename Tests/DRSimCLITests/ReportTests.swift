import DRSim
import DRSimTestSupport
import Foundation
import Testing

/// `drsim report` and `run --report` on bundled models, read back as XML, and in a real browser.
@Suite(.serialized) struct ReportTests {
    static let binary = CLITests.binary.path

    func drsim(_ args: [String]) async throws -> Tools.Outcome {
        try await Tools.run(Self.binary, args, cwd: Tools.root)
    }

    func tempDir() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("drsim-report-\(UUID().uuidString)")
    }

    struct ModelCase: CustomTestStringConvertible, Sendable {
        var model: String
        var why: String
        var testDescription: String { "\(model) (\(why))" }
    }

    /// Small runs: censored metrics, no lost writes, no outage at all, a third region.
    static let models = [
        ModelCase(model: "tuned-active-passive", why: "censored rto_s"),
        ModelCase(model: "split-gcp-app-outage", why: "no lost writes: rpo_s all zero"),
        ModelCase(model: "test-disable-health-check", why: "nothing fails over, detection never happens"),
        ModelCase(model: "seed-three-region", why: "a third region, heavy censoring"),
    ]

    /// Numbers of the table `drsim run` printed (every cell that parses as a number, ≥ dropped).
    /// The numbers of the terminal's summary table (the lines between its header and its footnote; the
    /// RTO-by-stage lines after it are not part of the table).
    static func tableNumbers(_ stdout: String) -> [String] {
        let lines = stdout.split(separator: "\n")
        let end = lines.firstIndex { $0.hasPrefix("A '-' is unknown") } ?? lines.count
        return lines[..<end].dropFirst(2).flatMap { line in
            line.split(whereSeparator: { $0 == " " || $0 == "[" || $0 == "]" || $0 == "," })
                .map { $0.replacingOccurrences(of: "≥", with: "") }
                .filter { Double($0) != nil }
        }
    }

    @Test(.slow, arguments: models) func reportOfABundledModel(_ k: ModelCase) async throws {
        let out = tempDir()
        let run = try await drsim([
            "run", "models/\(k.model).json", "--replications", "60", "--set", "clients.resolvers=100",
            "--out", out.path, "--report",
        ])
        #expect(run.status == 0, "\(run.stderr)")
        let html = try String(contentsOf: out.appendingPathComponent("report.html"), encoding: .utf8)
        let page = try #require(XMLTree(html))
        let text = page.all("body").first?.text ?? ""
        // Every number of the terminal's table is in the page's summary table.
        let table = page.all("table").first?.text ?? ""
        let numbers = Self.tableNumbers(run.stdout)
        #expect(numbers.count > 30)
        for n in numbers { #expect(table.contains(n), "\(n) from the terminal's table is missing in the report") }
        #expect(text.contains("seed 42") || text.contains("seed") && text.contains(k.model))
        #expect(text.contains("drsim \(DRSimInfo.version)"))
        // The line that says rto_s rests on a placeholder: the terminal's, word for word, under the summary.
        if let range = run.stdout.split(separator: "\n").first(where: { $0.hasPrefix("rto_s p50 over") }) {
            #expect(page.all("section").first?.text.contains(range) == true, "\(range)")
        } else {
            Issue.record("drsim run printed no placeholder range for \(k.model)")
        }
        // The cost per month: the report's table has the total of the terminal's line, and says what it is.
        let costLine = try #require(run.stdout.split(separator: "\n").first { $0.hasPrefix("Cost per month") })
        let total = "$" + costLine.split(separator: "$")[1].prefix { $0 != " " }
        #expect(page.all("table").count == 2 && page.all("table")[1].text.contains(total), "\(costLine)")
        #expect(text.contains("Cost per month at list prices (estimate)"))
        // The charts, each a well-formed SVG with its units; the config and warnings sections.
        let figures = page.all("figure").compactMap { $0.attributes["id"] }
        #expect(
            Array(figures.prefix(5)) == [
                "cdf-recovered_90_s", "cdf-rto_s", "cdf-rto_honouring_s", "cdf-rpo_s", "timeline-success",
            ])
        let timelines = figures.filter { $0.hasPrefix("timeline") }.count
        #expect(page.all("svg").count == figures.count)
        #expect(
            page.all("text", role: "x-label").allSatisfy {
                $0.text.hasSuffix("(s)") || $0.text.hasSuffix("(min)") || $0.text.hasSuffix("(h)")
            })
        let lines = page.all("path", role: "series")
            .filter {
                ["rto_s", "recovered_90_s", "rpo_s", "median", "mean"].contains($0.attributes["data-series"] ?? "")
            }
        #expect(lines.count == 3 + 2 * timelines, "one path per CDF, two per timeline")
        // The RTO by stage: the median's bar is the RTO drsim run printed for the median.
        #expect(figures.last == "stages-rto_s")
        let median = try #require(run.stdout.split(separator: "\n").first { $0.hasPrefix("  median rto_s") })
        let rto = String(median.split(separator: " ")[2].prefix { $0 != ":" })
        #expect(
            page.all("text", role: "y-category").map(\.text).contains(
                median.contains("not recovered") ? "median: never" : "median: \(rto) s"),
            "\(median)")
        #expect(page.all("line", role: "target").count == timelines, "the SLO's success target on each timeline")
        for e in page.elements {
            for key in ["d", "x", "y", "x1", "x2", "y1", "y2", "width", "height"] {
                if let v = e.attributes[key] {
                    #expect(!v.lowercased().contains("nan") && !v.lowercased().contains("inf"))
                }
            }
        }
        #expect(page.all("section").map { $0.attributes["id"] ?? "" } == ["summary", "charts", "warnings", "config"])
        #expect(page.all("pre").first?.text.contains("\"horizon_s\"") == true)
        // Self-contained: no script, nothing that points outside the page.
        #expect(page.all("script").isEmpty)
        for e in page.elements {
            for key in ["src", "href"] { #expect(e.attributes[key] == nil, "\(e.name) has \(key)") }
        }
        // `drsim report` on the same folder (warnings recomputed from run.json) gives the same page.
        let again = try await drsim(["report", out.path, "--svg"])
        #expect(again.status == 0, "\(again.stderr)")
        #expect(try String(contentsOf: out.appendingPathComponent("report.html"), encoding: .utf8) == html)
        let charts = try FileManager.default.contentsOfDirectory(atPath: out.appendingPathComponent("charts").path)
            .sorted()
        #expect(charts == figures.map { $0 + ".svg" }.sorted())
        for c in charts {
            let svg = try String(
                contentsOf: out.appendingPathComponent("charts").appendingPathComponent(c), encoding: .utf8)
            #expect(XMLTree(svg) != nil, "\(c)")
        }
    }

    @Test(.slow) func warningsAreInTheReport() async throws {
        let out = tempDir()
        // The seed model's TTL of 300 s draws a warning.
        let run = try await drsim([
            "run", "models/seed-active-passive.json", "--replications", "20", "--set", "clients.resolvers=50",
            "--out", out.path, "--quiet",
        ])
        #expect(run.status == 0)
        let validate = try await drsim(["validate", "models/seed-active-passive.json"])
        let warnings = validate.stderr.split(separator: "\n").filter { $0.hasPrefix("warning: ") }.map {
            String($0.dropFirst(9))
        }
        #expect(!warnings.isEmpty)
        #expect(try await drsim(["report", out.path, "--target", "rto_s:p99<=900"]).status == 0)
        let page = try #require(XMLTree(String(contentsOf: out.appendingPathComponent("report.html"), encoding: .utf8)))
        let items = page.all("li").map(\.text)
        #expect(items == warnings)
        let timelines = page.all("figure").filter { $0.attributes["id"]?.hasPrefix("timeline") == true }.count
        #expect(timelines == 2, "the whole horizon, and the first minutes where traffic comes back")
        #expect(
            page.all("line", role: "target").count == 1 + timelines, "--target on the RTO CDF, the SLO on each timeline"
        )
        // A target the report cannot draw is refused (exit 64), and the report is left as it was.
        let before = try Data(contentsOf: out.appendingPathComponent("report.html"))
        for (target, says) in [
            ("nope:p99<=900", "no metric \"nope\""), ("detection_s:p99<=120", "detection_s has none"),
            ("rto_s:mean<=900", "a mean is not a point on a CDF"), ("rpo_s:p99<=-5", "rpo_s is never below 0"),
            ("rto_s:p100<=900", "no statistic \"p100\""), ("rto_s:max<=900", "max has no confidence interval"),
        ] {
            let r = try await drsim(["report", out.path, "--target", target])
            #expect(r.status == 64 && r.stderr.contains(says), "\(target): \(r.stderr)")
        }
        #expect(try Data(contentsOf: out.appendingPathComponent("report.html")) == before)
    }

    @Test(.slow) func aConfigThisVersionCannotReadStillGetsAReport() async throws {
        let out = tempDir()
        #expect(
            try await drsim([
                "run", "models/tuned-active-passive.json", "--replications", "20", "--set", "clients.resolvers=50",
                "--out", out.path, "--quiet",
            ]).status == 0)
        // As if an older drsim had written it: clients.keepalive_s was removed in 0.2.
        let runURL = out.appendingPathComponent("run.json")
        let text = try String(contentsOf: runURL, encoding: .utf8)
        try Data(text.replacingOccurrences(of: "\"clients\": {", with: "\"clients\": {\n    \"keepalive_s\": 60,").utf8)
            .write(to: runURL)
        let r = try await drsim(["report", out.path])
        #expect(r.status == 0, "\(r.stderr)")
        let page = try #require(XMLTree(String(contentsOf: out.appendingPathComponent("report.html"), encoding: .utf8)))
        let warnings = page.all("section").first { $0.attributes["id"] == "warnings" }?.text ?? ""
        #expect(warnings.contains("Warnings not shown") && warnings.contains("keepalive_s"), "\(warnings)")
        #expect(page.all("figure").count >= 4)
    }

    struct BadCase: CustomTestStringConvertible, Sendable {
        var name: String
        var args: @Sendable (URL) throws -> [String]
        var status: Int32
        var says: String
        var testDescription: String { name }
    }

    static let badCases = [
        BadCase(
            name: "missing folder", args: { _ in ["report", "/nonexistent/results"] }, status: 65,
            says: "does not exist"),
        BadCase(
            name: "folder without results",
            args: { dir in
                try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
                return ["report", dir.path]
            }, status: 65, says: "holds no complete drsim results"),
        BadCase(
            name: "bad target", args: { _ in ["report", "results", "--target", "rto_s<900"] }, status: 64,
            says: "METRIC:STAT <= VALUE"),
    ]

    @Test(arguments: badCases) func badInputIsRefusedWithAReason(_ k: BadCase) async throws {
        let r = try await drsim(k.args(tempDir()))
        #expect(r.status == k.status, "\(r.stderr)")
        #expect(r.stderr.contains(k.says), "\(r.stderr)")
        #expect(r.stderr.split(separator: "\n").count <= 4, "a reason, not a crash: \(r.stderr)")
    }

    @Test func aDamagedCSVLeavesNoReport() async throws {
        let out = tempDir()
        #expect(
            try await drsim([
                "run", "models/tuned-active-passive.json", "--replications", "20", "--set", "clients.resolvers=50",
                "--out", out.path, "--quiet",
            ]).status == 0)
        let reps = out.appendingPathComponent("replications.csv")
        var text = try String(contentsOf: reps, encoding: .utf8)
        text += "41,12,oops\r\n"
        try Data(text.utf8).write(to: reps)
        let r = try await drsim(["report", out.path])
        #expect(r.status == 65)
        #expect(r.stderr.contains("replications.csv, line 22"), "\(r.stderr)")
        let files = try FileManager.default.contentsOfDirectory(atPath: out.path)
        #expect(!files.contains { $0.contains("report") }, "\(files)")
    }

    /// A sweep's or a comparison's folder is a report's folder, but not a result folder for the commands
    /// that need one run (export, diff), which name a result folder in it that exists (a sweep of 10 points
    /// or more pads its folders: point-01); a summary.csv cut short is refused.
    @Test(.slow) func studyFoldersAndCutSummariesAreRefusedWithWhatToGive() async throws {
        let quick = ["models/tuned-active-passive.json", "--replications", "5", "--set", "clients.resolvers=50"]
        let sweep = tempDir()
        let compare = tempDir()
        #expect(
            try await drsim(["sweep"] + quick + ["--vary", "dns.ttl_s=1..10:1", "--out", sweep.path, "--quiet"]).status
                == 0)
        #expect(try await drsim(["report", sweep.path, "--quiet"]).status == 0)
        let s = try await drsim(["export", "notebook", sweep.path, "--out", tempDir().path])
        #expect(
            s.status == 65 && s.stderr.contains("\(sweep.path) is a sweep's folder, not a result folder")
                && s.stderr.contains("such as \(sweep.path)/point-01"), "\(s.stderr)")
        #expect(try await drsim(["report", sweep.appendingPathComponent("point-01").path, "--quiet"]).status == 0)
        #expect(
            try await drsim(["compare"] + quick + ["--vs-set", "dns.ttl_s=10", "--out", compare.path, "--quiet"]).status
                == 0)
        #expect(try await drsim(["report", compare.path + "/", "--quiet"]).status == 0)
        let c = try await drsim(["diff", compare.path + "/", compare.appendingPathComponent("a").path])
        #expect(
            c.status == 65 && c.stderr.contains("is a comparison's folder, not a result folder")
                && c.stderr.contains("such as \(compare.path)/a or \(compare.path)/b"), "\(c.stderr)")
        // summary.csv with its header only, or without its last rows.
        let point = sweep.appendingPathComponent("point-02")
        let summary = point.appendingPathComponent("summary.csv")
        let lines = try String(contentsOf: summary, encoding: .utf8).components(separatedBy: "\r\n")
        for (keep, says) in [
            (1, "summary.csv, line 2: no metric rows"), (5, "summary.csv, line 6: no row for recovered_99_s"),
        ] {
            try Data((lines.prefix(keep).joined(separator: "\r\n") + "\r\n").utf8).write(to: summary)
            let r = try await drsim(["report", point.path])
            #expect(r.status == 65 && r.stderr.contains(says), "\(r.stderr)")
            #expect(!FileManager.default.fileExists(atPath: point.appendingPathComponent("report.html").path))
        }
    }

    // MARK: a real browser

    static var noChromium: Bool { Tools.absent(Tools.chromium, "apt-get install -y chromium") }

    /// Flags that stop chromium's own background traffic, so that what is left is the page's.
    static let quietChromium = [
        "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-default-apps", "--disable-extensions",
        "--hide-scrollbars", "--enable-logging=stderr", "--v=0",
    ]

    /// Loads `page` in headless chromium; returns the rendered DOM, console messages and the URLs the
    /// page itself requested (from chromium's net log: requests whose network isolation key is the
    /// file:// page's, so the browser's own update checks do not count).
    static func load(_ page: URL) async throws -> (dom: String, console: [String], requests: [String]) {
        let chromium = try #require(
            Tools.chromium, "chromium is not installed: apt-get install -y chromium (.ci/run installs it)")
        let netlog = FileManager.default.temporaryDirectory.appendingPathComponent(
            "drsim-netlog-\(UUID().uuidString).json")
        let profile = FileManager.default.temporaryDirectory.appendingPathComponent(
            "drsim-chromium-\(UUID().uuidString)")
        defer {
            try? FileManager.default.removeItem(at: netlog)
            try? FileManager.default.removeItem(at: profile)
        }
        let r = try await Tools.run(
            chromium,
            quietChromium + [
                "--user-data-dir=\(profile.path)", "--log-net-log=\(netlog.path)",
                "--dump-dom", page.absoluteString,
            ])
        #expect(r.status == 0, "chromium failed: \(r.stderr.suffix(2000))")
        let console = r.stderr.split(separator: "\n").filter { $0.contains(":CONSOLE") }.map(String.init)
        var requests: [String] = []
        let log = try JSONSerialization.jsonObject(with: Data(contentsOf: netlog)) as? [String: Any] ?? [:]
        for case let event as [String: Any] in log["events"] as? [Any] ?? [] {
            guard let params = event["params"] as? [String: Any], let url = params["url"] as? String,
                let key = params["network_isolation_key"] as? String, key.hasPrefix("file://")
            else { continue }
            if !url.hasPrefix("file:") && !url.hasPrefix("data:") { requests.append(url) }
        }
        return (r.stdout, console, requests)
    }

    @Test(
        .external,
        .disabled(
            if: noChromium,
            "chromium is not installed: apt-get install -y chromium (CI installs it and fails without it)"))
    func theReportLoadsInABrowserWithNoErrorAndNoRequest() async throws {
        let out = tempDir()
        let run = try await drsim([
            "run", "models/seed-active-passive.json", "--replications", "100", "--set", "clients.resolvers=100",
            "--out", out.path, "--report",
        ])
        #expect(run.status == 0, "\(run.stderr)")
        let (dom, console, requests) = try await Self.load(out.appendingPathComponent("report.html"))
        #expect(console.isEmpty, "console: \(console)")
        #expect(requests.isEmpty, "the page requested \(requests)")
        // The rendered DOM holds every number of the summary table.
        let numbers = Self.tableNumbers(run.stdout)
        #expect(numbers.count > 30)
        for n in numbers { #expect(dom.contains(n), "\(n) is not in the rendered page") }
        #expect(dom.contains("<svg"))

        // The sweep's and the comparison's reports too, each with its table's numbers.
        let quick = ["models/tuned-active-passive.json", "--replications", "30", "--set", "clients.resolvers=50"]
        for (args, first, end) in [
            (
                ["sweep"] + quick + ["--vary", "dns.ttl_s=10,60", "--vary", "health_checks[0].failure_threshold=2,3"],
                "point", "Pareto front over"
            ),
            (["compare"] + quick + ["--vs-set", "dns.ttl_s=10"], "metric", "Lower is better"),
        ] {
            let dir = tempDir()
            let study = try await drsim(args + ["--out", dir.path, "--report"])
            #expect(study.status == 0, "\(study.stderr)")
            let loaded = try await Self.load(dir.appendingPathComponent("report.html"))
            #expect(loaded.console.isEmpty, "\(args[0]) console: \(loaded.console)")
            #expect(loaded.requests.isEmpty, "the \(args[0]) page requested \(loaded.requests)")
            let numbers = StudyReportTests.tableNumbers(study.stdout, first: first, end: end)
            #expect(numbers.count > 30, "\(args[0])")
            for n in numbers {
                #expect(loaded.dom.contains(n), "\(n) of the \(args[0]) table is not in the rendered page")
            }
            #expect(
                loaded.dom.contains("data-role=\"cell\"") || loaded.dom.contains("data-role=\"marker-interval\""),
                "\(args[0]): its charts are drawn")
        }

        // The same check sees a page that does fetch and does err: the method can fail.
        let bad = out.appendingPathComponent("control.html")
        try Data(
            ("<!DOCTYPE html><html><head><title>c</title></head><body><img src=\"http://example.invalid/a.png\"/>"
                + "<script>console.error('boom')</script></body></html>").utf8
        ).write(to: bad)
        let control = try await Self.load(bad)
        #expect(control.console.contains { $0.contains("boom") })
        #expect(control.requests.contains { $0.contains("example.invalid") })
    }
}
