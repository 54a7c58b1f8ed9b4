import CGSL
import DRSim
import DRSimTestSupport
import Testing

@Suite struct DistributionTests {
    static let continuous: [(String, Distribution)] = [
        ("uniform", .uniform(2, 10)),
        ("exponential", .exponential(mean: 3)),
        ("lognormal", .lognormal(median: 0.5, p99: 2.5)),
        ("normal truncated far from 0", .normal(mean: 10, sd: 2)),
        ("normal truncated at 0", .normal(mean: 1, sd: 2)),
        ("weibull", .weibull(shape: 1.5, scale: 4)),
        ("gamma", .gamma(shape: 2.5, scale: 1.2)),
    ]

    /// Each sampler against its GSL CDF: Kolmogorov–Smirnov at significance 0.001, 20,000 draws.
    @Test(arguments: continuous.map(\.0))
    func samplerMatchesCDF(_ name: String) {
        let d = Self.continuous.first { $0.0 == name }!.1
        let r = RandomStream(key: StreamKey(seed: 11, replication: 0, component: name))
        let n = 20_000
        let xs = (0..<n).map { _ in d.sample(r) }
        #expect(xs.allSatisfy { $0 >= 0 })
        let D = ksStatistic(xs) { d.cdf($0) }
        #expect(D < ksCritical(n: n), "D = \(D)")
    }

    /// The residual-life sampler (length-biased draw times a uniform fraction) against the equilibrium
    /// law's closed form, P(Y ≤ y) = 1 − E[(X − y)⁺] / E[X], for every kind it samples exactly:
    /// Kolmogorov–Smirnov at significance 0.001, 20,000 draws. The empirical kind's law is piecewise
    /// linear and continuous, so the same test applies.
    @Test(arguments: [
        ("fixed", Distribution.fixed(30)), ("uniform", .uniform(2, 10)), ("exponential", .exponential(mean: 3)),
        ("lognormal", .lognormal(median: 180, p99: 1800)), ("weibull", .weibull(shape: 1.5, scale: 4)),
        ("weibull heavy", .weibull(shape: 0.6, scale: 4)), ("gamma", .gamma(shape: 2.5, scale: 1.2)),
        ("empirical", .empirical([1, 2, 2, 5, 40])),
    ])
    func residualSamplerMatchesTheEquilibriumLaw(_ name: String, _ d: Distribution) {
        #expect(d.hasExactResidualSampler)
        let r = RandomStream(key: StreamKey(seed: 13, replication: 0, component: name))
        let n = 20_000
        let xs = (0..<n).map { _ in d.residualSample(r) }
        #expect(xs.allSatisfy { $0 >= 0 })
        let m = d.mean
        let D = ksStatistic(xs) { 1 - d.excessMean(over: $0) / m }
        #expect(D < ksCritical(n: n), "D = \(D)")
    }

    /// The truncated normal's length-biased law has no exact sampler: the config refuses it.
    @Test func normalHasNoExactResidualSampler() {
        #expect(!Distribution.normal(mean: 10, sd: 2).hasExactResidualSampler)
    }

    @Test func lognormalFromMedianAndP99() {
        let d = Distribution.lognormal(median: 0.5, p99: 2.5)
        #expect(abs(d.cdf(0.5) - 0.5) < 1e-12)
        #expect(abs(d.cdf(2.5) - 0.99) < 1e-12)
    }

    @Test func fixedAndEmpirical() {
        let r = RandomStream(key: StreamKey(seed: 1, replication: 0, component: "x"))
        #expect(Distribution.fixed(3).sample(r) == 3)
        let e = Distribution.empirical([1, 2, 2, 5])
        let counts = (0..<40_000).reduce(into: [Double: Int]()) { acc, _ in acc[e.sample(r), default: 0] += 1 }
        // Each value's share within 4.5 binomial standard errors.
        for (v, p) in [(1.0, 0.25), (2.0, 0.5), (5.0, 0.25)] {
            let share = Double(counts[v] ?? 0) / 40_000
            #expect(abs(share - p) < tolerance(sd: (p * (1 - p)).squareRoot(), n: 40_000))
        }
        #expect(e.cdf(2) == 0.75)
        #expect(e.mean == 2.5)
        #expect(e.excessMean(over: 2) == 0.75)
    }

