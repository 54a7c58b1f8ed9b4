import DRSim
import DRSimResults
import DRSimStudy
import DRSimTestSupport
import Foundation
import Testing

/// `drsim sweep` run as a user would.
@Suite(.serialized) struct SweepCLITests {
    let cli = CLITests()
    static let grid = ["--vary", "dns.ttl_s=10,60", "--vary", "health_checks[0].failure_threshold=2,3"]

    /// A warning that every point gives with its own value (a TTL above AWS's 60 s) is printed once,
    /// with a line counting the other points, not once per point.
    @Test(.slow) func aWarningAtEveryPointIsPrintedOnce() async throws {
        let r = try await cli.drsim(
            ["sweep"] + CLITests.quick + [
                "--vary", "dns.ttl_s=100,200,300", "--replications", "5", "--out", cli.tempDir().path,
            ])
        #expect(r.status == 0, "\(r.stderr)")
        let warnings = r.stderr.split(separator: "\n").filter { $0.hasPrefix("warning: dns.ttl_s") }
        #expect(
            warnings.count == 2 && warnings[0].contains("TTL 100 s")
                && warnings[1].contains("the same warning with 2 other values"),
            "\(r.stderr)")
    }

    @Test(.slow) func aSweepWritesOneFolderPerPointAndEachIsAPlainRun() async throws {
        let out = cli.tempDir()
        let r = try await cli.drsim(["sweep"] + CLITests.quick + Self.grid + ["--out", out.path])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(
            r.stdout.contains("4 points, 40 replications each")
                && r.stdout.contains("Pareto front over recovered_90_s p90, cost_per_month mean: point"), "\(r.stdout)")
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: out.path).sorted()
                == ["point-1", "point-2", "point-3", "point-4", "sweep.csv", "sweep.json"])
        let rows = try String(contentsOf: out.appendingPathComponent("sweep.csv"), encoding: .utf8).components(
            separatedBy: "\r\n")
        #expect(
            rows[0].hasPrefix(
                "point,dns.ttl_s,health_checks[0].failure_threshold,detection_s_mean,detection_s_mean_ci_low,"))
        #expect(rows[0].hasSuffix("_censored_share,pareto_front,dominated_by,dominated_clearly_by"))
        // Without a year, the front is over recovered_90_s p90 and the cost: a point is on it unless another is
        // no worse on both and better on one.
        let points = rows.dropFirst().prefix(4).map { row in
            let cells = row.split(separator: ",", omittingEmptySubsequences: false)
            let header = rows[0].split(separator: ",")
            return (
                Double(cells[header.firstIndex(of: "recovered_90_s_p90")!])!,
                Double(cells[header.firstIndex(of: "cost_per_month_mean")!])!,
                cells[header.firstIndex(of: "pareto_front")!]
            )
        }
        let dominated = points.map { p in
            points.contains { q in q.0 <= p.0 && q.1 <= p.1 && (q.0 < p.0 || q.1 < p.1) }
        }
        #expect(points.map(\.2) == dominated.map { $0 ? "0" : "1" })
        #expect(
            rows.dropFirst().prefix(4).map { $0.split(separator: ",").prefix(3).joined(separator: ",") } == [
                "1,10,2", "2,10,3", "3,60,2", "4,60,3",
            ])
        // Point 3's files are those of `drsim run` with that point's settings.
        let run = cli.tempDir()
        #expect(
            try await cli.drsim(
                ["run"] + CLITests.quick + [
                    "--set", "dns.ttl_s=60", "--set", "health_checks[0].failure_threshold=2",
                    "--out", run.path, "--quiet",
                ]
            ).status == 0)
        for f in ResultFiles.names {
            #expect(
                try Data(contentsOf: out.appendingPathComponent("point-3/\(f)"))
                    == Data(contentsOf: run.appendingPathComponent(f)), "\(f)")
        }
        // sweep.csv's statistics are those of the point's summary.csv.
        let summary = try String(contentsOf: run.appendingPathComponent("summary.csv"), encoding: .utf8).components(
            separatedBy: "\r\n")
        let detection = summary.first { $0.hasPrefix("detection_s,") }!.split(
            separator: ",", omittingEmptySubsequences: false)
        #expect(rows[3].split(separator: ",", omittingEmptySubsequences: false)[3...5] == detection[3...5])
        let json =
            try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("sweep.json")))
            as! [String: Any]
        #expect(
            (json["points"] as! [[String: Any]]).map { $0["folder"] as! String } == [
                "point-1", "point-2", "point-3", "point-4",
            ])
        #expect(((json["base"] as! [String: Any])["config"] as! [String: Any])["dns"] != nil)
        #expect(json["objectives"] as? [String] == ["recovered_90_s:p90", "cost_per_month:mean"])
        #expect((json["objectives_left_out"] as? [[String: Any]])?.count == 1)
        #expect(json["chosen"] is NSNull)
        #expect((json["points"] as! [[String: Any]]).allSatisfy { $0["pareto_front"] is Bool })
    }

    @Test(.slow) func sameBytesWithOneOrTwoThreads() async throws {
        let a = cli.tempDir()
        let b = cli.tempDir()
        #expect(
            try await cli.drsim(
                ["sweep"] + CLITests.quick + Self.grid + ["--threads", "1", "--out", a.path, "--quiet"]
            ).status == 0)
        #expect(
            try await cli.drsim(
                ["sweep"] + CLITests.quick + Self.grid + ["--threads", "2", "--out", b.path, "--quiet"]
            ).status == 0)
        for f in ["sweep.csv", "sweep.json"] + ResultFiles.names.map({ "point-4/\($0)" }) {
            #expect(
                try Data(contentsOf: a.appendingPathComponent(f)) == Data(contentsOf: b.appendingPathComponent(f)),
                "\(f)")
        }
    }

    /// A config's sweep section runs the same grid as --vary; run and validate read the config without it.
    @Test(.slow) func theSweepSectionOfAConfig() async throws {
        let dir = cli.tempDir()
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        var doc =
            try JSONSerialization.jsonObject(
                with: Data(contentsOf: CLITests.root.appendingPathComponent("models/tuned-active-passive.json")))
            as! [String: Any]
        doc["sweep"] = [
            "vary": [
                ["path": "dns.ttl_s", "values": [10, 60]],
                ["path": "health_checks[0].failure_threshold", "from": 2, "to": 3, "step": 1],
            ]
        ]
        let file = dir.appendingPathComponent("tuned-active-passive.json")
        try JSONSerialization.data(withJSONObject: doc).write(to: file)
        let fromSection = dir.appendingPathComponent("section")
        let fromVary = dir.appendingPathComponent("vary")
        let args = Array(CLITests.quick.dropFirst())
        #expect(try await cli.drsim(["sweep", file.path] + args + ["--out", fromSection.path, "--quiet"]).status == 0)
        #expect(
            try await cli.drsim(["sweep"] + CLITests.quick + Self.grid + ["--out", fromVary.path, "--quiet"]).status
                == 0)
        for f in ["sweep.csv", "point-2/summary.csv", "point-2/run.json"] {
            #expect(
                try Data(contentsOf: fromSection.appendingPathComponent(f))
                    == Data(contentsOf: fromVary.appendingPathComponent(f)), "\(f)")
        }
        let v = try await cli.drsim(["validate", file.path])
        #expect(v.status == 0 && v.stdout.contains("a sweep of 4 points"), "\(v.stdout) \(v.stderr)")
        let run = try await cli.drsim(["run", file.path] + args + ["--out", dir.appendingPathComponent("run").path])
        #expect(run.status == 0 && run.stderr.contains("has a sweep section; run runs the config without it"))
    }

    @Test(.slow) func badGridsAreRefusedBeforeAnythingRuns() async throws {
        let m = CLITests.quick
        for (args, status, message) in [
            (["--vary", "dns.ttl_s=0..3600:1"], Int32(64), "3601 values, more than the limit of 1000 points"),
            (["--vary", "seed=1,2"], 64, "seed cannot be varied: every point of a sweep runs the same seed"),
            (
                ["--vary", "dns.ttl_s=1,2", "--vary", "horizon_s=1..30:1", "--max-points", "50"], 64,
                "the grid has 60 points (dns.ttl_s: 2 × horizon_s: 30), more than the limit of 50"
            ),
            (["--vary", "dns.ttl_s="], 64, "the list of values is empty"),
            (["--vary", "dns.ttl_s=60,300,60"], 64, "--vary dns.ttl_s=60,300,60: 60 is in the list twice"),
            (["--vary", "dns.ttl_s=60,60"], 64, "--vary dns.ttl_s=60,60: 60 is in the list twice"),
            (
                ["--vary", "dns.ttl_s=60,300", "--max-points", "-1"], 64,
                "--max-points must be from 1 to 1000000, found -1"
            ),
            (
                ["--vary", "dns.ttl_s=60,300", "--max-points", "0"], 64,
                "--max-points must be from 1 to 1000000, found 0"
            ),
            (
                ["--vary", "dns.ttl_s=60,300", "--max-points", "2000000"], 64,
                "--max-points must be from 1 to 1000000, found 2000000"
            ),
            ([], 64, "nothing to vary"),
            (
                ["--vary", "dns.ttl_s=60,300", "--objective", "rto:p90"], 64,
                "--objective \"rto:p90\": no metric \"rto\""
            ),
            (
                ["--vary", "dns.ttl_s=60,300", "--objective", "rto_s:p999"], 64,
                "no statistic \"p999\" for an objective; allowed: mean, p50, p90, p99"
            ),
            (
                ["--vary", "dns.ttl_s=60,300", "--objective", "rto_s", "--objective", "max:rto_s:mean"], 64,
                "--objective max:rto_s:mean: rto_s mean is given twice"
            ),
            (["--vary", "dns.tll_s=1,2"], 65, "point 1 (dns.tll_s=1): dns.tll_s: unknown key"),
            (
                ["--vary", "dns.ttl_s=60,sixty"], 65,
                "point 2 (dns.ttl_s=\"sixty\"): dns.ttl_s: found \"sixty\", expected a number"
            ),
        ] {
            let out = cli.tempDir()
            let r = try await cli.drsim(["sweep"] + m + args + ["--out", out.path])
            #expect(r.status == status, "\(args): \(r.stderr)")
            #expect(r.stderr.contains(message), "\(args): \(r.stderr)")
            #expect(r.stdout.isEmpty)
            #expect(!FileManager.default.fileExists(atPath: out.path))
        }
    }
}

