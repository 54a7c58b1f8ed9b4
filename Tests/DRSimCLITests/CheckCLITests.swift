import DRSim
import DRSimResults
import DRSimTestSupport
import Foundation
import Testing

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// `drsim check` and `drsim diff` as a CI job runs them: exit statuses, reports, baselines.
@Suite(.serialized) struct CheckCLITests {
    let cli = CLITests()
    /// 400 replications: enough for a p99 to have a finite interval.
    static let model = ["models/tuned-active-passive.json", "--replications", "400", "--set", "clients.resolvers=100"]

    /// The p90 of detection_s in a plain run of `model`, with its interval, from summary.csv.
    func detectionP90() async throws -> (value: Double, low: Double, high: Double) {
        let out = cli.tempDir()
        #expect(try await cli.drsim(["run"] + Self.model + ["--out", out.path, "--quiet"]).status == 0)
        let csv = try String(contentsOf: out.appendingPathComponent("summary.csv"), encoding: .utf8)
        let header = csv.split(separator: "\r\n")[0].split(separator: ",").map(String.init)
        let row = csv.split(separator: "\r\n").first { $0.hasPrefix("detection_s,") }!.split(
            separator: ",", omittingEmptySubsequences: false)
        func column(_ name: String) -> Double { Double(row[header.firstIndex(of: name)!])! }
        return (column("p90"), column("p90_ci_low"), column("p90_ci_high"))
    }

