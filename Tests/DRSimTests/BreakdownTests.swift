import CGSL
import DRSim
import DRSimTestSupport
import Foundation
import Testing

/// RTO by stage (docs/model.md, "RTO by stage"): the stages of every recovered incident sum to its
/// `rto_s` exactly, none is negative, and in a model simple enough for closed forms each stage is what
/// theory says.
@Suite struct BreakdownTests {
    static let models =
        ((try? FileManager.default.contentsOfDirectory(atPath: repositoryRoot.appendingPathComponent("models").path))
        ?? [])
        .filter { $0.hasSuffix(".json") }.map { String($0.dropLast(5)) }.sorted()

    @Test(.slow, arguments: models)
    func stagesSumToTheRTOInEveryRecoveredIncident(_ name: String) throws {
        let config = try model(name, ["replications=120"])
        var deciders: [RTOBreakdown.Decider: Int] = [:]
        for (i, r) in try replications(config).enumerated() {
            guard !r.rtoCensored else {
                #expect(r.breakdown == nil, "\(name) #\(i): censored, yet broken down")
                continue
            }
            guard let b = r.breakdown else {
                Issue.record("\(name) #\(i): rto_s \(r.rto) has no breakdown")
                continue
            }
            #expect(b.total == r.rto, "\(name) #\(i): stages sum to \(b.total), rto_s \(r.rto)")
            for s in RTOBreakdown.Stage.allCases { #expect(b.seconds(s) >= 0, "\(name) #\(i): \(s) \(b.seconds(s))") }
            if r.rto == 0 { #expect(b.decidedBy == .none) }
            deciders[b.decidedBy, default: 0] += 1
        }
        #expect(!deciders.isEmpty || name.contains("disable"), "\(name): no incident recovered")
    }

    /// Stub clients only, no load balancer, a refused connection: the detection and propagation
    /// stages together are `detection_s` (the first answer change), and nothing waits on a client cache
    /// or a connection. With n equal resolvers that all hold an answer, s reaches 99% when the
    /// k = ⌈0.99 n⌉-th resolver lets go: the resolver stage is the k-th order statistic of n uniforms
    /// on [0, TTL], TTL · Beta(k, n − k + 1) (MODEL.md section 12, DNS cache drain). KS at 0.001.
    @Test(.slow) func simpleModelStagesFollowTheClosedForms() throws {
        let n = 200
        let ttl = 60.0
        let config = try scenario([
            "replications=1500", "clients.resolvers=\(n)", "clients.resolver_zipf_exponent=0", "dns.ttl_s=\(ttl)",
            "faults[0].mode=\"refused\"",
        ])
        let results = try replications(config)
        var drain: [Double] = []
        for r in results {
            let b = try #require(r.breakdown)
            #expect(b.decidedBy == .dnsMove)
            #expect(abs(b.seconds(.detection) + b.seconds(.propagation) - (r.detection ?? -1)) < 1e-9)
            #expect(b.seconds(.clientCache) == 0 && b.seconds(.connection) == 0)
            drain.append(b.seconds(.resolverCache))
        }
        let k = Int((0.99 * Double(n)).rounded(.up))
        let D = ksStatistic(drain, cdf: { x in gsl_cdf_beta_P(min(max(x / ttl, 0), 1), Double(k), Double(n - k + 1)) })
        #expect(D < ksCritical(n: drain.count), "D = \(D)")
    }

    /// Runs `sets` on the simple scenario and checks that every incident is decided by `decider`, that
    /// its health signal's stages make up `detection_s`, and that `stage` lasts exactly `seconds`.
    func decided(
        by decider: RTOBreakdown.Decider, _ sets: [String], stage: RTOBreakdown.Stage, seconds: Double,
        signal: RTOBreakdown.Stage = .propagation
    ) throws {
        let results = try replications(try scenario(["replications=40", "horizon_s=1800"] + sets))
        for r in results {
            let b = try #require(r.breakdown, "censored: \(r.rto)")
            #expect(b.decidedBy == decider)
            #expect(abs(b.seconds(.detection) + b.seconds(signal) - (r.detection ?? -1)) < 1e-9)
            #expect(abs(b.seconds(stage) - seconds) < 1e-9, "\(stage): \(b.seconds(stage))")
            #expect(b.total == r.rto)
        }
    }

    /// A warm standby at a quarter of the traffic, scaled up 600 s after the failover signal: s cannot
    /// reach 99% before, so the last stage is the scale-up, exactly 600 s.
    @Test func aStandbyThatMustScaleUpDecidesTheRTO() throws {
        try decided(
            by: .scaleUp,
            [
                "regions[1].capacity_rps=100",
                "regions[1].standby={\"initial_capacity\": 0.25, \"scale_up_s\": 600, \"trigger\": \"failover\"}",
            ],
            stage: .scaleUp, seconds: 600)
    }

    /// A passive region that serves only 300 s after the active one is seen unhealthy.
    @Test func aSlowActivationDecidesTheRTO() throws {
        try decided(by: .activation, ["regions[1].activation={\"delay_s\": 300}"], stage: .activation, seconds: 300)
    }

    /// Writes that wait 400 s for their repointing fail meanwhile (a fifth of the requests).
    @Test func aSlowWriteRepointingDecidesTheRTO() throws {
        try decided(
            by: .repointing, ["database.writes=\"primary\"", "database.failover={\"delay_s\": 400}"],
            stage: .repointing, seconds: 400)
    }

    /// Behind a load balancer, the routing change decides: its detection and reprogramming make up
    /// `detection_s`.
    @Test func theLoadBalancersRoutingDecidesBehindIt() throws {
        let results = try replications(try model("seed-active-active-as-written", ["replications=40"]))
        #expect(results.contains { !$0.rtoCensored && $0.rto > 0 })
        for r in results where !r.rtoCensored && r.rto > 0 {
            let b = try #require(r.breakdown)
            #expect(b.decidedBy == .loadBalancer)
            #expect(abs(b.seconds(.detection) + b.seconds(.lbReprogramming) - r.rto) < 1e-9)
            #expect(abs(b.seconds(.detection) + b.seconds(.lbReprogramming) - (r.detection ?? -1)) < 1e-9)
        }
    }

    /// A database that comes back after 120 s, while the app stays up: the RTO is the outage.
    @Test func aFaultThatEndsDecidesTheRTO() throws {
        let results = try replications(
            try scenario(["replications=20", "faults[0].scope=\"database\"", "faults[0].duration_s=120"]))
        for r in results {
            let b = try #require(r.breakdown)
            #expect(b.decidedBy == .faultEnd && b.seconds(.outage) == 120 && r.rto == 120)
        }
    }

    /// Two outages of the same region, the second from 1200 s until it is permanent: where the second
    /// outage hits users, s(t) drops below the target again at 1200 s and the RTO follows the second
    /// failover; the 1200 s before the drop are their own stage, and the detection stage is the second
    /// fault's detection, as long as in an incident with that fault alone. (Users whose session has kept
    /// them on the standby since the first failover never see the second outage: there the first failover
    /// decides, and nothing lies before its drop.)
    @Test func aLaterFaultsChainCountsFromItsStart() throws {
        let outage = "{\"kind\": \"region_outage\", \"region\": \"a\", \"mode\": \"refused\", "
        let sets = [
            "replications=30", "horizon_s=3000",
            "faults=[\(outage)\"duration_s\": 300}, \(outage)\"start_s\": 1200, \"duration_s\": \"permanent\"}]",
        ]
        var second = 0
        for r in try replications(try scenario(sets)) {
            let b = try #require(r.breakdown, "censored: \(r.rto)")
            #expect(b.decidedBy == .dnsMove)
            #expect(b.total == r.rto)
            if r.rto > 1200 {
                second += 1
                #expect(b.seconds(.beforeLastDrop) == 1200)
                #expect(b.seconds(.detection) > 0 && b.seconds(.detection) < 200, "\(b.seconds(.detection))")
            } else {
                #expect(b.seconds(.beforeLastDrop) == 0)
            }
        }
        // The scenario has one cohort, so an incident's users are on the standby at 1200 s only if their
        // session outlasts the ~700 s from failback: for the default log-normal session (median 180 s,
        // p99 1800 s, σ = 0.99) the residual life exceeds 700 s with probability E[(S − 700)⁺]/E[S] ≈ 0.15,
        // so about 25.5 of 30 incidents see the second outage (binomial sd 2.0); 15 is 5 sd below.
        #expect(second >= 15, "the second outage decided \(second) of 30 incidents")
    }

    /// The first region fails for 600 s, then the standby fails from 2000 s for 300 s while users who
    /// stayed on it after the failback are still there: their requests fail from 2000 s, so the last drop
    /// begins at 2000 s, and the stages after it (their connections ending, a timeout later) are what the
    /// RTO adds to it.
    @Test func aDropCausedByTheOtherRegionCountsFromItsStart() throws {
        let outage = "{\"kind\": \"region_outage\", \"mode\": \"blackhole\", "
        let sets = [
            "replications=30", "horizon_s=3000", "clients.client_mix=[{\"share\": 1, \"kind\": \"stub\"}]",
            "clients.sessions={\"length_s\": {\"fixed\": 2500}}",
            "faults=[\(outage)\"region\": \"a\", \"duration_s\": 600}, "
                + "\(outage)\"region\": \"b\", \"start_s\": 2000, \"duration_s\": 300}]",
        ]
        var later = 0
        // After the drop, clients on the black-holed standby give up within the request timeout (30 s) and
        // move to the healthy first region; the standby's 300 s outage is the most that could remain (its
        // end would decide the RTO otherwise).
        for r in try replications(try scenario(sets)) where !r.rtoCensored && r.rto > 2000 {
            let b = try #require(r.breakdown)
            later += 1
            #expect(b.total == r.rto)
            #expect(b.seconds(.beforeLastDrop) >= 2000 && b.seconds(.beforeLastDrop) < r.rto)
            #expect(
                r.rto - b.seconds(.beforeLastDrop) < 300, "stages after the drop: \(r.rto - b.seconds(.beforeLastDrop))"
            )
        }
        #expect(later > 0, "no incident's last drop came from the standby's outage")
    }
}
