import ArgumentParser
import DRSim
import DRSimFiles
import DRSimRender
import DRSimResults
import DRSimStudy
import Foundation

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract:
            "Runs the model and judges its targets (the config's expect list, --expect) and, with --baseline, whether "
            + "its distributions moved.",
        discussion: """
            A target is judged on its statistic's 95% interval: met (the whole interval satisfies it), failed (the \
            whole interval breaks it) or undecided (the interval straddles the bound; the output says about how many \
            replications would decide it, and --until-decided adds them).
            With --baseline DIR, each metric's distribution is tested against the result folder DIR (see drsim diff). \
            The run's result files go to the output folder as drsim run writes them.
            Exit status: 0 every target met and nothing moved; 1 a target failed or a distribution moved (or a failure \
            to write: the reason is on stderr); 3 nothing failed but a target is undecided; 64 bad command line; 65 \
            bad config, or a baseline that is missing or damaged.
            """)

    @OptionGroup var options: ConfigOptions
    @OptionGroup var output: OutputOptions

    @Option(
        name: .customLong("expect"),
        help: ArgumentHelp(
            "A target, added to the config's expect list: METRIC:STAT OP VALUE, e.g. 'rto_s:p99 <= 600' (repeatable).",
            valueName: "TARGET"))
    var expect: [String] = []

    @Option(
        help: ArgumentHelp("A result folder to compare the run with (as drsim diff does).", valueName: "DIR"),
        completion: .directory)
    var baseline: String?

    @Flag(
        help:
            ArgumentHelp(
                "Rewrite the --baseline folder with this run's results (creating it if missing); its changes are "
                    + "reported but do not fail the check.")
    )
    var updateBaseline = false

    @Option(
        help: ArgumentHelp(
            "Also write the verdicts as JUnit XML to this file (for GitHub Actions, GitLab, Jenkins).",
            valueName: "FILE"),
        completion: .file(extensions: ["xml"]))
    var junit: String?

    @Option(
        parsing: .unconditional,
        help:
            ArgumentHelp(
                "Significance of the baseline comparison, for all metrics together (default "
                    + "\(formatNumber(BaselineDiff.defaultAlpha))).")
    )
    var alpha: Double?

    @Flag(help: "Add replications in batches until every target is met or failed (or --max-replications is reached).")
    var untilDecided = false

    @Option(
        parsing: .unconditional,
        help: ArgumentHelp(
            "With --until-decided, stop at this many replications (default \(Precision.defaultCap)).", valueName: "N"))
    var maxReplications: Int?

    func validate() throws {
        for e in expect {
            do { _ = try Expectation(parsing: e) } catch { throw ValidationError("--expect \(error.message)") }
        }
        if let a = alpha, !(a > 0 && a < 1) {
            throw ValidationError("--alpha must be above 0 and below 1 (e.g. 0.01), found \(formatNumber(a))")
        }
        if updateBaseline && baseline == nil {
            throw ValidationError("--update-baseline needs --baseline DIR: the folder to rewrite")
        }
        if let m = maxReplications {
            guard untilDecided else {
                throw ValidationError(
                    "--max-replications \(m) needs --until-decided: without it the run has a fixed count "
                        + "(--replications)"
                )
            }
            guard (1...10_000_000).contains(m) else {
                throw ValidationError("--max-replications must be from 1 to 10000000, found \(m)")
            }
        }
        if junit?.isEmpty == true { throw ValidationError("--junit \"\": give a file, e.g. --junit reports/drsim.xml") }
        if baseline?.isEmpty == true {
            throw ValidationError(
                "--baseline \"\": give the baseline's result folder, e.g. --baseline baselines/<name>")
        }
        if alpha != nil && baseline == nil {
            throw ValidationError(
                "--alpha applies to the baseline comparison: add --baseline DIR, or leave --alpha out")
        }
        var isDir: ObjCBool = false
        if let j = junit, FileManager.default.fileExists(atPath: j, isDirectory: &isDir), isDir.boolValue {
            throw ValidationError(
                "--junit \(j) is a folder: give a file in it, e.g. --junit \(j.hasSuffix("/") ? j : j + "/")drsim.xml")
        }
    }

    func run() throws {
        let config = try load()
        let dir = output.folder(default: config.name)
        let old = try readBaseline()
        let sameFolder =
            baseline.map {
                ResultFolderGuard.realPath(URL(fileURLWithPath: $0)) == ResultFolderGuard.realPath(dir)
            } ?? false
        try checkFolders(dir, sameFolder: sameFolder)
        let cap = untilDecided ? maxReplications ?? Precision.defaultCap : nil
        try output.checkMemory([config], replications: cap ?? config.replications, growing: untilDecided)
        let started = Date()
        let (result, growth) = try simulate(config, untilDecided: cap)
        let report = CheckRun.report(
            result, baseline: old, alpha: alpha ?? BaselineDiff.defaultAlpha,
            counting: !updateBaseline)
        var batch = FileBatch()
        ResultFiles(result).add(to: &batch, in: dir)
        if let junit { batch.add(URL(fileURLWithPath: junit), text: report.junit) }
        // With --out on the baseline folder, its files are written once.
        if updateBaseline, let b = baseline, !sameFolder {
            ResultFiles(result).add(to: &batch, in: URL(fileURLWithPath: b))
            batch.replace(folder: URL(fileURLWithPath: b))
        }
        try output.finish(
            batch, in: dir, text: report.text + (growth?.note(report) ?? ""), json: report.json,
            replacing: output.force || (sameFolder && updateBaseline))
        if !output.quiet {
            if updateBaseline, let b = baseline {
                printError("drsim: baseline \(b) \(old == nil ? "written" : "rewritten") with this run's results")
            }
            if let junit { printError("drsim: JUnit report in \(junit)") }
            printError(
                String(
                    format: "drsim: %d replications in %.2f s; results in %@", result.results.count,
                    Date().timeIntervalSince(started), dir.path))
        }
        switch report.outcome {
        case .passed: return
        case .failed: throw ExitStatus.failure.code
        case .undecided: throw ExitStatus.undecided.code
        }
    }

    /// The config with the --expect targets added (`CheckRun.add`), its warnings printed; refuses a
    /// check with nothing to judge.
    func load() throws -> Config {
        let loaded = try options.load()
        var config = loaded.config
        output.warn(loaded.warnings)
        output.noteThreads()
        do { try CheckRun.add(expect.compactMap { try? Expectation(parsing: $0) }, to: &config) } catch {
            throw ValidationError(error.message)
        }
        guard !config.expect.isEmpty || baseline != nil else {
            throw usageFailure(
                "check has nothing to judge: give targets "
                    + "(an \"expect\" list in the config, or --expect 'rto_s:p99 <= 600') "
                    + "or a baseline (--baseline DIR)")
        }
        return config
    }

    /// Checks, before anything is simulated, that the results, the JUnit report and a baseline to
    /// rewrite can be written where they go (`ResultFolderGuard`), and that the run would not
    /// overwrite its baseline unasked. `sameFolder`: the output folder is the baseline's.
    func checkFolders(_ dir: URL, sameFolder: Bool) throws {
        if sameFolder && !updateBaseline {
            let which = output.out == nil ? " (the default)" : ""
            throw ValidationError(
                "--out \(dir.path)\(which) is the baseline folder: the run would overwrite it; "
                    + "choose another --out, or add --update-baseline to rewrite the baseline")
        }
        if let junit {
            // Not on a result file of the run or the baseline, even before they exist.
            let folders =
                [(dir, "the output folder (--out)")]
                + (baseline.map { [(URL(fileURLWithPath: $0), "the baseline folder")] } ?? [])
            try refusing { () throws(ResultFolderRefusal) in
                try ResultFolderGuard.drsim.checkOutputFile(
                    junit, .junit, config: options.config,
                    resultFolders: folders)
            }
        }
        // A JUnit report inside the output folder is written into the new folder with the results.
        let junitInOut = junit.map { URL(fileURLWithPath: $0) }.flatMap {
            let inOut = ResultFolderGuard.realPath($0.deletingLastPathComponent()) == ResultFolderGuard.realPath(dir)
            return inOut ? $0.lastPathComponent : nil
        }
        try output.checkResultFolder(
            dir, replacing: output.force || (sameFolder && updateBaseline),
            alsoWrites: Set(junitInOut.map { [$0] } ?? []))
        if updateBaseline, let b = baseline, !sameFolder {
            try output.checkResultFolder(URL(fileURLWithPath: b), replacing: true)
        }
    }

    /// Runs the check (`CheckRun.run`) with its progress on stderr; a simulation that fails prints why
    /// and exits 1.
    func simulate(_ config: Config, untilDecided cap: Int?) throws -> (RunOutput, CheckRun.Growth?) {
        let progress = output.quiet ? nil : ProgressDisplay(total: config.replications)
        progress?.start()
        do {
            let ran = try CheckRun.run(config, untilDecided: cap, threads: output.workers, progress: progress?.counter)
            progress?.finish()
            return ran
        } catch let e as UsageError {
            progress?.finish()
            throw ValidationError(e.message)
        } catch {
            progress?.finish()
            printError("drsim: the simulation failed: \(error)")
            throw ExitStatus.failure.code
        }
    }

    /// The baseline to compare with: nil without --baseline. A missing or damaged one prints why (and
    /// how to make one) and exits 65, unless --update-baseline is to write it: then it is nil (a new
    /// or repaired baseline), with a note when there was something there.
    func readBaseline() throws -> ResultSet? {
        guard let b = baseline else { return nil }
        if updateBaseline && !FileManager.default.fileExists(atPath: b) { return nil }
        do {
            return try ResultSet(folder: b)
        } catch {
            if updateBaseline {
                if !output.quiet {
                    printError("note: the baseline \(b) cannot be read (\(error)); it is written anew from this run")
                }
                return nil
            }
            printError("drsim: baseline: \(error); to make it from this run, add --update-baseline")
            throw ExitStatus.badInput.code
        }
    }
}
