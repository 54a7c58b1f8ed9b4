import DRSim
import DRSimRender
import DRSimResults
import DRSimTestSupport
import Foundation
import Testing

/// The reports of sweeps, comparisons and sensitivity studies: `--report` on each command, and
/// `drsim report` on each kind of folder, on a bundled model with few replications.
@Suite(.serialized) struct StudyReportTests {
    let cli = CLITests()
    static let quick = ["models/tuned-active-passive.json", "--replications", "30", "--set", "clients.resolvers=50"]
    static let grid = ["--vary", "dns.ttl_s=10,60", "--vary", "health_checks[0].failure_threshold=2,3"]

    /// The numbers of a table the terminal printed, between its header line (starting with `first`)
    /// and the line starting with `end`: each cell as printed, without `≥`.
    static func tableNumbers(_ stdout: String, first: String, end: String) -> [String] {
        let lines = stdout.split(separator: "\n")
        guard let start = lines.firstIndex(where: { $0.hasPrefix(first) }) else { return [] }
        let stop = lines[start...].firstIndex { $0.hasPrefix(end) } ?? lines.count
        return lines[(start + 1)..<stop].flatMap { line in
            line.split(whereSeparator: { " [],".contains($0) }).map { $0.replacingOccurrences(of: "≥", with: "") }
                .filter {
                    Double(
                        $0.replacingOccurrences(of: "−", with: "-").trimmingCharacters(
                            in: CharacterSet(charactersIn: "+*%"))) != nil
                }
        }
    }

    /// The page at `dir/report.html`, parsed; its summary section's text.
    func page(_ dir: URL) throws -> (tree: XMLTree, summary: String, html: String) {
        let html = try String(contentsOf: dir.appendingPathComponent("report.html"), encoding: .utf8)
        let tree = try #require(XMLTree(html))
        return (tree, tree.all("section").first { $0.attributes["id"] == "summary" }?.text ?? "", html)
    }

    /// The result files a command wrote (everything but the report).
    func results(_ dir: URL) throws -> [String: Data] {
        var out: [String: Data] = [:]
        let e = FileManager.default.enumerator(at: dir, includingPropertiesForKeys: nil)
        while let u = e?.nextObject() as? URL {
            guard !u.hasDirectoryPath, u.lastPathComponent != "report.html" else { continue }
            out[String(u.path.dropFirst(dir.path.count))] = try Data(contentsOf: u)
        }
        return out
    }

