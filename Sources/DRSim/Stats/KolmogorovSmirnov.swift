import Foundation

/// Kolmogorov–Smirnov statistics and their asymptotic p-values, for checking a simulated distribution
/// against a closed form (one sample) or against another simulator (two samples).
public enum KolmogorovSmirnov {
    /// sup |Fₙ(x) − F(x)|, correct for ties and atoms: the empirical CDF is compared at each distinct
    /// value x with F(x), and just below x with `left` (F's left limit, which differs from F only at an
    /// atom; F itself when nil).
    public static func statistic(_ sample: [Double], cdf: (Double) -> Double, left: ((Double) -> Double)? = nil)
        -> Double
    {
        let xs = sample.sorted()
        let n = Double(xs.count)
        var d = 0.0
        var i = 0
        while i < xs.count {
            var j = i
            while j + 1 < xs.count && xs[j + 1] == xs[i] { j += 1 }
            let x = xs[i]
            let above: Double = abs(cdf(x) - Double(j + 1) / n)
            let fLeft: Double = left.map { $0(x) } ?? cdf(x)
            let below: Double = abs(fLeft - Double(i) / n)
            d = max(d, above, below)
            i = j + 1
        }
        return d
    }

    /// sup |Fₐ(x) − F_b(x)| of two samples.
    public static func statistic(_ a: [Double], _ b: [Double]) -> Double {
        let xa = a.sorted()
        let xb = b.sorted()
        var i = 0
        var j = 0
        var d = 0.0
        while i < xa.count && j < xb.count {
            let x = min(xa[i], xb[j])
            while i < xa.count && xa[i] <= x { i += 1 }
            while j < xb.count && xb[j] <= x { j += 1 }
            d = max(d, abs(Double(i) / Double(xa.count) - Double(j) / Double(xb.count)))
        }
        return d
    }

    /// The critical value of D at significance `alpha` for sample sizes n (and m, two samples), from the
    /// asymptotic Kolmogorov distribution: c(α)·√((n + m)/(n·m)), c(α) = √(−ln(α/2)/2).
    public static func critical(alpha: Double, n: Int, m: Int? = nil) -> Double {
        let c = (-log(alpha / 2) / 2).squareRoot()
        guard let m else { return c / Double(n).squareRoot() }
        return c * (Double(n + m) / Double(n * m)).squareRoot()
    }

    /// The asymptotic p-value of D: Q(λ) = 2 Σ (−1)^(k−1) e^(−2k²λ²), λ = (√nₑ + 0.12 + 0.11/√nₑ)·D with
    /// nₑ = n·m/(n + m) (Stephens' small-sample correction). Conservative when the data have ties.
    public static func pValue(_ d: Double, n: Int, m: Int? = nil) -> Double {
        let ne = m.map { Double(n * $0) / Double(n + $0) } ?? Double(n)
        let lambda = (ne.squareRoot() + 0.12 + 0.11 / ne.squareRoot()) * d
        if lambda < 0.2 { return 1 }
        var sum = 0.0
        var sign = 1.0
        for k in 1...100 {
            let term = sign * exp(-2 * Double(k * k) * lambda * lambda)
            sum += term
            if abs(term) < 1e-12 { break }
            sign = -sign
        }
        return min(1, max(0, 2 * sum))
    }
}
