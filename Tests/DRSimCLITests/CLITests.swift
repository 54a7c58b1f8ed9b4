import DRSim
import DRSimResults
import DRSimTestSupport
import Foundation
import Testing

/// Runs the built `drsim` binary and checks stdout, stderr and the exit status.
@Suite(.serialized) struct CLITests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let binary = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
        .appendingPathComponent("drsim")

    typealias Outcome = Tools.Outcome

    func drsim(_ args: [String]) async throws -> Outcome { try await Self.execute(Self.binary, args) }

    /// Runs a program in the repository's root folder and returns its outcome.
    static func execute(_ program: URL, _ args: [String]) async throws -> Outcome {
        try await Tools.run(program.path, args, cwd: root)
    }

    func tempDir() -> URL {
        let d = FileManager.default.temporaryDirectory.appendingPathComponent("drsim-cli-\(UUID().uuidString)")
        return d
    }

    /// A quick run of a bundled model: few replications and a small resolver population.
    static let quick = ["models/tuned-active-passive.json", "--replications", "40", "--set", "clients.resolvers=100"]

    @Test(.slow) func runWritesTheResultFilesAndPrintsTheTable() async throws {
        let out = tempDir()
        let r = try await drsim(["run"] + Self.quick + ["--out", out.path])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("rto_s") && r.stdout.contains("detection_s") && r.stdout.contains("mean [95% CI]"))
        #expect(r.stdout.contains("RTO by stage") && r.stdout.contains("median rto_s"))
        let files = try FileManager.default.contentsOfDirectory(atPath: out.path).sorted()
        #expect(
            files == [
                "breakdown.csv", "placeholder_ranges.csv", "replications.csv", "run.json", "summary.csv",
                "timeline.csv",
            ])
        #expect(r.stdout.contains("rto_s p50 over 4 TTL-extension shapes that fit Flavel et al. 2014"))
        let breakdown = try String(contentsOf: out.appendingPathComponent("breakdown.csv"), encoding: .utf8)
        #expect(breakdown.hasPrefix(ResultFiles.breakdownColumns.joined(separator: ",") + "\r\n"))
        #expect(breakdown.split(separator: "\r\n").count == 41)
        let summary = try String(contentsOf: out.appendingPathComponent("summary.csv"), encoding: .utf8)
        #expect(summary.hasPrefix(ResultFiles.summaryColumns.joined(separator: ",") + "\r\n"))
        let reps = try String(contentsOf: out.appendingPathComponent("replications.csv"), encoding: .utf8)
        #expect(
            reps.hasPrefix(
                "replication,detection_s,rto_s,recovered_50_s,recovered_90_s,recovered_99_s,failed_requests,"
                    + "write_rto_s,rpo_s,lost_writes,delayed_writes,conflict_overwrites,false_failovers,"
                    + "failed_attempts,mrsc_write_latency_s,first_recovery_s,time_below_target_s,relapses,"
                    + "stale_share_5m,stale_share_15m,stale_share_30m,rto_honouring_s,false_failovers_per_year,"
                    + "failbacks_per_year,downtime_min_per_year,downtime_blips_min_per_year,"
                    + "downtime_false_failovers_min_per_year,downtime_outages_min_per_year,availability,"
                    + "write_downtime_min_per_year,lost_writes_per_year,cost_per_month,cost_health_checks_per_month,"
                    + "cost_dns_queries_per_month,cost_capacity_per_month,cost_replicated_writes_per_month,"
                    + "cost_load_balancer_per_month,cost_downtime_per_month,rto_censored\r\n"))
        #expect(reps.split(separator: "\r\n").count == 41)
        let timeline = try String(contentsOf: out.appendingPathComponent("timeline.csv"), encoding: .utf8)
        #expect(timeline.hasPrefix("t_s,success_mean,success_p05,success_p50,success_p95\r\n0,0,0,0,0\r\n"))
        #expect(timeline.split(separator: "\r\n").count == 3602)
        let run =
            try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("run.json")))
            as! [String: Any]
        #expect(run["replications"] as? Int == 40)
        #expect((run["config"] as! [String: Any])["clients"] != nil)
        #expect((run["config_hash"] as? String)?.hasPrefix("fnv1a64:") == true)
    }

    @Test(.slow) func sameBytesWithOneOrTwoThreads() async throws {
        let a = tempDir()
        let b = tempDir()
        #expect(try await drsim(["run"] + Self.quick + ["--threads", "1", "--out", a.path, "--quiet"]).status == 0)
        #expect(try await drsim(["run"] + Self.quick + ["--threads", "2", "--out", b.path, "--quiet"]).status == 0)
        for f in ResultFiles.names {
            #expect(
                try Data(contentsOf: a.appendingPathComponent(f)) == Data(contentsOf: b.appendingPathComponent(f)),
                "\(f)")
        }
    }

    @Test(.slow) func jsonSummaryOnStdout() async throws {
        let r = try await drsim(["run"] + Self.quick + ["--out", tempDir().path, "--json", "--quiet"])
        #expect(r.status == 0)
        #expect(r.stderr.isEmpty)
        let doc = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any]
        let metrics = doc["metrics"] as! [[String: Any]]
        #expect(metrics.map { $0["metric"] as! String } == Metric.allCases.map(\.rawValue))
        // The extension shapes' range, as placeholder_ranges.csv has it: one row per shape, the default first.
        let range = try #require(doc["placeholder_range"] as? [String: Any])
        let shapes = try #require(range["shapes"] as? [[String: Any]])
        #expect(range["replications"] as? Int == 40)
        #expect(shapes.count == 4)
        #expect((shapes.first?["extension_shape"] as? String)?.hasSuffix("(default)") == true)
        #expect(shapes.allSatisfy { $0["rto_s_censored_share"] is Double || $0["rto_s_censored_share"] is Int })
        // The cost per month and its parts (docs/model.md, "Cost"), at list prices without a cost section.
        let cost = try #require(doc["cost"] as? [String: Any])
        #expect(cost["prices"] as? String == "list prices read \(CostLine.pricesRead)")
        #expect(CostLine.parts.allSatisfy { cost.keys.contains($0.metric.rawValue) })
        #expect((cost["cost_per_month"] as? Double ?? 0) > 0, "\(cost)")
        let without = try await drsim(
            ["run"] + Self.quick + ["--out", tempDir().path, "--json", "--quiet", "--no-placeholder-range"])
        let bare = try JSONSerialization.jsonObject(with: Data(without.stdout.utf8)) as! [String: Any]
        #expect(bare["placeholder_range"] == nil)
    }

    struct BadFile: CustomTestStringConvertible, Sendable {
        var file: String
        var message: String
        var testDescription: String { file }
    }

    static let badFiles = [
        BadFile(file: "wrong-type.json", message: "error: horizon_s: found \"an hour\", expected a number"),
        BadFile(file: "unknown-key.json", message: "error: dns.tll_s: unknown key (did you mean \"ttl_s\"?)"),
        BadFile(
            file: "threshold-out-of-range.json",
            message: "error: health_checks[0].failure_threshold: found 0, allowed: a whole number from 1 to 10"),
        BadFile(
            file: "missing-region.json",
            message:
                "error: dns.records[1].target: found \"eu-west-2\", which names no region (did you mean \"eu-west-1\"?)"
        ),
        BadFile(file: "malformed.json", message: "error: malformed JSON:"),
        BadFile(
            file: "negative-price.json",
            message: "error: cost.capacity.region_per_hour: found -2, allowed: a price in USD, 0 or more "
                + "(0 leaves the item out)"),
    ]

    @Test(.slow, arguments: badFiles)
    func badConfigsExit65WithTheProblemOnStderr(_ b: BadFile) async throws {
        let path = "Tests/DRSimCLITests/BadConfigs/\(b.file)"
        for command in ["run", "validate"] {
            let out = tempDir()
            let r = try await drsim(
                [command, path, "--out", out.path].filter { command == "run" || ($0 != "--out" && $0 != out.path) })
            #expect(r.status == 65)
            #expect(r.stderr.contains(b.message), "\(r.stderr)")
            #expect(r.stdout.isEmpty)
            #expect(!FileManager.default.fileExists(atPath: out.path))
        }
    }

    @Test(.slow) func badCommandLinesExit64() async throws {
        for args in [
            ["run"], ["run", "models/tuned-active-passive.json", "--threads", "0"], ["frobnicate"],
            ["run", "models/tuned-active-passive.json", "--set", "no-equals"],
            ["run", "models/tuned-active-passive.json", "--bogus"],
            ["validate", "models/tuned-active-passive.json", "--seed", "9007199254740993"],
        ] {
            let r = try await drsim(args)
            #expect(r.status == 64, "\(args): \(r.stderr)")
            #expect(!r.stderr.isEmpty)
        }
    }

    /// Runs drsim through the shell, for redirections a Process cannot set up (closed or full streams).
    func shell(_ command: String) async throws -> Outcome {
        try await Self.sh(command.replacingOccurrences(of: "DRSIM ", with: "'\(Self.binary.path)' "))
    }

    static func sh(_ command: String) async throws -> Outcome {
        try await execute(URL(fileURLWithPath: "/bin/sh"), ["-c", command])
    }

    /// A stdout that cannot take the summary is a failure with the reason, not a silent success; a
    /// closed or full stderr is ignored and the run still succeeds.
    @Test(.slow) func lostOutputStreams() async throws {
        let out = tempDir().path
        let full = try await shell("DRSIM run \(Self.quick.joined(separator: " ")) --out \(out) > /dev/full")
        #expect(full.status == 1 && full.stderr.contains("cannot write to standard output"), "\(full)")
        // Progress lines every 10 ms, so that several are written to the lost stderr.
        let closed = try await shell(
            "DRSIM_PROGRESS_INTERVAL_S=0.01 DRSIM run \(Self.quick.joined(separator: " ")) "
                + "--replications 400 --out \(out) --force 2>&-")
        #expect(closed.status == 0 && closed.stdout.contains("rto_s"), "\(closed)")
        let fullErr = try await shell(
            "DRSIM_PROGRESS_INTERVAL_S=0.01 DRSIM run \(Self.quick.joined(separator: " ")) "
                + "--replications 400 --out \(out) --force 2>/dev/full")
        #expect(fullErr.status == 0 && fullErr.stdout.contains("rto_s"), "\(fullErr)")
    }

    /// A config can come from a pipe ("-" or /dev/stdin); a folder, a missing file and a huge file are
    /// refused with the reason in words.
    @Test(.slow) func configFromAPipeAndUnreadableConfigs() async throws {
        #expect(try await shell("DRSIM validate - < models/tuned-active-passive.json").status == 0)
        #expect(try await shell("cat models/tuned-active-passive.json | DRSIM validate /dev/stdin").status == 0)
        let folder = try await drsim(["validate", "models"])
        #expect(folder.status == 65 && folder.stderr.contains("it is a folder"), "\(folder.stderr)")
        let missing = try await drsim(["validate", "no-such-config.json"])
        #expect(missing.status == 65 && missing.stderr.contains("no such file"), "\(missing.stderr)")
        let big = FileManager.default.temporaryDirectory.appendingPathComponent("drsim-big-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: big) }
        try Data(count: 11_000_000).write(to: big)
        let huge = try await drsim(["validate", big.path])
        #expect(huge.status == 65 && huge.stderr.contains("larger than 10 MB"), "\(huge.stderr)")
    }

    /// Thirty thousand regions are refused by their count, before any is read (this took a minute and
    /// 7 GB when each name was compared with every other).
    @Test(.slow) func thousandsOfRegionsAreRefusedAtOnce() async throws {
        let regions = (0..<30_000).map { "{\"name\": \"r\($0)\", \"role\": \"active\"}" }.joined(separator: ",")
        let file = FileManager.default.temporaryDirectory.appendingPathComponent(
            "drsim-regions-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: file) }
        try Data("{\"regions\": [\(regions)]}".utf8).write(to: file)
        let r = try await drsim(["validate", file.path])
        #expect(r.status == 65 && r.stderr.contains("found 30000 regions; allowed: 2 to 8"), "\(r.stderr.prefix(300))")
        #expect(r.stderr.count < 2_000)
    }

    /// The fuzzer in CI: every file of scripts/fuzz-corpus (the reproductions of past crashes) and the
    /// bundled models as they are, then 150 mutants of them. No input may crash drsim, hang it, end it
    /// with another status than 0, 64 or 65, or leave NaN, infinity or a negative count in a result
    /// file. Longer runs: `python3 scripts/fuzz.py --inputs 20000 --seed N` (docs/config.md).
    @Test(.external) func fuzzedConfigsNeverCrashHangOrMislead() async throws {
        let r = try await Self.sh(
            "python3 scripts/fuzz.py --drsim '\(Self.binary.path)' --inputs 150 --seed 1 --timeout 120")
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("no crash"), "\(r.stdout)")
    }

    /// An output folder that cannot be written is found before anything is simulated, not after the whole run, and
    /// `--out ""` is refused rather than writing into the current folder.
    @Test func unwritableOutputFoldersAreRefusedFirst() async throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("drsim-file-\(UUID().uuidString)")
        try Data().write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        for cmd in [["run"], ["sweep", "--vary", "dns.ttl_s=10,60"], ["compare", "--vs-set", "dns.ttl_s=10"]] {
            let args =
                [cmd[0]] + Self.quick + Array(cmd.dropFirst()) + [
                    "--replications", "1000000", "--out", file.appendingPathComponent("sub").path,
                ]
            let r = try await drsim(args)
            #expect(r.status == 1 && r.stderr.contains("is a file, not a folder"), "\(cmd[0]): \(r.stderr)")
        }
        let empty = try await drsim(["run"] + Self.quick + ["--out", ""])
        #expect(empty.status == 64 && empty.stderr.contains("--out \"\""), "\(empty.stderr)")
    }

    /// Ctrl-C and SIGTERM stop a run with 130 and 143, leave no temporary file and the earlier results as
    /// they were; a later run removes the temporary files of a run that died without cleaning up.
    @Test(.slow) func interruptedRunsLeaveNothingBehind() async throws {
        let out = tempDir()
        #expect(try await drsim(["run"] + Self.quick + ["--out", out.path, "--quiet"]).status == 0)
        let before = try Data(contentsOf: out.appendingPathComponent("summary.csv"))
        for (signal, status) in [(SIGINT, Int32(130)), (SIGTERM, Int32(143))] {
            let p = Process()
            p.executableURL = Self.binary
            p.arguments = ["run"] + Self.quick + ["--replications", "5000000", "--out", out.path, "--quiet", "--force"]
            p.currentDirectoryURL = Self.root
            p.standardError = FileHandle.nullDevice
            let exit = try p.start()
            try await Task.sleep(for: .seconds(1))
            kill(p.processIdentifier, signal)
            #expect(await exit.status == status, "signal \(signal)")
            let names = try FileManager.default.contentsOfDirectory(atPath: out.path)
            #expect(!names.contains { $0.hasPrefix(".") }, "\(names)")
            #expect(try Data(contentsOf: out.appendingPathComponent("summary.csv")) == before)
        }
        // A process that has ended: its pid names a dead run.
        let stale = out.appendingPathComponent(".drsim.summary.csv.tmp-\(try await deadPID())")
        try Data("half".utf8).write(to: stale)
        #expect(try await drsim(["run"] + Self.quick + ["--out", out.path, "--quiet", "--force"]).status == 0)
        #expect(!FileManager.default.fileExists(atPath: stale.path))
    }

    /// Results are replaced only with --force, and then as a whole; a folder holding what drsim did not
    /// write, or the current folder, is never replaced. Each refusal comes before simulating (a run of
    /// five million replications would take minutes).
    @Test(.slow) func resultsAreReplacedOnlyWithForceAndAsAWhole() async throws {
        let out = tempDir()
        defer { try? FileManager.default.removeItem(at: out) }
        #expect(try await drsim(["run"] + Self.quick + ["--out", out.path, "--quiet"]).status == 0)
        let before = try Data(contentsOf: out.appendingPathComponent("summary.csv"))
        let big = ["--replications", "5000000", "--out", out.path, "--quiet"]
        let again = try await drsim(["run"] + Self.quick + big)
        #expect(
            again.status == 1 && again.stderr.contains("holds earlier results (run.json); add --force"),
            "\(again.stderr)")
        for cmd in [["sweep", "--vary", "dns.ttl_s=10,60"], ["compare", "--vs-set", "dns.ttl_s=10"]] {
            let r = try await drsim([cmd[0]] + Self.quick + Array(cmd.dropFirst()) + big)
            #expect(r.status == 1 && r.stderr.contains("add --force"), "\(cmd[0]): \(r.stderr)")
        }
        #expect(try Data(contentsOf: out.appendingPathComponent("summary.csv")) == before)
        // A sweep replaces the run: the run's files go, the sweep's come.
        let sweep = try await drsim(
            ["sweep"] + Self.quick + [
                "--vary", "dns.ttl_s=10,60", "--replications", "10", "--out", out.path, "--quiet", "--force",
            ])
        #expect(sweep.status == 0, "\(sweep.stderr)")
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: out.path).sorted() == [
                "point-1", "point-2", "sweep.csv", "sweep.json",
            ])
        // Something drsim did not write is never deleted, --force or not, at any depth; a result set
        // written inside this one is named as such. Each is kept, then moved out for the next case.
        let here = try await drsim(["run"] + Self.quick + ["--out", ".", "--force"])
        #expect(here.status == 1 && here.stderr.contains("is the current folder"), "\(here.stderr)")
        let cases = [
            ("notes.md", false, "holds notes.md, which drsim did not write", "notes.md"),
            ("inner", true, "holds inner, a result set of its own", "inner"),
            ("point-1/notes.txt", false, "holds point-1/notes.txt, which drsim did not write", "point-1/notes.txt"),
            ("point-2/x/inner", true, "holds point-2/x/inner, a result set of its own", "point-2/x"),
        ]
        for (inside, isResultSet, message, moveOut) in cases {
            let path = out.appendingPathComponent(inside)
            if isResultSet {
                #expect(
                    try await drsim(["run"] + Self.quick + ["--replications", "10", "--out", path.path, "--quiet"])
                        .status == 0)
            } else {
                try Data("mine".utf8).write(to: path)
            }
            let refused = try await drsim(["run"] + Self.quick + big + ["--force"])
            #expect(refused.status == 1 && refused.stderr.contains(message), "\(inside): \(refused.stderr)")
            #expect(
                FileManager.default.fileExists(
                    atPath: isResultSet ? path.appendingPathComponent("run.json").path : path.path))
            try FileManager.default.removeItem(at: out.appendingPathComponent(moveOut))
        }
        // A trace or JUnit report is not written into another result folder: drsim never deletes a file it
        // cannot tell it wrote in full (its user may have edited it), so it would block that folder's next --force.
        let trace = out.appendingPathComponent("incident.jsonl")
        let junit = out.appendingPathComponent("check.xml")
        let traced = try await drsim(["run"] + Self.quick + ["--replication", "2", "--trace", trace.path])
        #expect(traced.status == 64 && traced.stderr.contains("is inside a result folder"), "\(traced.stderr)")
        let junitElsewhere = try await drsim(
            ["check"] + Self.quick + [
                "--replications", "10", "--expect", "rto_s:p50 <= 5000",
                "--junit", junit.path, "--out", tempDir().path, "--quiet",
            ])
        #expect(
            junitElsewhere.status == 64 && junitElsewhere.stderr.contains("is inside a result folder"),
            "\(junitElsewhere.stderr)")
        #expect(
            !FileManager.default.fileExists(atPath: trace.path) && !FileManager.default.fileExists(atPath: junit.path))
    }

    /// --replications and --seed out of range are named as the options they are, with what is allowed.
    @Test(.slow) func replicationsAndSeedOutOfRangeNameTheOption() async throws {
        for command in [["run"], ["compare", "--vs-set", "dns.ttl_s=10"]] {
            let args = [command[0]] + Self.quick + command.dropFirst()
            for r in ["-1", "0", "99999999"] {
                let replications = try await drsim(args + ["--replications", r])
                #expect(
                    replications.status == 64
                        && replications.stderr.contains("--replications \(r): give a whole number from 1 to 10000000"),
                    "\(command[0]): \(replications.stderr)")
            }
            let seed = try await drsim(args + ["--seed", "-1"])
            #expect(
                seed.status == 64 && seed.stderr.contains("a whole number from 0 to 9007199254740991"),
                "\(command[0]): \(seed.stderr)")
        }
    }

    /// Interrupted while the result files are being written: SIGTERM as soon as the new set's folder
    /// appears beside the output folder. The earlier results are as they were and nothing is left
    /// beside them. A try in which the run swaps its set in before the signal lands proves nothing and is
    /// repeated, but must leave the whole new set. (No SIGSTOP to widen the window: Foundation's
    /// Process takes a stopped child for an ended one.)
    @Test(.slow) func interruptedWhileWritingLeavesTheEarlierResults() async throws {
        let parent = tempDir()
        let out = parent.appendingPathComponent("r")
        defer { try? FileManager.default.removeItem(at: parent) }
        let run = ["run"] + Self.quick + ["--out", out.path, "--quiet"]
        #expect(try await drsim(run).status == 0)
        let before = try ResultFiles.names.map { try Data(contentsOf: out.appendingPathComponent($0)) }
        var caught = 0
        for _ in 0..<8 where caught == 0 {
            let p = Process()
            p.executableURL = Self.binary
            p.arguments =
                ["run"] + Self.quick + [
                    "--replications", "20000", "--set", "horizon_s=300", "--out", out.path, "--quiet", "--force",
                ]
            p.currentDirectoryURL = Self.root
            p.standardError = FileHandle.nullDevice
            let exit = try p.start()
            let staging = parent.appendingPathComponent(".drsim.r.new-\(p.processIdentifier)").path
            while p.isRunning && !FileManager.default.fileExists(atPath: staging) {
                try await Task.sleep(for: .microseconds(200))
            }
            guard p.isRunning else {
                // Done before its folder was seen: restore the old set for the next try.
                _ = await exit.status
                #expect(try await drsim(run + ["--force"]).status == 0)
                continue
            }
            kill(p.processIdentifier, SIGTERM)
            let status = await exit.status
            #expect(try FileManager.default.contentsOfDirectory(atPath: parent.path) == ["r"])
            let after = try ResultFiles.names.map { try Data(contentsOf: out.appendingPathComponent($0)) }
            if status == 143 {
                caught += 1
                #expect(after == before)
            } else {
                // Finished before the signal: the whole new set, then restore the old one for the next try.
                #expect(
                    after != before
                        && after[ResultFiles.names.firstIndex(of: "run.json")!]
                            != before[ResultFiles.names.firstIndex(of: "run.json")!],
                    "status \(status) (\(p.terminationReason == .exit ? "exit" : "signal"))")
                #expect(try await drsim(run + ["--force"]).status == 0)
            }
        }
        #expect(caught == 1, "no try caught the run while it wrote its files")
    }

    /// A run that would not fit this machine's memory is refused at once, with the estimate and the
    /// setting to change, and writes nothing.
    @Test func runsThatWouldNotFitInMemoryAreRefusedFirst() async throws {
        let out = tempDir()
        let sweep = try await drsim(
            ["sweep"] + Self.quick + ["--vary", "dns.ttl_s=1..100:1", "--replications", "10000000", "--out", out.path])
        #expect(
            sweep.status == 1 && sweep.stderr.contains("100 runs × 10000000 replications' results")
                && sweep.stderr.contains("fewer points"), "\(sweep.stderr)")
        // Growing with --precision: judged at the cap, where it could end.
        let grown = try await drsim(
            ["sweep"] + Self.quick + [
                "--vary", "dns.ttl_s=1..100:1", "--precision", "rto_s:p50=±0.001",
                "--max-replications", "10000000", "--out", out.path,
            ])
        #expect(
            grown.status == 1 && grown.stderr.contains("100 runs × 10000000 replications' results"), "\(grown.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out.path))
    }

    /// Single output files (--trace, --junit) never replace a device, the config or a result file; an
    /// --out that is a dangling link is refused and left alone, as is a name too long for the folder
    /// beside it; export's --out "" is refused.
    @Test(.slow) func outputsNeverReplaceWhatTheyShouldNot() async throws {
        let dir = tempDir()
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let config = dir.appendingPathComponent("m.json")
        try FileManager.default.copyItem(
            at: Self.root.appendingPathComponent("models/tuned-active-passive.json"), to: config)
        let results = dir.appendingPathComponent("r")
        #expect(try await drsim(["run"] + Self.quick + ["--out", results.path, "--quiet"]).status == 0)
        for (trace, message) in [
            ("/dev/null", "is not a regular file"), (config.path, "is the config file"),
            (results.appendingPathComponent("run.json").path, "is a result file"),
        ] {
            let r = try await drsim(["run", config.path, "--replication", "2", "--trace", trace])
            #expect(r.status == 64 && r.stderr.contains(message), "\(trace): \(r.stderr)")
        }
        let junit = try await drsim(["diff", results.path, results.path, "--junit", "/dev/null"])
        #expect(junit.status == 64 && junit.stderr.contains("is not a regular file"), "\(junit.stderr)")
        // A file of the same format that drsim did not write: another model (JSON), a build file (XML).
        let other = dir.appendingPathComponent("other.json")
        let pom = dir.appendingPathComponent("pom.xml")
        try FileManager.default.copyItem(
            at: Self.root.appendingPathComponent("models/seed-three-region.json"), to: other)
        try Data("<?xml version=\"1.0\"?>\n<project/>\n".utf8).write(to: pom)
        let overOther = try await drsim(["run", config.path, "--replication", "2", "--trace", other.path])
        #expect(overOther.status == 64 && overOther.stderr.contains("is not a trace"), "\(overOther.stderr)")
        let overPom = try await drsim(["diff", results.path, results.path, "--junit", pom.path])
        #expect(overPom.status == 64 && overPom.stderr.contains("is not a JUnit report"), "\(overPom.stderr)")
        #expect(
            try Data(contentsOf: other)
                == Data(contentsOf: Self.root.appendingPathComponent("models/seed-three-region.json")))
        // Its own trace is replaced.
        let trace = dir.appendingPathComponent("incident.jsonl").path
        for n in ["2", "3"] {
            #expect(try await drsim(["run", config.path, "--replication", n, "--trace", trace]).status == 0)
        }
        var info = stat()
        #expect(stat("/dev/null", &info) == 0 && (info.st_mode & S_IFMT) == S_IFCHR)
        let dangling = dir.appendingPathComponent("dangling")
        try FileManager.default.createSymbolicLink(
            atPath: dangling.path, withDestinationPath: dir.appendingPathComponent("nowhere").path)
        let r = try await drsim(["run"] + Self.quick + ["--out", dangling.path])
        #expect(r.status == 1 && r.stderr.contains("is a symbolic link to nothing"), "\(r.stderr)")
        #expect((try? FileManager.default.destinationOfSymbolicLink(atPath: dangling.path)) != nil)
        let longName = dir.appendingPathComponent(String(repeating: "q", count: 250)).path
        let long = try await drsim(["run"] + Self.quick + ["--replications", "5000000", "--out", longName])
        #expect(long.status == 1 && long.stderr.contains("name is too long"), "\(long.stderr)")
        let export = try await drsim(["export", "notebook", results.path, "--out", ""])
        #expect(export.status == 64, "\(export.stderr)")
    }

    /// A result folder's run.json runs as a config, and gives the same result files byte for byte.
    @Test(.slow) func aRunJSONRerunsItsResults() async throws {
        let a = tempDir()
        let b = tempDir()
        #expect(try await drsim(["run"] + Self.quick + ["--out", a.path, "--quiet"]).status == 0)
        let again = try await drsim(["run", a.appendingPathComponent("run.json").path, "--out", b.path, "--quiet"])
        #expect(again.status == 0, "\(again.stderr)")
        for f in ResultFiles.names {
            #expect(
                try Data(contentsOf: a.appendingPathComponent(f)) == Data(contentsOf: b.appendingPathComponent(f)),
                "\(f)")
        }
    }

    /// bench outside the repository says what it is missing and how to fix it.
    @Test func benchOutsideTheRepositorySaysWhatIsMissing() async throws {
        let r = try await Tools.run(
            Self.binary.path, ["bench", "--quick"], cwd: FileManager.default.temporaryDirectory)
        #expect(
            r.status == 64 && r.stderr.contains("run it from the repository's root folder, or give --models DIR"),
            "\(r.stderr)")
    }

    /// Asking for more workers than cores uses the cores, says so, and gives the same bytes.
    @Test(.slow) func threadsAreCappedAtTheCores() async throws {
        let a = tempDir()
        let b = tempDir()
        let many = try await drsim(["run"] + Self.quick + ["--threads", "1000", "--out", a.path])
        #expect(many.status == 0, "\(many.stderr)")
        #expect(many.stderr.contains("--threads 1000: this machine has"))
        #expect(try await drsim(["run"] + Self.quick + ["--threads", "1", "--out", b.path, "--quiet"]).status == 0)
        for f in ResultFiles.names {
            #expect(
                try Data(contentsOf: a.appendingPathComponent(f)) == Data(contentsOf: b.appendingPathComponent(f)),
                "\(f)")
        }
    }

    /// A seed that JSON cannot hold exactly is refused, not rounded (2^53 + 1 would read as 2^53).
    @Test(.slow) func seedsBeyondWhatJSONHoldsAreRefused() async throws {
        let flag = try await drsim(["validate", "models/tuned-active-passive.json", "--seed", "9007199254740993"])
        #expect(flag.status == 64 && flag.stderr.contains("2^53 − 1"), "\(flag.stderr)")
        let key = try await drsim(["validate", "models/tuned-active-passive.json", "--set", "seed=9007199254740993"])
        #expect(key.status == 65 && key.stderr.contains("seed"), "\(key.stderr)")
        #expect(
            try await drsim(["validate", "models/tuned-active-passive.json", "--seed", "9007199254740991"]).status == 0)
    }

    @Test func validateWarnsAndWritesNothing() async throws {
        // A name of its own, so that no other test's run can write where this one looks.
        let name = "validate-probe-\(UUID().uuidString)"
        let r = try await drsim(["validate", "models/seed-active-passive.json", "--set", "name=\"\(name)\""])
        #expect(r.status == 0)
        #expect(r.stderr.contains("warning: dns.ttl_s: TTL 300 s: AWS recommends 60 s or less"))
        #expect(r.stdout.contains("valid"))
        #expect(!FileManager.default.fileExists(atPath: Self.root.appendingPathComponent("results/\(name)").path))
    }

    /// A run that fails leaves an earlier result as it was, with no partial or temporary file.
    @Test(.slow) func aFailedRunDoesNotDamageEarlierResults() async throws {
        let out = tempDir()
        #expect(try await drsim(["run"] + Self.quick + ["--out", out.path, "--quiet"]).status == 0)
        let before = try Data(contentsOf: out.appendingPathComponent("summary.csv"))
        let bad = try await drsim(["run", "Tests/DRSimCLITests/BadConfigs/unknown-key.json", "--out", out.path])
        #expect(bad.status == 65)
        #expect(try Data(contentsOf: out.appendingPathComponent("summary.csv")) == before)
        // An output folder that cannot be created: exit 1 with a one-line reason.
        let blocked = out.appendingPathComponent("summary.csv").appendingPathComponent("sub")
        let r = try await drsim(["run"] + Self.quick + ["--out", blocked.path, "--quiet"])
        #expect(r.status == 1)
        #expect(r.stderr.split(separator: "\n").count == 1, "\(r.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: out.path).allSatisfy { !$0.hasPrefix(".") })
    }

    /// A smoke run of every benchmark (figures from a debug build mean nothing; it must only work).
    @Test(.external) func benchStillWorks() async throws {
        let r = try await drsim(["bench", "--quick", "--memory-replications", "1000"])
        #expect(r.status == 0, "\(r.stderr)")
        for part in [
            "kernel hold model", "replications per second", "parallel efficiency", "output bytes identical",
            "peak memory", "sweep, seed-active-passive", "point files identical to the separate runs'", "SimPy twin",
            "the distributions agree", "hold model, drsim kernel vs SimPy",
        ] {
            #expect(r.stdout.contains(part), "missing: \(part)")
        }
    }

    @Test func missingConfigFileIsABadConfig() async throws {
        let r = try await drsim(["validate", "models/no-such-model.json"])
        #expect(r.status == 65)
        #expect(r.stderr.contains("cannot read config file models/no-such-model.json"))
    }
}
