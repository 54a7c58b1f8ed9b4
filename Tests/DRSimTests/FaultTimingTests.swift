import DRSim
import DRSimTestSupport
import Foundation
import Testing

/// When faults happen and where their random numbers come from (docs/model.md, "One incident").
@Suite struct FaultTimingTests {
    /// Every time metric counts from the start of the replication's earliest fault: a fault that
    /// starts 60 s (or a random time) into the replication gives the very same incidents as one at 0.
    @Test(.slow, arguments: ["60", "{\"uniform\": [0, 600]}"])
    func aLaterFaultGivesTheSameIncidents(_ start: String) throws {
        let atZero = try replications(try model("seed-active-passive", ["replications=100"]))
        let later = try replications(
            try model("seed-active-passive", ["replications=100", "faults[0].start_s=\(start)"]))
        #expect(later == atZero)
        #expect(later.allSatisfy { $0.detection! > 60 && $0.detection! < 120 && $0.recovered50! > 0 })
    }

    /// A stall of replication 10 minutes before the outage starts the clock: the 10 minutes show in the
    /// times. Detection after it has the same distribution as for the outage alone (KS at 0.001).
    @Test(.slow) func anEarlierFaultStartsTheClock() throws {
        let plain = try replications(try model("seed-active-passive", ["replications=300"])).map { $0.detection! }
        let stalled = try replications(
            try model(
                "seed-active-passive",
                [
                    "replications=300",
                    "faults[0].start_s=700",
                    "faults[1]={\"kind\": \"replication_impaired\", \"mode\": \"stalled\", \"region\": \"us-east-1\", "
                        + "\"start_s\": 100}",
                ]))
        let shifted = stalled.map { $0.detection! - 600 }
        #expect(ksStatistic(plain, shifted) < ksCritical(n: plain.count, m: shifted.count))
        #expect(stalled.allSatisfy { $0.recovered50! > 600 && $0.rto > 600 })
    }

    /// Each fault, scale-up, repointing and activation draws from its own stream: adding a fault that
    /// changes nothing (a lag multiplier of 1 for 1–2 s late in the hour) leaves every result file
    /// byte for byte as it was.
    @Test(.slow) func aFaultThatChangesNothingChangesNoNumber() throws {
        let base = try model("seed-active-passive-warm-standby", ["replications=200"])
        let noOp = try model(
            "seed-active-passive-warm-standby",
            [
                "replications=200",
                "faults[1]={\"kind\": \"replication_impaired\", \"region\": \"eu-west-1\", "
                    + "\"lag_multiplier\": 1, \"start_s\": 3000, \"duration_s\": {\"uniform\": [1, 2]}}",
            ])
        let a = ResultFiles(try Runner.run(base, threads: 2))
        let b = ResultFiles(try Runner.run(noOp, threads: 2))
        for name in ["replications.csv", "summary.csv", "timeline.csv"] {
            #expect(a.text(name) == b.text(name), "\(name)")
        }
    }

    /// A fault's stream is named by what the fault is (its kind and target, or its `id`), not by its
    /// place in `faults`: the same no-op fault added first, before an outage of random length, leaves
    /// every result file as it was too, and the outage keeps its draws.
    @Test(.slow) func aFaultAddedFirstChangesNoNumberEither() throws {
        let outage =
            "{\"kind\": \"region_outage\", \"region\": \"us-east-1\", \"duration_s\": {\"uniform\": [600, 1200]}}"
        let noOp =
            "{\"kind\": \"replication_impaired\", \"region\": \"eu-west-1\", \"lag_multiplier\": 1, "
            + "\"start_s\": 3000, \"duration_s\": {\"uniform\": [1, 2]}}"
        let base = try model("seed-active-passive", ["replications=200", "faults=[\(outage)]"])
        let first = try model("seed-active-passive", ["replications=200", "faults=[\(noOp), \(outage)]"])
        #expect(base.faults.map(\.id) == ["region_outage/us-east-1"])
        #expect(first.faults.map(\.id) == ["replication_impaired/eu-west-1", "region_outage/us-east-1"])
        let a = ResultFiles(try Runner.run(base, threads: 2))
        let b = ResultFiles(try Runner.run(first, threads: 2))
        for name in ["replications.csv", "summary.csv", "timeline.csv"] {
            #expect(a.text(name) == b.text(name), "\(name)")
        }
        // The outage's length is drawn: a continuous draw gives 200 different recovery times, so more
        // than half of them differing cannot pass with a fixed length (which would give a handful).
        let rto = try Runner.run(base, threads: 2).results.map(\.rto)
        #expect(Set(rto).count > 100)
        // A second fault of the same kind on the same target is #2; an id given is kept.
        let hang = "{\"kind\": \"app_unresponsive\", \"region\": \"us-east-1\", \"id\": \"hang\"}"
        let twice = try model("seed-active-passive", ["faults=[\(outage), \(outage), \(hang)]"])
        #expect(twice.faults.map(\.id) == ["region_outage/us-east-1", "region_outage/us-east-1#2", "hang"])
    }

