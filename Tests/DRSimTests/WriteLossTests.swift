import DRSim
import DRSimTestSupport
import Foundation
import Testing

/// Lost writes under MREC against docs/model.md, "Closed forms the tests check": with Poisson writes at rate λ and lag
/// L, the
/// writes in flight at t = 0 are Poisson with mean λ·E[L], and P(rpo_s ≤ x) = exp(−λ ∫ₓ^∞ P(L > u) du).
/// drsim samples these directly; here they are also checked against a brute-force simulation that
/// generates every write and its lag, to show the two are the same distribution.
@Suite struct WriteLossTests {
    static let lags: [(String, Distribution)] = [
        ("lognormal default", .lognormal(median: 0.5, p99: 2.5)),
        ("uniform", .uniform(0.2, 3)),
        ("exponential", .exponential(mean: 1)),
        ("gamma", .gamma(shape: 3, scale: 0.4)),
    ]
    static let rate = 2.0  // writes per second: small enough for many zero-loss incidents
    static let n = 20_000

    func sampled(_ lag: Distribution) -> [WriteLoss] {
        let r = RandomStream(key: StreamKey(seed: 21, replication: 0, component: "writes"))
        return (0..<Self.n).map { _ in WriteLoss.sample(writeRate: Self.rate, lag: lag, r) }
    }

    /// Every write of the last `window` seconds, each with its own lag: lost if still in flight at 0.
    func bruteForce(_ lag: Distribution, window: Double) -> [WriteLoss] {
        let r = RandomStream(key: StreamKey(seed: 22, replication: 0, component: "brute"))
        return (0..<Self.n).map { _ in
            var age = r.exponential(mean: 1 / Self.rate)
            var lost = 0
            var oldest = 0.0
            while age < window {
                if lag.sample(r) > age {
                    lost += 1
                    oldest = age
                }
                age += r.exponential(mean: 1 / Self.rate)
            }
            return WriteLoss(lostWrites: lost, rpo: oldest)
        }
    }

    @Test(.slow, arguments: lags.map(\.0))
    func lostWritesArePoissonWithMeanRateTimesMeanLag(_ name: String) {
        let lag = Self.lags.first { $0.0 == name }!.1
        let counts = sampled(lag).map { Double($0.lostWrites) }
        let mu = Self.rate * lag.mean
        #expect(abs(mean(counts) - mu) < tolerance(sd: mu.squareRoot(), n: counts.count))
        // Poisson: variance equals the mean (the sample variance's sd is about √(μ + 2μ²)/√n).
        let v = sd(counts) * sd(counts)
        #expect(abs(v - mu) < tolerance(sd: (mu + 2 * mu * mu).squareRoot(), n: counts.count))
    }

    @Test(.slow, arguments: lags.map(\.0))
    func rpoFollowsTheClosedForm(_ name: String) {
        let lag = Self.lags.first { $0.0 == name }!.1
        let rpo = sampled(lag).map(\.rpo)
        // The CDF has an atom at 0 of size exp(−λE[L]); the KS bound holds for such mixed laws too.
        let F = { (x: Double) in x < 0 ? 0 : exp(-Self.rate * lag.excessMean(over: x)) }
        let D = ksStatistic(rpo, cdf: F, left: { x in x <= 0 ? 0 : F(x) })
        #expect(D < ksCritical(n: rpo.count), "D = \(D)")
    }

    @Test(.slow, arguments: lags.map(\.0))
    func directSamplingEqualsSimulatingEveryWrite(_ name: String) {
        let lag = Self.lags.first { $0.0 == name }!.1
        let a = sampled(lag)
        let b = bruteForce(lag, window: 60)
        let Drpo = ksStatistic(a.map(\.rpo), b.map(\.rpo))
        let Dlost = ksStatistic(a.map { Double($0.lostWrites) }, b.map { Double($0.lostWrites) })
        #expect(Drpo < ksCritical(n: a.count, m: b.count), "rpo D = \(Drpo)")
        #expect(Dlost < ksCritical(n: a.count, m: b.count), "lost D = \(Dlost)")
    }

