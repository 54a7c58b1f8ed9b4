import CGSL
import DRSim
import DRSimTestSupport
import Testing

/// Detection time against docs/model.md, "Closed forms the tests check": T = A(m:K) + (N − 1)(I + τ) + τ, where A(m:K)
/// is the
/// m-th order statistic of K uniform phases on [0, I], m = K − ⌊0.18 K⌋ (so A(m:K)/I ~ Beta(m, K − m + 1)),
/// and τ the time a failed probe takes (4 s black hole over HTTPS, 10 s over TCP, one round trip
/// (here 0) when refused). One checker is the case K = m = 1.
@Suite struct HealthCheckTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var interval: Double
        var threshold: Int
        var checkers: Int
        var mode: String
        var proto: String
        var tau: Double
        var testDescription: String { "I=\(Int(interval)) N=\(threshold) K=\(checkers) \(mode)/\(proto)" }
    }

    static let cases: [Case] = [
        Case(interval: 30, threshold: 3, checkers: 1, mode: "blackhole", proto: "https", tau: 4),
        Case(interval: 10, threshold: 1, checkers: 1, mode: "refused", proto: "https", tau: 0),
        Case(interval: 30, threshold: 3, checkers: 15, mode: "blackhole", proto: "https", tau: 4),
        Case(interval: 10, threshold: 3, checkers: 15, mode: "blackhole", proto: "tcp", tau: 10),
        Case(interval: 10, threshold: 2, checkers: 8, mode: "refused", proto: "http", tau: 0),
        Case(interval: 30, threshold: 10, checkers: 64, mode: "blackhole", proto: "https", tau: 4),
    ]

    @Test(.slow, arguments: cases)
    func detectionMatchesTheOrderStatisticClosedForm(_ c: Case) throws {
        let config = try scenario([
            "replications=2000", "horizon_s=800",
            "health_checks[0].interval_s=\(Int(c.interval))", "health_checks[0].failure_threshold=\(c.threshold)",
            "health_checks[0].checkers=\(c.checkers)", "health_checks[0].protocol=\"\(c.proto)\"",
            "faults[0].mode=\"\(c.mode)\"",
        ])
        let m = c.checkers - Int((0.18 * Double(c.checkers)).rounded(.down))
        let shift = Double(c.threshold - 1) * (c.interval + c.tau) + c.tau
        let T = try replications(config).map { $0.detection! }
        let cdf = { (t: Double) -> Double in
            let y = (t - shift) / c.interval
            return y <= 0 ? 0 : y >= 1 ? 1 : gsl_cdf_beta_P(y, Double(m), Double(c.checkers - m + 1))
        }
        let D = ksStatistic(T, cdf: cdf)
        #expect(D < ksCritical(n: T.count), "D = \(D)")
        // The mean too: E[T] = I·m/(K + 1) + shift, to 4.5 standard errors.
        #expect(
            abs(mean(T) - (c.interval * Double(m) / Double(c.checkers + 1) + shift)) < tolerance(sd: sd(T), n: T.count))
    }

    /// AWS's worked example: interval 30 s and threshold 3 need about 90 s to see an endpoint fail.
    /// With the default 15 checkers, a black hole and the placeholder status-to-DNS delay (uniform 2–10 s):
    /// E[T] = 30.1·13/16 + 2·34.1 + 4 + 6 ≈ 102.7 s (probe round trip 0.1 s).
    @Test func defaultsGiveAboutNinetySecondsPlusTheProbeTimeouts() throws {
        let config = try scenario([
            "replications=1000", "health_checks[0].probe_rtt_s=0.1",
            "health_checks[0].status_to_dns_s={\"uniform\": [2, 10]}",
        ])
        let T = try replications(config).map { $0.detection! }
        let expected = 30.1 * 13 / 16 + 2 * 34.1 + 4 + 6
        #expect(abs(mean(T) - expected) < tolerance(sd: sd(T), n: T.count), "mean \(mean(T)) vs \(expected)")
    }

    /// A disabled check is always healthy: DNS never fails over and every request fails.
    @Test func disabledChecksNeverFailOver() throws {
        let config = try scenario(["replications=50", "health_checks[0].disabled=true"])
        let rs = try replications(config)
        #expect(rs.allSatisfy { $0.detection == nil && $0.rtoCensored && $0.recovered50 == nil })
        #expect(rs.allSatisfy { abs($0.failedRequests - 100 * 600) < 1e-6 })
    }

    /// An inverted check reports a healthy primary as unhealthy, so DNS answers the secondary before the
    /// fault; when the primary dies the check turns "healthy" and DNS moves traffic onto the dead region.
    /// (With connections that end at once: open ones to the working secondary would keep clients there.)
    @Test func invertedChecksSendTrafficToTheDeadRegion() throws {
        let config = try scenario(["replications=50", "health_checks[0].inverted=true"] + shortConnections)
        let sim = IncidentSimulator(config: config)
        for i in 0..<config.replications {
            let r = try sim.run(replication: i)
            #expect(sim.curve.value(at: 0) == 1 && r.recovered99 == nil)  // everyone is on the secondary at t = 0
            #expect(sim.answerChanges.map(\.target) == [.region(0)])  // then DNS answers the dead primary
            #expect(sim.curve.value(at: config.horizon) == 0)
            #expect(r.failedRequests > 0)
        }
    }

    /// Route 53: "If Route 53 considers both the primary and secondary records unhealthy, Route 53
    /// returns the primary record." Here the secondary's check (misconfigured) probes the failing
    /// primary too. Whichever check flips first decides whether DNS briefly answers the secondary, but
    /// once both are unhealthy the answer is the primary again, for good. (With connections that end
    /// at once: open ones would keep clients on the secondary they reached.)
    @Test func bothUnhealthyAnswersThePrimary() throws {
        let config = try scenario(
            shortConnections + [
                "replications=50",
                "health_checks[1]={\"id\": \"hc-b\", \"target\": \"a\", \"probe_rtt_s\": 0, \"status_to_dns_s\": 0}",
                "dns.records[1].health_check=\"hc-b\"",
            ])
        let sim = IncidentSimulator(config: config)
        for i in 0..<config.replications {
            _ = try sim.run(replication: i)
            #expect(sim.answerChanges.last.map(\.target) ?? .region(0) == .region(0))
            #expect([0, 2].contains(sim.answerChanges.count))
            #expect(sim.curve.value(at: config.horizon) == 0)
        }
        // The same secondary check aimed at b (healthy): DNS fails over and stays.
        let fixed = try scenario([
            "replications=50", "health_checks[1]={\"id\": \"hc-b\", \"target\": \"b\"}",
            "dns.records[1].health_check=\"hc-b\"",
        ])
        #expect(try replications(fixed).allSatisfy { $0.detection != nil && $0.recovered99 != nil })
    }

    /// When the outage ends, checkers see N successes and DNS fails back; traffic succeeds again from
    /// the moment the region is back.
    @Test func recoveryEndsTheOutage() throws {
        let config = try scenario(["replications=200", "faults[0].duration_s=300", "health_checks[0].interval_s=10"])
        for r in try replications(config) {
            #expect(r.detection! < 300)
            #expect(r.recovered99! <= 300)
        }
    }
}

/// The stationary state of a checker under transient probe failures, sampled directly, against the
/// state after a long warm-up simulated probe by probe.
@Suite struct CheckerChainTests {
    @Test(.slow, arguments: [(3, 0.3), (1, 0.05), (5, 0.6)])
    func stationaryStateMatchesAWarmUp(_ threshold: Int, _ p: Double) {
        let chain = CheckerChain(threshold: threshold, failureProbability: p)
        let r = RandomStream(key: StreamKey(seed: 3, replication: 0, component: "chain"))
        let n = 20_000
        var counts = Array(repeating: 0, count: 2 * threshold)
        for _ in 0..<n {
            var s = 0
            for _ in 0..<300 { s = chain.next(s, success: r.uniform() >= p) }
            counts[s] += 1
        }
        var previous = 0.0
        for (s, c) in counts.enumerated() {
            let pi = chain.cumulative[s] - previous
            previous = chain.cumulative[s]
            let share = Double(c) / Double(n)
            #expect(abs(share - pi) < tolerance(sd: (pi * (1 - pi)).squareRoot(), n: n) + 1e-12, "state \(s)")
        }
        #expect(abs(previous - 1) < 1e-12)
    }
}
