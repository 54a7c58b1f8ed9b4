import DRSim
import Foundation
import Testing

/// Connections end the way real ones do (docs/model.md, "Connections"). With one busy resolver, stub
/// clients and TTL 0, caches let go the moment DNS changes, so what is left is the connection's rule.
@Suite struct ConnectionTests {
    /// Sessions are off unless a test turns them on, so that each connection rule shows on its own.
    static let instantDNS = ["dns.ttl_s=0", "replications=1000", "clients.sessions.enabled=false"]

    /// The delays after the DNS change until traffic left the old region: recovered_99_s − detection_s.
    func delays(_ sets: [String]) throws -> [Double] {
        try replications(try scenario(Self.instantDNS + sets)).map { $0.recovered99! - $0.detection! }
    }

    /// How long after DNS answered the dead a the one cohort left the working b: s(t) is 1 until then
    /// and 0 after, so it left at the horizon less the failed seconds. (That a connection to the load
    /// balancer's address never holds a client on a failed backend is shown by ArchitectureTests'
    /// sameAddressRecordsRecoverOnlyThroughTheLoadBalancer.)
    func leftB(_ sim: IncidentSimulator, _ config: Config) -> Double {
        config.horizon - sim.curve.failedTrafficSeconds() - sim.answerChanges[0].time
    }

    /// A refused connection is dropped at once: clients follow DNS at the change.
    @Test func aRefusedConnectionEndsAtOnce() throws {
        #expect(try delays(["faults[0].mode=\"refused\""]).allSatisfy { abs($0) < 1e-6 })
    }

    /// A black-holed or hung region holds each client until its request times out: the rest of the
    /// request under way, uniform over the request timeout (KS at 0.001).
    @Test(arguments: [
        "{\"kind\": \"region_outage\", \"region\": \"a\"}", "{\"kind\": \"app_unresponsive\", \"region\": \"a\"}",
    ])
    func aDeadRegionHoldsClientsUntilTheirRequestTimesOut(_ fault: String) throws {
        let d = try delays(["faults[0]=\(fault)", "clients.request_timeout_s=20"])
        let D = ksStatistic(d) { min(max($0 / 20, 0), 1) }
        #expect(D < ksCritical(n: d.count), "D = \(D)")
    }

    /// The waits until the one cohort left the working b, when DNS answers the dead a at once (an
    /// inverted check) and b's front door is `door`.
    func waitsLeavingB(door: String, _ sets: [String] = []) throws -> [Double] {
        let config = try scenario(
            Self.instantDNS + [
                "health_checks[0].inverted=true", "horizon_s=3600",
                "regions[1].front_door=\(door)",
            ] + sets)
        let sim = IncidentSimulator(config: config)
        return try (0..<config.replications).map { i in
            _ = try sim.run(replication: i)
            return leftB(sim, config)
        }
    }

    /// A region that still answers keeps its clients until the front door closes the connection. With
    /// only a maximum age A (AWS ALB's client keep-alive), the connection's age is uniform, so the wait
    /// is uniform on [0, A].
    @Test func aMaximumAgeEndsConnectionsUniformly() throws {
        let waits = try waitsLeavingB(door: "{\"kind\": \"custom\", \"max_age_s\": 300}")
        let D = ksStatistic(waits) { min(max($0 / 300, 0), 1) }
        #expect(D < ksCritical(n: waits.count), "D = \(D)")
    }

    /// With an idle timeout I and exponential think times of mean θ, the connection closes at the
    /// first pause longer than I, I after it began: the classic wait for a gap in a Poisson process,
    /// E[W] = θ (e^{I/θ} − 1) (mean within 4.5 standard errors).
    @Test func anIdleTimeoutEndsConnectionsAtTheFirstLongPause() throws {
        let waits = try waitsLeavingB(
            door: "{\"kind\": \"custom\", \"idle_timeout_s\": 60}",
            ["clients.think_time_s={\"exponential\": {\"mean\": 30}}"])
        let expected = 30 * (exp(60.0 / 30) - 1)
        #expect(abs(mean(waits) - expected) < tolerance(sd: sd(waits), n: waits.count), "\(mean(waits)) vs \(expected)")
    }

    /// Behind a front door that never closes a connection, a client leaves when its session ends: the
    /// session under way has the equilibrium (residual-life) law of the session length,
    /// P(W ≤ w) = 1 − E[(S − w)⁺] / E[S] (KS at 0.001 over 1,000 replications).
    @Test func aSessionEndsItsConnection() throws {
        let length = Distribution.lognormal(median: 180, p99: 1800)
        let waits = try waitsLeavingB(
            door: "{\"kind\": \"custom\"}",
            [
                "clients.sessions.enabled=true",
                "clients.sessions.length_s={\"lognormal\": {\"median\": 180, \"p99\": 1800}}",
            ])
        let D = ksStatistic(waits) { 1 - length.excessMean(over: $0) / length.mean }
        #expect(D < ksCritical(n: waits.count), "D = \(D)")
    }
}
