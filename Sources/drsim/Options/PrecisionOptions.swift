import ArgumentParser
import DRSim
import DRSimStudy
import Foundation

/// `--precision` and `--max-replications`: replications added in batches until intervals are narrow.
struct PrecisionOptions: ParsableArguments {
    @Option(name: .customLong("precision"), help: ArgumentHelp(
        "Adds replications until this interval is narrow enough: METRIC:STAT=±X or ±X% (STAT: mean, p50, p90, p99; repeatable).",
        valueName: "METRIC:STAT=±X"))
    var precision: [String] = []

    @Option(parsing: .unconditional, help: ArgumentHelp("With --precision, stop at this many replications (default \(Precision.defaultCap)).", valueName: "N"))
    var maxReplications: Int?

    func validate() throws {
        var seen: [PrecisionTarget] = []
        for p in precision {
            let t: PrecisionTarget
            do { t = try PrecisionTarget(parsing: p) } catch { throw ValidationError(error.message) }
            if seen.contains(where: { $0.metric == t.metric && $0.statistic == t.statistic }) {
                throw ValidationError("--precision \(p): \(t.metric.rawValue):\(t.statistic.rawValue) is given twice; give each metric and statistic once")
            }
            seen.append(t)
        }
        if let m = maxReplications {
            guard !precision.isEmpty else {
                throw ValidationError("--max-replications \(m) needs --precision: without it the run has a fixed count (--replications)")
            }
            guard (1...10_000_000).contains(m) else { throw ValidationError("--max-replications must be from 1 to 10000000, found \(m)") }
        }
    }

    /// The targets (`validate()` has refused any that cannot be read).
    var targets: [PrecisionTarget] { precision.compactMap { try? PrecisionTarget(parsing: $0) } }
    var cap: Int { maxReplications ?? Precision.defaultCap }

    /// Runs `configs` together from `fixed` replications until every target is met at every one of
    /// them, or to the cap; `checks` gives the checks of the runs so far. First refuses what would not
    /// fit in memory (`OutputOptions.checkMemory`); shows progress on stderr unless --quiet. The configs run together,
    /// sharing what they have in common (`Runner.run`); without --precision each runs its own count and only its output is
    /// kept (a growing run also holds its timeline sums, about 14 MB for an hour at 1 s steps).
    /// A simulation that fails prints why and exits 1.
    /// `name(k)` says which config k is in a message (a sweep's point, a comparison's side).
    func run(_ configs: [Config], fixed: Int, output: OutputOptions, name: (Int) -> String = { "point \($0 + 1)" },
             checks: ([RunOutput]) -> [PrecisionCheck]) throws -> ([RunOutput], PrecisionOutcome?) {
        if !precision.isEmpty && fixed > cap {
            throw usageFailure("--max-replications \(cap) is below the \(fixed) replications to start from; raise it, or start lower with --replications")
        }
        // A metric that a config does not have would never narrow: the run would go on to the cap.
        for t in targets {
            for (k, c) in configs.enumerated() where !t.metric.applies(to: c) {
                let which = configs.count == 1 ? "this config" : name(k)
                throw usageFailure("--precision \(t): \(t.metric.rawValue) does not apply to \(which) (traffic.write_share is 0: no writes), "
                    + "so its interval can never narrow; drop this target or give the config writes")
            }
        }
        try output.checkMemory(configs, replications: precision.isEmpty ? fixed : cap, growing: !precision.isEmpty)
        let display = output.quiet ? nil : ProgressDisplay(total: configs.count * fixed)
        display?.start()
        defer { display?.finish() }
        let (threads, progress) = (output.workers, display?.counter)
        do {
            guard !precision.isEmpty else { return (try Runner.run(configs, threads: threads, progress: progress), nil) }
            var grown = GrowingRuns(configs)
            let outcome = try Precision.reach(from: fixed, cap: cap) { n in
                try grown.extend(to: n, threads: threads, progress: progress)
                return checks(grown.outputs)
            }
            return (grown.outputs, outcome)
        } catch {
            printError("drsim: the simulation failed: \(error)")
            throw ExitStatus.failure.code
        }
    }
}
