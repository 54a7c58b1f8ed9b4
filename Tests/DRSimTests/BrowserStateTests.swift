import DRSimTestSupport
import Foundation
import Testing

@testable import DRSim

/// A browser cohort's state carries across answer changes (docs/model.md, "Cache state carries across
/// answer changes"): its let-go at two changes against one resolver and one browser simulated lookup by
/// lookup.
///
/// One resolver (TTL L, queried at λ = 10 per s, so an empty spell is short against θ), browsers only
/// (floor f = 60 s, lookup wait θ = 10 s), an outage that refuses connections: Route 53 fails over at
/// t₁ and back at t₂. The brute force makes the model's assumptions (as ClientCacheWarmUpTests does)
/// from 5,000 s before t₁, with each incident's own t₁ and t₂: the resolver holds each answer for L
/// and then stays empty until the next query of its Poisson flow, fixed in advance (one browser is a
/// negligible part of it); a lookup that finds it empty is answered by its next fetch. The browser
/// keeps what it gets for max(life left, f) and looks up again an exponential wait of mean θ after its
/// cache expires. Its let-go at a change is the expiry of its last copy of an answer fetched before the
/// change, not before the change. Behind L = 20 s (below f: each browser at its own phase) and L = 300 s
/// (above f: in step with the resolver), the outages put t₂ − t₁ below f and L, between them, and above
/// both. The let-go after t₂ alone has the stationary law whatever happened at t₁ (a change moves no
/// lookup); the gap between the two let-go times carries the joint law. Browsers that take their
/// stationary state afresh at t₂ (behind the model's carried resolver) are rejected behind L = 20 s
/// (D = 0.46, 0.29 and 0.20 against 0.062); behind L = 300 s every browser is in step with its resolver,
/// whose state carries already, and they are not (D ≤ 0.032).
@Suite struct BrowserStateTests {
    static let (lambda, f, theta) = (10.0, 60.0, 10.0)

    /// The brute force's let-go times at t₁ and t₂ [s].
    static func bruteForce(L: Double, t1: Double, t2: Double, _ r: RandomStream) -> (Double, Double) {
        let start = t1 - 5000
        var resolver = BruteForceResolver(L: L, rate: Self.lambda, from: start - r.uniform() * L, r)
        let changes = [t1, t2]
        var letGo: [Double] = []
        var t = start + r.uniform() * f
        var expiry = -Double.infinity
        while letGo.count < 2 {
            let (at, fetch) = resolver.lookup(t)
            while letGo.count < 2 && fetch >= changes[letGo.count] {
                letGo.append(max(expiry, changes[letGo.count]))
            }
            expiry = at + max(fetch + L - at, f)
            t = expiry + r.exponential(mean: theta)
        }
        return (letGo[0], letGo[1])
    }

    /// Each incident's change times, one browser cohort's let-go times (cohort `i mod cohorts` in
    /// incident i, so the cohorts' strata are taken in turn) and its resolver's at t₂ [s].
    func modelLetGo(L: Double, outage: Double, replications n: Int) throws -> [(
        t1: Double, t2: Double, g1: Double, g2: Double, resolver2: Double
    )] {
        let config = try scenario([
            "replications=\(n)", "horizon_s=3600", "dns.ttl_s=\(L)", "clients.dns_queries_per_s=\(Self.lambda)",
            "clients.client_mix=[{\"share\": 1, \"kind\": \"browser\", \"min_cache_s\": \(Self.f), "
                + "\"lookup_delay_s\": \(Self.theta)}]",
            "health_checks[0].interval_s=10", "health_checks[0].failure_threshold=1",
            "faults=[{\"kind\": \"region_outage\", \"region\": \"a\", \"duration_s\": \(outage), "
                + "\"mode\": \"refused\"}]",
        ])
        let sim = IncidentSimulator(config: config)
        var out: [(Double, Double, Double, Double, Double)] = []
        for i in 0..<n {
            _ = try sim.run(replication: i)
            let c = sim.answerChanges
            guard c.count == 2 else { continue }
            let cohorts = sim.populationPlan.weight.count
            let first = sim.moves.letGo(change: 1, cohort: i % cohorts, cohorts: cohorts)
            let second = sim.moves.letGo(change: 2, cohort: i % cohorts, cohorts: cohorts)
            out.append((c[0].time, c[1].time, first.client, second.client, second.resolver))
        }
        return out
    }

    /// Over 2,000 incidents a case: the gap between the two let-go times and the let-go after t₂ (on
    /// the model's 1 µs grid) against the brute force's for the same change times, two-sample KS at
    /// 0.001 (critical 0.062 for 2,000 against 2,000). The outage sets t₂ − t₁ (`low` to `high`).
    @Test(
        .slow,
        arguments: [
            (20.0, 10.0, 0.0, 20.0), (20.0, 40.0, 20.0, 60.0), (20.0, 100.0, 60.0, 1e9),
            (300.0, 30.0, 0.0, 60.0), (300.0, 120.0, 60.0, 300.0), (300.0, 400.0, 300.0, 1e9),
        ])
    func letGoAtASecondChangeFollowsTheBrowsersState(_ L: Double, _ outage: Double, _ low: Double, _ high: Double)
        throws
    {
        let runs = try modelLetGo(L: L, outage: outage, replications: 2000)
        let spread = runs.map { $0.t2 - $0.t1 }
        #expect(
            runs.count >= 1900 && spread.allSatisfy { $0 > low && $0 < high },
            "\(runs.count) incidents, t2 - t1 from \(spread.min() ?? 0) to \(spread.max() ?? 0)")
        let r = RandomStream(key: StreamKey(seed: 5, replication: UInt64(L + outage), component: "brute force"))
        func grid(_ x: Double) -> Double { (x * 1e6).rounded() / 1e6 }
        let brute = runs.map { x in Self.bruteForce(L: L, t1: x.t1, t2: x.t2, r) }
        let critical = ksCritical(n: runs.count, m: brute.count)
        let gap = ksStatistic(runs.map { grid($0.g2 - $0.g1) }, brute.map { grid($0.1 - $0.0) })
        let after = ksStatistic(runs.map { grid($0.g2 - $0.t2) }, zip(runs, brute).map { grid($1.1 - $0.t2) })
        // The stationary state afresh at t₂ behind the model's resolver.
        let kind = try scenario([
            "clients.client_mix=[{\"share\": 1, \"kind\": \"browser\", \"min_cache_s\": \(Self.f), "
                + "\"lookup_delay_s\": \(Self.theta)}]"
        ]).clients.clientMix[0]
        let stationary = BrowserCache(kind, ttl: L)
        let afresh = runs.map { x in
            grid(x.t2 + stationary.letGo(phase: r.uniform(), resolverLetGo: x.resolver2 - x.t2) - x.g1)
        }
        let Dafresh = ksStatistic(afresh, brute.map { grid($0.1 - $0.0) })
        let message = "L = \(L), outage \(outage) s: D afresh \(Dafresh), critical \(critical), n = \(runs.count)"
        #expect(gap < critical, "gap D = \(gap); \(message)")
        #expect(after < critical, "after t2 D = \(after); \(message)")
        if L < Self.f { #expect(Dafresh > critical, "\(message)") }
    }
}
