@testable import DRSim
import DRSimResults
import DRSimTestSupport
import Foundation
import Testing

/// Writes lost to last-writer-wins (docs/model.md, "Replication"): the key space's sums, the chance F
/// that a write is overwritten unseen and its low-rate limit (the pair count λ_a·λ_b·(E[L_a] + E[L_b])·
/// Σ p_k²), the steady rate λ_a F(λ_o), and the writes a stall hides.
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

    /// E[e^(−y L)] for the lag, by the trapezoid rule over the normal score on [−10, 10] in 800 steps
    /// (a finer rule than the model's, whose error for this smooth integrand is far below 10⁻⁹).
    static func laplace(_ y: Double) -> Double {
        guard case .lognormal(let mu, let s) = lag else { fatalError("the seed's lag is log-normal") }
        let (n, h) = (800, 20.0 / 800)
        var sum = 0.0
        for i in 0...n {
            let z = -10 + Double(i) * h
            sum += (i == 0 || i == n ? 0.5 : 1) * exp(-z * z / 2 - y * exp(mu + s * z))
        }
        return sum * h / (2 * Double.pi).squareRoot()
    }

    /// F(c) = Σ p_k (1 − E[e^(−c p_k L)]), item by item.
    static func chance(_ p: [Double], rate c: Double) -> Double {
        p.reduce(0) { $0 + $1 * (1 - laplace(c * $1)) }
    }

    /// The lag's quadrature gives each distribution's mean.
    @Test func theLagsQuadratureGivesTheMean() {
        let lags: [Distribution] = [
            Self.lag, .fixed(0.4), .uniform(0.1, 0.9), .exponential(mean: 0.6), .normal(mean: 0.6, sd: 0.1),
            .gamma(shape: 2, scale: 0.3), .weibull(shape: 1.5, scale: 0.6), .empirical([0.2, 0.5, 1.1]),
        ]
        for d in lags {
            let (x, w) = d.quadrature
            let m = zip(x, w).reduce(0.0) { $0 + $1.0 * $1.1 }
            #expect(abs(w.reduce(0, +) - 1) < 1e-12 && abs(m / d.mean - 1) < 1e-6, "\(d): \(m) vs \(d.mean)")
        }
    }

    /// F's table against adding every item (5000 items: the last 3000 by the key space's integral, a
    /// relative 10⁻⁶), at the midpoints of the grid (where linear interpolation errs most): the bound
    /// 0.42·h²/8 in ln F, h the step in ln c. Below the grid, F is c·E[L]·Σ p_k², within 10⁻⁵. With one
    /// item, F(c) = 1 − E[e^(−cL)].
    @Test(arguments: [(1, 0.0), (5000, 0.0), (5000, 0.8), (5000, 1.2)])
    func theOverwriteTableMatchesTheExactSum(_ n: Int, _ s: Double) {
        let keys = ZipfKeys(.init(keys: n, zipfExponent: s))
        var table = OverwriteTable(keys: keys, lag: Self.lag, highest: 2000, perWeight: 1)
        table.build()
        let p = Self.bruteForce(keys: n, exponent: s).p
        let bound = 0.42 * table.step * table.step / 8 + 2e-6
        let points = table.points
        #expect(table.logF.count == points)
        #expect(points > 10)
        for i in stride(from: 0, to: points - 1, by: max(1, points / 12)) {
            let c = exp(table.logLow + (Double(i) + 0.5) * table.step)
            let want = Self.chance(p, rate: c)
            #expect(abs(table.chance(c) / want - 1) < bound, "\(n) items, s \(s), c \(c)")
        }
        let below = exp(table.logLow) / 3
        #expect(abs(table.chance(below) / Self.chance(p, rate: below) - 1) < 1e-5 + 2e-6)
        #expect(abs(table.chance(5000) / Self.chance(p, rate: 5000) - 1) < 2e-6)
    }

    /// The low-rate limit: F(c)/c tends to E[L]·Σ p_k², the pair count, with a relative gap of at most
    /// c·p₁·E[L²]/(2 E[L]).
    @Test func atLowRatesAWriteIsLostAsOftenAsThePairsCount() {
        let keys = ZipfKeys(.init(keys: 1_000_000, zipfExponent: 0))
        var table = OverwriteTable(keys: keys, lag: Self.lag, highest: 200, perWeight: 1)
        table.build()
        guard case .lognormal(let mu, let sigma) = Self.lag else { return }
        let second = exp(2 * mu + 2 * sigma * sigma)
        for c in [1.0, 100.0] {
            let pairs = c * Self.lag.mean * keys.sumOfSquares
            let gap = c * 1e-6 * second / (2 * Self.lag.mean)
            #expect(abs(table.chance(c) / pairs - 1) < gap + 2e-4)
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
    /// each region writes λ = 100 writes/s, and a million items spread evenly (s = 0) get far under one
    /// write per lag window, so the count is the pair count: Poisson with mean λ²·2·E[L]·Σ p_k²·H (Σ p_k²
    /// added term by term; F departs from it by a relative 5·10⁻⁵). Tolerance: 4.5 Poisson standard errors.
    @Test(.slow) func theSteadyRateAtLowRatesIsThePairCount() throws {
        let (n, lambda, horizon) = (200, 100.0, 3600.0)
        let rs = try replications(
            try model(
                "seed-active-active-as-written",
                [
                    "replications=\(n)", Self.healthy,
                    "database.key_space={\"keys\": 1000000, \"zipf_exponent\": 0}",
                ]))
        let squares = Self.bruteForce(keys: 1_000_000, exponent: 0).squares
        let mu = lambda * lambda * 2 * Self.lag.mean * squares * horizon
        let counts = rs.map { Double($0.conflictOverwrites!) }
        #expect(abs(mean(counts) - mu) < tolerance(sd: mu.squareRoot(), n: n), "\(mean(counts)) vs \(mu)")
        #expect(rs.allSatisfy { $0.delayedWrites == 0 && $0.lostWrites == 0 })
    }

    /// One item, written λ = 1 write/s in each region of the seed active-active model (write share
    /// 0.002 of 1000 requests/s) with nothing failing: a write is lost when the other region writes
    /// within its lag, so each region loses λ(1 − E[e^(−λL)]) writes/s, 2λH(1 − E[e^(−λL)]) ≈ 3240 over
    /// the hour, under the 2λH = 7200 writes made (the pair count would give 2λ²E[L]H ≈ 4570). The count
    /// is Poisson: tolerance 4.5 standard errors; no replication counts more writes than were made.
    @Test(.slow) func aHotItemLosesAtMostTheWritesMade() throws {
        let (n, lambda, horizon) = (200, 1.0, 3600.0)
        let rs = try replications(
            try model(
                "seed-active-active-as-written",
                [
                    "replications=\(n)", Self.healthy, "traffic.write_share=0.002",
                    "database.key_space={\"keys\": 1}",
                ]))
        let mu = 2 * lambda * horizon * (1 - Self.laplace(lambda))
        let counts = rs.map { Double($0.conflictOverwrites!) }
        #expect(abs(mean(counts) - mu) < tolerance(sd: mu.squareRoot(), n: n), "\(mean(counts)) vs \(mu)")
        #expect(counts.allSatisfy { $0 <= 2 * lambda * horizon })
    }

    static let healthy = "faults=[{\"kind\": \"health_check_disabled\", \"health_check\": \"hc-eu-west-1\"}]"

    /// A stall of T in us-east-1 with both regions serving: us-east-1's λ(T + E[L]) hidden writes
    /// (Poisson) each lose to a write of eu-west-1 to the same item before they arrive, with the chance
    /// Σ p_k (1 − e^(−c E[L])(1 − e^(−cT))/(cT)), c = λ p_k; meanwhile eu-west-1's writes conflict as in
    /// steady state over H, us-east-1's over H − T, each losing λF(λ) writes/s. The sum is Poisson (a
    /// thinned Poisson count plus Poisson counts): tolerance 4.5 standard errors.
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
        let steady = lambda * Self.chance(exact.p, rate: lambda) * (2 * horizon - T)
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
