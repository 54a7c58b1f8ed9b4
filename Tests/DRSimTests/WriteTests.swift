import DRSim
import DRSimTestSupport
import Foundation
import Testing

/// Writes: failed writes are failed requests, replicas fail apart from their apps, and unreplicated
/// writes are lost or only delayed (docs/model.md, "Traffic" and "Replication").
@Suite struct WriteTests {
    /// The lag's mean, E[L], for the default log-normal (median 0.5 s, p99 2.5 s).
    static let meanLag = Distribution.lognormal(median: 0.5, p99: 2.5).mean

    /// A failed write is a failed request: an app in eu-west-1 wired to us-east-1's database fails every
    /// write once it serves, so the success target (0.99 > 1 − write share) is never reached, and the
    /// extra failed requests are exactly the writes eu-west-1 served: rps · write share · ∫ s(t) dt.
    @Test(.slow) func failedWritesCountAgainstTheSuccessFraction() throws {
        let local = try replications(try model("seed-active-passive", ["replications=100"]))
        let wired = try replications(
            try model("seed-active-passive", ["replications=100", "regions[1].db_endpoint=\"us-east-1\""]))
        let (rps, ws, h) = (1000.0, 0.2, 3600.0)
        for (a, b) in zip(local, wired) {
            #expect(b.rtoCensored && b.writeRTO == nil && b.recovered50 != nil)
            let served = h - a.failedRequests / rps
            #expect(abs((b.failedRequests - a.failedRequests) - rps * ws * served) < 1e-3 * rps * ws * served)
        }
    }

    /// A short blip that recovers before DNS fails over loses nothing: the writes in flight arrive late
    /// (delayed_writes, Poisson with mean λ·E[L]), and as no other region served meanwhile, nobody saw
    /// them missing (rpo_s 0).
    @Test(.slow) func aBlipDelaysWritesAndLosesNone() throws {
        let rs = try replications(try model("seed-active-passive", ["replications=400", "faults[0].duration_s=60"]))
        #expect(rs.allSatisfy { $0.lostWrites == 0 && $0.rpo == 0 && $0.detection == nil })
        let mu = 200 * Self.meanLag
        let delayed = rs.map { Double($0.delayedWrites) }
        #expect(abs(mean(delayed) - mu) < tolerance(sd: mu.squareRoot(), n: delayed.count), "\(mean(delayed)) vs \(mu)")
        // Active-active: the other region serves throughout, so the delayed writes were missing there.
        let aa = try replications(
            try model("seed-active-active-as-written", ["replications=100", "faults[0].duration_s=60"]))
        #expect(aa.allSatisfy { $0.lostWrites == 0 && ($0.delayedWrites == 0 || $0.rpo > 0) })
        #expect(aa.contains { $0.delayedWrites > 0 })
    }

    /// A permanent outage loses the writes in flight: Poisson with mean λ·E[L], none delayed.
    @Test(.slow) func aPermanentOutageLosesTheWritesInFlight() throws {
        let rs = try replications(try model("seed-active-passive", ["replications=400"]))
        let mu = 200 * Self.meanLag
        let lost = rs.map { Double($0.lostWrites) }
        #expect(abs(mean(lost) - mu) < tolerance(sd: mu.squareRoot(), n: lost.count))
        #expect(rs.allSatisfy { $0.delayedWrites == 0 && ($0.lostWrites == 0) == ($0.rpo == 0) })
    }

