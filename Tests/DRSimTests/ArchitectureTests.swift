import DRSim
import DRSimTestSupport
import Foundation
import Testing

/// The whole architecture (docs/model.md: Topology, Traffic, Global load balancer, Replication, Faults): closed forms
/// for the load balancer and
/// capacity, and the behaviours the seed article's designs and test methods must show.
@Suite struct ArchitectureTests {
    /// Two regions behind the global load balancer; DNS points at it, so only the load balancer can
    /// move traffic.
    static let behindLB = [
        "load_balancer={\"backends\": [\"a\", \"b\"], \"reprogramming_s\": 0, \"probe_rtt_s\": 0}",
        "dns.records[0]={\"role\": \"primary\", \"target\": \"load_balancer\"}",
        "dns.records[1]={\"role\": \"secondary\", \"target\": \"load_balancer\"}",
    ]

    /// Google Cloud probes start to start every interval I; a black-holed probe fails at the timeout τ;
    /// N failures in a row mark the backend unhealthy: T = A + (N − 1)·I + τ (+ reprogramming), with
    /// the phase A ~ U(0, I). Checked for two settings, KS at 0.001 over 2,000 incidents.
    @Test(.slow, arguments: [(5.0, 5.0, 2), (10.0, 4.0, 3)])
    func loadBalancerDetectionMatchesTheClosedForm(_ interval: Double, _ timeout: Double, _ threshold: Int) throws {
        let config = try scenario(
            Self.behindLB + [
                "replications=2000", "horizon_s=200",
                "load_balancer.check_interval_s=\(interval)", "load_balancer.timeout_s=\(timeout)",
                "load_balancer.unhealthy_threshold=\(threshold)",
            ])
        let sim = IncidentSimulator(config: config)
        var T: [Double] = []
        for i in 0..<config.replications {
            let r = try sim.run(replication: i)
            #expect(sim.answerChanges.isEmpty)  // DNS never moves anything
            T.append(r.detection!)
        }
        let shift = Double(threshold - 1) * interval + timeout
        let D = ksStatistic(T) { min(max(($0 - shift) / interval, 0), 1) }
        #expect(D < ksCritical(n: T.count), "D = \(D)")
        // With the reprogramming delay (uniform 1–5 s) the mean moves by 3 s.
        let withDelay = try replications(
            try scenario(
                Self.behindLB + [
                    "replications=1000", "horizon_s=200",
                    "load_balancer.reprogramming_s={\"uniform\": [1, 5]}", "load_balancer.check_interval_s=\(interval)",
                    "load_balancer.timeout_s=\(timeout)", "load_balancer.unhealthy_threshold=\(threshold)",
                ])
        ).map { $0.detection! }
        #expect(abs(mean(withDelay) - (interval / 2 + shift + 3)) < tolerance(sd: sd(withDelay), n: withDelay.count))
    }

    /// The seed's records both hold the load balancer's address: DNS failover never changes an
    /// answer, and recovery comes only from the load balancer, as soon as it routes around the region
    /// (a connection to the anycast address never holds a client on the failed backend).
    @Test func sameAddressRecordsRecoverOnlyThroughTheLoadBalancer() throws {
        let config = try scenario(
            Self.behindLB + [
                "replications=200", "health_checks[0].target=\"load_balancer\"",
                "dns.records[0].health_check=\"hc-a\"",
            ])
        let sim = IncidentSimulator(config: config)
        for i in 0..<config.replications {
            let r = try sim.run(replication: i)
            #expect(sim.answerChanges.isEmpty)
            #expect(sim.routingChanges.map(\.backend) == [0])
            #expect(r.recovered99 == sim.routingChanges[0].time)
        }
    }

