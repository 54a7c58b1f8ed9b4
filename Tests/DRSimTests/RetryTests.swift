import DRSim
import Foundation
import Testing

/// Clients that retry failed requests (docs/model.md, "Retries"). Each check is deterministic: the
/// fluid model gives each step's rates exactly, so the bounds allow only for the traffic's integer
/// weights (units of 2⁻³² of all traffic) and floating-point sums, 1e-6 relative.
@Suite struct RetryTests {
    static func attempts(_ a: Int) -> String { "traffic.retries={\"max_attempts\": \(a)}" }

    /// Σ_{k=0}^{A−1} qᵏ term by term: attempts per request when each fails with probability q.
    static func geometric(_ q: Double, _ a: Int) -> Double { (0..<a).reduce(0.0) { $0 + pow(q, Double($1)) } }

    /// Under a partial failure of share q that never fails over (the check is disabled), each attempt
    /// fails with probability q: a request makes Σ_{k<A} qᵏ attempts and fails with probability q^A. So
    /// the attempts over the horizon H are rate · H · Σ qᵏ, and the failed requests rate · H · q^A.
    @Test(arguments: [1, 2, 3, 5])
    func partialFailureOffersTheGeometricSumOfAttempts(_ a: Int) throws {
        let q = 0.4
        let config = try scenario([
            "replications=3", Self.attempts(a),
            "faults=[{\"kind\": \"partial\", \"region\": \"a\", \"share\": \(q)}, "
                + "{\"kind\": \"health_check_disabled\", \"health_check\": \"hc-a\"}]",
        ])
        let requests = config.traffic.requestsPerSecond * config.horizon
        for r in try replications(config) {
            let offered = r.failedAttempts + (requests - r.failedRequests)
            #expect(abs(offered / requests - Self.geometric(q, a)) < 1e-6, "\(offered / requests)")
            #expect(abs(r.failedRequests / requests - pow(q, Double(a))) < 1e-6, "\(r.failedRequests / requests)")
        }
    }

    /// A survivor with capacity C offered L > C requests: retries raise its offered load to L · g(p),
    /// and each attempt succeeds with p = min(1, C / (L · g(p))). The fixed point is found here by
    /// iterating that map from p = 1 (it is increasing, so the iterates fall monotonically to the
    /// largest fixed point) and compared with the curve: requests still succeed at C / L (each served
    /// attempt ends its request), and the failed attempts are L · (g(p) − C / L).
    @Test(arguments: [1, 3, 4])
    func capacityServesTheFixedPointOfItsRetries(_ a: Int) throws {
        let config = try scenario([
            "replications=5", Self.attempts(a), "dns.ttl_s=0", "faults[0].mode=\"refused\"",
            "regions[1]={\"name\": \"b\", \"role\": \"passive\", \"capacity_rps\": 200, "
                + "\"standby\": {\"initial_capacity\": 0.25, \"scale_up_s\": 100000, \"trigger\": \"load\"}}",
        ])
        let share = 50.0 / 100  // C / L
        var p = 1.0
        for _ in 0..<10_000 { p = min(1, share / Self.geometric(1 - p, a)) }
        let sim = IncidentSimulator(config: config)
        for i in 0..<config.replications {
            _ = try sim.run(replication: i)
            let c = sim.curve
            let last = c.start.count - 1
            #expect(abs(c.value(step: last) - share) < 1e-6)
            let failed = Double(c.failedAttemptWeight[last]) / Double(c.totalWeight)
            #expect(abs(failed - (Self.geometric(1 - p, a) - share)) < 1e-6, "\(failed) at p = \(p)")
        }
    }

    /// A black-holed region fails every attempt: until clients leave it, each request there fails all
    /// A attempts, so failed_attempts = A × failed_requests, and retries recover none of them.
    @Test func aBlackHoledRegionFailsEveryAttempt() throws {
        let once = try replications(try scenario(["replications=50", Self.attempts(1)]))
        let thrice = try replications(try scenario(["replications=50", Self.attempts(3)]))
        #expect(once.allSatisfy { $0.failedRequests > 0 })
        for (r1, r3) in zip(once, thrice) {
            #expect(abs(r1.failedAttempts - r1.failedRequests) <= 1e-6 * r1.failedRequests)
            #expect(abs(r3.failedRequests - r1.failedRequests) <= 1e-6 * r1.failedRequests)
            #expect(abs(r3.failedAttempts - 3 * r3.failedRequests) <= 1e-6 * r3.failedRequests)
        }
    }
}
