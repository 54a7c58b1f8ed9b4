import DRSim
import Foundation
import Testing

/// Runs the built `drsim` binary and checks stdout, stderr and the exit status.
@Suite(.serialized) struct CLITests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let binary = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
        .appendingPathComponent("drsim")

    struct Outcome { var status: Int32; var stdout: String; var stderr: String }

    func drsim(_ args: [String]) throws -> Outcome {
        let p = Process()
        p.executableURL = Self.binary
        p.arguments = args
        p.currentDirectoryURL = Self.root
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile(), e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return Outcome(status: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self), stderr: String(decoding: e, as: UTF8.self))
    }

    func tempDir() -> URL {
        let d = FileManager.default.temporaryDirectory.appendingPathComponent("drsim-cli-\(UUID().uuidString)")
        return d
    }

    /// A quick run of a bundled model: few replications and a small resolver population.
    static let quick = ["models/tuned-active-passive.json", "--replications", "40", "--set", "clients.resolvers=100"]

    @Test func runWritesTheFourResultFilesAndPrintsTheTable() throws {
        let out = tempDir()
        let r = try drsim(["run"] + Self.quick + ["--out", out.path])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("rto_s") && r.stdout.contains("detection_s") && r.stdout.contains("mean [95% CI]"))
        let files = try FileManager.default.contentsOfDirectory(atPath: out.path).sorted()
        #expect(files == ["replications.csv", "run.json", "summary.csv", "timeline.csv"])
        let summary = try String(contentsOf: out.appendingPathComponent("summary.csv"), encoding: .utf8)
        #expect(summary.hasPrefix(ResultFiles.summaryColumns.joined(separator: ",") + "\r\n"))
        let reps = try String(contentsOf: out.appendingPathComponent("replications.csv"), encoding: .utf8)
        #expect(reps.hasPrefix("replication,detection_s,rto_s,recovered_50_s,recovered_90_s,recovered_99_s,failed_requests,write_rto_s,rpo_s,lost_writes,delayed_writes,conflict_overwrites,false_failovers,rto_censored\r\n"))
        #expect(reps.split(separator: "\r\n").count == 41)
        let timeline = try String(contentsOf: out.appendingPathComponent("timeline.csv"), encoding: .utf8)
        #expect(timeline.hasPrefix("t_s,success_mean,success_p05,success_p50,success_p95\r\n0,0,0,0,0\r\n"))
        #expect(timeline.split(separator: "\r\n").count == 3602)
        let run = try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("run.json"))) as! [String: Any]
        #expect(run["replications"] as? Int == 40)
        #expect((run["config"] as! [String: Any])["clients"] != nil)
        #expect((run["config_hash"] as? String)?.hasPrefix("fnv1a64:") == true)
    }

    @Test func sameBytesWithOneOrTwoThreads() throws {
        let a = tempDir(), b = tempDir()
        #expect(try drsim(["run"] + Self.quick + ["--threads", "1", "--out", a.path, "--quiet"]).status == 0)
        #expect(try drsim(["run"] + Self.quick + ["--threads", "2", "--out", b.path, "--quiet"]).status == 0)
        for f in ["summary.csv", "replications.csv", "timeline.csv", "run.json"] {
            #expect(try Data(contentsOf: a.appendingPathComponent(f)) == Data(contentsOf: b.appendingPathComponent(f)), "\(f)")
        }
    }

    @Test func jsonSummaryOnStdout() throws {
        let r = try drsim(["run"] + Self.quick + ["--out", tempDir().path, "--json", "--quiet"])
        #expect(r.status == 0)
        #expect(r.stderr.isEmpty)
        let doc = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any]
        let metrics = doc["metrics"] as! [[String: Any]]
        #expect(metrics.map { $0["metric"] as! String } == Metric.allCases.map(\.rawValue))
    }

    struct BadFile: CustomTestStringConvertible, Sendable {
        var file: String
        var message: String
        var testDescription: String { file }
    }

    static let badFiles = [
        BadFile(file: "wrong-type.json", message: "error: horizon_s: found \"an hour\", expected a number"),
        BadFile(file: "unknown-key.json", message: "error: dns.tll_s: unknown key (did you mean \"ttl_s\"?)"),
        BadFile(file: "threshold-out-of-range.json",
                message: "error: health_checks[0].failure_threshold: found 0, allowed: a whole number from 1 to 10"),
        BadFile(file: "missing-region.json",
                message: "error: dns.records[1].target: found \"eu-west-2\", which names no region (did you mean \"eu-west-1\"?)"),
        BadFile(file: "malformed.json", message: "error: malformed JSON:"),
    ]

    @Test(arguments: badFiles)
    func badConfigsExit65WithTheProblemOnStderr(_ b: BadFile) throws {
        let path = "Tests/DRSimCLITests/BadConfigs/\(b.file)"
        for command in ["run", "validate"] {
            let out = tempDir()
            let r = try drsim([command, path, "--out", out.path].filter { command == "run" || ($0 != "--out" && $0 != out.path) })
            #expect(r.status == 65)
            #expect(r.stderr.contains(b.message), "\(r.stderr)")
            #expect(r.stdout.isEmpty)
            #expect(!FileManager.default.fileExists(atPath: out.path))
        }
    }

    @Test func badCommandLinesExit64() throws {
        for args in [["run"], ["run", "models/tuned-active-passive.json", "--threads", "0"], ["frobnicate"],
                     ["run", "models/tuned-active-passive.json", "--set", "no-equals"], ["run", "models/tuned-active-passive.json", "--bogus"]] {
            let r = try drsim(args)
            #expect(r.status == 64, "\(args): \(r.stderr)")
            #expect(!r.stderr.isEmpty)
        }
    }

    @Test func validateWarnsAndWritesNothing() throws {
        // A name of its own, so that no other test's run can write where this one looks.
        let name = "validate-probe-\(UUID().uuidString)"
        let r = try drsim(["validate", "models/seed-active-passive.json", "--set", "name=\"\(name)\""])
        #expect(r.status == 0)
        #expect(r.stderr.contains("warning: dns.ttl_s: TTL 300 s: AWS recommends 60 s or less"))
        #expect(r.stdout.contains("valid"))
        #expect(!FileManager.default.fileExists(atPath: Self.root.appendingPathComponent("results/\(name)").path))
    }

    /// A run that fails leaves an earlier result as it was, with no partial or temporary file.
    @Test func aFailedRunDoesNotDamageEarlierResults() throws {
        let out = tempDir()
        #expect(try drsim(["run"] + Self.quick + ["--out", out.path, "--quiet"]).status == 0)
        let before = try Data(contentsOf: out.appendingPathComponent("summary.csv"))
        let bad = try drsim(["run", "Tests/DRSimCLITests/BadConfigs/unknown-key.json", "--out", out.path])
        #expect(bad.status == 65)
        #expect(try Data(contentsOf: out.appendingPathComponent("summary.csv")) == before)
        // An output folder that cannot be created: exit 1 with a one-line reason.
        let blocked = out.appendingPathComponent("summary.csv").appendingPathComponent("sub")
        let r = try drsim(["run"] + Self.quick + ["--out", blocked.path, "--quiet"])
        #expect(r.status == 1)
        #expect(r.stderr.split(separator: "\n").count == 1, "\(r.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: out.path).allSatisfy { !$0.hasPrefix(".") })
    }

    /// A smoke run of every benchmark (figures from a debug build mean nothing; it must only work).
    @Test func benchStillWorks() throws {
        let r = try drsim(["bench", "--quick", "--memory-replications", "1000"])
        #expect(r.status == 0, "\(r.stderr)")
        for part in ["kernel hold model", "replications per second", "parallel efficiency", "output bytes identical",
                     "peak memory", "sweep, seed-active-passive", "point files identical to the separate runs'", "SimPy twin", "the distributions agree", "hold model, drsim kernel vs SimPy"] {
            #expect(r.stdout.contains(part), "missing: \(part)")
        }
    }

    @Test func missingConfigFileIsABadConfig() throws {
        let r = try drsim(["validate", "models/no-such-model.json"])
        #expect(r.status == 65)
        #expect(r.stderr.contains("cannot read config file models/no-such-model.json"))
    }
}