    /// A survivor with capacity C taking offered load L > C serves C / L until it scales: the
    /// secondary starts at 25% of 200 requests/s under 100 requests/s, so s = 0.5 until it has scaled.
    @Test func capacityLimitsTheServedShareUntilScaleUp() throws {
        let standby =
            "regions[1]={\"name\": \"b\", \"role\": \"passive\", \"capacity_rps\": 200, "
            + "\"standby\": {\"initial_capacity\": 0.25, \"scale_up_s\": %@, \"trigger\": \"load\"}}"
        let never = try scenario([
            "replications=100", String(format: standby, "100000"), "dns.ttl_s=0", "faults[0].mode=\"refused\"",
        ])
        for r in try replications(never) {
            #expect(r.recovered50 != nil && r.recovered90 == nil)
        }
        let sim = IncidentSimulator(config: never)
        _ = try sim.run(replication: 0)
        #expect(sim.curve.value(at: never.horizon) == 0.5)
        // With a fixed 100 s scale-up from the moment traffic arrives, full service follows 100 s later.
        let scaling = try scenario([
            "replications=100", String(format: standby, "100"), "dns.ttl_s=0", "faults[0].mode=\"refused\"",
        ])
        let s2 = IncidentSimulator(config: scaling)
        for i in 0..<scaling.replications {
            let r = try s2.run(replication: i)
            let arrival = s2.answerChanges[0].time
            #expect(abs(r.recovered99! - (arrival + 100)) < 1e-5)
            #expect(s2.curve.value(at: arrival + 50) == 0.5)
        }
    }

    /// Active-active behind the load balancer: the survivor of two regions with 60% of the traffic's
    /// capacity each serves 0.6 of it once the load balancer has moved everything.
    @Test func activeActiveSurvivorAbsorbsItsPeerUpToCapacity() throws {
        let config = try scenario(
            Self.behindLB + [
                "replications=50",
                "regions=[{\"name\": \"a\", \"load_share\": 0.5, \"capacity_rps\": 60}, {\"name\": \"b\", "
                    + "\"load_share\": 0.5, \"capacity_rps\": 60}]",
            ])
        let sim = IncidentSimulator(config: config)
        for i in 0..<config.replications {
            let r = try sim.run(replication: i)
            #expect(sim.curve.value(at: 0) == 0.5)  // b serves its half; a's half fails
            #expect(abs(sim.curve.value(at: config.horizon) - 0.6) < 1e-9)
            #expect(r.rtoCensored)
        }
    }

    /// MRSC: a write returns only once a second region has it, so no write is ever lost.
    @Test func mrscNeverLosesAWrite() throws {
        let config = try scenario(["replications=300", "database.mode=\"mrsc\"", "database.witness=\"us-east-2\""])
        let rs = try replications(config)
        #expect(rs.allSatisfy { $0.lostWrites == 0 && $0.rpo == 0 })
        // The same design under MREC loses the writes in flight: Poisson with mean λ·E[L], λ = 20/s.
        let mrec = try replications(try scenario(["replications=300"])).map { Double($0.lostWrites) }
        let mu = 20 * Distribution.lognormal(median: 0.5, p99: 2.5).mean
        #expect(abs(mean(mrec) - mu) < tolerance(sd: mu.squareRoot(), n: mrec.count))
    }

    /// MRSC with two regions and no witness cannot be configured; with three, a region cut off from
    /// the other two fails its writes: here two of three fail, so the survivor cannot write.
    @Test func mrscWithoutAMajorityFailsWrites() throws {
        let three = [
            "regions[2]={\"name\": \"c\", \"role\": \"active\", \"load_share\": 0}", "regions[0].load_share=1",
            "database.mode=\"mrsc\"", "faults[1]={\"kind\": \"region_outage\", \"region\": \"c\"}", "replications=50",
        ]
        for r in try replications(try scenario(three)) {
            #expect(r.writeRTO == nil)  // b serves reads after failover, but cannot write:
            #expect(r.recovered50 != nil && r.recovered99 == nil)  // s = 1 − write share
        }
    }

