import DRSim
import DRSimTestSupport
import Testing

/// The client caches' stationary state, sampled directly (docs/model.md, "Client caches"), against a
/// resolver and its clients simulated lookup by lookup for a long time before the answer changes
/// (MODEL.md section 1: a direct sample is allowed only where the two give the same distribution).
///
/// The warm-up makes the model's assumptions and nothing more. The resolver holds each answer for L
/// and then stays empty until the next query of its Poisson flow (rate λ), fixed in advance: one
/// client is a negligible part of that flow. A client looks its answer up a short random delay after
/// its own cache expires (exponential, mean 0.2 s: long against the resolver's refill, 1/λ = 0.01 s,
/// short against the caches); a lookup that finds the resolver empty is answered by its next fetch.
/// A browser keeps what it gets for max(remaining, f); a JVM for h whatever the TTL.
///
/// The rule drsim samples: R = L · U₂ if U₁ < λL/(λL + 1), else 0; a browser moves at R when L > f
/// (it has locked onto its resolver's expiries), else at u if u ≥ R and max(R, u + f) if not, with
/// u uniform on [0, f]; a JVM at R + U(0, h).
@Suite struct ClientCacheWarmUpTests {
    static let (lambda, f, h, lookupMean) = (100.0, 60.0, 30.0, 0.2)

    /// One resolver, a browser and a JVM, run from a fresh fetch to an instant long after, when the
    /// answer changes; returns when the browser and the JVM pick the new answer up, counted from that
    /// instant. The change comes at a uniform point of the resolver's cycle, and each client's first
    /// lookup at a uniform point of its own cycle: the short lookup delays alone would take far longer
    /// than 40 lifetimes to mix a phase that does not lock.
    static func warmUp(L: Double, _ r: RandomStream) -> (browser: Double, jvm: Double) {
        let span = max(L, f, h)
        let change = 40 * span + r.uniform() * L
        // The resolver's fetches until well after the change: each answer is held on [fetch, fetch + L),
        // then the cache is empty until the next fetch.
        var fetches = [0.0]
        while fetches[fetches.count - 1] < change + 10 * span {
            fetches.append(fetches[fetches.count - 1] + L + r.exponential(mean: 1 / lambda))
        }
        /// Moves k to the last fetch at or before t.
        func last(_ t: Double, _ k: inout Int) { while k + 1 < fetches.count && fetches[k + 1] <= t { k += 1 } }
        var old = 0
        last(change, &old)
        /// Lookups of a client that keeps an answer with `remaining` seconds left for `keep(remaining)`;
        /// when it first gets an answer fetched after the change.
        func client(first: Double, _ keep: (Double) -> Double) -> Double {
            var t = first
            var k = 0
            while true {
                last(t, &k)
                var got = t
                if t >= fetches[k] + L {  // empty: answered by the next fetch
                    k += 1
                    got = fetches[k]
                }
                if k > old { return got - change }
                t = got + keep(fetches[k] + L - got) + r.exponential(mean: lookupMean)
            }
        }
        return (client(first: r.uniform() * f) { max($0, f) }, client(first: r.uniform() * h) { _ in h })
    }

    /// The same moves sampled directly, by drsim's rule; `locks` false gives the rule before browsers
    /// locked onto their resolver (a uniform phase whatever L).
    static func direct(L: Double, locks: Bool = true, _ r: RandomStream) -> (browser: Double, jvm: Double) {
        let holds = r.uniform()
        let left = r.uniform()
        let u = r.uniform() * f
        let R = holds < lambda * L / (lambda * L + 1) ? left * L : 0
        let browser = locks && L > f ? R : (u >= R ? u : max(R, u + f))
        return (browser, R + r.uniform() * h)
    }

    /// Honouring resolvers (L ≤ f: the browser's phase stays uniform) and longer TTLs (L > f: the
    /// browser moves with its resolver); a JVM's phase is uniform at every TTL. Two-sample KS at 0.001
    /// over 10,000 incidents each. At L > f the rule before the fix is rejected, so the test can tell.
    @Test(.slow, arguments: [20.0, 40.0, 120.0, 300.0])
    func directSampleMatchesAWarmUp(_ L: Double) {
        let n = 10_000
        let r = RandomStream(key: StreamKey(seed: 1, replication: UInt64(L), component: "warm-up"))
        var warm: (b: [Double], j: [Double]) = ([], [])
        var drawn: (b: [Double], j: [Double]) = ([], [])
        var unlocked: [Double] = []
        for _ in 0..<n {
            let w = Self.warmUp(L: L, r)
            let d = Self.direct(L: L, r)
            warm.b.append(w.browser)
            warm.j.append(w.jvm)
            drawn.b.append(d.browser)
            drawn.j.append(d.jvm)
            unlocked.append(Self.direct(L: L, locks: false, r).browser)
        }
        let critical = ksCritical(n: n, m: n)
        #expect(ksStatistic(warm.b, drawn.b) < critical, "browser, L = \(L)")
        #expect(ksStatistic(warm.j, drawn.j) < critical, "JVM, L = \(L)")
        if L > Self.f {
            #expect(ksStatistic(warm.b, unlocked) > critical, "the uniform phase at L = \(L) should be told apart")
        }
    }
}