    /// E[(X − x)⁺] in closed form against a numerical integral of P(X > u) from GSL's CDF.
    @Test(.slow, arguments: continuous.map(\.0))
    func excessMeanMatchesIntegralOfSurvival(_ name: String) {
        let d = Self.continuous.first { $0.0 == name }!.1
        for x in [0.0, 0.3, 1, 2.5, 6] {
            // Simpson's rule on [x, x + 400] with 400,000 intervals; the tail beyond is negligible here.
            let n = 400_000
            let h = 400.0 / Double(n)
            var s = 0.0
            for i in 0...n {
                let w: Double = (i == 0 || i == n) ? 1 : (i % 2 == 1 ? 4 : 2)
                s += w * (1 - d.cdf(x + Double(i) * h))
            }
            let integral = s * h / 3
            #expect(abs(d.excessMean(over: x) - integral) < 1e-6 * max(1, integral), "x = \(x)")
        }
    }

    @Test func equilibriumQuantileInvertsTheExcessMean() {
        for (_, d) in Self.continuous {
            for p in [0.1, 0.5, 0.9, 0.999] {
                let x = d.equilibriumQuantile(p)
                #expect(abs(d.excessMean(over: x) - (1 - p) * d.mean) < 1e-9 * d.mean)
            }
        }
    }

    @Test func streamsAreKeyedAndReproducible() {
        let a = RandomStream(key: StreamKey(seed: 5, replication: 3, component: "c"))
        let b = RandomStream(key: StreamKey(seed: 5, replication: 3, component: "c"))
        let xs = (0..<100).map { _ in a.uniform() }
        #expect(xs == (0..<100).map { _ in b.uniform() })
        for other in [
            StreamKey(seed: 6, replication: 3, component: "c"), StreamKey(seed: 5, replication: 4, component: "c"),
            StreamKey(seed: 5, replication: 3, component: "d"),
        ] {
            b.rekey(other)
            #expect(xs != (0..<100).map { _ in b.uniform() })
        }
        b.rekey(StreamKey(seed: 5, replication: 3, component: "c"))
        #expect(xs == (0..<100).map { _ in b.uniform() })
    }

    /// A resolver's numbers drawn in one batch (`RandomStream.uniforms`) are those of its stream re-keyed
    /// and drawn one by one, for several items and counts.
    @Test func batchedDrawsMatchTheStream() {
        let key = StreamKey(seed: 7, replication: 11, component: "clients")
        let r = RandomStream(key: key)
        for item: UInt64 in [0, 1, 1 << 32 | 5, 3 << 32 | 999] {
            for n in [0, 1, 2, 19] {
                var batch = [Double](repeating: -1, count: n)
                batch.withUnsafeMutableBufferPointer { RandomStream.uniforms(key, item: item, into: $0) }
                r.rekey(key, item: item)
                #expect(batch == (0..<n).map { _ in r.uniform() }, "item \(item), \(n) numbers")
            }
        }
    }

    /// The inlined taus2 step gives GSL's own numbers: the same state, the same sequence as
    /// gsl_rng_uniform, for several states.
    @Test func inlinedTausMatchesGSL() {
        for words: (UInt32, UInt32, UInt32) in [
            (1, 2, 3), (0xDEAD_BEEF, 0x1234_5678, 0x9ABC_DEF0), (0xFFFF_FFFF, 0, 7),
        ] {
            let a = gsl_rng_alloc(drsim_rng_taus2())!
            let b = gsl_rng_alloc(drsim_rng_taus2())!
            drsim_taus_fill(a, words.0, words.1, words.2)
            drsim_taus_fill(b, words.0, words.1, words.2)
            for _ in 0..<10_000 { #expect(drsim_taus_uniform(a) == gsl_rng_uniform(b)) }
            gsl_rng_free(a)
            gsl_rng_free(b)
        }
    }
}