    /// Enough blocked checker regions (13 of 15 checkers, the 18% rule) fail the check with no outage
    /// behind it: a false failover. Too few do nothing.
    @Test func blockingCheckersCausesAFalseFailoverOnlyWhenEnoughAreBlocked() throws {
        let all = Config.HealthCheck.route53CheckerRegions
        func run(_ blocked: [String]) throws -> [ReplicationResult] {
            let list = blocked.map { "\"\($0)\"" }.joined(separator: ", ")
            return try replications(
                try scenario([
                    "replications=100",
                    "faults[0]={\"kind\": \"checker_blocked\", \"region\": \"a\", \"checker_regions\": [\(list)]}",
                ]))
        }
        // 15 checkers over 8 regions: regions 1–7 hold 2 checkers each, region 8 holds 1.
        let seven = try run(Array(all.prefix(7)))  // 14 checkers blocked ≥ 13
        #expect(seven.allSatisfy { $0.falseFailovers == 1 && $0.detection != nil })
        #expect(seven.allSatisfy { $0.failedRequests == 0 })  // nothing was down
        let six = try run(Array(all.prefix(6)))  // 12 < 13
        #expect(six.allSatisfy { $0.falseFailovers == 0 && $0.detection == nil })
    }

    /// Disabling the health check (the article's first test method) never fails over, even during a
    /// real outage: a disabled check counts as healthy.
    @Test func disablingTheHealthCheckNeverFailsOver() throws {
        let rs = try replications(
            try scenario([
                "replications=100",
                "faults[1]={\"kind\": \"health_check_disabled\", \"health_check\": \"hc-a\"}",
            ]))
        #expect(rs.allSatisfy { $0.detection == nil && $0.recovered50 == nil })
    }

    /// The seed's code falls back to us-east-1's database when AWS_REGION is unset: an app in b wired
    /// to a's database fails its writes, and loses its in-flight ones, when a fails, though b is up.
    @Test func appWiredToAnotherRegionsDatabaseLosesWritesWhenThatRegionFails() throws {
        let aa =
            Self.behindLB + [
                "replications=300",
                "regions=[{\"name\": \"a\", \"load_share\": 0.5}, {\"name\": \"b\", \"load_share\": 0.5}]",
            ]
        let local = try replications(try scenario(aa))
        let wired = try replications(try scenario(aa + ["regions[1].db_endpoint=\"a\""]))
        // Twice the writes land in a's table, so twice as many are lost (Poisson means, 4.5 standard errors).
        let mLocal = mean(local.map { Double($0.lostWrites) })
        let mWired = mean(wired.map { Double($0.lostWrites) })
        let mu = 10 * Distribution.lognormal(median: 0.5, p99: 2.5).mean  // 100 req/s × 0.2 writes × half
        #expect(abs(mLocal - mu) < tolerance(sd: mu.squareRoot(), n: local.count))
        #expect(abs(mWired - 2 * mu) < tolerance(sd: (2 * mu).squareRoot(), n: wired.count))
        #expect(local.allSatisfy { $0.writeRTO != nil })
        // Reads recover, writes never do.
        #expect(wired.allSatisfy { $0.writeRTO == nil && $0.recovered50 != nil && $0.recovered99 == nil })
    }

    /// Active-passive writes: the app writes only to the primary's table until it is repointed, a fixed
    /// 60 s after failover is detected: write_rto_s is at least detection + 60.
    @Test func activePassiveWritesWaitForTheRepointing() throws {
        let config = try scenario([
            "replications=200", "database.writes=\"primary\"", "database.failover={\"delay_s\": 60}",
        ])
        for r in try replications(config) {
            #expect(r.writeRTO! >= r.detection! + 60 - 1e-6)
            #expect(r.writeRTO! >= r.rto - 1e-6)
        }
    }

