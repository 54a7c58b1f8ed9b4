import DRSim
import Foundation

/// Configs run together, sharing what they have in common (`Runner.run`): at a fixed count, or, with
/// precision targets (`--precision`), grown in batches from that count until every target is met at
/// every config or the cap is reached (`Precision.reach`).
public struct PrecisionRun: Sendable {
    /// The targets; none runs every config at its fixed count.
    public var targets: [PrecisionTarget]
    /// The most replications a growing run reaches (`--max-replications`).
    public var cap: Int

    public init(targets: [PrecisionTarget], cap: Int = Precision.defaultCap) {
        self.targets = targets
        self.cap = cap
    }

    /// The most replications each config may run: `fixed`, or with targets the cap.
    public func most(from fixed: Int) -> Int { targets.isEmpty ? fixed : cap }

    /// Why `configs` cannot run from `fixed` replications: a cap below the start, or a target whose
    /// metric a config does not have (its interval would never narrow, and the run would go on to the
    /// cap). `name(k)` says which config k is (a sweep's point, a comparison's side).
    public func refusal(_ configs: [Config], fixed: Int, name: (Int) -> String) -> UsageError? {
        if !targets.isEmpty && fixed > cap {
            return UsageError(
                "--max-replications \(cap) is below the \(fixed) replications to start from; "
                    + "raise it, or start lower with --replications")
        }
        for t in targets {
            for (k, c) in configs.enumerated() {
                guard let why = t.metric.absence(in: c) else { continue }
                let which = configs.count == 1 ? "this config" : name(k)
                return UsageError(
                    "--precision \(t): \(t.metric.rawValue) does not apply to \(which) (\(why)), so its interval "
                        + "can never narrow; drop this target")
            }
        }
        return nil
    }

    /// Runs `configs` from `fixed` replications on `threads` workers; `checks` gives the checks of the
    /// runs so far. Without targets each config runs its own count and only its output is kept (a
    /// growing run also holds its timeline sums, about 14 MB for an hour at 1 s steps). `progress`
    /// counts finished replications. Returns the runs and, with targets, how the growth went.
    public func run(
        _ configs: [Config], fixed: Int, threads: Int, progress: RunProgress?,
        checks: ([RunOutput]) -> [PrecisionCheck]
    ) throws -> ([RunOutput], PrecisionOutcome?) {
        guard !targets.isEmpty else { return (try Runner.run(configs, threads: threads, progress: progress), nil) }
        var grown = GrowingRuns(configs)
        let outcome = try Precision.reach(from: fixed, cap: cap) { n in
            try grown.extend(to: n, threads: threads, progress: progress)
            return checks(grown.outputs)
        }
        return (grown.outputs, outcome)
    }
}
