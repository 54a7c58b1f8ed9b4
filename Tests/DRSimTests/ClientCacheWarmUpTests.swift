import DRSimTestSupport
import Foundation
import Testing

@testable import DRSim

/// The client caches' stationary state, sampled directly (docs/model.md, "Client caches"), against a
/// resolver and its clients simulated lookup by lookup for a long time before the answer changes
/// (MODEL.md section 1: a direct sample is allowed only where the two give the same distribution).
///
/// The warm-up makes the model's assumptions and nothing more. The resolver holds each answer for L
/// and then stays empty until the next query of its Poisson flow (rate λ), fixed in advance: one
/// client is a negligible part of that flow. A lookup that finds the resolver empty is answered by its
/// next fetch. A browser keeps what it gets for max(remaining, f) and looks up again at its user's next
/// request, an exponential wait of mean θ after its cache expires; its traffic uses the new answer from
/// the expiry before the lookup that gets it (no request comes in between), and from the change if
/// that expiry came before it. A JVM keeps an answer for h and looks up a short wait (mean 0.2 s) after.
@Suite struct ClientCacheWarmUpTests {
    static let (lambda, f, h, jvmWait) = (100.0, 60.0, 30.0, 0.2)
    /// Rounds of the browser's cache before the change: at θ = 0.2 s and L = 61 s a browser falls into
    /// step with its resolver about 0.8 s of phase a round, so 400 rounds reach the stationary state
    /// from any phase in [0, f] (75 rounds at most).
    static let rounds = 400.0

    /// A browser with lookup wait θ behind a resolver with TTL L: when its traffic moves to the answer
    /// after a change at a uniform point of the resolver's cycle, `rounds` rounds in.
    static func warmBrowser(L: Double, theta: Double, _ r: RandomStream) -> Double {
        var resolver = BruteForceResolver(L: L, rate: Self.lambda, r)
        let change = rounds * (f + theta) + r.uniform() * (L + 1 / lambda)
        var t = r.uniform() * f
        var expiry = -Double.infinity
        while true {
            let got = resolver.lookup(t)
            if got.fetch > change { return max(0, expiry - change) }
            expiry = got.at + max(got.fetch + L - got.at, f)
            t = expiry + (theta > 0 ? r.exponential(mean: theta) : 0)
        }
    }

    /// A JVM behind a resolver with TTL L: when it first gets an answer fetched after the change.
    static func warmJVM(L: Double, _ r: RandomStream) -> Double {
        var resolver = BruteForceResolver(L: L, rate: Self.lambda, r)
        let change = 40 * max(L, h) + r.uniform() * (L + 1 / lambda)
        var t = r.uniform() * h
        while true {
            let got = resolver.lookup(t)
            if got.fetch > change { return got.at - change }
            t = got.at + h + r.exponential(mean: jvmWait)
        }
    }

    /// The same moves sampled directly by drsim's rules: R = L · U₂ if U₁ < λL/(λL + 1), else 0; a
    /// browser by `BrowserCache`, a JVM at R + U(0, h).
    static func direct(L: Double, theta: Double, _ r: RandomStream) -> (browser: Double, jvm: Double) {
        let holds = r.uniform()
        let left = r.uniform()
        let v = r.uniform()
        let R = holds < lambda * L / (lambda * L + 1) ? left * L : 0
        let kind = Config.Clients.ClientKind(share: 1, kind: .browser, cache: .floor(f), lookupDelay: theta)
        return (BrowserCache(kind, ttl: L).letGo(phase: v, resolverLetGo: R), R + r.uniform() * h)
    }

    /// Browsers whose users' next request comes θ = 10 s (the default) or 0.2 s after their cache
    /// expires, behind TTLs below, at and above the floor. Two-sample KS at 0.001 over 10,000 incidents
    /// each. At θ = 10 s and L = 61 s, the rule that a browser behind a TTL above its floor moves with
    /// its resolver is rejected, so the test can tell.
    @Test(.slow, arguments: [10.0, 0.2], [30.0, 59.0, 60.0, 61.0, 62.0, 90.0, 120.0])
    func directSampleMatchesAWarmUp(_ theta: Double, _ L: Double) {
        let n = 10_000
        let r = RandomStream(key: StreamKey(seed: 1, replication: UInt64(L * 10 + theta), component: "warm-up"))
        var warm: [Double] = []
        var drawn: [Double] = []
        var resolvers: [Double] = []
        for _ in 0..<n {
            warm.append(Self.warmBrowser(L: L, theta: theta, r))
            drawn.append(Self.direct(L: L, theta: theta, r).browser)
            resolvers.append(r.uniform() < Self.lambda * L / (Self.lambda * L + 1) ? r.uniform() * L : 0)
        }
        let critical = ksCritical(n: n, m: n)
        let D = ksStatistic(warm, drawn)
        #expect(D < critical, "browser, θ = \(theta), L = \(L): D = \(D)")
        if theta == 10 && L == 61 {
            #expect(ksStatistic(warm, resolvers) > critical, "moving with the resolver at L = 61 should be told apart")
        }
    }

    /// A JVM's phase is uniform at every TTL: it moves at R + U(0, h). Two-sample KS at 0.001 over
    /// 20,000 incidents each (the rule neglects the 0.2 s wait, a shift far below what KS can see here).
    @Test(.slow, arguments: [30.0, 60.0, 120.0])
    func jvmMatchesAWarmUp(_ L: Double) {
        let n = 20_000
        let r = RandomStream(key: StreamKey(seed: 2, replication: UInt64(L), component: "warm-up jvm"))
        let warm = (0..<n).map { _ in Self.warmJVM(L: L, r) }
        let drawn = (0..<n).map { _ in Self.direct(L: L, theta: 0, r).jvm }
        let D = ksStatistic(warm, drawn)
        #expect(D < ksCritical(n: n, m: n), "JVM, L = \(L): D = \(D)")
    }

    /// σ solves σ = e^(−a(1 − σ)): 1 up to a = 1, then falling (a = 3: 0.0595; a = 6: 0.00250).
    @Test func outOfStepShareSolvesItsEquation() {
        #expect(BrowserCache.outOfStep(a: 0.5) == 1 && BrowserCache.outOfStep(a: 1) == 1)
        for a in [1.01, 1.5, 3.0, 6.0, 50.0] {
            let s = BrowserCache.outOfStep(a: a)
            #expect(s >= 0 && s < 1 && abs(s - exp(-a * (1 - s))) < 1e-12, "a = \(a): \(s)")
        }
        #expect(abs(BrowserCache.outOfStep(a: 3) - 0.0595) < 1e-4)
    }
}