    /// A third, passive region activates only when every active region is unhealthy. (Without
    /// keep-alive: open connections to the load balancer's address, which stays up, would hold clients.)
    @Test func thirdRegionActivatesOnlyWhenEveryActiveRegionIsDown() throws {
        let base = [
            "horizon_s=2000", "replications=50",
            "regions=[{\"name\": \"a\", \"load_share\": 0.5}, {\"name\": \"b\", \"load_share\": 0.5}, "
                + "{\"name\": \"c\", \"role\": \"passive\", \"activation\": {\"delay_s\": 300}}]",
            "load_balancer={\"backends\": [\"a\", \"b\"]}",
            "health_checks[0]={\"id\": \"hc-c\", \"target\": \"c\", \"interval_s\": 10}",
            "dns.records[0]={\"role\": \"primary\", \"target\": \"load_balancer\"}",
            "dns.records[1]={\"role\": \"secondary\", \"target\": \"c\", \"health_check\": \"hc-c\"}",
        ]
        // One active region down: the load balancer copes; c never activates, DNS never moves.
        let sim1 = IncidentSimulator(config: try scenario(base))
        for i in 0..<50 {
            _ = try sim1.run(replication: i)
            #expect(sim1.answerChanges.isEmpty)
            #expect(sim1.faults.activatedAt[2] == .infinity)
        }
        // Both down: the primary has no check, so DNS keeps answering it; c activates but gets nothing.
        // With a check on the load balancer's address, DNS moves to c once c is up.
        let both =
            base + [
                "faults[1]={\"kind\": \"region_outage\", \"region\": \"b\"}",
                "health_checks[1]={\"id\": \"hc-lb\", \"target\": \"load_balancer\", \"interval_s\": 10}",
                "dns.records[0].health_check=\"hc-lb\"",
            ]
        let sim2 = IncidentSimulator(config: try scenario(both))
        for i in 0..<50 {
            let r = try sim2.run(replication: i)
            let toC = sim2.answerChanges.first { $0.target == .region(2) }
            #expect(toC != nil)
            #expect(sim2.faults.activatedAt[2] > 300 && sim2.faults.activatedAt[2] < toC!.time)
            // c serves only after both are seen down (about 15 s) plus 300 s of activation.
            #expect(toC!.time > 300)
            #expect(r.recovered50 != nil)
        }
    }

    /// A slowed replication multiplies the lag of the writes sent while it lasts. In force long before
    /// the outage (10 minutes here), the writes in flight are Poisson with mean λ·m·E[L]; begun just d
    /// seconds before, with mean λ·(m·(E[L] − e(d/m)) + e(d)), e(y) = E[(L − y)⁺], and none older than
    /// the slowdown's writes can be (means within 4.5 standard errors).
    @Test(.slow) func slowedReplicationLosesMoreWritesOnlySinceItBegan() throws {
        let lag = Distribution.lognormal(median: 0.5, p99: 2.5)
        let slowed = "faults[1]={\"kind\": \"replication_impaired\", \"region\": \"a\", \"lag_multiplier\": 4}"
        let long = try replications(try scenario(["replications=500", "faults[0].start_s=600", slowed])).map {
            Double($0.lostWrites)
        }
        let mu = 4 * 20 * lag.mean
        #expect(abs(mean(long) - mu) < tolerance(sd: mu.squareRoot(), n: long.count))
        let d = 10.0
        let m = 100.0
        let recent = try replications(
            try scenario([
                "replications=500", "faults[0].start_s=\(d)",
                "faults[1]={\"kind\": \"replication_impaired\", \"region\": \"a\", \"lag_multiplier\": \(m)}",
            ]))
        let mu2 = 20 * (m * (lag.mean - lag.excessMean(over: d / m)) + lag.excessMean(over: d))
        let lost = recent.map { Double($0.lostWrites) }
        #expect(abs(mean(lost) - mu2) < tolerance(sd: mu2.squareRoot(), n: lost.count), "\(mean(lost)) vs \(mu2)")
        #expect(recent.allSatisfy { $0.rpo < d + 60 })
        // Ended 0.1 s before the outage, after 9.9 s at 100×: its writes are still in flight.
        let ended = try replications(
            try scenario([
                "replications=500", "faults[0].start_s=\(d)",
                "faults[1]={\"kind\": \"replication_impaired\", \"region\": \"a\", \"lag_multiplier\": \(m), "
                    + "\"duration_s\": 9.9}",
            ]))
        let mu3 =
            20
            * (lag.mean - lag.excessMean(over: 0.1) + m * (lag.excessMean(over: 0.1 / m) - lag.excessMean(over: d / m))
                + lag.excessMean(over: d))
        let lost3 = ended.map { Double($0.lostWrites) }
        #expect(abs(mean(lost3) - mu3) < tolerance(sd: mu3.squareRoot(), n: lost3.count), "\(mean(lost3)) vs \(mu3)")
    }

