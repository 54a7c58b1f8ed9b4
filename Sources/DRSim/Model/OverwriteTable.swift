import Foundation

/// The chance that a write in normal replication is lost to last-writer-wins (docs/model.md,
/// "Replication"): F(c) = Σ_k p_k (1 − E[e^(−c p_k L)]), where c = λ_o m [1/s] is the other regions'
/// write rate λ_o times the writing region's lag multiplier m, p_k the key space's shares and L the lag
/// [s]. A write to item k is lost when another region writes k before it arrives there, within m·L,
/// and the others' writes to k are Poisson at rate λ_o p_k.
///
/// F is tabulated once per config, when first needed, on a grid of step h in ln c and read by linear interpolation of
/// ln F in ln c. F is a positive mixture of φ(c x) = 1 − e^(−c x) over x = p_k L, so (ln F)″ in ln c is
/// a weighted mean of (ln φ)″ ∈ [−0.413, 0] plus a variance of (ln φ)′ ∈ (0, 1], at most ¼:
/// |(ln F)″| ≤ 0.42, and the interpolation errs by at most h²/8 · 0.42 in ln F, 1.2·10⁻⁴ relative with 48 points a
/// decade. Below the grid F is its first-order form c·E[L]·Σ p_k² (the pair count), which errs by at
/// most c·p₁·E[L²]/(2 E[L]) relative; the grid starts where that is 10⁻⁵. Above it (a rate the config
/// cannot reach) F is summed directly.
struct OverwriteTable: Sendable {
    let keys: ZipfKeys
    /// The lag's quadrature: E[g(L)] ≈ Σ weights[i] · g(lags[i]) [s].
    let lags: [Double]
    let weights: [Double]
    /// E[L]·Σ p_k² [s]: F(c)/c at low rates.
    let slope: Double
    /// ln c at the grid's first point, the step in ln c, and the number of points.
    let logLow: Double
    let step: Double
    let points: Int
    /// ln F at each point of the grid, once `build` has run.
    private(set) var logF: [Double] = []
    /// Writes per second per unit of traffic weight.
    let perWeight: Double

    /// Grid points per factor of 10 in c.
    static let perDecade = 48.0

    /// A table for rates c up to `highest` [1/s] (every region's writes, times the largest lag multiplier).
    init(keys: ZipfKeys, lag: Distribution, highest: Double, perWeight: Double) {
        self.keys = keys
        self.perWeight = perWeight
        (lags, weights) = lag.quadrature
        slope = lag.mean * keys.sumOfSquares
        let second = zip(lags, weights).reduce(0.0) { $0 + $1.1 * $1.0 * $1.0 }
        let hottest = 1 / keys.normaliser
        let low = second > 0 ? 2e-5 * lag.mean / (hottest * second) : .infinity
        logLow = log(low)
        step = log(10) / Self.perDecade
        points = highest > low && low.isFinite ? Int(((log(highest) - logLow) / step).rounded(.up)) + 1 : 0
    }

    /// Whether the grid is filled (`build`).
    var built: Bool { logF.count == points }

    /// Fills the grid: a config whose regions never write at once never needs it.
    mutating func build() {
        var table = [Double](repeating: 0, count: points)
        for i in 0..<points {
            table[i] = log(Self.exact(keys: keys, lags: lags, weights: weights, rate: exp(logLow + Double(i) * step)))
        }
        logF = table
    }

    /// F(c) [chance per write]; c = λ_o m [1/s]. The grid must be built.
    func chance(_ c: Double) -> Double {
        guard c > 0 else { return 0 }
        let u = (log(c) - logLow) / step
        guard u >= 0 else { return c * slope }
        let i = Int(u)
        guard i + 1 < points else {
            return Self.exact(keys: keys, lags: lags, weights: weights, rate: c)
        }
        let f = u - Double(i)
        return exp(logF[i] + f * (logF[i + 1] - logF[i]))
    }

    /// Writes lost per second in a region writing `own` units of weight while the others write `others`
    /// and its lag is multiplied by m: λ_a F(λ_o m).
    func lostRate(own: Int64, others: Int64, multiplier m: Double) -> Double {
        Double(own) * perWeight * chance(Double(others) * perWeight * m)
    }

    /// F(c), summed over the key space with the lag's quadrature.
    func exact(_ c: Double) -> Double { Self.exact(keys: keys, lags: lags, weights: weights, rate: c) }

    static func exact(keys: ZipfKeys, lags: [Double], weights: [Double], rate c: Double) -> Double {
        let h = keys.normaliser
        let s = keys.exponent
        return ZipfKeys.sum(keys: keys.keys) { x in
            let p = pow(x, -s) / h
            var survive = 0.0
            for i in lags.indices { survive += weights[i] * exp(-c * p * lags[i]) }
            return p * (1 - survive)
        }
    }
}

extension Distribution {
    /// Nodes and weights for E[g(L)] of a smooth g, without sampling: the trapezoid rule over the
    /// normal score (log-normal, normal cut at 0) or over log L (exponential, gamma, Weibull), whose
    /// error falls off faster than any power of the step for such densities; the midpoint rule for a
    /// uniform; the values themselves for fixed and empirical lags. Weights sum to 1.
    var quadrature: (nodes: [Double], weights: [Double]) {
        switch self {
        case .fixed(let x): return ([x], [1])
        case .empirical(let v): return (v, [Double](repeating: 1 / Double(v.count), count: v.count))
        case .uniform(let a, let b):
            let n = 64
            let nodes = (0..<n).map { a + (b - a) * (Double($0) + 0.5) / Double(n) }
            return (nodes, .init(repeating: 1 / Double(n), count: n))
        case .lognormal(let mu, let s): return Self.trapezoid(-8, 8, steps: 32) { z in (exp(mu + s * z), -z * z / 2) }
        case .normal(let m, let s): return Self.trapezoid(max(-m / s, -8), 8) { z in (max(0, m + s * z), -z * z / 2) }
        case .exponential(let m): return Self.trapezoid(-20, 4) { v in (m * exp(v), v - exp(v)) }
        case .gamma(let k, let t): return Self.trapezoid(-20 / k, 4 + log(k + 1)) { v in (t * exp(v), k * v - exp(v)) }
        case .weibull(let k, let l): return Self.trapezoid(-20, 4) { v in (l * exp(v / k), v - exp(v)) }
        }
    }

    /// The trapezoid rule on [a, b] in `n` steps for a density ∝ e^(logDensity(v)) of the node L(v);
    /// `f` gives (L(v), logDensity(v)). A step of ½ in the normal score is ample for a log-normal lag
    /// (the table's test checks F against a rule 20 times finer).
    private static func trapezoid(_ a: Double, _ b: Double, steps n: Int = 64, _ f: (Double) -> (Double, Double))
        -> ([Double], [Double])
    {
        var nodes = [Double](repeating: 0, count: n + 1)
        var weights = nodes
        for i in 0...n {
            let (x, logDensity) = f(a + (b - a) * Double(i) / Double(n))
            nodes[i] = x
            weights[i] = exp(logDensity) * (i == 0 || i == n ? 0.5 : 1)
        }
        let total = weights.reduce(0, +)
        return (nodes, weights.map { $0 / total })
    }
}
