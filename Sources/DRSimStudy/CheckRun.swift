import DRSim
import DRSimResults
import Foundation

/// `drsim check`'s run: a config with its targets, run at its count or until its targets are decided
/// (`--until-decided`), judged, and compared with a baseline.
public enum CheckRun {
    /// How `--until-decided` went: the count reached and the counts on the way.
    public struct Growth: Sendable, Equatable {
        public var replications: Int
        public var batches: [Int]

        public init(replications: Int, batches: [Int]) {
            self.replications = replications
            self.batches = batches
        }

        /// The line that reports it under the verdicts, with why it stopped short of deciding.
        public func note(_ report: CheckReport) -> String {
            let capped = report.targets.contains { $0.verdict == .undecided && !$0.undecidable }
            let stopped =
                capped
                ? ", stopped at the cap (--max-replications)"
                : report.targets.contains { $0.undecidable }
                    ? ", stopped: what is left undecided no number of replications can decide (see the notes)" : ""
            return "--until-decided: \(replications) replications "
                + "(batches \(batches.map(String.init).joined(separator: " → ")))" + stopped + "\n"
        }
    }

    /// Adds `targets` (`--expect`) to the config's expect list, so that run.json records every target
    /// the run was judged on; refuses one given twice, or one whose metric has no values in the config.
    /// `option` names where the targets came from in a refusal (`--expect`, `--target`); `which` names the
    /// config (`this config`, or a point of a grid).
    public static func add(
        _ targets: [Expectation], to config: inout Config, option: String = "--expect", which: String = "this config"
    ) throws(UsageError) {
        for e in targets {
            guard !config.expect.contains(e) else {
                throw UsageError(
                    "\(option) \(e) is given twice (or is already in the config's expect list); give each target once")
            }
            if let why = e.metric.absence(in: config) {
                throw UsageError("\(option) \(e): \(e.metric.rawValue) has no values in \(which) (\(why))")
            }
            config.expect.append(e)
        }
    }

    /// Runs `config` on `threads` workers: at its count, or with `untilDecided` (the cap) in batches
    /// until every target is met or failed or the cap is reached. `progress` counts finished
    /// replications. Throws a `UsageError` when the cap is below the count to start from.
    public static func run(
        _ config: Config, untilDecided cap: Int?, threads: Int,
        progress: RunProgress?
    ) throws -> (RunOutput, Growth?) {
        var run = GrowingRun(config)
        guard let cap else {
            try run.extend(to: config.replications, threads: threads, progress: progress)
            return (run.output, nil)
        }
        guard config.replications <= cap else {
            throw UsageError(
                "--max-replications \(cap) is below the \(config.replications) replications to start from; "
                    + "raise it, or start lower with --replications")
        }
        let grown = try Precision.grow(from: config.replications, cap: cap) { n in
            try run.extend(to: n, threads: threads, progress: progress)
            return TargetJudgement.judge(config.expect, run.output)
        }
        return (run.output, Growth(replications: grown.replications, batches: grown.batches))
    }

    /// The verdicts on `result`: its targets (the config's expect list) and, with a `baseline`, whether
    /// its distributions moved at significance `alpha`. `counting`: whether a move fails the check
    /// (not while the baseline is being rewritten).
    public static func report(_ result: RunOutput, baseline: ResultSet?, alpha: Double, counting: Bool) -> CheckReport {
        let diff = baseline.map { BaselineDiff(baseline: $0, new: ResultSet(result, label: "this run"), alpha: alpha) }
        let targets = TargetJudgement.judge(result.config.expect, result)
        return CheckReport(
            "check", name: result.config.name, replications: result.results.count,
            targets: targets, diff: diff, diffCounts: counting)
    }
}