    /// Overlapping faults on one region combine: the same outage listed twice, or an outage and a
    /// database-only outage of the same region at once, is one failure, which strands its unreplicated
    /// writes once (two watches had counted them twice: 253 lost writes instead of 127).
    @Test(.slow) func overlappingFailuresOfOneRegionLoseItsWritesOnce() throws {
        let outage = "{\"kind\": \"region_outage\", \"region\": \"us-east-1\"}"
        let database =
            "{\"kind\": \"region_outage\", \"region\": \"us-east-1\", \"scope\": \"database\", \"duration_s\": 900}"
        let hang = "{\"kind\": \"app_unresponsive\", \"region\": \"us-east-1\", \"duration_s\": 600}"
        let base = ResultFiles(
            try Runner.run(try model("seed-active-passive", ["replications=100", "faults=[\(outage)]"]), threads: 2))
        // Writes are lost at all (a mean of 120–129 over 100 incidents: λ·E[lag], 127 in the README).
        #expect(base.text("summary.csv").contains("lost_writes,100,0,12"))
        for faults in ["[\(outage), \(outage)]", "[\(database), \(outage)]", "[\(outage), \(hang), \(database)]"] {
            let both = ResultFiles(
                try Runner.run(try model("seed-active-passive", ["replications=100", "faults=\(faults)"]), threads: 2))
            #expect(both.text("replications.csv") == base.text("replications.csv"), "\(faults)")
        }
    }

    /// The stability window must end by the horizon: a recovery at 20–30 s held to a 200 s horizon
    /// does not count for a 185 s window (censored, for `recovered_99_s` and the first recovery too,
    /// though the time below the target shows it), and does for a 50 s one.
    @Test func aRecoveryWhoseWindowRunsPastTheHorizonIsCensored() throws {
        let base = [
            "replications=50", "horizon_s=200", "dns.ttl_s=0", "faults[0].mode=\"refused\"",
            "health_checks[0].interval_s=10",
        ]
        let long = try replications(try scenario(base + ["slo.stable_for_s=185"]))
        #expect(
            long.allSatisfy {
                $0.rtoCensored && $0.rto == 200 && $0.recovered99 == nil && $0.firstRecovery == nil
                    && $0.timeBelowTarget < 100
            })
        let short = try replications(try scenario(base + ["slo.stable_for_s=50"]))
        #expect(short.allSatisfy { !$0.rtoCensored && $0.rto == $0.recovered99! })
    }

    /// Normal service is never a recovery: a fault that never lowers service gives 0 for every
    /// recovery time (here checkers are blocked and DNS fails over to a working region).
    @Test func aFaultThatNeverLowersServiceRecoversAtZero() throws {
        let rs = try replications(
            try scenario([
                "replications=20",
                "faults[0]={\"kind\": \"checker_blocked\", \"region\": \"a\", \"checker_regions\": "
                    + "[\"us-east-1\", \"us-west-1\", \"us-west-2\", \"eu-west-1\", \"ap-southeast-1\", "
                    + "\"ap-southeast-2\", \"ap-northeast-1\"]}",
            ]))
        #expect(
            rs.allSatisfy {
                $0.detection != nil && $0.rto == 0 && !$0.rtoCensored && $0.recovered50 == 0 && $0.recovered99 == 0
                    && $0.writeRTO == 0
            })
    }

    /// Fault times lie on the simulator's microsecond grid, so that every part of the model sees the
    /// same instants: a random duration ends the outage in every incident, a start off the grid is
    /// not lost, a far-off start keeps its precision, and a fault shorter than a microsecond (or of
    /// length 0) does nothing at all. (Each of these once broke the curve or the write counts.)
    @Test(.slow) func faultTimesLieOnTheMicrosecondGrid() throws {
        let random = try replications(
            try model("seed-active-passive", ["replications=100", "faults[0].duration_s={\"uniform\": [100, 200]}"]))
        #expect(random.allSatisfy { !$0.rtoCensored && $0.rto >= 100 && $0.rto <= 200 && $0.lostWrites == 0 })
        let offGrid = try replications(
            try model(
                "seed-active-passive",
                [
                    "replications=50", "faults[0].start_s=1.1",
                    "faults[1]={\"kind\": \"health_check_disabled\", \"health_check\": \"hc-eu-west-1\", "
                        + "\"duration_s\": 1}",
                ]))
        #expect(offGrid.allSatisfy { $0.failedRequests > 0 && $0.rto > 1.1 })
        let far = try replications(
            try model("seed-active-passive", ["replications=20", "faults[0].start_s=1e20", "faults[0].duration_s=60"]))
        #expect(far.allSatisfy { $0.rto == 60 && abs($0.failedRequests - 60_000) < 1e-6 })
        for d in ["1e-8", "0"] {
            let none = try replications(
                try model("seed-active-passive", ["replications=20", "faults[0].duration_s=\(d)"]))
            #expect(
                none.allSatisfy {
                    $0.failedRequests == 0 && $0.delayedWrites == 0 && $0.lostWrites == 0 && $0.rto == 0
                }, "duration \(d)")
        }
    }
}