extension SweepCLITests {
    /// A sweep that cannot write leaves the earlier results as they were, with no partial or temporary file.
    @Test(.slow) func aFailedSweepWritesNothing() async throws {
        let out = cli.tempDir()
        #expect(
            try await cli.drsim(
                ["sweep"] + CLITests.quick + ["--vary", "dns.ttl_s=10,60", "--out", out.path, "--quiet"]
            ).status == 0)
        let before = try Data(contentsOf: out.appendingPathComponent("sweep.csv"))
        // point-2 is made a file: the sweep cannot write its folder there.
        try FileManager.default.removeItem(at: out.appendingPathComponent("point-2"))
        try Data().write(to: out.appendingPathComponent("point-2"))
        let r = try await cli.drsim(
            ["sweep"] + CLITests.quick + [
                "--vary", "dns.ttl_s=10,60", "--replications", "30", "--out", out.path, "--quiet",
            ])
        #expect(r.status == 1)
        #expect(r.stderr.split(separator: "\n").count == 1, "\(r.stderr)")
        #expect(try Data(contentsOf: out.appendingPathComponent("sweep.csv")) == before)
        for dir in [out, out.appendingPathComponent("point-1")] {
            #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).allSatisfy { !$0.hasPrefix(".") })
        }
    }

    @Test(.slow) func jsonOnStdout() async throws {
        let s = try await cli.drsim(
            ["sweep"] + CLITests.quick + [
                "--vary", "dns.ttl_s=10,60", "--out", cli.tempDir().path, "--json", "--quiet",
            ])
        #expect(s.status == 0 && s.stderr.isEmpty)
        let doc = try JSONSerialization.jsonObject(with: Data(s.stdout.utf8)) as! [String: Any]
        #expect((doc["points"] as! [[String: Any]]).count == 2)
        let c = try await cli.drsim(
            ["compare"] + CLITests.quick + [
                "--vs-set", "dns.ttl_s=10", "--out", cli.tempDir().path, "--json", "--quiet",
            ])
        #expect(c.status == 0 && c.stderr.isEmpty)
        let cdoc = try JSONSerialization.jsonObject(with: Data(c.stdout.utf8)) as! [String: Any]
        #expect(
            (cdoc["metrics"] as! [[String: Any]]).map { $0["metric"] as! String } == Metric.allCases.map(\.rawValue))
    }
}

