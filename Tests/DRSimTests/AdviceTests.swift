import DRSim
import DRSimResults
import DRSimStudy
import DRSimTestSupport
import Foundation
import Testing

/// `drsim advise`: the objective, the growth rule, and the answer on a small grid of the seed model.
@Suite struct AdviceTests {
    @Test func theObjectiveIsAMetricsMeanOrANamedStatistic() throws {
        #expect(try AdviceObjective(parsing: "failed_requests").description == "failed_requests:mean")
        #expect(try AdviceObjective(parsing: "recovered_90_s:p90").description == "recovered_90_s:p90")
        for bad in ["nope", "rto_s:max", "rto_s:p9", ""] {
            #expect(throws: UsageError.self) { try AdviceObjective(parsing: bad) }
        }
        do { _ = try AdviceObjective(parsing: "nope") } catch {
            #expect(error.message.hasPrefix("--minimize nope: no metric \"nope\""))
        }
    }

    // MARK: The growth rule, on judgements made by hand

    /// `detection_s:mean <= 10` judged on `values`: all 1 is met, all 20 failed (a constant sample's
    /// interval has no width); 5 and 14 alternating has mean 9.5 and half-width about 2.2 at 20 values,
    /// so its interval straddles 10: undecided, and more replications can decide it.
    static func point(_ index: Int, cost: Double, _ values: [Double], replications: Int = 20, cap: Int = 160)
        -> AdvicePoint
    {
        let target = try! Expectation(parsing: "detection_s:mean <= 10")
        var sample = Sample()
        for k in 0..<replications { sample.append(values[k % values.count]) }
        return AdvicePoint(
            index: index, replications: replications, objective: Estimate(value: cost, low: cost, high: cost),
            judgements: [TargetJudgement(target, sample: sample)], cap: cap)
    }
    static let met: [Double] = [1]
    static let failed: [Double] = [20]
    static let undecided: [Double] = [5, 14]

    @Test func theHandMadeVerdictsAreWhatTheirSamplesSay() {
        #expect(Self.point(0, cost: 1, Self.met).verdict == .met)
        #expect(Self.point(0, cost: 1, Self.failed).verdict == .failed)
        let u = Self.point(0, cost: 1, Self.undecided)
        #expect(u.verdict == .undecided && u.decidable)
        #expect(!Self.point(0, cost: 1, Self.undecided, replications: 160).decidable, "at the cap")
    }

    /// Only an undecided point cheaper than the cheapest all-met point grows; a dearer undecided one
    /// cannot be the answer, a failed one is settled, and one at the cap can grow no further.
    @Test func onlyUndecidedPointsCheaperThanTheCheapestMetPointGrow() {
        let points = [
            Self.point(0, cost: 5, Self.undecided), Self.point(1, cost: 1, Self.failed),
            Self.point(2, cost: 3, Self.met), Self.point(3, cost: 2, Self.undecided),
            Self.point(4, cost: 2, Self.undecided, replications: 160),
        ]
        #expect(Advice.order(points) == [1, 3, 4, 2, 0])
        #expect(Advice.toGrow(points) == [3])
        // Once point 3 is decided the search stops, whichever way it went.
        for settled in [Self.met, Self.failed] {
            var done = points
            done[3] = Self.point(3, cost: 2, settled)
            #expect(Advice.toGrow(done).isEmpty)
        }
        // With no all-met point, every decidable undecided point could be the answer.
        var none = points
        none[2] = Self.point(2, cost: 3, Self.undecided)
        #expect(Advice.toGrow(none) == [3, 2, 0])
    }

    @Test func theAnswerRunnerUpCheaperPointsAndOutcome() throws {
        let grid = try SweepGrid([try SweepGrid.Axis(parsing: "dns.ttl_s=0,20,60,120,300")])
        func advice(_ p: [AdvicePoint]) -> Advice {
            Advice(
                base: try! scenario(), grid: grid, objective: try! AdviceObjective(parsing: "failed_requests"),
                targets: [try! Expectation(parsing: "detection_s:mean <= 10")], start: 20, cap: 160, points: p)
        }
        let a = advice([
            Self.point(0, cost: 4, Self.met), Self.point(1, cost: 1, Self.failed),
            Self.point(2, cost: 3, Self.met), Self.point(3, cost: 2, Self.undecided, replications: 160),
            Self.point(4, cost: 5, Self.met),
        ])
        #expect(a.chosen == 2 && a.runnerUp == 0 && a.cheaper == [1, 3] && a.outcome == .passed)
        let failing = advice((0..<5).map { Self.point($0, cost: Double($0), Self.failed) })
        #expect(failing.chosen == nil && failing.outcome == .failed && failing.cheaper == [0, 1, 2, 3, 4])
        let open = advice(
            (0..<5).map { Self.point($0, cost: Double($0), $0 == 2 ? Self.undecided : Self.failed, replications: 160) }
        )
        #expect(open.chosen == nil && open.runnerUp == nil && open.outcome == .undecided)
        #expect(open.text().contains("still undecided at the most replications (--max-replications 160)"))
    }