    /// A stall of T seconds before a permanent outage loses λ·T + λ·E[L] writes in expectation: the
    /// whole backlog, plus what was in flight when the stall began; the oldest is more than T old.
    @Test(.slow) func aStallBeforeAnOutageLosesItsWholeBacklog() throws {
        let T = 600.0
        let rs = try replications(
            try model(
                "seed-active-passive",
                [
                    "replications=300", "faults[0].start_s=\(T)",
                    "faults[1]={\"kind\": \"replication_impaired\", \"mode\": \"stalled\", \"region\": \"us-east-1\"}",
                ]))
        let mu = 200 * (T + Self.meanLag)
        let lost = rs.map { Double($0.lostWrites) }
        #expect(abs(mean(lost) - mu) < tolerance(sd: mu.squareRoot(), n: lost.count), "\(mean(lost)) vs \(mu)")
        #expect(rs.allSatisfy { $0.rpo > T * 0.99 && $0.delayedWrites == 0 })
        // The same stall before a 60 s blip: the backlog arrives when the region is back, if the stall has ended.
        let ended = try replications(
            try model(
                "seed-active-passive",
                [
                    "replications=100", "faults[0].start_s=\(T)",
                    "faults[0].duration_s=60",
                    "faults[1]={\"kind\": \"replication_impaired\", \"mode\": \"stalled\", \"region\": \"us-east-1\", "
                        + "\"duration_s\": 700}",
                ]))
        #expect(ended.allSatisfy { $0.lostWrites == 0 && $0.delayedWrites > 0 })
        let endless = try replications(
            try model(
                "seed-active-passive",
                [
                    "replications=100", "faults[0].start_s=\(T)",
                    "faults[0].duration_s=60",
                    "faults[1]={\"kind\": \"replication_impaired\", \"mode\": \"stalled\", \"region\": \"us-east-1\"}",
                ]))
        #expect(endless.allSatisfy { $0.lostWrites > 0 && $0.delayedWrites == 0 })
    }

    /// A stall of T with both regions serving hides us-east-1's writes from eu-west-1 (λ = 100 writes/s
    /// each): they arrive when it ends, so in expectation λ·(T + E[L]) writes are delayed (the stall's,
    /// and those in flight when it began), none lost; and as eu-west-1 served meanwhile, rpo_s is T plus
    /// the oldest in-flight write's age at the stall's start, P(rpo_s − T ≤ x) = exp(−λ ∫ₓ^∞ P(L > u) du).
    /// The same holds when the stall ends in an outage that recovers (the backlog arrives after both).
    /// Tolerances: the mean within 4.5 Poisson standard errors, √(λ(T + E[L])) / √n; the KS test at 0.001.
    @Test(.slow) func aStallWithBothRegionsServingDelaysItsWrites() throws {
        let (T, lambda, n) = (600.0, 100.0, 300)
        let stall = "{\"kind\": \"replication_impaired\", \"mode\": \"stalled\", \"region\": \"us-east-1\", "
        let alone = try replications(
            try model("seed-active-active-as-written", ["replications=\(n)", "faults=[\(stall)\"duration_s\": \(T)}]"]))
        let beforeOutage = try replications(
            try model(
                "seed-active-active-as-written",
                [
                    "replications=\(n)", "faults[0].start_s=\(T)", "faults[0].duration_s=60",
                    "faults[1]=\(stall)\"duration_s\": \(T + 120)}",
                ]))
        let lag = Distribution.lognormal(median: 0.5, p99: 2.5)
        let mu = lambda * (T + lag.mean)
        for rs in [alone, beforeOutage] {
            #expect(rs.allSatisfy { $0.lostWrites == 0 && $0.rpo >= T })
            let delayed = rs.map { Double($0.delayedWrites) }
            #expect(abs(mean(delayed) - mu) < tolerance(sd: mu.squareRoot(), n: n), "\(mean(delayed)) vs \(mu)")
            let excess = rs.map { $0.rpo - T }
            let d = ksStatistic(excess) { x in exp(-lambda * lag.excessMean(over: x)) }
            #expect(d < ksCritical(n: n), "KS \(d)")
        }
        // A stall that lasts past the horizon: its writes never reach eu-west-1, so they are lost.
        let endless = try replications(
            try model("seed-active-active-as-written", ["replications=50", "faults=[\(stall)\"start_s\": 0}]"]))
        #expect(endless.allSatisfy { $0.lostWrites > 0 && $0.delayedWrites == 0 && $0.rpo > 3599 })
    }

    /// An app that fails while its region's replication is stalled strands the backlog in a replica
    /// that no longer takes writes: lost if the stall lasts past the horizon, delayed if it ends
    /// before; either way missing while eu-west-1 serves, so it counts in rpo_s.
    @Test(.slow) func anAppFailureDuringAStallStrandsTheBacklog() throws {
        let stall = "faults[1]={\"kind\": \"replication_impaired\", \"region\": \"us-east-1\", \"mode\": \"stalled\"%@}"
        let base = ["replications=100", "faults[0].start_s=100", "faults[0].scope=\"app\""]
        let lost = try replications(try model("seed-active-passive", base + [String(format: stall, "")]))
        let mu = 200 * (100 + Self.meanLag)
        #expect(abs(mean(lost.map { Double($0.lostWrites) }) - mu) < tolerance(sd: mu.squareRoot(), n: lost.count))
        #expect(lost.allSatisfy { $0.rpo > 99 && $0.delayedWrites == 0 })
        let delayed = try replications(
            try model("seed-active-passive", base + [String(format: stall, ", \"duration_s\": 1000")]))
        #expect(delayed.allSatisfy { $0.lostWrites == 0 && $0.delayedWrites > 0 && $0.rpo > 99 })
    }

