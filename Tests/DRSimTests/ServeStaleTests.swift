import DRSimTestSupport
import Foundation
import Testing

@testable import DRSim

/// Serve-stale "immediate" resolvers (docs/model.md, "Resolvers"): the first query after an expiry gets
/// the expired answer, and the client cache that made it keeps that answer for its own cache time.
///
/// One serve-stale resolver (TTL L = 60 s, queried at λ = 0.2 per s, so it is often quiet) and JVM
/// clients with a 30 s cache in 16 cohorts with stratified phases. The resolver lets go at R (held with
/// probability λL / (λL + 1), then R ~ U(0, L); else 0). Cohort 0 looks up first, at R + V with
/// V ~ U(0, a), a = h / 16; the rest of the flow's first query comes at R + X, X ~ Exp(λ). So cohort 0
/// gets the stale reply with probability P(X > V) = E[e^(−λV)] = (1 − e^(−λa)) / (λa), and then keeps
/// it h more seconds: it lets go at C = R + V + h · 1(X > V).
@Suite struct ServeStaleTests {
    static let (L, lambda, h, cohorts) = (60.0, 0.2, 30.0, 16.0)
    static var a: Double { h / cohorts }

    /// Cohort 0's resolver and client let-go after each replication's answer change [s].
    func cohortZeroLetGo(replications n: Int) throws -> [(resolver: Double, client: Double)] {
        let config = try scenario([
            "replications=\(n)", "dns.ttl_s=\(Self.L)", DNSCacheTests.refused, "clients.honouring_top_share=0",
            "clients.dns_queries_per_s=\(Self.lambda)",
            "clients.resolver_mix=[{\"share\": 1, \"behaviour\": \"serve_stale\"}]",
            "clients.client_mix=[{\"share\": 1, \"kind\": \"jvm\", \"cache_s\": \(Self.h)}]",
        ])
        let sim = IncidentSimulator(config: config)
        #expect(sim.populationPlan.cohorts == [Int(Self.cohorts)])
        return try (0..<n).map { i in
            _ = try sim.run(replication: i)
            let t = sim.answerChanges[0].time
            let g = sim.moves.letGo(change: 1, cohort: 0, cohorts: sim.populationPlan.weight.count)
            return (g.resolver - t, g.client - t)
        }
    }

    /// P(C ≤ x): given R = r, (1/a) [∫₀^y (1 − e^(−λv)) dv + ∫₀^z e^(−λv) dv] with y = clip(x − r),
    /// z = clip(x − r − h), clip to [0, a]; averaged over R's atom at 0 and its uniform part (4,000
    /// midpoints, an error far below the KS critical value).
    static func cdf(_ x: Double) -> Double {
        func clip(_ y: Double) -> Double { min(max(y, 0), a) }
        func given(_ r: Double) -> Double {
            let y = clip(x - r)
            let z = clip(x - r - h)
            return (y - (1 - exp(-lambda * y)) / lambda + (1 - exp(-lambda * z)) / lambda) / a
        }
        let held = lambda * L / (lambda * L + 1)
        let k = 4000
        let uniform = (0..<k).reduce(0.0) { $0 + given((Double($1) + 0.5) / Double(k) * L) } / Double(k)
        return (1 - held) * given(0) + held * uniform
    }

    /// Over 2,000 incidents: the stale share (C − R ≥ h, as V < a < h) within 4.5 standard errors of
    /// (1 − e^(−λa)) / (λa), and cohort 0's let-go against P(C ≤ x) by a KS test at 0.001.
    @Test(.slow) func firstLookupAfterExpiryKeepsTheStaleAnswer() throws {
        let n = 2000
        let g = try cohortZeroLetGo(replications: n)
        let stale = Double(g.filter { $0.client - $0.resolver >= Self.h }.count) / Double(n)
        let p = (1 - exp(-Self.lambda * Self.a)) / (Self.lambda * Self.a)
        #expect(abs(stale - p) < tolerance(sd: (p * (1 - p)).squareRoot(), n: n), "stale share \(stale) vs \(p)")
        let D = ksStatistic(g.map(\.client), cdf: Self.cdf)
        #expect(D < ksCritical(n: n), "D = \(D)")
    }

    /// RFC 8767 serve-stale is refused with the reason: it never fires while Route 53 answers.
    @Test func rfc8767IsRefusedWithTheReason() {
        do {
            _ = try scenario(["clients.resolver_mix=[{\"share\": 1, \"behaviour\": \"rfc8767\"}]"])
            Issue.record("an RFC 8767 class was accepted")
        } catch {
            #expect("\(error)".contains("never fires"), "\(error)")
        }
    }
}