    /// A slowdown that ended half a second before the failure, after 4.5 s at 20× the lag: its writes
    /// are still in flight. Sampled from the stretch-wise tail integral, against every write simulated
    /// with the multiplier of its send time (two-sample KS on both metrics, and the mean count).
    @Test(.slow) func aSlowdownThatEndedStillHoldsItsWrites() {
        let lag = Distribution.lognormal(median: 0.5, p99: 2.5)
        let segments = [
            LagSegment(from: 0, until: 0.5, multiplier: 1), LagSegment(from: 0.5, until: 5, multiplier: 20),
            LagSegment(from: 5, until: .infinity, multiplier: 1),
        ]
        let r = RandomStream(key: StreamKey(seed: 23, replication: 0, component: "writes"))
        let a = (0..<Self.n).map { _ in WriteLoss.sample(writeRate: Self.rate, lag: lag, byAge: segments, r) }
        let brute = RandomStream(key: StreamKey(seed: 24, replication: 0, component: "brute"))
        let b = (0..<Self.n).map { _ in
            var age = brute.exponential(mean: 1 / Self.rate)
            var lost = 0
            var oldest = 0.0
            while age < 600 {
                let m = segments.first { age >= $0.from && age < $0.until }!.multiplier
                if m * lag.sample(brute) > age {
                    lost += 1
                    oldest = age
                }
                age += brute.exponential(mean: 1 / Self.rate)
            }
            return WriteLoss(lostWrites: lost, rpo: oldest)
        }
        let Drpo = ksStatistic(a.map(\.rpo), b.map(\.rpo))
        let Dlost = ksStatistic(a.map { Double($0.lostWrites) }, b.map { Double($0.lostWrites) })
        #expect(Drpo < ksCritical(n: a.count, m: b.count), "rpo D = \(Drpo)")
        #expect(Dlost < ksCritical(n: a.count, m: b.count), "lost D = \(Dlost)")
        let mu =
            Self.rate
            * (lag.mean - lag.excessMean(over: 0.5) + 20
                * (lag.excessMean(over: 0.5 / 20) - lag.excessMean(over: 5.0 / 20))
                + lag.excessMean(over: 5))
        let counts = a.map { Double($0.lostWrites) }
        #expect(abs(mean(counts) - mu) < tolerance(sd: mu.squareRoot(), n: counts.count), "\(mean(counts)) vs \(mu)")
        #expect(mu > 2 * Self.rate * lag.mean)  // the ended slowdown matters: more than twice the unimpaired loss
    }

    /// In a run, the failed region's writes are the traffic's write share (here 100 req/s × 0.2).
    @Test func incidentLosesTheWritesInFlightInTheFailedRegion() throws {
        let rs = try replications(try scenario(["replications=2000", "horizon_s=200"]))
        let mu = 20 * Distribution.lognormal(median: 0.5, p99: 2.5).mean
        let lost = rs.map { Double($0.lostWrites) }
        #expect(abs(mean(lost) - mu) < tolerance(sd: mu.squareRoot(), n: lost.count))
        // A fault in the passive region loses nothing: no writes were accepted there.
        let passive = try replications(try scenario(["replications=50", "horizon_s=200", "faults[0].region=\"b\""]))
        #expect(passive.allSatisfy { $0.lostWrites == 0 && $0.rpo == 0 })
    }

    /// Counts past 32 bits are exact: GSL's sampler returns 32 bits, so drsim adds up parts of the
    /// mean. A mean of 5·10⁹ gives counts within 6 standard deviations of it (a wrapped count would be
    /// off by 2³², 60,000 of them).
    @Test func poissonCountsBeyond32Bits() {
        let r = RandomStream(key: StreamKey(seed: 25, replication: 0, component: "big"))
        let mu = 5e9
        for _ in 0..<20 {
            let n = r.poisson(mean: mu)
            #expect(abs(Double(n) - mu) < 6 * mu.squareRoot(), "\(n)")
        }
        // Under the split, a mean just above one part behaves as a Poisson count too (mean and variance).
        let counts = (0..<2000).map { _ in Double(r.poisson(mean: RandomStream.poissonPart * 1.5)) }
        let m = RandomStream.poissonPart * 1.5
        #expect(abs(mean(counts) - m) < tolerance(sd: m.squareRoot(), n: counts.count))
    }
}
