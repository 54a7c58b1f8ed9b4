import CGSL
import DRSim
import DRSimResults
import DRSimStudy
import DRSimTestSupport
import Foundation
import Testing

/// Targets (`expect`), their verdicts, and the baseline diff's tests (`drsim check`, `drsim diff`).
@Suite struct CheckTests {
    // MARK: Targets as written

    @Test func theExpectListIsCheckedAndWrittenToRunJSON() throws {
        #expect(throws: ConfigError.self) {
            try scenario(["expect=[\"rto_s:p99 <= 600\", 3, \"rto:mean<1\", \"rto_s:p99<=600\"]"])
        }
        do { _ = try scenario(["expect=[\"rto_s:p99 <= 600\", 3, \"rto:mean<1\", \"rto_s:p99<=600\"]"]) } catch {
            let issues = (error as? ConfigError)?.issues ?? []
            #expect(issues.map(\.path) == ["expect[1]", "expect[2]", "expect[3]"])
            #expect(issues.last?.message.contains("already in the list") == true)
        }
        #expect(throws: ConfigError.self) {
            try scenario(["traffic.write_share=0", "expect=[\"write_rto_s:mean <= 60\"]"])
        }
        let c = try scenario(["expect=[\"rto_s:p99 <= 600\", \"lost_writes:mean<150\"]"])
        #expect(c.expect.map(\.description) == ["rto_s:p99 <= 600", "lost_writes:mean < 150"])
        // run.json holds them, and decodes to the same config; a config without targets keeps its hash.
        #expect(try Config.decode(c.resolved).config == c)
        guard case .object(let top) = c.resolved, case .array? = top["expect"] else {
            Issue.record("no expect in run.json")
            return
        }
        guard case .object(let plain) = try scenario().resolved else { return }
        #expect(plain["expect"] == nil)
    }

    // MARK: Verdicts

    /// 1000 values 0.5, 1.5, …, 999.5 (no randomness): mean 500, sd ≈ 288.8, so the mean's 95% interval
    /// is 500 ± 1.962·288.8/√1000 ≈ 500 ± 17.92.
    static let evenly: Sample = {
        var s = Sample()
        for i in 0..<1000 { s.append(Double(i) + 0.5) }
        return s
    }()

    @Test func aTargetIsMetFailedOrUndecidedByItsInterval() throws {
        let half = gsl_cdf_tdist_Pinv(0.975, 999) * sd(Self.evenly.values) / 1000.0.squareRoot()
        func judge(_ text: String) throws -> TargetJudgement {
            TargetJudgement(try Expectation(parsing: text), sample: Self.evenly)
        }
        let met = try judge("rto_s:mean <= 520")
        let failed = try judge("rto_s:mean <= 480")
        let open = try judge("rto_s:mean <= 505")
        #expect(abs(met.low - (500 - half)) < 1e-9 && abs(met.high - (500 + half)) < 1e-9)
        #expect(met.verdict == .met && failed.verdict == .failed && open.verdict == .undecided)
        #expect(met.toDecide == nil && failed.toDecide == nil)
        // Undecided: the interval's upper half (≈17.9) must shrink to the distance 5: n·(17.9/5)²·1.1.
        #expect(open.toDecide == Int((1000 * (half / 5) * (half / 5) * 1.1).rounded(.up)))
        // Lower limits judge the other way round.
        #expect(try judge("rto_s:mean >= 480").verdict == .met)
        #expect(try judge("rto_s:mean > 520").verdict == .failed)
        // The median of 0.5…999.5 is 500; its binomial interval, orders 469 and 532 (P(B ≤ 468) ≤ 2.5% and
        // P(B ≥ 532) ≤ 2.5% for B ~ Binomial(1000, ½), summed by hand), straddles 500.
        let p50 = try judge("rto_s:p50 <= 500")
        #expect(p50.estimate == 500 && p50.low == 468.5 && p50.high == 531.5 && p50.verdict == .undecided)
        #expect(p50.toDecide == nil && p50.note?.contains("the estimate equals the bound") == true && !p50.undecidable)
        #expect(!open.undecidable)
        #expect(try judge("rto_s:p50 <= 532").verdict == .met)
        #expect(try judge("rto_s:p50 <= 468").verdict == .failed)
    }

    @Test func censoredValuesMakeTheMeanALowerBoundAndBoundPercentiles() throws {
        var s = Self.evenly
        for i in 990..<1000 {
            s.values[i] = 600
            s.censored[i] = true
        }  // 10 never happened by the horizon (600)
        func judge(_ text: String) throws -> TargetJudgement {
            TargetJudgement(try Expectation(parsing: text), sample: s)
        }
        let mean = try judge("rto_s:mean <= 10000")
        #expect(
            mean.verdict == .undecided && mean.high == .infinity && mean.note?.contains("only a lower bound") == true)
        #expect(mean.undecidable && mean.hopeless, "--until-decided would grow the run for nothing")
        #expect(try judge("rto_s:mean <= 100").verdict == .failed)  // the lower bound alone breaks it
        // p999 falls among the censored values: at least the horizon.
        let p999 = try judge("rto_s:p999 <= 500")
        #expect(
            p999.estimate == nil && p999.low == 600 && p999.verdict == .failed
                && p999.estimateText == "≥ 600.0 (censored)")
        // The censored share 10/1000 with its Clopper–Pearson interval.
        let share = try judge("rto_s:censored <= 0.05")
        #expect(share.estimate == 0.01 && share.verdict == .met)
        #expect(
            abs(share.low - gsl_cdf_beta_Pinv(0.025, 10, 991)) < 1e-12
                && abs(share.high - gsl_cdf_beta_Qinv(0.025, 11, 990)) < 1e-12)
        #expect(try judge("rto_s:censored <= 0.004").verdict == .failed)  // 10/1000: the interval starts at 0.0048
        #expect(try judge("rto_s:censored <= 0.005").verdict == .undecided)
        // Too few replications cannot bound a p99 from above at all.
        var few = Sample()
        for i in 0..<50 { few.append(Double(i)) }
        let p99 = TargetJudgement(try Expectation(parsing: "rto_s:p99 <= 1000"), sample: few)
        #expect(
            p99.verdict == .undecided && p99.high == .infinity && p99.note?.contains("it needs at least 368") == true)
        #expect(!p99.undecidable, "more replications do bound it")
    }

    // MARK: Two-sample tests

    @Test func fisherHolmAndChiSquareAgreeWithTheirFormulas() {
        // 1 of 10 against 11 of 14: Σ of hypergeometric tables no likelier than it = 0.0027594561852 (by hand).
        #expect(abs(TwoSample.fisher(1, of: 10, 11, of: 14).p - 0.002759456185220083) < 1e-12)
        #expect(TwoSample.fisher(5, of: 100, 5, of: 100).p > 0.999)
        #expect(
            zip(TwoSample.holm([0.01, 0.04, 0.03, 0.5]), [0.04, 0.09, 0.09, 0.5]).allSatisfy { abs($0 - $1) < 1e-15 })
        // Two classes (0 and 1) → one degree of freedom: p = erfc(√(x/2)).
        let a = [Double](repeating: 0, count: 60) + [Double](repeating: 1, count: 40)
        let b = [Double](repeating: 0, count: 40) + [Double](repeating: 1, count: 60)
        let t = TwoSample.chiSquare(a, b)
        #expect(abs(t.statistic - 8) < 1e-9 && abs(t.p - erfc((8.0 / 2).squareRoot())) < 1e-12)
        #expect(TwoSample.chiSquare(a, a).p == 1)
        // Classes too thin for the test merge until one is left: no evidence either way.
        #expect(TwoSample.chiSquare([0, 1, 2], [3, 4, 5]).p == 1)
        let w = TwoSample.meanDifference(Self.evenly.values, Self.evenly.values.map { $0 + 10 })
        let halfWidth =
            gsl_cdf_tdist_Pinv(0.975, 1998) * (2 * sd(Self.evenly.values) * sd(Self.evenly.values) / 1000).squareRoot()
        #expect(w.value == 10 && abs((w.high! - w.low!) / 2 - halfWidth) < 1e-6)
    }

    // MARK: The diff on runs of a model

    static func run(_ sets: [String]) throws -> ResultSet {
        ResultSet(try Runner.run(try scenario(CompareTests.base + sets), threads: 2), label: "test")
    }

    /// Two runs of one config with different seeds are called changed at most α of the time. 40 seed
    /// pairs; each is a false alarm with probability ≤ α, independently, so the count is at most
    /// Binomial(40, α), and the test fails only where that binomial exceeds the count with probability
    /// below 0.001 (the bound is derived, not tuned): at α = 0.01 more than 3 false alarms, at 0.05 more
    /// than 6, at 0.2 more than 15.
    @Test(.slow) func twoSeedsOfOneModelAreRarelyCalledChanged() throws {
        let pairs = 40
        var alarms: [Double: Int] = [0.01: 0, 0.05: 0, 0.2: 0]
        for i in 0..<pairs {
            let a = try Self.run(["seed=\(1000 + 2 * i)"])
            let b = try Self.run(["seed=\(1001 + 2 * i)"])
            for alpha in alarms.keys where BaselineDiff(baseline: a, new: b, alpha: alpha).changed {
                alarms[alpha]! += 1
            }
        }
        for (alpha, count) in alarms {
            // The smallest k with P(X > k) < 0.001 for X ~ Binomial(pairs, alpha).
            let k = (0...pairs).first { gsl_cdf_binomial_Q(UInt32($0), alpha, UInt32(pairs)) < 0.001 }!
            #expect(count <= k, "α = \(alpha): \(count) false alarms in \(pairs) pairs, allowed \(k)")
        }
    }

    /// The paired tests by hand: 9 of 10 differing pairs up gives p = 2 · P(Binomial(10, ½) ≤ 1) =
    /// 2 · 11/1024; no differing pair, p = 1; McNemar on 3 incidents censored on the new side only and 1 on
    /// the baseline's, p = 2 · P(Binomial(4, ½) ≤ 1) = 2 · 5/16.
    @Test func pairedTestsByHand() {
        let a = [Double](repeating: 1, count: 12)
        let b = [2, 2, 2, 2, 2, 2, 2, 2, 2, 0, 1, 1.0]
        let sign = TwoSample.signTest(a, b)
        #expect(abs(sign.p - 2 * 11 / 1024) < 1e-12 && abs(sign.statistic - 8.0 / 12) < 1e-12)
        #expect(TwoSample.signTest(a, a).p == 1)
        let m = TwoSample.mcNemar([false, false, false, true, true], [true, true, true, false, true])
        #expect(abs(m.p - 2 * 5.0 / 16) < 1e-12 && abs(m.statistic - 2.0 / 5) < 1e-12)
        let d = TwoSample.pairedMeanDifference([1, 2, 3], [2, 3, 4])
        #expect(d.value == 1 && d.low == 1 && d.high == 1)
    }

    /// A threshold of 5 instead of 3 adds the same 68 s to every incident's detection: with the same seed
    /// the runs are paired, and `rto_s`, whose distribution the stale-DNS tail dominates, is found to move;
    /// with another seed they are not paired and the tests say so.
    @Test(.slow) func aShiftOfEveryIncidentIsFoundWhenThePairsShareTheirIncidents() throws {
        let sets = ["replications=300", "clients.resolvers=200"]
        let a = ResultSet(try Runner.run(try model("seed-active-passive", sets), threads: 2), label: "3")
        let b = ResultSet(
            try Runner.run(
                try model("seed-active-passive", sets + ["health_checks[0].failure_threshold=5"]), threads: 2),
            label: "5")
        let d = BaselineDiff(baseline: a, new: b)
        #expect(d.paired)
        let rto = try #require(d.metrics.first { $0.metric == .rto })
        #expect(rto.changed && rto.tests[0].test.name == "sign test (paired)")
        #expect(rto.mean.low! > 0, "\(rto.mean)")
        #expect(!d.metrics.first { $0.metric == .lostWrites }!.changed)
        let other = ResultSet(
            try Runner.run(try model("seed-active-passive", sets + ["seed=7"]), threads: 2), label: "seed 7")
        let unpaired = BaselineDiff(baseline: a, new: other)
        #expect(
            !unpaired.paired && unpaired.metrics.first { $0.metric == .rto }!.tests[0].test.name != "sign test (paired)"
        )
    }

    /// A TTL of 300 s instead of 60 s is seen at the default replication count, whatever the seed, and
    /// named in the config changes; the same run against itself is no change at all.
    @Test(.slow) func aTTLChangeIsAlwaysDetected() throws {
        for seed in [1, 2] {
            let a = ResultSet(
                try Runner.run(try model("seed-active-passive", ["seed=\(seed)", "dns.ttl_s=60"]), threads: 2),
                label: "60")
            let b = ResultSet(
                try Runner.run(try model("seed-active-passive", ["seed=\(seed + 100)", "dns.ttl_s=300"]), threads: 2),
                label: "300")
            #expect(a.replications == 1000)
            let d = BaselineDiff(baseline: a, new: b)
            #expect(d.changed, "seed \(seed)")
            #expect(d.metrics.first { $0.metric == .recovered90 }!.changed)
            #expect(d.configChanges == ["dns.ttl_s: 60 → 300", "seed: \(seed) → \(seed + 100)"])
            let same = BaselineDiff(baseline: a, new: a)
            #expect(!same.changed && same.configChanges.isEmpty)
            #expect(same.metrics.allSatisfy { $0.tests.allSatisfy { $0.adjusted == 1 } })
        }
    }

    /// A metric the baseline's drsim did not know is left out, not called changed; a metric the
    /// baseline has with values and the new run lacks is still a change.
    @Test func aMetricNewerThanTheBaselineIsNotAChange() throws {
        let a = try Self.run([])
        var older = a
        older.samples[.rtoHonouring] = nil
        older.unknown = [.rtoHonouring]
        let d = BaselineDiff(baseline: older, new: a)
        #expect(!d.changed && !d.metrics.contains { $0.metric == .rtoHonouring })
        #expect(d.metrics.contains { $0.metric == .rto })
        var lost = a
        lost.samples[.rtoHonouring] = nil
        #expect(BaselineDiff(baseline: a, new: lost).changed)
    }

    // MARK: The check's run

    @Test func addedTargetsJoinTheConfigsOnceAndOnlyWhereTheyApply() throws {
        var config = try scenario(["traffic.write_share=0", "replications=50"])
        let target = try Expectation(parsing: "rto_s:p99 <= 600")
        try CheckRun.add([target], to: &config)
        #expect(config.expect == [target])
        #expect(throws: UsageError.self) { try CheckRun.add([target], to: &config) }
        #expect(throws: UsageError.self) {
            try CheckRun.add([try Expectation(parsing: "write_rto_s:p99 <= 600")], to: &config)
        }
        #expect(config.expect == [target])
    }

    @Test func untilDecidedGrowsToADecisionOrRefusesACapBelowTheStart() throws {
        var config = try scenario(["replications=100"])
        try CheckRun.add([try Expectation(parsing: "rto_s:p50 <= 100000")], to: &config)
        #expect(throws: UsageError.self) { try CheckRun.run(config, untilDecided: 50, threads: 1, progress: nil) }
        let (fixed, none) = try CheckRun.run(config, untilDecided: nil, threads: 1, progress: nil)
        #expect(fixed.results.count == 100 && none == nil)
        let (grown, growth) = try CheckRun.run(config, untilDecided: 1000, threads: 1, progress: nil)
        #expect(growth == CheckRun.Growth(replications: 100, batches: [100]))
        let report = CheckRun.report(grown, baseline: nil, alpha: 0.01, counting: true)
        #expect(report.outcome == .passed)
        #expect(growth?.note(report) == "--until-decided: 100 replications (batches 100)\n")
    }
}
