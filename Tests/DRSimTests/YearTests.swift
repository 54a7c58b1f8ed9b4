import CGSL
import DRSimTestSupport
import Foundation
import Testing

@testable import DRSim

/// A year of operation (docs/model.md, "A year of operation") against closed forms and brute force.
@Suite struct YearTests {
    /// The test scenario with a year and only the noise `noise` (JSON) sets; 15 checkers, interval 30 s,
    /// threshold 3, no probe or DNS delays.
    static func yearScenario(_ noise: String, days: Double = 365, _ sets: [String] = []) throws -> Config {
        try scenario(["year={\"length_days\": \(days)}", "noise=\(noise)"] + sets)
    }

    /// One checker (so the check is unhealthy exactly when the checker is), loss p per probe, threshold
    /// N: by the renewal argument an unhealthy spell starts every (1 − pᴺ)/(q pᴺ) + (1 − qᴺ)/(p qᴺ)
    /// probes on average (waiting for N failures in a row, then for N successes in a row; q = 1 − p),
    /// and the checker starts in its stationary state, so the count of onsets in T has mean exactly
    /// (T/Δ)/that. A spell lasts (1 − qᴺ)/(p qᴺ) probes on average. Means over 200 stretches within
    /// 4.5 standard errors.
    @Test(.slow) func oneCheckerTurnsUnhealthyAtTheRateOfRunsOfFailures() throws {
        let (p, n, interval, seconds) = (0.2, 3, 30.0, 1e7)
        let check = try scenario([
            "health_checks[0].checkers=1", "health_checks[0].transient_failure_prob=\(p)",
            "health_checks[0].failure_threshold=\(n)",
        ]).healthChecks[0]
        let q = 1 - p
        let pn = pow(p, Double(n))
        let qn = pow(q, Double(n))
        let cycle = (1 - pn) / (q * pn) + (1 - qn) / (p * qn)
        let r = RandomStream(key: StreamKey(seed: 1, replication: 0, component: "test"))
        var counts: [Double] = []
        var lengths: [Double] = []
        for i in 0..<200 {
            r.rekey(StreamKey(seed: 1, replication: UInt64(i), component: "test"))
            let spells = QuietProbeLoss.spells(check, seconds: seconds, r)
            counts.append(Double(spells.filter { $0.from > 0 }.count))
            lengths += spells.filter { $0.from > 0 && $0.until < seconds }.map { ($0.until - $0.from) / interval }
        }
        let expected = seconds / interval / cycle
        #expect(
            abs(mean(counts) - expected) <= tolerance(sd: sd(counts), n: counts.count), "\(mean(counts)) vs \(expected)"
        )
        let spell = (1 - qn) / (p * qn)
        #expect(
            abs(mean(lengths) - spell) <= tolerance(sd: sd(lengths), n: lengths.count), "\(mean(lengths)) vs \(spell)")
    }

    /// Three checkers, loss 0.3, threshold 2; the check is unhealthy while none is healthy (18% rule:
    /// one healthy checker of three suffices). The spells drawn failure by failure against the same
    /// checkers stepped probe by probe (`CheckerChain.next`): their counts per stretch and their lengths
    /// by two-sample KS at 0.001.
    @Test(.slow) func aggregateSpellsAgreeWithStepping() throws {
        let (p, seconds) = (0.3, 1e5)
        let check = try scenario([
            "health_checks[0].checkers=3", "health_checks[0].transient_failure_prob=\(p)",
            "health_checks[0].failure_threshold=2",
        ]).healthChecks[0]
        #expect(check.minimumHealthy == 1)
        let r = RandomStream(key: StreamKey(seed: 2, replication: 0, component: "test"))
        var fast: (counts: [Double], lengths: [Double]) = ([], [])
        var slow: (counts: [Double], lengths: [Double]) = ([], [])
        for i in 0..<300 {
            r.rekey(StreamKey(seed: 2, replication: UInt64(i), component: "test"))
            let a = QuietProbeLoss.spells(check, seconds: seconds, r)
            fast.counts.append(Double(a.count))
            fast.lengths += a.map { $0.until - $0.from }
            let b = Self.stepped(check, seconds: seconds, r)
            slow.counts.append(Double(b.count))
            slow.lengths += b.map { $0.until - $0.from }
        }
        #expect(ksStatistic(fast.counts, slow.counts) <= ksCritical(n: 300, m: 300))
        // The onset rate in closed form (`QuietProbeLoss.onsetRate`): a spell under way at 0 is no onset,
        // at most one a stretch, so the mean count may exceed the rate's by up to 1 beyond the noise.
        let expected = QuietProbeLoss.onsetRate(check) * seconds
        let allowance = tolerance(sd: sd(slow.counts), n: slow.counts.count)
        #expect(
            mean(slow.counts) >= expected - allowance && mean(slow.counts) <= expected + 1 + allowance,
            "\(mean(slow.counts)) vs \(expected)")
        #expect(
            ksStatistic(fast.lengths, slow.lengths) <= ksCritical(n: fast.lengths.count, m: slow.lengths.count),
            "\(fast.lengths.count) and \(slow.lengths.count) spells")
    }

    /// A year whose events would run together is refused with the reason; the seed's noise is far from it.
    @Test func aYearOfOverlappingEventsIsRefused() throws {
        #expect(try Self.yearScenario("{}").yearDensity.perWindow < 0.01)
        for sets in [
            ["noise={\"blips\": {\"rate_per_year\": 20000}}"],
            ["noise={}", "health_checks[0].checkers=1", "health_checks[0].transient_failure_prob=0.5"],
        ] {
            do {
                _ = try scenario(["year={}", "horizon_s=3600"] + sets)
                Issue.record("\(sets) was accepted")
            } catch let error as ConfigError {
                #expect(error.issues.contains { $0.path == "noise" && $0.message.contains("one long incident") })
            }
        }
    }

    /// The check's unhealthy spells with every checker stepped probe by probe from its stationary state
    /// (the checkers' spells combined by the 18% rule as the model combines them).
    static func stepped(_ h: Config.HealthCheck, seconds: Double, _ r: RandomStream) -> [(from: Double, until: Double)]
    {
        let chain = CheckerChain(threshold: h.failureThreshold, failureProbability: h.transientFailureProbability)
        var edges: [(time: Double, unhealthy: Int)] = []
        for _ in 0..<h.checkers {
            let phase = r.uniform() * h.interval
            var s = chain.state(forUniform: r.uniform())
            var since: Double? = CheckerChain.isHealthy(s, threshold: h.failureThreshold) ? nil : 0
            var t = phase
            while t < seconds {
                s = chain.next(s, success: !r.bernoulli(h.transientFailureProbability))
                let healthy = CheckerChain.isHealthy(s, threshold: h.failureThreshold)
                if healthy, let from = since {
                    edges += [(from, 1), (t, -1)]
                    since = nil
                } else if !healthy && since == nil {
                    since = t
                }
                t += h.interval
            }
            if let from = since { edges += [(from, 1), (seconds, -1)] }
        }
        return QuietProbeLoss.aggregate(edges, checkers: h.checkers, minimumHealthy: h.minimumHealthy)
    }

    /// Blips of a fixed 87 s on either region at 20 a year each, nothing else. A checker (phase uniform,
    /// interval Δ = 30 s, threshold N = 3) sees N failed probes in a blip of length D with probability
    /// a = (D − (N − 1)Δ)/Δ = 0.9, all of them by the blip's end, so with 15 checkers and the 18% rule
    /// (3 healthy suffice) P(failover | blip on the primary) = P(Binomial(15, a) ≥ 13) = 0.8159; blips on
    /// the passive region move nothing. False failovers per year are then Poisson with mean 20 · 0.8159:
    /// the mean over 300 years within 4.5 standard errors, the variance-to-mean ratio within 4.5 of its
    /// standard error √(2/(n − 1)); each is failed back; a blip that moves nothing costs exactly D of
    /// the primary's traffic.
    @Test(.slow) func blipFailoversArePoissonAtTheOrderStatisticsRate() throws {
        let d = 87.0
        let config = try Self.yearScenario(
            "{\"blips\": {\"rate_per_year\": 20, \"duration_s\": \(d), \"mode\": \"error_5xx\"},"
                + " \"checker_paths\": {\"rate_per_year\": 0}, \"outages\": {\"rate_per_year\": 0}}",
            ["replications=300", "traffic.write_share=0"])
        let years = try replications(config).map { $0.year! }
        let a = (d - 60) / 30
        let p = (13...15).reduce(0.0) {
            $0 + gsl_sf_choose(15, UInt32($1)) * pow(a, Double($1)) * pow(1 - a, Double(15 - $1))
        }
        let counts = years.map { Double($0.falseFailovers) }
        let m = 20 * p
        #expect(abs(mean(counts) - m) <= tolerance(sd: m.squareRoot(), n: counts.count), "\(mean(counts)) vs \(m)")
        let ratio = pow(sd(counts), 2) / mean(counts)
        #expect(abs(ratio - 1) <= 4.5 * (2.0 / Double(counts.count - 1)).squareRoot(), "dispersion \(ratio)")
        #expect(years.allSatisfy { $0.failbacks == $0.falseFailovers })
        let quiet = years.map { $0.downtimeBlipsMinutes }
        let expected = 20 * (1 - p) * d / 60
        let sdQuiet = (20 * (1 - p)).squareRoot() * d / 60
        #expect(abs(mean(quiet) - expected) <= tolerance(sd: sdQuiet, n: quiet.count), "\(mean(quiet)) vs \(expected)")
    }

    /// A short "year" (two days) at high rates of every class, simulated group by group from the steady
    /// state, against the same events in one incident that runs through the whole two days probe by
    /// probe: failovers, failbacks and downtime per year agree in distribution (two-sample KS at 0.001,
    /// 200 years each).
    @Test(.slow) func groupsAgreeWithOneLongIncident() throws {
        let config = try Self.yearScenario(
            "{\"blips\": {\"rate_per_year\": 3650, \"duration_s\": {\"exponential\": {\"mean\": 60}}},"
                + " \"checker_paths\": {\"rate_per_year\": 1825, \"duration_s\": 900, \"checker_regions\": 6},"
                + " \"outages\": {\"rate_per_year\": 365, \"duration_s\": 1200}}",
            days: 2, ["replications=200", "health_checks[0].checkers=8"])
        let grouped = try replications(config).map { $0.year! }
        var whole: [YearResult] = []
        let stream = RandomStream(key: StreamKey(seed: 0, replication: 0, component: "year"))
        for i in 0..<config.replications {
            stream.rekey(StreamKey(seed: config.seed, replication: UInt64(i), component: "year"))
            let events = YearEvent.sorted(
                YearEvent.draw(config.noise, regions: 2, seconds: 2 * 86_400, stream))
            whole.append(try Self.oneIncident(config, events, replication: i))
        }
        for (name, f) in [
            ("failovers", { (y: YearResult) in Double(y.failovers) }), ("failbacks", { Double($0.failbacks) }),
            ("downtime", { $0.downtimeMinutes }),
        ] as [(String, (YearResult) -> Double)] {
            let d = ksStatistic(grouped.map(f), whole.map(f))
            #expect(d <= ksCritical(n: 200, m: 200), "\(name): D = \(d)")
        }
    }

    /// `events` as the faults of one incident spanning the whole short year.
    static func oneIncident(_ config: Config, _ events: [YearEvent], replication i: Int) throws -> YearResult {
        var c = config
        c.year = nil
        c.horizon = 2 * 86_400 + config.horizon
        c.faults = events.enumerated().map { k, e in
            YearSimulator.fault(
                .init(kind: e.kind, region: e.region, checkerRegions: e.checkerRegions), id: "e\(k)",
                noise: config.noise)
        }
        let sim = IncidentSimulator(config: c)
        sim.year.lean = true
        sim.year.faultDraws = events.map { ($0.start, $0.duration) }
        let r = try sim.run(replication: i)
        var tally = YearTally()
        tally.add(sim, r, group: events[...], origin: 0, lbPrimary: nil)
        return tally.result(seconds: 2 * 86_400)
    }
}