    /// Checks what every report page has, and that `drsim report DIR --svg` writes the same page.
    func checkPage(_ dir: URL, figures: [String], sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let (tree, _, html) = try page(dir)
        #expect(
            tree.all("section").map { $0.attributes["id"] ?? "" } == ["summary", "charts", "warnings", "config"],
            sourceLocation: sourceLocation)
        #expect(tree.all("figure").compactMap { $0.attributes["id"] } == figures, sourceLocation: sourceLocation)
        #expect(tree.all("script").isEmpty, sourceLocation: sourceLocation)
        for e in tree.elements {
            for key in ["src", "href"] {
                #expect(e.attributes[key] == nil, "\(e.name) has \(key)", sourceLocation: sourceLocation)
            }
            for key in ["d", "x", "y", "x1", "x2", "y1", "y2", "width", "height"] {
                if let v = e.attributes[key] {
                    #expect(
                        !v.lowercased().contains("nan") && !v.lowercased().contains("inf"),
                        sourceLocation: sourceLocation)
                }
            }
        }
        #expect(
            tree.all("body").first?.text.contains("drsim \(DRSimInfo.version)") == true, sourceLocation: sourceLocation)
        let again = try await cli.drsim(["report", dir.path, "--svg"])
        #expect(again.status == 0, "\(again.stderr)", sourceLocation: sourceLocation)
        #expect(
            try String(contentsOf: dir.appendingPathComponent("report.html"), encoding: .utf8) == html,
            "drsim report recomputes the same page (the same warnings)", sourceLocation: sourceLocation)
        let charts = try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("charts").path)
            .sorted()
        #expect(charts == figures.map { $0 + ".svg" }.sorted(), sourceLocation: sourceLocation)
    }

    @Test(.slow) func sweepReport() async throws {
        let out = cli.tempDir()
        let plain = cli.tempDir()
        let r = try await cli.drsim(["sweep"] + Self.quick + Self.grid + ["--out", out.path, "--report"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("drsim: report in \(out.path)/report.html"))
        // The result files are those of the same sweep without --report.
        #expect(try await cli.drsim(["sweep"] + Self.quick + Self.grid + ["--out", plain.path, "--quiet"]).status == 0)
        #expect(try results(out) == results(plain))
        try await checkPage(
            out,
            figures: [
                "front-recovered_90_s_p90-cost_per_month_mean", "heatmap-recovered_90_s-p50", "line-recovered_90_s-p50",
            ])
        let (tree, summary, _) = try page(out)
        let numbers = Self.tableNumbers(r.stdout, first: "point", end: "Pareto front over")
        #expect(numbers.count >= 4 * 9)
        for n in numbers { #expect(summary.contains(n), "\(n) from the terminal's table is not in the report") }
        #expect(
            tree.all("li").map(\.text).contains {
                $0.hasPrefix("Pareto front over recovered_90_s p90, cost_per_month mean: point")
            })
        // The heat map's cells are sweep.csv's recovered_90_s p50, with their intervals.
        let csv = try CSVTable(contentsOf: out.appendingPathComponent("sweep.csv"))
        let p50 = try #require(try csv.numbers("recovered_90_s_p50"))
        #expect(tree.all("text", role: "cell-value").count == 4)
        let cells = tree.all("rect", role: "cell").map(\.text)
        // Rows are thresholds (2, 3), columns TTLs (10, 60): the cells in order are points 1, 3, 2, 4.
        for (cell, k) in zip(cells, [0, 2, 1, 3]) {
            #expect(
                cell.contains("dns.ttl_s = \(k < 2 ? 10 : 60)")
                    && cell.contains("failure_threshold = \(k % 2 == 0 ? 2 : 3)"), "\(cell)")
            if let v = p50[k] {
                #expect(
                    cell.contains(v < 180 ? Self.compact(v) + " s" : Self.compact(v / 60) + " min"),
                    "\(cell) for \(v) s")
            }
        }
        #expect(
            tree.all("path", role: "series").compactMap { $0.attributes["data-series"] }
                == ["front", "health_checks[0].failure_threshold=2", "health_checks[0].failure_threshold=3"])
    }

    /// About three significant figures, as the charts write values (Axis.compact).
    static func compact(_ v: Double) -> String {
        var s = v >= 100 ? String(format: "%.0f", v) : v >= 10 ? String(format: "%.1f", v) : String(format: "%.2f", v)
        if s.contains(".") {
            while s.hasSuffix("0") { s.removeLast() }
            if s.hasSuffix(".") { s.removeLast() }
        }
        return s
    }

    @Test(.slow) func sweepReportOfAChosenStatisticOverChosenSettings() async throws {
        let out = cli.tempDir()
        let three = Self.grid + ["--vary", "health_checks[0].interval_s=10,30"]
        #expect(try await cli.drsim(["sweep"] + Self.quick + three + ["--out", out.path, "--quiet"]).status == 0)
        let r = try await cli.drsim([
            "report", out.path, "--chart", "recovered_90_s:mean", "--over", "health_checks[0].interval_s", "--over",
            "dns.ttl_s",
        ])
        #expect(r.status == 0, "\(r.stderr)")
        let (tree, _, _) = try page(out)
        #expect(
            tree.all("figure").compactMap { $0.attributes["id"] }
                == [
                    "front-recovered_90_s_p90-cost_per_month_mean", "heatmap-recovered_90_s-mean-1",
                    "line-recovered_90_s-mean-1", "heatmap-recovered_90_s-mean-2", "line-recovered_90_s-mean-2",
                ])
        #expect(
            tree.all("text", role: "subtitle").contains { $0.text.hasSuffix("health_checks[0].failure_threshold=3") })
        #expect(tree.all("text", role: "x-label").contains { $0.text == "health_checks[0].interval_s (s)" })
    }

    @Test(.slow) func compareReport() async throws {
        let out = cli.tempDir()
        let plain = cli.tempDir()
        let args = ["compare"] + Self.quick + ["--vs-set", "dns.ttl_s=10"]
        let r = try await cli.drsim(args + ["--out", out.path, "--report"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(try await cli.drsim(args + ["--out", plain.path, "--quiet"]).status == 0)
        #expect(try results(out) == results(plain))
        let (tree, summary, _) = try page(out)
        let numbers = Self.tableNumbers(r.stdout, first: "metric", end: "Lower is better")
        #expect(numbers.count > 40)
        for n in numbers { #expect(summary.contains(n), "\(n) from the terminal's table is not in the report") }
        let facts = tree.all("dd").map(\.text)
        #expect(facts.contains("dns.ttl_s: 30 → 10"), "B differs from A in the TTL: \(facts)")
        // rpo_s and lost_writes do not move with the TTL: not drawn, and said so.
        let figures = tree.all("figure").compactMap { $0.attributes["id"] }
        #expect(Array(figures.prefix(3)) == ["diff-recovered_90_s", "diff-failed_requests", "diff-rto_s"])
        #expect(tree.all("p").contains { $0.text.contains("rpo_s: B − A is 0 in all 30 incidents") })
        // The recovered_90_s chart's mean marker is compare.csv's mean difference.
        let csv = try CSVTable(contentsOf: out.appendingPathComponent("compare.csv"))
        let row = try #require((0..<csv.rowCount).first { csv.cell(row: $0, column: 0) == "recovered_90_s" })
        let mean = try #require(try csv.numbers("diff_mean")?[row] ?? nil)
        #expect(
            tree.all("text", role: "marker-label").contains {
                $0.text.hasPrefix("mean −\(SummaryFormat.short(-mean)) s")
            }, "\(mean)")
        try await checkPage(out, figures: figures)
    }

    @Test(.slow) func sensitivityReport() async throws {
        let out = cli.tempDir()
        let r = try await cli.drsim([
            "sensitivity", "models/tuned-active-passive.json", "--replications", "20", "--set", "clients.resolvers=50",
            "--statistic", "rto_s:p50", "--statistic", "lost_writes:mean", "--out", out.path, "--report",
        ])
        #expect(r.status == 0, "\(r.stderr)")
        try await checkPage(out, figures: ["tornado-rto_s-p50", "tornado-lost_writes-mean"])
        let (tree, summary, _) = try page(out)
        let numbers = Self.tableNumbers(r.stdout, first: "rank", end: "(≥")
        #expect(numbers.count > 30)
        for n in numbers where !n.hasPrefix("█") {
            #expect(summary.contains(n), "\(n) from the terminal's tables is not in the report")
        }
        // The tornado's rows are sensitivity.csv's assumptions in its order (by swing).
        let csv = try CSVTable(contentsOf: out.appendingPathComponent("sensitivity.csv"))
        let names = (0..<csv.rowCount).filter { csv.cell(row: $0, column: 0) == "rto_s:p50" }.map {
            csv.cell(row: $0, column: 2)
        }
        #expect(Array(tree.all("text", role: "y-category").map(\.text).prefix(names.count)) == names)
    }

    struct BadCase: CustomTestStringConvertible, Sendable {
        var name: String
        var args: @Sendable (URL) -> [String]
        var status: Int32
        var says: String
        var testDescription: String { name }
    }

    static let badCases = [
        BadCase(
            name: "unknown statistic", args: { ["report", $0.path, "--chart", "rto_s:p95"] }, status: 64,
            says: "no statistic \"p95\""),
        BadCase(
            name: "unknown metric", args: { ["report", $0.path, "--chart", "rto:p50"] }, status: 64,
            says: "sweep.csv has no metric \"rto\""),
        BadCase(
            name: "a setting not varied", args: { ["report", $0.path, "--over", "dns.ttl"] }, status: 64,
            says: "not a setting this sweep varied"),
        BadCase(
            name: "--target on a sweep", args: { ["report", $0.path, "--target", "rto_s:p99<=900"] }, status: 64,
            says: "a sweep's folder"),
        BadCase(
            name: "--chart on a run",
            args: { ["report", $0.appendingPathComponent("point-1").path, "--chart", "rto_s:p50"] }, status: 64,
            says: "is a run's folder"),
        BadCase(
            name: "--chart without --report", args: { _ in ["sweep"] + quick + grid + ["--chart", "rto_s:p50"] },
            status: 64, says: "add --report"),
        BadCase(
            name: "a bad --chart before a sweep runs",
            args: { ["sweep"] + quick + grid + ["--report", "--chart", "rto_s:max", "--out", $0.path + "-x"] },
            status: 64, says: "no statistic \"max\""),
        BadCase(
            name: "a sweep without sweep.json",
            args: { dir in
                try? FileManager.default.removeItem(at: dir.appendingPathComponent("sweep.json"))
                return ["report", dir.path]
            }, status: 65, says: "is a sweep's folder without sweep.json: run `drsim sweep CONFIG.json --vary … --out"),
    ]

    @Test(.slow, arguments: badCases) func badInputIsRefusedWithAReasonAndNoPage(_ k: BadCase) async throws {
        let out = cli.tempDir()
        #expect(
            try await cli.drsim(
                ["sweep", "models/tuned-active-passive.json", "--replications", "5", "--set", "clients.resolvers=50"]
                    + Self.grid
                    + ["--out", out.path, "--quiet"]
            ).status == 0)
        let r = try await cli.drsim(k.args(out))
        #expect(r.status == k.status, "\(r.stderr)")
        #expect(r.stderr.contains(k.says), "\(r.stderr)")
        #expect(r.stderr.split(separator: "\n").count <= 4, "a reason, not a crash: \(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out.appendingPathComponent("report.html").path))
        #expect(!FileManager.default.fileExists(atPath: out.path + "-x"), "nothing runs after a bad --chart")
    }

    /// breakdown.csv's stages are named alike by the model and by the renderer that reads the file.
    @Test func theRendererNamesTheStagesAsTheModelDoes() {
        #expect(RTOStages.stages.map(\.column) == RTOBreakdown.Stage.allCases.map(\.column))
        #expect(RTOStages.stages.map(\.label) == RTOBreakdown.Stage.allCases.map(\.label))
        #expect(
            ResultFiles.breakdownColumns == ["replication", "rto_s", "rto_censored", "decided_by"]
                + RTOStages.stages.map(\.column))
    }
}
