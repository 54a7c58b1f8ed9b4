import DRSim
import DRSimResults
import DRSimStudy
import DRSimTestSupport
import Foundation
import Testing

/// `drsim compare` run as a user would: files, bytes, exit statuses.
@Suite(.serialized) struct CompareCLITests {
    let cli = CLITests()

    @Test(.slow) func compareWritesBothSidesAndCompareCSV() async throws {
        let out = cli.tempDir()
        let r = try await cli.drsim(["compare"] + CLITests.quick + ["--vs-set", "dns.ttl_s=10", "--out", out.path])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(!r.stderr.contains("error") && !r.stderr.contains("warning"), "\(r.stderr)")
        #expect(r.stdout.contains("B − A mean [95% CI]") && r.stdout.contains("B: models/tuned-active-passive.json"))
        // Without a year, the verdict is on recovered_90_s p90 and the cost, with a line per objective left out.
        #expect(r.stdout.contains("\nOn recovered_90_s p90, cost_per_month mean: "), "\(r.stdout)")
        #expect(r.stdout.contains("objective false_failovers_per_year:mean left out: "))
        #expect(try FileManager.default.contentsOfDirectory(atPath: out.path).sorted() == ["a", "b", "compare.csv"])
        let csv = try String(contentsOf: out.appendingPathComponent("compare.csv"), encoding: .utf8)
        #expect(csv.hasPrefix(PairedComparison.csvColumns.joined(separator: ",") + "\r\n"))
        #expect(csv.split(separator: "\r\n").count == 1 + Metric.allCases.count)
        // Each side's files are those of a plain run of that side.
        for (side, extra) in [("a", [String]()), ("b", ["--set", "dns.ttl_s=10"])] {
            let run = cli.tempDir()
            #expect(try await cli.drsim(["run"] + CLITests.quick + extra + ["--out", run.path, "--quiet"]).status == 0)
            for f in ResultFiles.names {
                #expect(
                    try Data(contentsOf: out.appendingPathComponent("\(side)/\(f)"))
                        == Data(contentsOf: run.appendingPathComponent(f)), "\(side)/\(f)")
            }
        }
    }

    /// Two files with different seeds: B runs A's incidents, and says so.
    @Test func twoConfigsRunTheSameIncidents() async throws {
        let out = cli.tempDir()
        let r = try await cli.drsim([
            "compare", "models/tuned-active-passive.json", "models/tuned-active-passive.json", "--set",
            "clients.resolvers=100",
            "--vs-set", "seed=5", "--replications", "30", "--out", out.path,
        ])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("note: B runs A's seed 42 and 30 replications (its own: seed 5, 30)"))
        let csv = try String(contentsOf: out.appendingPathComponent("compare.csv"), encoding: .utf8)
        #expect(csv.contains("\r\ndetection_s,30,") && csv.contains(",0,30,0,0,1,0,"))  // all 30 equal
        let json =
            try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("b/run.json")))
            as! [String: Any]
        #expect(json["seed"] as? Int == 42)
    }

    @Test(.slow) func badCompareCommandLinesExit64() async throws {
        let m = "models/tuned-active-passive.json"
        for (args, message) in [
            ([m], "with one config, B is A changed by --vs-set"),
            ([m, m, m], "compare takes one or two configs, found 3"),
            ([m, "--vs-set", "ttl"], "--vs-set ttl: expected PATH=VALUE"),
        ] {
            let r = try await cli.drsim(["compare"] + args)
            #expect(r.status == 64, "\(args): \(r.stderr)")
            #expect(r.stderr.contains(message), "\(r.stderr)")
        }
        // A path the config does not have is a bad config, as with --set.
        let r = try await cli.drsim(["compare", m, "--vs-set", "dns.tll_s=10", "--out", cli.tempDir().path])
        #expect(r.status == 65)
        #expect(
            r.stderr.contains("B (models/tuned-active-passive.json) has 1 problem")
                && r.stderr.contains("dns.tll_s: unknown key"))
    }
}

extension CompareCLITests {
    /// One config on standard input serves both sides; different horizons are warned about.
    @Test(.slow) func stdinIsReadOnceAndDifferentHorizonsAreNamed() async throws {
        let config = try Data(contentsOf: CLITests.root.appendingPathComponent("models/tuned-active-passive.json"))
        let piped = try await Tools.run(
            CLITests.binary.path,
            [
                "compare", "-", "--vs-set", "dns.ttl_s=10", "--set", "clients.resolvers=100",
                "--replications", "20", "--out", cli.tempDir().path,
            ],
            cwd: CLITests.root, input: config)
        #expect(piped.status == 0, "\(piped.stderr)")
        let r = try await cli.drsim(
            ["compare"] + CLITests.quick + ["--vs-set", "horizon_s=1800", "--out", cli.tempDir().path])
        #expect(r.status == 0 && r.stderr.contains("warning: A's horizon_s is 3600 and B's 1800"), "\(r.stderr)")
        #expect(
            r.stdout.contains("not paired draw for draw: the two horizons differ")
                && !r.stdout.contains("the same incidents"), "\(r.stdout)")
    }
}

extension CompareCLITests {
    /// Two config files with different horizons (the new user's case) are warned about, and --quiet
    /// keeps stderr for errors only.
    @Test(.slow) func twoFilesWithDifferentHorizonsAreWarnedAboutUnlessQuiet() async throws {
        let dir = cli.tempDir()
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        var doc =
            try JSONSerialization.jsonObject(
                with: Data(contentsOf: CLITests.root.appendingPathComponent("models/tuned-active-passive.json")))
            as! [String: Any]
        doc["horizon_s"] = 1800
        let b = dir.appendingPathComponent("short.json")
        try JSONSerialization.data(withJSONObject: doc).write(to: b)
        let args = [
            "compare", "models/tuned-active-passive.json", b.path, "--replications", "20", "--set",
            "clients.resolvers=100",
        ]
        let r = try await cli.drsim(args + ["--out", dir.appendingPathComponent("loud").path])
        #expect(
            r.status == 0 && r.stderr.contains("warning: A's horizon_s is 3600 and B's 1800")
                && r.stderr.contains("not paired draw for draw")
                && r.stderr.contains("censored metrics are cut at different times"), "\(r.stderr)")
        let q = try await cli.drsim(args + ["--out", dir.appendingPathComponent("quiet").path, "--quiet"])
        #expect(q.status == 0 && q.stderr.isEmpty, "\(q.stderr)")
    }
}