    /// The front of an advice's sweep is over the minimized statistic and each target's, each once, in
    /// the direction the target asks for; a statistic sweep.csv has no interval for is left out, said why.
    @Test func theFrontIsOverTheMinimizedStatisticAndTheTargets() throws {
        let targets = try [
            "recovered_90_s:p90 <= 300", "detection_s:p50 >= 60", "recovered_90_s:p90 <= 200", "rto_s:p95 <= 900",
            "failed_requests:mean <= 1e9",
        ].map { s throws(ExpectationError) in try Expectation(parsing: s) }
        let a = Advice(
            base: try scenario(), grid: try SweepGrid([try SweepGrid.Axis(parsing: "dns.ttl_s=0,20")]),
            objective: try AdviceObjective(parsing: "failed_requests"), targets: targets, start: 20, cap: 160,
            points: [])
        let (asked, leftOut) = a.frontObjectives
        #expect(
            asked.map(\.description) == [
                "failed_requests:mean", "recovered_90_s:p90", "max:detection_s:p50",
            ])
        #expect(leftOut.map(\.objective.description) == ["rto_s:p95"])
        #expect(leftOut.first?.reason == "sweep.csv gives rto_s with intervals as mean, p50, p90, p99, not as p95")
    }

    // MARK: The seed model

    /// The seed model's grid TTL {0, 20, 60} × failure threshold {1, 3} (first axis slowest), each point's
    /// config with `targets` in its expect list, at `n` replications and a small resolver population.
    static func seedGrid(_ targets: [String], n: Int = 100) throws -> (SweepGrid, [Config]) {
        let grid = try SweepGrid([
            try SweepGrid.Axis(parsing: "dns.ttl_s=0,20,60"),
            try SweepGrid.Axis(parsing: "health_checks[0].failure_threshold=1,3"),
        ])
        let expectations = try targets.map { try Expectation(parsing: $0) }
        let configs = try (0..<grid.count).map { k in
            var c = try model(
                "seed-active-passive",
                ["replications=\(n)", "clients.resolvers=100"] + grid.overrides(k).map(\.text))
            try CheckRun.add(expectations, to: &c, option: "--target")
            return c
        }
        return (grid, configs)
    }

    /// With checks every 30 s, a failure threshold of 3 needs two more failed probes after the first, so
    /// detection takes at least 60 s; a threshold of 1 detects at the first failed probe, within one
    /// interval plus the probe's timeout (under 60 s). Failed requests grow with the TTL (stale caches)
    /// and with the threshold (later detection) in every incident (common random numbers). So against
    /// `detection_s:p50 >= 60` the threshold-1 points fail, the cheapest all-met point is TTL 0 with
    /// threshold 3 (point 2), the runner-up TTL 20 (point 4), and the cheaper points are the
    /// threshold-1 ones, each failing the target. Every verdict is decided at the first count, so no
    /// point grows; the result is the same on one thread or two.
    @Test(.slow) func theSeedGridAnswersWithTheCheapestSettingsThatMeetTheTarget() throws {
        let (grid, configs) = try Self.seedGrid(["detection_s:p50 >= 60"])
        let objective = try AdviceObjective(parsing: "failed_requests")
        var answers: [String] = []
        for threads in [1, 2] {
            let points = try Advice.search(
                configs, objective: objective, start: 100, cap: 800, threads: threads, progress: nil
            ).points
            let a = Advice(
                base: configs[0], grid: grid, objective: objective, targets: configs[0].expect, start: 100, cap: 800,
                points: points)
            #expect(a.chosen == 1 && a.runnerUp == 3 && a.outcome == .passed)
            #expect(a.cheaper == [0, 2, 4])
            for k in a.cheaper { #expect(points[k].judgements[0].verdict == .failed) }
            #expect(points.allSatisfy { $0.replications == 100 })
            answers.append(a.csv + a.json + a.text())
        }
        #expect(answers[0] == answers[1])
    }

    /// A bound on `recovered_90_s:mean` inside point 2's interval at 100 replications leaves it
    /// undecided: it alone grows (on the same incidents, so its first 100 replications are those of
    /// the first run); the threshold-1 points fail the detection target and the dearer threshold-3
    /// points cannot be the answer while point 2 is cheaper, and they are far above the bound.
    @Test(.slow) func onlyTheUndecidedRivalGrows() throws {
        let (_, first) = try Self.seedGrid(["detection_s:p50 >= 60"])
        let run = try Runner.run(first[1], threads: 2)
        let e = try Expectation(parsing: "recovered_90_s:mean <= 1")
        let (m, _, high) = e.statistic.interval(of: e.metric.sample(run.results, config: run.config))
        let bound = (m! + high) / 2
        let (_, configs) = try Self.seedGrid(["detection_s:p50 >= 60", "recovered_90_s:mean <= \(bound)"])
        let points = try Advice.search(
            configs, objective: try AdviceObjective(parsing: "failed_requests"), start: 100, cap: 800, threads: 2,
            progress: nil
        ).points
        #expect(points[1].replications > 100)
        #expect([0, 2, 3, 4, 5].allSatisfy { points[$0].replications == 100 })
        #expect(points[1].verdict != .undecided || points[1].replications == 800)
    }
}
