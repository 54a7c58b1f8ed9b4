import DRSim
import DRSimResults
import DRSimTestSupport
import Foundation
import Testing

/// `drsim advise` run as a user would: the answer, its files, its exit statuses and its refusals.
@Suite(.serialized) struct AdviseCLITests {
    let cli = CLITests()
    /// The seed model's TTL × failure threshold grid, at 100 replications and a small resolver population.
    static let grid = [
        "models/seed-active-passive.json", "--replications", "100", "--set", "clients.resolvers=100",
        "--vary", "dns.ttl_s=0,20,60", "--vary", "health_checks[0].failure_threshold=1,3",
    ]
    /// With checks every 30 s, threshold 3 detects no sooner than 60 s (two more probes after the first
    /// failed one), threshold 1 within one interval and a timeout: the threshold-1 points fail this.
    static let detection = ["--target", "detection_s:p50 >= 60", "--minimize", "failed_requests"]

    /// The answer is the cheapest all-met point (TTL 0, threshold 3; failed requests grow with the TTL
    /// and the threshold), every cheaper point is marked and names its failed target, and the files are
    /// advise.csv and advise.json (the latter what --json prints) beside the sweep of the grid.
    @Test(.slow) func theAnswerIsAllMetAndEveryCheaperPointNamesAFailedTarget() async throws {
        let out = cli.tempDir()
        let r = try await cli.drsim(["advise"] + Self.grid + Self.detection + ["--out", out.path])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(
            r.stdout.contains(
                "advise: the lowest failed_requests:mean with every target met: point 2 (dns.ttl_s=0, "
                    + "health_checks[0].failure_threshold=3)"), "\(r.stdout)")
        #expect(r.stdout.contains("runner-up: point 4 (dns.ttl_s=20, health_checks[0].failure_threshold=3)"))
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: out.path).sorted()
                == ["advise.csv", "advise.json"] + (1...6).map { "point-\($0)" } + ["sweep.csv", "sweep.json"])
        let rows = try String(contentsOf: out.appendingPathComponent("advise.csv"), encoding: .utf8)
            .components(separatedBy: "\r\n").filter { !$0.isEmpty }.map {
                $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            }
        #expect(
            rows[0] == [
                "point", "dns.ttl_s", "health_checks[0].failure_threshold", "objective", "objective_ci_low",
                "objective_ci_high", "target1_estimate", "target1_ci_low", "target1_ci_high", "target1_verdict",
                "verdict", "replications", "advice",
            ])
        let advice = rows.dropFirst().map { ($0[0], $0[9], $0[12]) }
        #expect(advice.filter { $0.2 == "chosen" }.map(\.0) == ["2"])
        #expect(advice.filter { $0.2 == "cheaper" }.map(\.0) == ["1", "3", "5"])
        for row in advice where row.2 == "cheaper" { #expect(row.1 == "failed") }
        for k in [1, 3, 5] {
            #expect(
                r.stdout.contains("  point \(k) (") && r.stdout.contains("    FAILED     detection_s:p50 >= 60"))
        }
        let json = try await cli.drsim(
            ["advise"] + Self.grid + Self.detection + ["--json", "--out", cli.tempDir().path])
        #expect(json.stdout == (try String(contentsOf: out.appendingPathComponent("advise.json"), encoding: .utf8)))
        let doc = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as! [String: Any]
        #expect(doc["chosen"] as? Int == 2 && doc["runner_up"] as? Int == 4 && doc["outcome"] as? String == "passed")
    }

    @Test(.slow) func sameBytesWithOneOrTwoThreads() async throws {
        // A bound that leaves some points undecided at 40 replications, so that the search grows them.
        let args = Self.grid + Self.detection + ["--target", "recovered_90_s:mean <= 167", "--replications", "40"]
        var outputs: [String] = []
        var files: [Data] = []
        for threads in ["1", "2"] {
            let out = cli.tempDir()
            let r = try await cli.drsim(["advise"] + args + ["--threads", threads, "--out", out.path])
            #expect([0, 1, 3].contains(r.status), "\(r.stderr)")
            outputs.append(r.stdout)
            for f in ["advise.csv", "advise.json"] { files.append(try Data(contentsOf: out.appendingPathComponent(f))) }
        }
        #expect(outputs[0] == outputs[1])
        #expect(files[0] == files[2] && files[1] == files[3])
    }

    /// `--out` with `--report` on a bound inside point 2's interval at 40 replications, so that the search
    /// grows point 2 alone: the folder holds the grid's sweep, sweep.json's chosen point is advise.json's
    /// answer, each point's numbers in sweep.csv are those of the replications it ended with, the front's
    /// scatters ring the answer, every byte is the same on one thread or two, and `drsim report` on the
    /// folder writes the same report.
    @Test(.slow) func theReportDrawsTheFrontWithTheAnswerRinged() async throws {
        let args =
            Self.grid + Self.detection + [
                "--target", "recovered_90_s:mean <= 168", "--replications", "40", "--report", "--quiet",
            ]
        let files = ["advise.csv", "advise.json", "sweep.csv", "sweep.json", "point-2/summary.csv", "report.html"]
        var written: [[Data]] = []
        var out = cli.tempDir()
        for threads in ["1", "2"] {
            out = cli.tempDir()
            let r = try await cli.drsim(["advise"] + args + ["--threads", threads, "--out", out.path])
            #expect(r.status == 0, "\(r.stderr)")
            written.append(try files.map { try Data(contentsOf: out.appendingPathComponent($0)) })
        }
        #expect(written[0] == written[1])
        func object(_ file: String) throws -> [String: Any] {
            try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent(file))) as! [String: Any]
        }
        let (sweep, advice) = (try object("sweep.json"), try object("advise.json"))
        #expect(advice["chosen"] as? Int == 2 && sweep["chosen"] as? Int == 2)
        #expect(
            sweep["objectives"] as? [String] == ["failed_requests:mean", "max:detection_s:p50", "recovered_90_s:mean"])
        let counts = (sweep["points"] as! [[String: Any]]).map { $0["replications"] as! Int }
        #expect(counts == (advice["points"] as! [[String: Any]]).map { $0["replications"] as! Int })
        #expect(counts[1] > 40 && counts.enumerated().allSatisfy { $0.offset == 1 || $0.element == 40 }, "\(counts)")
        // advise.csv's objective (failed_requests' mean) is sweep.csv's, point by point.
        func column(_ file: String, _ name: String) throws -> [String] {
            let rows = try String(contentsOf: out.appendingPathComponent(file), encoding: .utf8)
                .components(separatedBy: "\r\n").filter { !$0.isEmpty }.map { $0.components(separatedBy: ",") }
            let j = try #require(rows[0].firstIndex(of: name))
            return rows.dropFirst().map { $0[j] }
        }
        #expect(try column("advise.csv", "objective") == column("sweep.csv", "failed_requests_mean"))
        let html = try String(contentsOf: out.appendingPathComponent("report.html"), encoding: .utf8)
        #expect(html.contains("id=\"advice-table\""))
        let scatters = html.components(separatedBy: "<svg").dropFirst().map { $0.components(separatedBy: "</svg>")[0] }
            .filter { $0.contains(": the Pareto front</title>") }
        #expect(scatters.count == 2, "failed_requests against each of the other two objectives")
        for svg in scatters {
            // The ring is centred on point 2's marker, whose number sits 6 to the right and 6 above it.
            let ring = try #require(Self.numbers(#"<circle cx="([0-9.]+)" cy="([0-9.]+)" r="9" fill="none""#, svg))
            let label = try #require(Self.numbers(#"<text x="([0-9.]+)" y="([0-9.]+)"[^>]*"point-label">2<"#, svg))
            #expect(abs(label[0] - ring[0] - 6) < 0.02 && abs(ring[1] - label[1] - 6) < 0.02, "\(ring) \(label)")
            #expect(svg.components(separatedBy: "data-role=\"chosen\"").count == 2, "one point ringed")
        }
        let redrawn = try await cli.drsim(["report", out.path])
        #expect(redrawn.status == 0, "\(redrawn.stderr)")
        #expect(try Data(contentsOf: out.appendingPathComponent("report.html")) == written[1][5])
    }

    /// The numbers a pattern's groups capture at its only match; nil unless it matches once.
    static func numbers(_ pattern: String, _ text: String) -> [Double]? {
        let re = try! NSRegularExpression(pattern: pattern)
        let matches = re.matches(in: text, range: NSRange(text.startIndex..., in: text))
        guard matches.count == 1 else { return nil }
        return (1..<matches[0].numberOfRanges).compactMap { i in
            Range(matches[0].range(at: i), in: text).flatMap { Double(text[$0]) }
        }
    }

    /// Exit 1 when every point fails a target; 3 when none meets every target and some are undecided at
    /// the most replications: a p99 needs 368 replications for its interval to have an upper end, so
    /// at 40 (the cap) it is undecided.
    @Test(.slow) func exitStatusesAreCheck() async throws {
        let out = cli.tempDir()
        let failed = try await cli.drsim(
            ["advise"] + Self.grid + [
                "--target", "detection_s:p50 <= 1", "--minimize", "failed_requests", "--out", out.path,
            ])
        #expect(failed.status == 1 && failed.stdout.contains("advise: FAILED: every point fails a target"))
        // No answer: the sweep of the grid is written all the same, with no point chosen.
        let sweep =
            try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("sweep.json")))
            as! [String: Any]
        #expect(sweep["chosen"] is NSNull)
        let undecided = try await cli.drsim(
            ["advise"] + Self.grid + [
                "--target", "detection_s:p99 <= 3000", "--minimize", "failed_requests", "--replications", "40",
                "--max-replications", "40", "--out", cli.tempDir().path,
            ])
        #expect(undecided.status == 3, "\(undecided.stderr)")
        #expect(undecided.stdout.contains("advise: UNDECIDED"))
        #expect(undecided.stdout.contains("still undecided at the most replications (--max-replications 40)"))
    }

    struct Refusal: CustomTestStringConvertible, Sendable {
        var args: [String]
        var message: String
        var testDescription: String { message }
    }

    @Test(arguments: [
        Refusal(args: ["--minimize", "failed_requests"], message: "advise has no target to meet"),
        Refusal(
            args: ["--target", "nope:p50 <= 1", "--minimize", "failed_requests"],
            message: "--target \"nope:p50 <= 1\": no metric \"nope\""),
        Refusal(
            args: ["--target", "detection_s:p50 >= 60", "--minimize", "nope"],
            message: "--minimize nope: no metric \"nope\""),
        Refusal(
            args: ["--target", "detection_s:p50 >= 60", "--minimize", "false_failovers_per_year"],
            message: "--minimize false_failovers_per_year: false_failovers_per_year has no values in point 1"),
        Refusal(
            args: ["--target", "false_failovers_per_year:mean <= 0.5", "--minimize", "failed_requests"],
            message:
                "--target false_failovers_per_year:mean <= 0.5: false_failovers_per_year has no values in point 1"),
        Refusal(
            args: ["--target", "detection_s:p50 >= 60", "--minimize", "failed_requests", "--vary", "dns.ttl_s"],
            message: "--vary dns.ttl_s: expected PATH=V1,V2,…"),
        Refusal(
            args: ["--target", "detection_s:p50 >= 60", "--minimize", "failed_requests", "--max-replications", "50"],
            message: "--max-replications 50 is below the 100 replications to start from"),
    ])
    func badInputsAreRefusedAndWriteNothing(_ c: Refusal) async throws {
        let out = cli.tempDir()
        let base = Array(Self.grid.prefix(5)) + (c.args.contains("--vary") ? [] : Array(Self.grid.suffix(4)))
        let r = try await cli.drsim(["advise"] + base + c.args + ["--out", out.path])
        #expect(r.status == 64, "\(r.stderr)")
        #expect(r.stderr.contains(c.message), "\(r.stderr)")
        #expect(r.stdout.isEmpty && !FileManager.default.fileExists(atPath: out.path))
    }

    /// `--year` gives every point a year section, so that the metrics of a year are no longer refused;
    /// the base config's hash in advise.json is that of the config with the year.
    @Test func yearTurnsOnTheYearAtEveryPoint() async throws {
        let out = cli.tempDir()
        let r = try await cli.drsim(
            ["advise"] + Self.grid + [
                "--year", "--target", "false_failovers_per_year:mean <= 0.5", "--minimize", "failed_requests",
                "--replications", "5", "--max-replications", "5", "--out", out.path, "--quiet",
            ])
        #expect(r.status != 64 && !r.stderr.contains("has no values"), "\(r.stderr)")
        let doc =
            try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("advise.json")))
            as! [String: Any]
        let data = try Data(contentsOf: CLITests.root.appendingPathComponent("models/seed-active-passive.json"))
        let sets = try ["replications=5", "clients.resolvers=100", "year={}"].map { s throws(ConfigIssue) in
            try Override(parsing: s)
        }
        let withYear = try Config.load(data: data, overrides: sets, defaultName: "seed-active-passive").config
        #expect(doc["config_hash"] as? String == ResultFiles.configHash(withYear.resolved))
    }

    @Test(.slow) func aFolderHoldingResultsIsKeptWithoutForce() async throws {
        let out = cli.tempDir()
        let args = ["advise"] + Self.grid + Self.detection + ["--replications", "10", "--out", out.path, "--quiet"]
        #expect(try await cli.drsim(args).status == 0)
        let again = try await cli.drsim(args)
        #expect(again.status == 1 && again.stderr.contains("holds earlier results (advise.json); add --force"))
        #expect(try await cli.drsim(args + ["--force"]).status == 0)
    }
}
