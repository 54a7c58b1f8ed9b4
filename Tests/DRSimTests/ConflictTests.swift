@testable import DRSim
import DRSimResults
import DRSimTestSupport
import Foundation
import Testing

/// Writes lost to last-writer-wins (docs/model.md, "Replication"): the key space's sums, the steady
/// rate λ_a·λ_b·(E[L_a] + E[L_b])·Σ p_k², and the writes a stall hides.
@Suite struct ConflictTests {
    static let lag = Distribution.lognormal(median: 0.5, p99: 2.5)

    /// Brute-force sums over every item, for a key space small enough to add term by term.
    static func bruteForce(keys n: Int, exponent s: Double) -> (h: Double, squares: Double, p: [Double]) {
        let h = (1...n).reduce(0.0) { $0 + pow(Double($1), -s) }
        let p = (1...n).map { pow(Double($0), -s) / h }
        return (h, p.reduce(0) { $0 + $1 * $1 }, p)
    }

    /// Σ p_k (1 − e^(−cg)(1 − e^(−cT))/(cT)), c = λ p_k, term by term.
    static func overwriteChance(_ p: [Double], rate: Double, gap g: Double, spread T: Double) -> Double {
        p.reduce(0) { sum, pk in
            let c = rate * pk
            return sum + pk * (1 - exp(-c * g) * (T > 0 ? -expm1(-c * T) / (c * T) : 1))
        }
    }

    /// The key space's sums (head term by term, tail by the integral) against adding every term: the
    /// midpoint rule's error past 2000 items is about s(s+1)/(24·2000²) of each term, below 10⁻⁷, so
    /// a relative 10⁻⁶ bounds it.
    @Test(arguments: [0.0, 0.6, 1.0, 1.5])
    func theKeySpacesSumsMatchAddingEveryItem(_ s: Double) {
        let n = 60_000
        let keys = ZipfKeys(.init(keys: n, zipfExponent: s))
        let exact = Self.bruteForce(keys: n, exponent: s)
        #expect(abs(keys.normaliser / exact.h - 1) < 1e-6)
        #expect(abs(keys.sumOfSquares / exact.squares - 1) < 1e-6)
        for (rate, gap, spread) in [(100.0, 0.6, 0.0), (100.0, 0.6, 600.0), (5.0, 60.0, 30.0)] {
            let got = keys.overwriteChance(rate: rate, gap: gap, spread: spread)
            let want = Self.overwriteChance(exact.p, rate: rate, gap: gap, spread: spread)
            #expect(abs(got / want - 1) < 1e-6, "s \(s): \(got) vs \(want)")
        }
        if s == 0 { #expect(abs(keys.sumOfSquares * Double(n) - 1) < 1e-9) }
    }

    /// The seed active-active model with nothing failing (a disabled health check counts as healthy):
    /// each region writes λ = 100 writes/s, so over the horizon H the count is Poisson with mean
    /// λ²·2·E[L]·Σ p_k²·H (Σ p_k² added term by term). Tolerance: 4.5 Poisson standard errors.
    @Test(.slow, arguments: [0.0, 1.0])
    func theSteadyRateIsTheClosedForm(_ s: Double) throws {
        let (n, lambda, horizon) = (200, 100.0, 3600.0)
        let rs = try replications(
            try model(
                "seed-active-active-as-written",
                [
                    "replications=\(n)",
                    "faults=[{\"kind\": \"health_check_disabled\", \"health_check\": \"hc-eu-west-1\"}]",
                    "database.key_space={\"keys\": 1000000, \"zipf_exponent\": \(s)}",
                ]))
        let squares = Self.bruteForce(keys: 1_000_000, exponent: s).squares
        let mu = lambda * lambda * 2 * Self.lag.mean * squares * horizon
        let counts = rs.map { Double($0.conflictOverwrites!) }
        #expect(abs(mean(counts) - mu) < tolerance(sd: mu.squareRoot(), n: n), "\(mean(counts)) vs \(mu)")
        #expect(rs.allSatisfy { $0.delayedWrites == 0 && $0.lostWrites == 0 })
    }

    /// A stall of T in us-east-1 with both regions serving: us-east-1's λ(T + E[L]) hidden writes
    /// (Poisson) each lose to a write of eu-west-1 to the same item before they arrive, with the chance
    /// Σ p_k (1 − e^(−c E[L])(1 − e^(−cT))/(cT)), c = λ p_k; meanwhile eu-west-1's writes conflict as in
    /// steady state over H, us-east-1's over H − T. The sum is Poisson (a thinned Poisson count plus
    /// Poisson counts): tolerance 4.5 standard errors.
    @Test(.slow) func aStallsHiddenWritesLoseToTheOtherRegionsWrites() throws {
        let (n, lambda, horizon, T) = (200, 100.0, 3600.0, 600.0)
        let (keys, s) = (10_000, 0.8)
        let rs = try replications(
            try model(
                "seed-active-active-as-written",
                [
                    "replications=\(n)",
                    "faults=[{\"kind\": \"replication_impaired\", \"mode\": \"stalled\", \"region\": \"us-east-1\", "
                        + "\"duration_s\": \(T)}]",
                    "database.key_space={\"keys\": \(keys), \"zipf_exponent\": \(s)}",
                ]))
        let exact = Self.bruteForce(keys: keys, exponent: s)
        let steady = lambda * lambda * Self.lag.mean * exact.squares * (2 * horizon - T)
        let chance = Self.overwriteChance(exact.p, rate: lambda, gap: Self.lag.mean, spread: T)
        let hidden = lambda * (T + Self.lag.mean) * chance
        let mu = steady + hidden
        let counts = rs.map { Double($0.conflictOverwrites!) }
        #expect(abs(mean(counts) - mu) < tolerance(sd: mu.squareRoot(), n: n), "\(mean(counts)) vs \(mu)")
    }

    /// No key space, MRSC, or no writes: nothing is counted, and the metric does not apply.
    @Test func conflictsNeedMRECWritesAndAKeySpace() throws {
        let off = try model("seed-active-active-as-written", ["replications=3", "database.key_space=false"])
        #expect(try replications(off).allSatisfy { $0.conflictOverwrites == nil })
        #expect(!Metric.conflictOverwrites.applies(to: off))
        let noWrites = try model("seed-active-active-as-written", ["replications=3", "traffic.write_share=0"])
        #expect(try replications(noWrites).allSatisfy { $0.conflictOverwrites == nil })
        #expect(Metric.conflictOverwrites.applies(to: try model("seed-active-active-as-written")))
    }
}
