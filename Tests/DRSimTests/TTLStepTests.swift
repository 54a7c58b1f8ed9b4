import DRSimTestSupport
import Testing

@testable import DRSim

/// A TTL one second longer delays recovery by at most about one second (docs/model.md, "Client caches").
///
/// The bound: every cohort's let-go grows with the TTL L by at most dL. A stub moves at R = U·L, a JVM
/// at R + U'·h, a resolver that extends or floors the TTL at U·(L + extra) or U·max(L, floor); a
/// browser behind L ≤ f + θ at R + G with G's law free of L (`BrowserCache`). With the same seed each
/// incident keeps its U's, detection and connections, so the traffic-weighted share moved by time x,
/// F_L(x), satisfies F_{L+1}(x + 1) ≥ F_L(x) ≥ F_{L+1}(x): recovered_90_s moves by 0 to 1 s per 1 s of
/// TTL, cohort by cohort (a browser cohort keeps its place in the law of G). A connection's end, drawn
/// when its cohort leaves, need not keep that order, so the bound allows 4.5 standard errors of the
/// median of the paired differences (its spread over n incidents, 1.2533 · sd / √n, for a normal
/// sample).
@Suite struct TTLStepTests {
    /// The seed model's median recovered_90_s at each TTL, and the incidents' paired differences.
    func steps(_ ttls: [Double], _ sets: [String] = []) throws -> [(from: Double, step: Double, allowance: Double)] {
        let runs = try ttls.map { ttl in
            try replications(model("seed-active-passive", ["replications=400", "dns.ttl_s=\(ttl)"] + sets)).map {
                $0.recovered90 ?? .infinity
            }
        }
        return zip(ttls, zip(runs, runs.dropFirst())).map { ttl, pair in
            let d = zip(pair.0, pair.1).map { $0.1 - $0.0 }
            let step = median(pair.1) - median(pair.0)
            return (ttl, step, 4.5 * 1.2533 * sd(d) / Double(d.count).squareRoot())
        }
    }

    func median(_ xs: [Double]) -> Double {
        let s = xs.sorted()
        return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
    }

    /// TTL 55 … 65 s in 1 s steps: each step moves the median recovered_90_s by 0 to 1 s, within the
    /// allowance. With lookups at the cache's expiry (`lookup_delay_s` 0), browsers fall into step with
    /// their resolver as soon as L > f, and the step from 60 to 61 s breaks the bound.
    @Test(.slow) func recoveryMovesSmoothlyWithTheTTL() throws {
        let s = try steps(Array(stride(from: 55.0, through: 65.0, by: 1)))
        #expect(s.count == 10)
        for x in s {
            #expect(
                x.step >= -x.allowance && x.step <= 1 + x.allowance, "TTL \(x.from) → +1: \(x.step) ± \(x.allowance)")
        }
        let lock =
            "clients.client_mix=[{\"share\": 0.39, \"kind\": \"browser\", \"lookup_delay_s\": 0}, "
            + "{\"share\": 0.41, \"kind\": \"stub\"}, {\"share\": 0.2, \"kind\": \"jvm\"}]"
        let locked = try steps([60, 61], [lock])
        #expect(locked.count == 1 && abs(locked[0].step) > 1 + locked[0].allowance, "lock: \(locked)")
    }
}