    /// A target wholly above the interval is met (exit 0), wholly below failed (exit 1), on the
    /// estimate undecided (exit 3, with the replications that would decide it).
    @Test(.slow) func exitStatusesFollowTheVerdicts() async throws {
        let p90 = try await detectionP90()
        for (bound, status, word) in [
            (p90.high + 1, Int32(0), "PASSED"), (p90.low - 1, 1, "FAILED"), (p90.value, 3, "UNDECIDED"),
        ] {
            let out = cli.tempDir()
            let r = try await cli.drsim(
                ["check"] + Self.model + ["--expect", "detection_s:p90 <= \(bound)", "--out", out.path])
            #expect(r.status == status, "bound \(bound): \(r.stdout)\(r.stderr)")
            #expect(r.stdout.contains("check: \(word)"), "\(r.stdout)")
            // The result files are those of a plain run, and run.json records the target.
            let run = try String(contentsOf: out.appendingPathComponent("run.json"), encoding: .utf8)
            #expect(run.contains("\"expect\": [\n      \"detection_s:p90 <= "), "\(run.prefix(300))")
        }
        let undecided = try await cli.drsim(
            ["check"] + Self.model + ["--expect", "detection_s:p90 <= \(p90.value)", "--out", cli.tempDir().path])
        #expect(
            undecided.stdout.contains("the estimate equals the bound")
                || undecided.stdout.contains("replications would decide it"))
    }

    /// --until-decided adds replications until the target is decided; the files equal a fixed run of
    /// the count it reached.
    @Test(.slow) func untilDecidedAddsReplicationsDeterministically() async throws {
        let p90 = try await detectionP90()
        let bound = p90.high + (p90.high - p90.value) * 0.6  // just past the interval's top at 400: met after some more
        let target = "detection_s:p90 <= \(bound)"
        let tighter = "detection_s:p90 <= \(p90.value + (p90.high - p90.value) * 0.5)"
        let out = cli.tempDir()
        let r = try await cli.drsim(
            ["check"] + Self.model
                + [
                    "--expect", target, "--expect", tighter, "--until-decided", "--max-replications", "20000", "--out",
                    out.path,
                ])
        #expect(r.status == 0 || r.status == 1, "\(r.stdout)\(r.stderr)")
        let line = try #require(r.stdout.split(separator: "\n").first { $0.hasPrefix("--until-decided: ") })
        let n = Int(line.dropFirst("--until-decided: ".count).prefix { $0.isNumber })!
        #expect(n > 400 && n <= 20000 && line.contains("batches 400 → "), "\(line)")
        #expect(!r.stdout.contains("UNDECIDED"))
        let fixed = cli.tempDir()
        #expect(
            try await cli.drsim([
                "run", "models/tuned-active-passive.json", "--replications", "\(n)", "--set", "clients.resolvers=100",
                "--set", "expect=[\"\(target)\", \"\(tighter)\"]", "--out", fixed.path, "--quiet",
            ]).status == 0)
        for f in ResultFiles.names {
            #expect(
                try Data(contentsOf: out.appendingPathComponent(f))
                    == Data(contentsOf: fixed.appendingPathComponent(f)), "\(f)")
        }
    }

    /// A baseline is created only when asked, compared with on every check, and a change of setting is
    /// found, named, and fails the check until the baseline is rewritten.
    @Test(.slow) func baselinesAreComparedAndRewrittenOnlyWhenAsked() async throws {
        let base = cli.tempDir().path
        let out = cli.tempDir().path
        let missing = try await cli.drsim(["check"] + Self.model + ["--baseline", base, "--out", out, "--force"])
        #expect(
            missing.status == 65 && missing.stderr.contains("does not exist")
                && missing.stderr.contains("add --update-baseline"), "\(missing.stderr)")
        #expect(!FileManager.default.fileExists(atPath: base))
        let created = try await cli.drsim(
            ["check"] + Self.model + ["--baseline", base, "--update-baseline", "--out", out, "--force"])
        #expect(created.status == 0 && created.stderr.contains("baseline \(base) written"), "\(created.stderr)")
        let same = try await cli.drsim(["check"] + Self.model + ["--baseline", base, "--out", out, "--force"])
        #expect(
            same.status == 0 && same.stdout.contains("config: the same")
                && same.stdout.contains("no distribution moved"), "\(same.stdout)")
        let changed = try await cli.drsim(
            ["check"] + Self.model + ["--set", "dns.ttl_s=300", "--baseline", base, "--out", out, "--force"])
        #expect(
            changed.status == 1 && changed.stdout.contains("dns.ttl_s: 30 → 300") && changed.stdout.contains("CHANGED"),
            "\(changed.stdout)")
        #expect(changed.stdout.contains("check: FAILED"))
        // Accepting the change: reported, not failed, and the baseline now holds the new run.
        let accepted = try await cli.drsim(
            ["check"] + Self.model
                + ["--set", "dns.ttl_s=300", "--baseline", base, "--update-baseline", "--out", out, "--force"])
        #expect(
            accepted.status == 0 && accepted.stdout.contains("(baseline rewritten)")
                && accepted.stderr.contains("rewritten"), "\(accepted.stdout)")
        for f in ResultFiles.names {
            #expect(
                try Data(contentsOf: URL(fileURLWithPath: base).appendingPathComponent(f))
                    == Data(contentsOf: URL(fileURLWithPath: out).appendingPathComponent(f)), "\(f)")
        }
        // The run must not overwrite its own baseline unasked, not even through a symbolic link.
        let onto = try await cli.drsim(["check"] + Self.model + ["--baseline", base, "--out", base])
        #expect(onto.status == 64 && onto.stderr.contains("is the baseline folder"), "\(onto.stderr)")
        let link = cli.tempDir().path
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: base)
        let viaLink = try await cli.drsim(["check"] + Self.model + ["--baseline", link, "--out", base])
        #expect(viaLink.status == 64 && viaLink.stderr.contains("is the baseline folder"), "\(viaLink.stderr)")
        // Asked to, --out on the baseline folder writes it once, and the verdicts follow.
        let inPlace = try await cli.drsim(
            ["check"] + Self.model + ["--baseline", base, "--out", base, "--update-baseline"])
        #expect(inPlace.status == 0 && inPlace.stdout.contains("check: PASSED"), "\(inPlace.stdout)\(inPlace.stderr)")
        // An empty or damaged baseline folder is written anew with --update-baseline, and refused without.
        let empty = cli.tempDir().path
        try FileManager.default.createDirectory(atPath: empty, withIntermediateDirectories: true)
        let refused = try await cli.drsim(["check"] + Self.model + ["--baseline", empty, "--out", out, "--force"])
        #expect(refused.status == 65 && refused.stderr.contains("holds no complete drsim results"), "\(refused.stderr)")
        let repaired = try await cli.drsim(
            ["check"] + Self.model + ["--baseline", empty, "--out", out, "--update-baseline", "--force"])
        #expect(
            repaired.status == 0 && repaired.stderr.contains("it is written anew from this run"), "\(repaired.stderr)")
        #expect(FileManager.default.fileExists(atPath: empty + "/replications.csv"))
    }

    /// The JUnit report never lands on the config or a result file, and replaces only a JUnit report.
    @Test(.slow) func theJUnitReportCannotOverwriteWhatMatters() async throws {
        let out = cli.tempDir()
        let config = cli.tempDir().appendingPathComponent("model.json")
        try FileManager.default.createDirectory(
            at: config.deletingLastPathComponent(), withIntermediateDirectories: true)
        try FileManager.default.copyItem(
            at: CLITests.root.appendingPathComponent("models/tuned-active-passive.json"), to: config)
        let target = [
            "--expect", "detection_s:p50 <= 1000", "--replications", "40", "--set", "clients.resolvers=100", "--out",
            out.path,
        ]
        for (junit, message) in [
            (config.path, "is the config file"), (out.path + "/summary.csv", "is a result file in the output folder"),
            (config.deletingLastPathComponent().path, "is a folder"),
        ] {
            let r = try await cli.drsim(["check", config.path, "--junit", junit] + target)
            #expect(r.status == 64 && r.stderr.contains(message), "\(junit): \(r.stderr)")
        }
        let notes = config.deletingLastPathComponent().appendingPathComponent("notes.txt")
        try Data("my notes".utf8).write(to: notes)
        let r = try await cli.drsim(["check", config.path, "--junit", notes.path] + target)
        #expect(r.status == 64 && r.stderr.contains("exists and is not a JUnit report"), "\(r.stderr)")
        #expect(try String(contentsOf: notes, encoding: .utf8) == "my notes")
        let junit = config.deletingLastPathComponent().appendingPathComponent("drsim.xml").path
        for _ in 0..<2 {
            #expect(
                try await cli.drsim(["check", config.path, "--junit", junit, "--quiet", "--force"] + target).status == 0
            )
        }
    }

    @Test(.slow) func diffOfIdenticalFoldersIsNoChangeAndOfAChangedTTLIsChanged() async throws {
        let a = cli.tempDir().path
        let b = cli.tempDir().path
        let c = cli.tempDir().path
        for (dir, sets) in [(a, [String]()), (b, []), (c, ["--set", "dns.ttl_s=300"])] {
            #expect(try await cli.drsim(["run"] + Self.model + sets + ["--out", dir, "--quiet"]).status == 0)
        }
        let same = try await cli.drsim(["diff", a, b])
        #expect(
            same.status == 0 && same.stdout.contains("diff: no change")
                && same.stdout.contains("config: the same (fnv1a64:"), "\(same.stdout)")
        let moved = try await cli.drsim(["diff", a, c, "--json"])
        #expect(moved.status == 1, "\(moved.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(moved.stdout.utf8)) as? [String: Any])
        let baseline = try #require(json["baseline"] as? [String: Any])
        #expect(json["outcome"] as? String == "failed" && baseline["changed"] as? Bool == true)
        #expect(baseline["config_changes"] as? [String] == ["dns.ttl_s: 30 → 300"])
        let metrics = try #require(baseline["metrics"] as? [[String: Any]])
        #expect(metrics.contains { $0["metric"] as? String == "recovered_90_s" && $0["changed"] as? Bool == true })
        // Damaged or missing folders: a reason, exit 1.
        let none = try await cli.drsim(["diff", a, "/nonexistent/folder"])
        #expect(none.status == 65 && none.stderr.contains("new: /nonexistent/folder does not exist"), "\(none.stderr)")
        let bad = try await cli.drsim(["diff", a, b, "--alpha", "2"])
        #expect(bad.status == 64 && bad.stderr.contains("--alpha must be above 0 and below 1"))
    }

    @Test(.slow) func badTargetsAndMissingWorkAreRefused() async throws {
        let m = "models/tuned-active-passive.json"
        for (args, status, message) in [
            (["--expect", "rto_s:max <= 60"], Int32(64), "max has no confidence interval"),
            (["--expect", "rto:p99 <= 60"], 64, "no metric \"rto\""),
            ([], 64, "check has nothing to judge"),
            (["--update-baseline", "--expect", "rto_s:p99<=60"], 64, "--update-baseline needs --baseline"),
            (["--max-replications", "10", "--expect", "rto_s:p99<=60"], 64, "needs --until-decided"),
            (
                ["--set", "expect=[\"rto_s:p99 <= x\"]"], 65,
                "expect[0]: \"rto_s:p99 <= x\": the bound must be a number"
            ),
            (
                ["--expect", "rto_s:p99<=60", "--junit", "/tmp"], 64,
                "--junit /tmp is a folder: give a file in it, e.g. --junit /tmp/drsim.xml"
            ),
            (["--expect", "rto_s:p99<=60", "--expect", "rto_s:p99 <= 60"], 64, "is given twice"),
            (["--expect", "rto_s:p99<=60", "--alpha", "0.05"], 64, "--alpha applies to the baseline comparison"),
            (["--baseline", ""], 64, "--baseline \"\": give the baseline's result folder"),
        ] {
            let r = try await cli.drsim(["check", m] + args)
            #expect(r.status == status, "\(args): \(r.stderr)")
            #expect(r.stderr.contains(message), "\(args): \(r.stderr)")
        }
    }

    // MARK: JUnit

    /// The JUnit report: valid against the schema CI systems read (xmllint, where installed; required
    /// in CI), and, checked here directly, the element nesting, required attributes and counts.
    @Test(.slow) func theJUnitReportIsWhatCISystemsRead() async throws {
        let base = cli.tempDir().path
        let junit = cli.tempDir().appendingPathComponent("reports/drsim.xml").path
        #expect(try await cli.drsim(["run"] + Self.model + ["--out", base, "--quiet"]).status == 0)
        let r = try await cli.drsim(
            ["check"] + Self.model + [
                "--set", "dns.ttl_s=300", "--baseline", base, "--junit", junit,
                "--expect", "detection_s:p50 <= 1000", "--expect", "detection_s:p50 >= 1000",
                "--out", cli.tempDir().path, "--quiet",
            ])
        #expect(r.status == 1, "\(r.stderr)")
        let xml = try String(contentsOfFile: junit, encoding: .utf8)
        let tree = try #require(JUnitTree(xml))
        #expect(tree.root?.name == "testsuites")
        let suites = tree.root?.children ?? []
        #expect(suites.map(\.name) == ["testsuite", "testsuite"])
        var total = 0
        var failed = 0
        for suite in suites {
            #expect(suite.attributes["name"] != nil)
            let cases = suite.children
            #expect(
                cases.allSatisfy {
                    $0.name == "testcase" && $0.attributes["name"] != nil && $0.attributes["classname"] != nil
                })
            let failures = cases.filter { $0.children.contains { $0.name == "failure" } }
            #expect(
                suite.attributes["tests"] == String(cases.count)
                    && suite.attributes["failures"] == String(failures.count))
            for f in failures.flatMap(\.children) {
                #expect(
                    f.name == "failure" && f.attributes["message"] != nil
                        && ["failed", "changed", "undecided"].contains(f.attributes["type"] ?? ""))
            }
            total += cases.count
            failed += failures.count
        }
        // Two targets, then every metric that applies (under MREC and without a year, all but mrsc_write_latency_s
        // and the year's) against the baseline.
        #expect(total == 2 + Metric.allCases.count - 1 - Metric.perYear.count)
        #expect(tree.root?.attributes["tests"] == String(total) && tree.root?.attributes["failures"] == String(failed))
        // The failed target carries its numbers; a moved metric names the test and the config change.
        #expect(xml.contains("failed: detection_s:p50 &gt;= 1000: p50 = "))
        #expect(
            xml.contains("changed at α = 0.01: recovered_90_s: sign test (paired) p&lt;0.0001")
                && xml.contains("config: dns.ttl_s: 30 → 300"))
        if Tools.absent(Tools.which("xmllint"), "apt-get install libxml2-utils") { return }
        let schema = Tools.root.appendingPathComponent("Tests/DRSimCLITests/Schemas/junit.xsd").path
        let lint = try await Tools.run(
            try #require(Tools.which("xmllint"), "xmllint is missing: apt-get install libxml2-utils"),
            ["--noout", "--schema", schema, junit])
        #expect(lint.status == 0, "\(lint.stderr)")
    }

    // MARK: The CI examples

    /// The commands of examples/ci's GitHub Actions step "Check the DR model" and GitLab job's script,
    /// run as written (with this build's drsim on the PATH, in a copy of the files they read) against
    /// the committed baseline: drsim's model has not moved, so the check passes and writes its report.
    /// (Their build steps are what this test's own build already did.)
    @Test(.slow, arguments: ["github-actions.yml", "gitlab-ci.yml"])
    func theCIExamplesCommandsPass(_ file: String) async throws {
        let text = try String(contentsOf: Tools.root.appendingPathComponent("examples/ci/\(file)"), encoding: .utf8)
        let commands =
            file == "github-actions.yml" ? Self.runBlock(text, step: "Check the DR model") : Self.scriptItems(text)
        #expect(commands.contains { $0.contains("drsim check") }, "\(commands)")
        let work = cli.tempDir()
        let fm = FileManager.default
        try fm.createDirectory(at: work.appendingPathComponent("examples/ci"), withIntermediateDirectories: true)
        try fm.copyItem(at: Tools.root.appendingPathComponent("models"), to: work.appendingPathComponent("models"))
        try fm.copyItem(
            at: Tools.root.appendingPathComponent("examples/ci/baseline"),
            to: work.appendingPathComponent("examples/ci/baseline"))
        let path =
            CLITests.binary.deletingLastPathComponent().path + ":"
            + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")
        let r = try await Tools.run(
            "/bin/bash", ["-euo", "pipefail", "-c", commands.joined(separator: "\n")], cwd: work,
            environment: ["PATH": path])
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
        #expect(
            r.stdout.contains("check: PASSED: 4 of 4 targets met")
                && r.stdout.contains("no distribution moved from the baseline"), "\(r.stdout)")
        #expect(fm.fileExists(atPath: work.appendingPathComponent("reports/drsim.xml").path))
        // The baseline is left as committed.
        for f in ResultFiles.names {
            #expect(
                try Data(contentsOf: work.appendingPathComponent("examples/ci/baseline/seed-active-passive/\(f)"))
                    == Data(
                        contentsOf: Tools.root.appendingPathComponent("examples/ci/baseline/seed-active-passive/\(f)")))
        }
    }

    /// The lines of a workflow step's `run: |` block, continuation backslashes joined.
    static func runBlock(_ yaml: String, step: String) -> [String] {
        let lines = yaml.components(separatedBy: "\n")
        guard let named = lines.firstIndex(where: { $0.contains("- name: \(step)") }),
            let run = lines[named...].firstIndex(where: { $0.trimmingCharacters(in: .whitespaces) == "run: |" })
        else { return [] }
        let indent = lines[run].prefix { $0 == " " }.count
        let body = lines[(run + 1)...].prefix {
            $0.trimmingCharacters(in: .whitespaces).isEmpty || $0.prefix { $0 == " " }.count > indent
        }
        return body.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// The items of a GitLab job's `script:` list.
    static func scriptItems(_ yaml: String) -> [String] {
        let lines = yaml.components(separatedBy: "\n")
        guard let start = lines.firstIndex(where: { $0.trimmingCharacters(in: .whitespaces) == "script:" }) else {
            return []
        }
        return lines[(start + 1)...].prefix { $0.trimmingCharacters(in: .whitespaces).hasPrefix("- ") }
            .map { String($0.trimmingCharacters(in: .whitespaces).dropFirst(2)) }
    }
}

/// An XML document as a tree of elements (names, attributes, children), for checking structure.
struct JUnitTree {
    final class Node {
        let name: String
        let attributes: [String: String]
        var children: [Node] = []
        init(_ name: String, _ attributes: [String: String]) { (self.name, self.attributes) = (name, attributes) }
    }
    var root: Node?

    init?(_ text: String) {
        let builder = Builder()
        let parser = XMLParser(data: Data(text.utf8))
        parser.delegate = builder
        guard parser.parse() else { return nil }
        root = builder.root
    }

    private final class Builder: NSObject, XMLParserDelegate {
        var root: Node?
        var stack: [Node] = []
        func parser(
            _ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
            attributes: [String: String] = [:]
        ) {
            let node = Node(name, attributes)
            if let parent = stack.last { parent.children.append(node) } else { root = node }
            stack.append(node)
        }
        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            stack.removeLast()
        }
    }
}
