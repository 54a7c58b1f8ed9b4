import CGSL
import Foundation

/// A non-negative random duration or size, as written in a config (docs/config.md, "Distributions").
///
/// Sampling, the CDF and the partial expectations used by the replication model all go through GSL.
public enum Distribution: Sendable, Equatable, Hashable {
    case fixed(Double)
    case uniform(Double, Double)
    case exponential(mean: Double)
    /// Log-normal with log-mean `mu` and log-sd `sigma` (median e^mu).
    case lognormal(mu: Double, sigma: Double)
    /// Normal truncated at 0 (the part below 0 is cut off and the rest renormalised).
    case normal(mean: Double, sd: Double)
    case weibull(shape: Double, scale: Double)
    case gamma(shape: Double, scale: Double)
    /// Each listed value with equal probability.
    case empirical([Double])

    /// The standard normal's 99th percentile, for log-normals given by median and p99.
    public static let z99 = gsl_cdf_ugaussian_Pinv(0.99)

    /// The log-normal whose median and 99th percentile are given (requires 0 < median < p99).
    public static func lognormal(median: Double, p99: Double) -> Distribution {
        .lognormal(mu: log(median), sigma: (log(p99) - log(median)) / z99)
    }

    /// One draw.
    @inlinable public func sample(_ r: RandomStream) -> Double {
        switch self {
        case .fixed(let x): return x
        case .uniform(let a, let b): return a == b ? a : gsl_ran_flat(r.rng, a, b)
        case .exponential(let m): return gsl_ran_exponential(r.rng, m)
        case .lognormal(let mu, let s): return gsl_ran_lognormal(r.rng, mu, s)
        case .normal(let m, let s):
            // Inverse CDF of the truncated normal: one uniform per draw, however far the cut.
            let lo = gsl_cdf_ugaussian_P(-m / s)
            let u = lo + gsl_rng_uniform_pos(r.rng) * (1 - lo)
            return max(0, m + s * gsl_cdf_ugaussian_Pinv(u))
        case .weibull(let k, let l): return gsl_ran_weibull(r.rng, l, k)
        case .gamma(let k, let t): return gsl_ran_gamma(r.rng, k, t)
        case .empirical(let v): return v[Int(gsl_rng_uniform_int(r.rng, UInt(v.count)))]
        }
    }

    /// P(X ≤ x).
    public func cdf(_ x: Double) -> Double {
        switch self {
        case .fixed(let c): return x >= c ? 1 : 0
        case .uniform(let a, let b): return a == b ? (x >= a ? 1 : 0) : gsl_cdf_flat_P(x, a, b)
        case .exponential(let m): return gsl_cdf_exponential_P(x, m)
        case .lognormal(let mu, let s): return gsl_cdf_lognormal_P(x, mu, s)
        case .normal(let m, let s):
            guard x > 0 else { return 0 }
            let lo = gsl_cdf_ugaussian_P(-m / s)
            return (gsl_cdf_ugaussian_P((x - m) / s) - lo) / (1 - lo)
        case .weibull(let k, let l): return gsl_cdf_weibull_P(x, l, k)
        case .gamma(let k, let t): return gsl_cdf_gamma_P(x, k, t)
        case .empirical(let v): return Double(v.lazy.filter { $0 <= x }.count) / Double(v.count)
        }
    }

    /// E[X].
    public var mean: Double { excessMean(over: 0) }

    /// E[(X − x)⁺] = ∫ₓ^∞ P(X > u) du for x ≥ 0: the expected part of X beyond x. In closed form for
    /// every kind (docs/model.md, "Closed forms the tests check", needs it for the lost-writes distribution).
    public func excessMean(over x: Double) -> Double {
        let x = max(0, x)
        switch self {
        case .fixed(let c): return max(c - x, 0)
        case .uniform(let a, let b):
            if x <= a { return (a + b) / 2 - x }
            if x >= b { return 0 }
            return (b - x) * (b - x) / (2 * (b - a))
        case .exponential(let m): return m * exp(-x / m)
        case .lognormal(let mu, let s):
            let m = exp(mu + s * s / 2)
            if x == 0 { return m }
            let lx = log(x)
            return m * gsl_cdf_ugaussian_Q((lx - mu - s * s) / s) - x * gsl_cdf_ugaussian_Q((lx - mu) / s)
        case .normal(let m, let s):
            // E[(Y − x)⁺] / P(Y > 0) for Y ~ N(m, s), x ≥ 0.
            let z = (m - x) / s
            let raw = (m - x) * gsl_cdf_ugaussian_P(z) + s * gsl_ran_ugaussian_pdf(z)
            return raw / gsl_cdf_ugaussian_Q(-m / s)
        case .weibull(let k, let l):
            let a = 1 + 1 / k
            let y = pow(x / l, k)
            return l * gsl_sf_gamma(a) * gsl_sf_gamma_inc_Q(a, y) - x * exp(-y)
        case .gamma(let k, let t):
            return k * t * gsl_cdf_gamma_Q(x, k + 1, t) - x * gsl_cdf_gamma_Q(x, k, t)
        case .empirical(let v):
            return v.reduce(0) { $0 + max($1 - x, 0) } / Double(v.count)
        }
    }

    /// The x ≥ 0 with E[(X − x)⁺] = (1 − p)·E[X], for p in [0, 1): the p-quantile of the
    /// equilibrium (residual-life) distribution of X, found by bisection to 1e-12 relative.
    public func equilibriumQuantile(_ p: Double) -> Double {
        let m = mean
        let target = (1 - p) * m
        guard p > 0, m > 0 else { return 0 }
        var lo = 0.0
        var hi = max(m, 1e-9)
        while excessMean(over: hi) > target {
            lo = hi
            hi *= 2
            if hi > 1e300 { return hi }
        }
        for _ in 0..<200 {
            let mid = (lo + hi) / 2
            if excessMean(over: mid) > target { lo = mid } else { hi = mid }
            if hi - lo <= 1e-12 * hi { break }
        }
        return (lo + hi) / 2
    }
}
