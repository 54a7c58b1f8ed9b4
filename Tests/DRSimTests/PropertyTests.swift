import DRSim
import DRSimTestSupport
import Foundation
import Testing

/// Invariants over random valid configs: bundled models with random settings drawn within
/// their documented ranges, a few replications each. Whatever the settings: every metric is a finite,
/// non-negative number; MRSC loses no write; no writes, no loss; the RTO's stages sum to it, and an RTO
/// decided by a failover signal comes no earlier than the first signal (`detection_s`); the results
/// are the same with one worker or two.
@Suite struct PropertyTests {
    /// A small deterministic generator (SplitMix64), so that every run tries the same configs.
    struct Generator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func uniform(_ a: Double, _ b: Double) -> Double {
            a + (b - a) * Double(next() >> 11) / Double(1 << 53)
        }
        mutating func pick<T>(_ xs: [T]) -> T { xs[Int(next() % UInt64(xs.count))] }
    }

    static let models = [
        "seed-active-passive", "seed-three-region", "seed-active-active-as-written", "seed-active-passive-warm-standby",
        "test-app-hang", "split-aws-database-outage",
    ]

    /// Random settings within the documented ranges, as `--set` overrides.
    static func settings(_ g: inout Generator) -> [String] {
        var sets = ["replications=12", "clients.resolvers=\(g.pick([1, 7, 60, 300]))"]
        if g.next() % 2 == 0 { sets.append("dns.ttl_s=\(g.pick([0, 5, 60, 300, 3600]))") }
        if g.next() % 2 == 0 { sets.append("health_checks[0].failure_threshold=\(g.pick([1, 2, 3, 10]))") }
        if g.next() % 2 == 0 { sets.append("health_checks[0].interval_s=\(g.pick([10, 30]))") }
        if g.next() % 2 == 0 { sets.append("traffic.write_share=\(g.pick([0, 0.05, 0.5, 1]))") }
        if g.next() % 3 == 0 { sets += ["database.mode=\"mrsc\"", "database.witness=\"witness-region\""] }
        if g.next() % 2 == 0 {
            sets.append("faults[0].duration_s=\(g.pick(["\"permanent\"", "30", "{\"uniform\": [1, 3000]}"]))")
        }
        if g.next() % 2 == 0 { sets.append("faults[0].start_s=\(Int(g.uniform(0, 600)))") }
        if g.next() % 3 == 0 { sets.append("clients.request_timeout_s=\(g.pick([0.5, 30, 120]))") }
        if g.next() % 3 == 0 { sets.append("slo.success_target=\(g.pick([0.5, 0.9, 0.999]))") }
        if g.next() % 3 == 0 { sets.append("horizon_s=\(g.pick([600, 1800, 7200]))") }
        return sets
    }

    @Test(.slow, arguments: 0..<40)
    func invariantsHoldForRandomValidConfigs(_ k: Int) throws {
        var g = Generator(state: UInt64(k) &* 7919 &+ 1)
        let name = g.pick(Self.models)
        let sets = Self.settings(&g)
        let config: Config
        do { config = try model(name, sets) } catch {
            // A combination the validator refuses is fine (it says why); nothing to check. Few are
            // refused (MRSC comes with a witness where a model has two regions)
            return
        }
        let where_ = "\(name) \(sets)"
        let one = try Runner.run(config, threads: 1)
        let two = try Runner.run(config, threads: 2)
        #expect(one.results == two.results, "\(where_): results differ with 1 and 2 workers")
        for (i, r) in one.results.enumerated() {
            let values: [Double?] = [
                r.detection, r.rto, r.recovered50, r.recovered90, r.recovered99, r.failedRequests, r.writeRTO, r.rpo,
                Double(r.lostWrites), Double(r.delayedWrites), Double(r.falseFailovers),
            ]
            for v in values.compactMap({ $0 }) { #expect(v.isFinite && v >= 0, "\(where_) #\(i): \(v)") }
            if config.database.mode == .mrsc {
                #expect(r.lostWrites == 0 && r.rpo == 0, "\(where_) #\(i): MRSC lost writes")
            }
            if config.traffic.writeShare == 0 {
                #expect(
                    r.lostWrites == 0 && r.delayedWrites == 0 && r.rpo == 0, "\(where_) #\(i): no writes, yet some lost"
                )
            }
            if let b = r.breakdown {
                #expect(b.total == r.rto, "\(where_) #\(i): stages \(b.total) vs rto_s \(r.rto)")
                let bySignal: [RTOBreakdown.Decider] = [.dnsMove, .loadBalancer, .activation, .repointing]
                if bySignal.contains(b.decidedBy), let d = r.detection {
                    #expect(r.rto >= d - 1e-9, "\(where_) #\(i): rto_s \(r.rto) before detection_s \(d)")
                }
            } else {
                #expect(r.rtoCensored, "\(where_) #\(i): recovered but no stages")
            }
        }
    }
}
