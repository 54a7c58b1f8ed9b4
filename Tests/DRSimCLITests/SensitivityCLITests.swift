import DRSimStudy
import DRSimTestSupport
import Foundation
import Testing

/// `drsim sensitivity` from the command line, and its ranges as the docs list them.
@Suite(.serialized) struct SensitivityCLITests {
    let cli = CLITests()

    @Test(.slow) func sensitivityWritesItsTableAndCSV() async throws {
        let out = cli.tempDir()
        let r = try await cli.drsim([
            "sensitivity", "models/tuned-active-passive.json", "--replications", "20", "--set", "clients.resolvers=50",
            "--statistic", "recovered_90_s:p50", "--out", out.path,
        ])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("recovered_90_s:p50 (base ") && r.stdout.contains("rank  assumption"), "\(r.stdout)")
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: out.path).sorted() == ["run.json", "sensitivity.csv"])
        let csv = try String(contentsOf: out.appendingPathComponent("sensitivity.csv"), encoding: .utf8)
        #expect(csv.hasPrefix(Sensitivity.csvColumns.joined(separator: ",") + "\r\n"))
        let json = try await cli.drsim([
            "sensitivity", "models/tuned-active-passive.json", "--replications", "20", "--set", "clients.resolvers=50",
            "--out", cli.tempDir().path, "--json", "--quiet",
        ])
        let doc = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect((doc["statistics"] as? [[String: Any]])?.map { $0["statistic"] as? String } == Measure.defaults)
        let bad = try await cli.drsim(["sensitivity", "models/tuned-active-passive.json", "--statistic", "rto_s:max"])
        #expect(
            bad.status == 64 && bad.stderr.contains("--statistic rto_s:max: max has no confidence interval"),
            "\(bad.stderr)")
        let twice = try await cli.drsim([
            "sensitivity", "models/tuned-active-passive.json", "--statistic", "rto_s:p50", "--statistic", "rto_s:p50",
        ])
        #expect(twice.status == 64 && twice.stderr.contains("--statistic rto_s:p50 is given twice"), "\(twice.stderr)")
    }

    /// docs/config.md lists every assumption with its path and range, as the code has them.
    @Test func theDocsListEveryRange() async throws {
        let docs = try String(contentsOf: Tools.root.appendingPathComponent("docs/config.md"), encoding: .utf8)
        for a in Assumption.all {
            #expect(docs.contains("| \(a.name) | `\(a.path)` | \(a.rangeText) |"), "\(a.name)")
        }
    }
}
