import DRSim
import DRSimTestSupport
import Foundation
import Testing

/// `drsim run --replication N --trace FILE` and `drsim explain` from the command line.
@Suite(.serialized) struct ExplainCLITests {
    let cli = CLITests()

    @Test(.slow) func aReplayPrintsTheRunsRowAndWritesItsTrace() async throws {
        let out = cli.tempDir()
        #expect(
            try await cli.drsim(["run"] + CLITests.quick + ["--out", out.path, "--quiet", "--threads", "2"]).status == 0
        )
        let rows = try String(contentsOf: out.appendingPathComponent("replications.csv"), encoding: .utf8).components(
            separatedBy: "\r\n")
        for n in [1, 23, 40] {
            let trace = cli.tempDir().appendingPathComponent("incident.jsonl")
            let r = try await cli.drsim(
                ["run"] + CLITests.quick + ["--replication", "\(n)", "--trace", trace.path, "--threads", "1"])
            #expect(r.status == 0, "\(r.stderr)")
            #expect(r.stdout == rows[0] + "\r\n" + rows[n] + "\r\n", "replication \(n)")
            let lines = try String(contentsOf: trace, encoding: .utf8).split(separator: "\n")
            #expect(
                !lines.isEmpty
                    && lines.allSatisfy { (try? JSONSerialization.jsonObject(with: Data($0.utf8))) is [String: Any] })
        }
        for (args, message) in [
            (["--replication", "41"], "the run has 40 replications"),
            (["--trace", "x.jsonl"], "--trace needs --replication N"),
            (["--replication", "0"], "--replication counts from 1"),
            (["--replication", "2", "--out", "x"], "it takes no --out or --force"),
        ] {
            let r = try await cli.drsim(["run"] + CLITests.quick + args)
            #expect(r.status == 64 && r.stderr.contains(message), "\(args): \(r.stderr)")
        }
    }

    /// In a flap, a second status change can come before the answer that follows the first: the delay
    /// is counted from the change the answer follows, and says so.
    @Test func anAnswerFollowsItsOwnStatusChange() async throws {
        let r = try await cli.drsim([
            "explain", "models/seed-active-passive.json", "--set",
            #"faults[0]={"kind":"partial","region":"us-east-1","share":0.5}"#,
            "--set", "dns.ttl_s=10", "--replications", "600", "--replication", "221",
        ])
        #expect(r.status == 0, "\(r.stderr)")
        let lines = r.stdout.split(separator: "\n").map(String.init)
        let status = lines.filter { $0.contains("health checks changed status") }
        let answers = lines.filter { $0.contains("the DNS answer became") }
        #expect(status.count >= 2 && answers.count >= 2, "\(r.stdout)")
        #expect(answers.contains { $0.contains("after the status change at") }, "\(r.stdout)")
    }

    @Test(.slow) func explainTellsTheWorstIncident() async throws {
        let r = try await cli.drsim(["explain"] + CLITests.quick + ["--worst", "recovered_90_s"])
        #expect(r.status == 0, "\(r.stderr)")
        let n = try #require(
            r.stderr.split(separator: " ").last.flatMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) })
        #expect(r.stderr.contains("the worst recovered_90_s of 40 replications is incident \(n)"))
        #expect(
            r.stdout.hasPrefix("Incident \(n) of tuned-active-passive")
                && r.stdout.contains("Requests succeeded again"), "\(r.stdout)")
        let bad = try await cli.drsim(["explain"] + CLITests.quick)
        #expect(
            bad.status == 64 && bad.stderr.contains("give one of --replication N, --worst METRIC or --median METRIC"))
    }
}
