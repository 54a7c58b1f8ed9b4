import Foundation
import Testing

@testable import DRSim

/// The stale-DNS tail (docs/model.md, "The stale-DNS tail"): the traffic share pinned by resolvers that
/// do not honour TTLs, against its closed form, and `rto_honouring_s` where every resolver honours.
@Suite struct StaleTailTests {
    /// 100 resolvers of equal traffic (1% each), queried far more often than once per TTL, stub clients;
    /// `mix` is the resolver mix.
    static func config(_ mix: String, replications: Int) throws -> Config {
        try scenario([
            "replications=\(replications)", "horizon_s=3600", "clients.resolvers=100",
            "clients.resolver_zipf_exponent=0", "clients.honouring_top_share=0", "clients.resolver_mix=\(mix)",
        ])
    }

    @Test func withEveryResolverHonouringTheTailIsEmpty() throws {
        let config = try Self.config(#"[{"share": 1, "behaviour": "honour"}]"#, replications: 100)
        let results = try replications(config)
        #expect(!results.isEmpty)
        for r in results {
            #expect(r.staleTail.rtoHonouring == (r.rtoCensored ? nil : r.rto))
            for i in 0..<3 { #expect(r.staleTail.staleShares[i] == 0) }
        }
    }

    /// 20 of the 100 resolvers extend the TTL (60 s) by E ~ U(0, 2400) s: 20% of traffic. Each holds the
    /// old answer at the change with probability p = λL / (λL + 1) (λ = 10⁴/s, L = 60 + E), for a time
    /// uniform on [0, L], so it is still stale x after the change with probability
    /// p·E[max(0, 1 − x/L)]. The mean share over n replications is 0.2 times that; each replication's
    /// share is 1% times a sum of 20 independent Bernoulli(q) indicators, so its sd is
    /// 0.01·√(20 q(1 − q)), and the mean is checked within 4.5 standard errors (`tolerance`).
    @Test(.slow) func theStaleShareMatchesItsClosedForm() throws {
        let n = 2000
        let mix = #"[{"share": 0.8, "behaviour": "honour"}, "#
            + #"{"share": 0.2, "behaviour": "extend", "extra_s": {"uniform": [0, 2400]}}]"#
        let results = try replications(try Self.config(mix, replications: n))
        for (i, x) in StaleTail.times.enumerated() {
            // E over E ~ U(0, 2400) by the midpoint rule on 24,000 cells (error far below the tolerance).
            let cells = 24_000
            var q = 0.0
            for k in 0..<cells {
                let L = 60 + (Double(k) + 0.5) / Double(cells) * 2400
                let lam = 1_000_000.0 / 100
                q += lam * L / (lam * L + 1) * max(0, 1 - x / L)
            }
            q /= Double(cells)
            // Every incident has its DNS change (a permanent outage).
            #expect(results.allSatisfy { $0.detection != nil })
            let shares = results.map { $0.staleTail.staleShares[i] }
            let expected = 0.2 * q
            let sdOne = 0.01 * (20 * q * (1 - q)).squareRoot()
            #expect(abs(mean(shares) - expected) <= tolerance(sd: sdOne, n: shares.count), "at \(x) s")
        }
    }
}