    /// Active-active DNS: weighted records share the traffic by weight. Region b dies and its record
    /// has no health check, so Route 53 keeps answering it: the share that fails is b's weight, 1/4
    /// (mean over incidents, 4.5 standard errors). With a check on b, traffic leaves b and s reaches 1.
    @Test func weightedRecordsSplitTrafficByWeight() throws {
        let weighted = [
            "dns.policy=\"weighted\"", "clients.resolvers=200", "replications=400",
            "regions=[{\"name\": \"a\", \"load_share\": 0.5}, {\"name\": \"b\", \"load_share\": 0.5}]",
            "dns.records=[{\"target\": \"a\", \"weight\": 3, \"health_check\": \"hc-a\"}, {\"target\": \"b\", "
                + "\"weight\": 1}]",
            "faults[0].region=\"b\"",
        ]
        let config = try scenario(weighted)
        let sim = IncidentSimulator(config: config)
        var s0: [Double] = []
        for i in 0..<config.replications {
            _ = try sim.run(replication: i)
            s0.append(sim.curve.value(at: 0))
            #expect(sim.answerChanges.isEmpty)
        }
        #expect(abs(mean(s0) - 0.75) < tolerance(sd: sd(s0), n: s0.count), "served share \(mean(s0))")
        let checked = try scenario(
            weighted + [
                "health_checks[1]={\"id\": \"hc-b\", \"target\": \"b\"}",
                "dns.records[1].health_check=\"hc-b\"", "replications=50",
            ])
        for r in try replications(checked) { #expect(r.recovered99 != nil && r.detection != nil) }
    }

    /// When every weighted record is unhealthy, Route 53 answers all of them (fail open).
    @Test func weightedRecordsFailOpen() throws {
        let config = try scenario([
            "dns.policy=\"weighted\"", "replications=20",
            "health_checks[1]={\"id\": \"hc-b\", \"target\": \"b\"}",
            "dns.records=[{\"target\": \"a\", \"weight\": 1, \"health_check\": \"hc-a\"}, {\"target\": \"b\", "
                + "\"weight\": 1, \"health_check\": \"hc-b\"}]",
            "faults[1]={\"kind\": \"region_outage\", \"region\": \"b\"}",
        ])
        let sim = IncidentSimulator(config: config)
        for i in 0..<config.replications {
            _ = try sim.run(replication: i)
            #expect(sim.answerChanges.count == 2)  // a, then b, turn unhealthy
            #expect(sim.curve.value(at: config.horizon) == 0)  // both down whatever is answered
        }
    }

    /// Latency records answer each client group with its nearest healthy region: clients near a (70%)
    /// go to a, those near b to b; when b dies and its check fails, b's clients move to a.
    @Test func latencyRecordsAnswerTheNearestHealthyRegion() throws {
        let config = try scenario([
            "dns.policy=\"latency\"", "clients.resolvers=400", "replications=50",
            "regions=[{\"name\": \"a\", \"load_share\": 0.7}, {\"name\": \"b\", \"load_share\": 0.3}]",
            "health_checks[1]={\"id\": \"hc-b\", \"target\": \"b\"}",
            "dns.records=[{\"target\": \"a\", \"health_check\": \"hc-a\"}, {\"target\": \"b\", \"health_check\": "
                + "\"hc-b\"}]",
            "faults[0].region=\"b\"",
        ])
        // Resolvers join groups greedily (largest first, each to the group furthest below its share),
        // which misses a group's share by at most the largest resolver's share: 1/H(400) for Zipf 1.
        let largest = 1 / (1...400).reduce(0.0) { $0 + 1 / Double($1) }
        let sim = IncidentSimulator(config: config)
        for i in 0..<config.replications {
            let r = try sim.run(replication: i)
            #expect(abs(sim.curve.value(at: 0) - 0.7) <= largest)  // at t = 0, b's group still goes to b
            #expect(r.recovered99 != nil)
        }
    }
}
