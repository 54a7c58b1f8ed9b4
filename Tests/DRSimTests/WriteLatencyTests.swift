import DRSim
import DRSimResults
import DRSimTestSupport
import Foundation
import Testing

/// MRSC's added write latency (docs/model.md, "Replication"): a write waits for the fastest of its
/// replications to the other members that are up. Each replication samples one successful write; the
/// KS tests (significance 0.001) compare the sample with the closed form.
@Suite struct WriteLatencyTests {
    static let lag = Distribution.lognormal(median: 0.5, p99: 2.5)
    /// Nothing fails: a disabled health check counts as healthy.
    static let quiet = "faults=[{\"kind\": \"health_check_disabled\", \"health_check\": \"%@\"}]"

    /// Three members up: the smaller of two lags, P(X ≤ x) = 1 − (1 − F(x))²; the same with two regions
    /// and a witness.
    @Test(.slow) func withThreeMembersUpAWriteWaitsForTheFasterOfTwoLags() throws {
        let n = 1000
        let three = try replications(
            try model(
                "seed-three-region",
                ["replications=\(n)", "database.mode=\"mrsc\"", String(format: Self.quiet, "hc-ap-southeast-2")]))
        let witness = try replications(
            try model(
                "seed-active-active-as-written",
                [
                    "replications=\(n)", "database={\"mode\": \"mrsc\", \"witness\": \"w\"}",
                    String(format: Self.quiet, "hc-eu-west-1"),
                ]))
        for rs in [three, witness] {
            let x = rs.map { $0.mrscWriteLatency! }
            let d = ksStatistic(x) { 1 - pow(1 - Self.lag.cdf($0), 2) }
            #expect(d < ksCritical(n: n), "KS \(d)")
            // The single lag's distribution is far enough away to be told apart.
            #expect(ksStatistic(x) { Self.lag.cdf($0) } > ksCritical(n: n))
        }
    }

    /// With us-east-1's table down from the start, the writes that succeed (eu-west-1's) reach only
    /// ap-southeast-2's replica: one lag, P(X ≤ x) = F(x).
    @Test(.slow) func withOneMemberDownAWriteWaitsForOneLag() throws {
        let n = 1000
        let rs = try replications(
            try model(
                "seed-three-region",
                [
                    "replications=\(n)", "database.mode=\"mrsc\"",
                    "faults=[{\"kind\": \"region_outage\", \"region\": \"us-east-1\", \"scope\": \"database\"}]",
                ]))
        let x = rs.map { $0.mrscWriteLatency! }
        let d = ksStatistic(x) { Self.lag.cdf($0) }
        #expect(d < ksCritical(n: n), "KS \(d)")
    }

    /// Under MREC a write returns at once: the metric is empty and does not apply.
    @Test func mrecAddsNoWriteLatency() throws {
        let config = try model("seed-active-active-as-written", ["replications=5"])
        #expect(try replications(config).allSatisfy { $0.mrscWriteLatency == nil })
        #expect(!Metric.mrscWriteLatency.applies(to: config))
        #expect(Metric.mrscWriteLatency.applies(to: try model("seed-three-region", ["database.mode=\"mrsc\""])))
    }
}
