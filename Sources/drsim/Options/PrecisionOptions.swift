import ArgumentParser
import DRSim
import DRSimStudy
import Foundation

/// `--precision` and `--max-replications`: replications added in batches until intervals are narrow.
struct PrecisionOptions: ParsableArguments {
    @Option(
        name: .customLong("precision"),
        help: ArgumentHelp(
            "Adds replications until this interval is narrow enough: METRIC:STAT=±X or ±X% (STAT: mean, p50, p90, "
                + "p99; repeatable).",
            valueName: "METRIC:STAT=±X"))
    var precision: [String] = []

    @Option(
        parsing: .unconditional,
        help: ArgumentHelp(
            "With --precision, stop at this many replications (default \(Precision.defaultCap)).", valueName: "N"))
    var maxReplications: Int?

    func validate() throws {
        var seen: [PrecisionTarget] = []
        for p in precision {
            let t: PrecisionTarget
            do { t = try PrecisionTarget(parsing: p) } catch { throw ValidationError(error.message) }
            if seen.contains(where: { $0.metric == t.metric && $0.statistic == t.statistic }) {
                throw ValidationError(
                    "--precision \(p): \(t.metric.rawValue):\(t.statistic.rawValue) is given twice; give each metric "
                        + "and statistic once"
                )
            }
            seen.append(t)
        }
        if let m = maxReplications {
            guard !precision.isEmpty else {
                throw ValidationError(
                    "--max-replications \(m) needs --precision: without it the run has a fixed count (--replications)")
            }
            guard (1...10_000_000).contains(m) else {
                throw ValidationError("--max-replications must be from 1 to 10000000, found \(m)")
            }
        }
    }

    /// The targets (`validate()` has refused any that cannot be read).
    var targets: [PrecisionTarget] { precision.compactMap { try? PrecisionTarget(parsing: $0) } }
    var cap: Int { maxReplications ?? Precision.defaultCap }

    /// Runs `configs` together from `fixed` replications until every target is met at every one of
    /// them, or to the cap (`PrecisionRun`); `checks` gives the checks of the runs so far. First refuses
    /// what cannot narrow (exit 64) or would not fit in memory (`OutputOptions.checkMemory`); shows
    /// progress on stderr unless --quiet. A simulation that fails prints why and exits 1.
    /// `name(k)` says which config k is in a message (a sweep's point, a comparison's side).
    func run(
        _ configs: [Config], fixed: Int, output: OutputOptions, name: (Int) -> String = { "point \($0 + 1)" },
        checks: ([RunOutput]) -> [PrecisionCheck]
    ) throws -> ([RunOutput], PrecisionOutcome?) {
        let plan = PrecisionRun(targets: targets, cap: cap)
        if let refusal = plan.refusal(configs, fixed: fixed, name: name) { throw usageFailure(refusal.message) }
        try output.checkMemory(configs, replications: plan.most(from: fixed), growing: !precision.isEmpty)
        let display = output.quiet ? nil : ProgressDisplay(total: configs.count * fixed)
        display?.start()
        defer { display?.finish() }
        do {
            return try plan.run(
                configs, fixed: fixed, threads: output.workers, progress: display?.counter, checks: checks)
        } catch {
            printError("drsim: the simulation failed: \(error)")
            throw ExitStatus.failure.code
        }
    }
}