    /// The app and its database fail apart. An app-only outage (a Google Cloud region) loses no write:
    /// the replica keeps replicating. A database-only outage (an AWS region) leaves the app up and its
    /// health check green, so nothing fails over, and the app's writes fail: s = 1 − write share.
    @Test func appAndDatabaseFailSeparately() throws {
        let app = try replications(try model("seed-active-passive", ["replications=100", "faults[0].scope=\"app\""]))
        #expect(app.allSatisfy { $0.lostWrites == 0 && $0.delayedWrites == 0 && $0.rpo == 0 && $0.recovered90 != nil })
        let config = try model(
            "seed-active-passive", ["replications=100", "faults[0].scope=\"database\"", "faults[0].duration_s=600"])
        let sim = IncidentSimulator(config: config)
        for i in 0..<config.replications {
            let r = try sim.run(replication: i)
            #expect(r.detection == nil && r.delayedWrites >= 0 && r.lostWrites == 0)
            #expect(abs(sim.curve.value(at: 300) - 0.8) < 1e-6 && sim.curve.value(at: 601) == 1)
            #expect(abs(r.writeRTO! - 600) < 1e-6 && abs(r.failedRequests - 1000 * 0.2 * 600) < 1)
        }
    }

    /// MRSC: a passive region's replica exists and replicates whether or not its app was activated, so
    /// with us-east-1 down, eu-west-1 and ap-southeast-2 hold a majority and writes recover.
    @Test func mrscCountsAPassiveRegionsReplica() throws {
        let config = try model(
            "seed-three-region",
            [
                "replications=50", "database.mode=\"mrsc\"",
                "faults=[{\"kind\": \"region_outage\", \"region\": \"us-east-1\"}]",
            ])
        for r in try replications(config) {
            #expect(r.writeRTO != nil && r.lostWrites == 0 && r.delayedWrites == 0)
        }
        // A stalled region cannot reach a second replica: under MRSC its writes fail while it lasts.
        let stalled = try replications(
            try scenario([
                "replications=20", "database.mode=\"mrsc\"", "database.witness=\"w\"",
                "faults=[{\"kind\": \"replication_impaired\", \"mode\": \"stalled\", \"region\": \"a\", "
                    + "\"duration_s\": 100}]",
            ]))
        #expect(stalled.allSatisfy { $0.detection == nil && abs($0.writeRTO! - 100) < 1e-6 && $0.lostWrites == 0 })
    }

    /// Repointing follows the failover both ways: after the outage ends and DNS fails back, writes are
    /// repointed to the primary after a delay of their own.
    @Test func repointingFollowsFailback() throws {
        let config = try model("seed-active-passive-warm-standby", ["replications=50", "faults[0].duration_s=900"])
        let sim = IncidentSimulator(config: config)
        for i in 0..<config.replications {
            _ = try sim.run(replication: i)
            #expect(sim.repoints.map(\.toSecondary) == [true, false])
            let back = sim.answerChanges.last!.time
            #expect(sim.repoints[1].time >= back + 30 && sim.repoints[1].time <= back + 120)
            // Between failback and the second repointing, clients back on us-east-1 write to eu-west-1's
            // table, which is fine; once repointed, all writes go to us-east-1's again.
            #expect(sim.curve.value(at: sim.repoints[1].time + 1) > 0)
        }
    }

    /// No writes, no write recovery time.
    @Test func noWritesNoWriteRTO() throws {
        let rs = try replications(try scenario(["replications=20", "traffic.write_share=0"]))
        #expect(rs.allSatisfy { $0.writeRTO == nil && $0.lostWrites == 0 && $0.recovered99 != nil })
    }
}