extension SweepCLITests {
    /// A range is counted from A, B and STEP before any value is made: `0..1e8:1` is refused at once, not expanded
    /// first (which would fill gigabytes). Stopped after 30 s, so that a range expanded in full fails here instead
    /// of hanging the suite.
    @Test func aHugeRangeIsRefusedAtOnce() async throws {
        let p = Process()
        p.executableURL = CLITests.binary
        p.arguments = ["sweep"] + CLITests.quick + ["--vary", "dns.ttl_s=0..1e8:1", "--out", cli.tempDir().path]
        p.currentDirectoryURL = CLITests.root
        let errFile = try Tools.scratchFile("stderr")
        defer { try? FileManager.default.removeItem(at: errFile) }
        p.standardOutput = FileHandle.nullDevice
        p.standardError = try FileHandle(forWritingTo: errFile)
        let exit = try p.start()
        let deadline = Date().addingTimeInterval(30)
        while p.isRunning && Date() < deadline { try await Task.sleep(for: .milliseconds(50)) }
        let hung = p.isRunning
        if hung { p.terminate() }
        let status = await exit.status
        let e = String(decoding: try Data(contentsOf: errFile), as: UTF8.self)
        #expect(!hung, "still running after 30 s")
        #expect(
            status == 64
                && e.contains("--vary dns.ttl_s=0..1e8:1: 100000001 values, more than the limit of 1000 points"), "\(e)"
        )
    }

    /// --max-points replaces the section's limit for its ranges too (a range of the section was refused
    /// at the default limit whatever --max-points said); a value the section lists twice is refused.
    @Test(.slow) func theSectionsRangesAndValuesAreChecked() async throws {
        let dir = cli.tempDir()
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        var doc =
            try JSONSerialization.jsonObject(
                with: Data(contentsOf: CLITests.root.appendingPathComponent("models/tuned-active-passive.json")))
            as! [String: Any]
        doc["sweep"] = ["vary": [["path": "dns.ttl_s", "from": 1, "to": 1500, "step": 1]]]
        let file = dir.appendingPathComponent("long.json")
        try JSONSerialization.data(withJSONObject: doc).write(to: file)
        let args = Array(CLITests.quick.dropFirst())
        let refused = try await cli.drsim(
            ["sweep", file.path] + args + ["--out", dir.appendingPathComponent("a").path])
        #expect(
            refused.status == 65
                && refused.stderr.contains(
                    "sweep.vary[0]: dns.ttl_s=1..1500:1: 1500 values, more than the limit of 1000 points"),
            "\(refused.stderr)")
        // --vary replaces the section's axis; --max-points lets the section be read.
        let raised = try await cli.drsim(
            ["sweep", file.path] + args + [
                "--max-points", "2000", "--vary", "dns.ttl_s=60,300",
                "--out", dir.appendingPathComponent("b").path, "--quiet",
            ])
        #expect(raised.status == 0, "\(raised.stderr)")
        doc["sweep"] = ["vary": [["path": "dns.ttl_s", "values": [60, 300, 60]]]]
        try JSONSerialization.data(withJSONObject: doc).write(to: file)
        let twice = try await cli.drsim(["sweep", file.path] + args + ["--out", dir.appendingPathComponent("c").path])
        #expect(
            twice.status == 65 && twice.stderr.contains("sweep.vary[0].values[2]: 60 is in the list twice"),
            "\(twice.stderr)")
    }
}
