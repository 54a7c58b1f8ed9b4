import DRSim
import DRSimResults
import DRSimStudy
import Testing

/// `--precision`: replications added in batches until intervals are narrow enough.
@Suite struct PrecisionTests {
    @Test func targetsParse() throws {
        let a = try PrecisionTarget(parsing: "rto_s:p99=±5")
        #expect(a.metric == .rto && a.statistic == .p99 && a.bound == 5 && !a.relative)
        let b = try PrecisionTarget(parsing: "recovered_90_s:mean=±2%")
        #expect(b.metric == .recovered90 && b.statistic == .mean && b.bound == 2 && b.relative)
        #expect(
            try PrecisionTarget(parsing: "lost_writes:p50=+-1.5") == PrecisionTarget(parsing: "lost_writes:p50=1.5"))
        #expect(b.description == "recovered_90_s:mean=±2%")
    }

    @Test(arguments: [
        ("rto:p99=5", "no metric \"rto\""), ("rto_s:p95=5", "no statistic \"p95\""), ("rto_s:p99=0", "above 0"),
        ("rto_s:p99=±-1%", "above 0"), ("rto_s=5", "write METRIC:STAT=±X"),
    ])
    func badTargetsSayWhatIsWrong(_ text: String, _ message: String) {
        #expect { try PrecisionTarget(parsing: text) } throws: {
            ($0 as? UsageError)?.message.contains(message) == true
        }
    }

    /// The half-width is the larger distance from the estimate to an end of its interval; relative bounds
    /// scale with the estimate.
    @Test func halfWidthsAndBounds() throws {
        let e = Estimate(value: 100, low: 97, high: 104)
        #expect(PrecisionTarget.halfWidth(e) == 4)
        #expect(PrecisionCheck(try PrecisionTarget(parsing: "rto_s:mean=±4"), e).met)
        #expect(!PrecisionCheck(try PrecisionTarget(parsing: "rto_s:mean=±3.9"), e).met)
        #expect(PrecisionCheck(try PrecisionTarget(parsing: "rto_s:mean=±4%"), e).met)
        #expect(!PrecisionCheck(try PrecisionTarget(parsing: "rto_s:mean=±3%"), e).met)
        #expect(
            !PrecisionCheck(try PrecisionTarget(parsing: "rto_s:p99=±1000"), Estimate(value: 5, low: 1, high: nil)).met)
    }

    /// Grown in batches to the width asked, the run is byte for byte a fixed run of the count it took.
    @Test func reachesTheWidthWithTheBytesOfAFixedRun() throws {
        let c = try scenario([
            "replications=50", "clients={\"resolvers\": 20}", "health_checks[0].transient_failure_prob=0.02",
        ])
        let target = try PrecisionTarget(parsing: "detection_s:mean=±0.5")
        var run = GrowingRun(c)
        let outcome = try Precision.reach(from: 50, cap: 5_000) { n in
            try run.extend(to: n, threads: 2)
            return [PrecisionCheck(target, target.estimate(run.output.summaries))]
        }
        #expect(outcome.met && outcome.batches.first == 50 && outcome.batches.count > 1)
        #expect(outcome.replications == run.count && outcome.replications < 5_000)
        let e = target.estimate(run.output.summaries)
        #expect(PrecisionTarget.halfWidth(e)! <= 0.5)
        var fixed = c
        fixed.replications = outcome.replications
        #expect(ResultFiles(run.output).texts == ResultFiles(try Runner.run(fixed, threads: 1)).texts)
        // One batch fewer was not enough.
        var short = c
        short.replications = outcome.batches[outcome.batches.count - 2]
        #expect(PrecisionTarget.halfWidth(target.estimate(try Runner.run(short, threads: 2).summaries))! > 0.5)
    }

    @Test func stopsAtTheCapAndSaysSo() throws {
        let c = try scenario(["replications=20", "clients={\"resolvers\": 20}"])
        let target = try PrecisionTarget(parsing: "recovered_90_s:mean=±0.000001")
        var run = GrowingRun(c)
        let outcome = try Precision.reach(from: 20, cap: 100) { n in
            try run.extend(to: n, threads: 2)
            return [PrecisionCheck(target, target.estimate(run.output.summaries))]
        }
        #expect(!outcome.met && outcome.replications == 100 && run.count == 100)
        #expect(outcome.batches == [20, 80, 100])  // ×4 at most per batch, then the cap
        #expect(outcome.report(cap: 100)[0].hasPrefix("precision NOT reached: stopped at the cap of 100 replications"))
    }

    @Test func aPrecisionRunRefusesWhatCannotNarrow() throws {
        let noWrites = try scenario(["traffic.write_share=0"])
        let writes = try scenario()
        let plan = PrecisionRun(targets: [try PrecisionTarget(parsing: "write_rto_s:mean=±5")], cap: 2000)
        #expect(plan.most(from: 100) == 2000 && PrecisionRun(targets: [], cap: 2000).most(from: 100) == 100)
        #expect(plan.refusal([writes], fixed: 100) { "point \($0 + 1)" } == nil)
        #expect(
            plan.refusal([writes], fixed: 3000) { "point \($0 + 1)" }?.message.hasPrefix(
                "--max-replications 2000 is below") == true)
        let which = plan.refusal([writes, noWrites], fixed: 100) { "point \($0 + 1)" }
        let reason = "does not apply to point 2 (it has no writes: traffic.write_share is 0)"
        #expect(which?.message.contains(reason) == true)
    }
}
