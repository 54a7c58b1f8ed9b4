import DRSimTestSupport
import Foundation
import Testing

/// Progress on stderr: plain lines when stderr is not a terminal (as here: a file), nothing with
/// --quiet, never on stdout, and the same result bytes either way.
@Suite(.serialized) struct ProgressTests {
    func drsim(_ args: [String], interval: String? = "0.02") async throws -> Tools.Outcome {
        try await Tools.run(
            CLITests.binary.path, args, cwd: Tools.root,
            environment: interval.map { ["DRSIM_PROGRESS_INTERVAL_S": $0] } ?? [:])
    }

    func tempDir() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("drsim-progress-\(UUID().uuidString)")
    }

    /// Long enough for several lines at a 0.01 s interval even in an optimised build on a fast machine.
    static let run = [
        "run", "models/seed-active-passive.json", "--replications", "5000", "--set", "clients.resolvers=100",
    ]

    @Test(.slow) func plainLinesOnStderrWhenItIsNotATerminal() async throws {
        let shown = tempDir()
        let quiet = tempDir()
        let r = try await drsim(Self.run + ["--out", shown.path, "--threads", "2"], interval: "0.01")
        #expect(r.status == 0, "\(r.stderr)")
        let pattern = /^drsim: (\d+)\/5000 replications \((\d+)%\), \d+\/s, about (\d+ s|\d+ min|[\d.]+ h|\?) left$/
        let lines = r.stderr.split(separator: "\n").map(String.init)
        let progress = lines.compactMap { try? pattern.wholeMatch(in: $0) }
        #expect(progress.count >= 2, "stderr:\n\(r.stderr)")
        let done = progress.compactMap { Int($0.1) }
        #expect(done == done.sorted(), "progress never goes back")
        #expect(
            !r.stderr.contains("\u{1B}") && !r.stderr.contains("\r"),
            "no terminal control codes when stderr is not a terminal")
        #expect(
            !r.stdout.split(separator: "\n").contains { (try? pattern.wholeMatch(in: String($0))) != nil },
            "never on stdout")
        #expect(r.stdout.hasPrefix("seed-active-passive: 5000 replications"))
        // Showing progress does not change a byte of the results (here against one thread and --quiet).
        #expect(try await drsim(Self.run + ["--out", quiet.path, "--threads", "1", "--quiet"]).status == 0)
        for f in ["summary.csv", "replications.csv", "timeline.csv", "run.json"] {
            #expect(
                try Data(contentsOf: shown.appendingPathComponent(f))
                    == Data(contentsOf: quiet.appendingPathComponent(f)), "\(f)")
        }
    }

    /// Sweeps, comparisons and sensitivity studies count every run's replications: the total is the
    /// points (sides, runs) times the replications, and the last line comes near it.
    @Test(
        .slow,
        arguments: [
            (["sweep", "--vary", "dns.ttl_s=30,60,300"], 3), (["compare", "--vs-set", "dns.ttl_s=60"], 2),
            (["sensitivity"], 0),
        ])
    func studiesShowTheirWholeCount(_ command: [String], _ runs: Int) async throws {
        let reps = 1000
        let r = try await drsim(
            [
                command[0], "models/seed-active-passive.json", "--replications", "\(reps)", "--set",
                "clients.resolvers=100",
            ]
                + command.dropFirst() + ["--out", tempDir().path], interval: "0.01")
        #expect(r.status == 0, "\(r.stderr)")
        let pattern = /^drsim: (\d+)\/(\d+) replications \(\d+%\), \d+\/s, about .* left$/
        let progress = r.stderr.split(separator: "\n").compactMap { try? pattern.wholeMatch(in: String($0)) }
        let total = try #require(progress.last.flatMap { Int($0.2) }, "stderr:\n\(r.stderr)")
        if runs > 0 {
            #expect(total == runs * reps)
        } else {
            // The sensitivity study's own count of runs, from its closing line.
            let closing = try #require(r.stderr.firstMatch(of: /drsim: (\d+) runs of \d+ replications/), "\(r.stderr)")
            #expect(total == Int(closing.1)! * reps)
        }
    }

    @Test(.slow) func quietMeansQuiet() async throws {
        let r = try await drsim(Self.run + ["--out", tempDir().path, "--quiet", "--report"])
        #expect(r.status == 0)
        #expect(r.stdout.isEmpty, "stdout: \(r.stdout)")
        #expect(r.stderr.isEmpty, "stderr: \(r.stderr)")
    }

    @Test func noProgressLineForAShortRunAtTheDefaultInterval() async throws {
        let r = try await drsim(
            [
                "run", "models/tuned-active-passive.json", "--replications", "20", "--set", "clients.resolvers=50",
                "--out", tempDir().path,
            ], interval: nil)
        #expect(r.status == 0)
        #expect(!r.stderr.contains("replications ("), "\(r.stderr)")
    }
}
