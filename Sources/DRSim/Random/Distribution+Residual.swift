import CGSL
import Foundation

extension Distribution {
    /// Whether `residualSample` draws this kind exactly: every kind but the truncated normal, whose
    /// length-biased law x·φ((x − m)/s) on x > 0 has no direct sampler here.
    public var hasExactResidualSampler: Bool {
        if case .normal = self { return false }
        return true
    }

    /// One draw of the length-biased law, density x·f(x)/E[X]: the length of the interval that covers a
    /// point chosen at random on a line of back-to-back intervals drawn from X. Exact for every kind
    /// with `hasExactResidualSampler` (the truncated normal returns a plain draw):
    ///
    /// - fixed c: c; uniform [a, b]: √(a² + U(b² − a²)) (inverse CDF);
    /// - exponential m: gamma(2, m); gamma(k, θ): gamma(k + 1, θ);
    /// - log-normal (μ, σ): log-normal (μ + σ², σ), its normal drawn by GSL's ziggurat (the fastest);
    /// - Weibull (k, λ): λ·G^{1/k} with G ~ gamma(1 + 1/k, 1) (substitute y = (x/λ)^k);
    /// - empirical: value v with probability v / Σv.
    @inlinable public func lengthBiasedSample(_ r: RandomStream) -> Double {
        switch self {
        case .fixed(let x): return x
        case .uniform(let a, let b): return a == b ? a : (a * a + r.uniform() * (b * b - a * a)).squareRoot()
        case .exponential(let m): return gsl_ran_gamma(r.rng, 2, m)
        case .lognormal(let mu, let s): return exp(mu + s * s + gsl_ran_gaussian_ziggurat(r.rng, s))
        case .normal: return sample(r)
        case .weibull(let k, let l): return l * pow(gsl_ran_gamma(r.rng, 1 + 1 / k, 1), 1 / k)
        case .gamma(let k, let t): return gsl_ran_gamma(r.rng, k + 1, t)
        case .empirical(let v):
            var total = 0.0
            for x in v { total += x }
            guard total > 0 else { return 0 }
            var left = r.uniform() * total
            for x in v {
                left -= x
                if left < 0 { return x }
            }
            return v[v.count - 1]
        }
    }

    /// One draw of the equilibrium (residual-life) law, P(Y > y) = E[(X − y)⁺] / E[X]: the time left,
    /// at a point chosen at random, in the interval that covers it. A length-biased draw times an
    /// independent uniform fraction (docs/model.md, "Sessions"); exact where `hasExactResidualSampler`.
    @inlinable public func residualSample(_ r: RandomStream) -> Double {
        let length = lengthBiasedSample(r)
        return length * r.uniform()
    }
}
