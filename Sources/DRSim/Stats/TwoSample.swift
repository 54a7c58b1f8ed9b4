import CGSL
import DRSimResults
import Foundation

/// Tests and intervals for two independent samples of one metric, as `drsim diff` compares a baseline
/// with a new run (docs/config.md, "diff: did the distribution move").
public enum TwoSample {
    /// A test's result: its statistic and its p-value under "both samples come from one distribution".
    public struct Test: Sendable, Equatable {
        public var name: String
        public var statistic: Double
        public var p: Double
    }

    /// Kolmogorov–Smirnov on two samples of a continuous metric (asymptotic p-value; conservative
    /// where the data have ties, e.g. values censored at the horizon).
    public static func kolmogorovSmirnov(_ a: [Double], _ b: [Double]) -> Test {
        let d = KolmogorovSmirnov.statistic(a, b)
        return Test(name: "Kolmogorov-Smirnov", statistic: d, p: KolmogorovSmirnov.pValue(d, n: a.count, m: b.count))
    }

    /// Pearson's chi-square test of homogeneity for counts (lost writes, false failovers): the pooled
    /// values cut into at most `bins` classes (each distinct value its own while there are few), then
    /// neighbouring classes merged until every expected frequency is at least 5, as the test needs.
    /// One class left means the samples cannot be told apart: p = 1.
    public static func chiSquare(_ a: [Double], _ b: [Double], bins: Int = 20) -> Test {
        let pooled = (a + b).sorted()
        let total = pooled.count
        guard !a.isEmpty, !b.isEmpty else { return Test(name: "chi-square", statistic: 0, p: 1) }
        // Upper edges of the classes: distinct values at the pooled quantiles k/bins.
        var edges: [Double] = []
        for k in 1...bins {
            let x = pooled[min(total - 1, (k * total) / bins - (k == bins ? 1 : 0))]
            if edges.last != x { edges.append(x) }
        }
        if edges.last != pooled[total - 1] { edges.append(pooled[total - 1]) }
        func counts(_ xs: [Double]) -> [Double] {
            var c = [Double](repeating: 0, count: edges.count)
            for x in xs {
                var lo = 0
                var hi = edges.count - 1  // first edge ≥ x
                while lo < hi {
                    let mid = (lo + hi) / 2
                    if edges[mid] >= x { hi = mid } else { lo = mid + 1 }
                }
                c[lo] += 1
            }
            return c
        }
        var ca = counts(a)
        var cb = counts(b)
        // Merge a class into its neighbour while its smaller expected frequency is under 5.
        let smaller = Double(min(a.count, b.count)) / Double(total)
        var i = 0
        while ca.count > 1 && i < ca.count {
            if (ca[i] + cb[i]) * smaller < 5 {
                let j = i + 1 < ca.count ? i + 1 : i - 1
                ca[j] += ca[i]
                cb[j] += cb[i]
                ca.remove(at: i)
                cb.remove(at: i)
                if j < i { i = j }
            } else {
                i += 1
            }
        }
        guard ca.count > 1 else { return Test(name: "chi-square", statistic: 0, p: 1) }
        var x2 = 0.0
        for k in ca.indices {
            let column = ca[k] + cb[k]
            for (observed, n) in [(ca[k], a.count), (cb[k], b.count)] {
                let expected = column * Double(n) / Double(total)
                x2 += (observed - expected) * (observed - expected) / expected
            }
        }
        return Test(name: "chi-square", statistic: x2, p: gsl_cdf_chisq_Q(x2, Double(ca.count - 1)))
    }

    /// Fisher's exact test (two-sided) of two shares: k1 of n1 against k2 of n2. The p-value sums
    /// the hypergeometric probabilities of every table no more likely than the one observed.
    public static func fisher(_ k1: Int, of n1: Int, _ k2: Int, of n2: Int) -> Test {
        let k = k1 + k2
        let n = n1 + n2
        func pdf(_ x: Int) -> Double { gsl_ran_hypergeometric_pdf(UInt32(x), UInt32(k), UInt32(n - k), UInt32(n1)) }
        let observed = pdf(k1) * (1 + 1e-7)
        var p = 0.0
        for x in max(0, n1 - (n - k))...min(k, n1) {
            let q = pdf(x)
            if q <= observed { p += q }
        }
        // The statistic: the second share − the first (new − baseline, as every shift is shown).
        return Test(
            name: "Fisher exact (censored share)",
            statistic: Double(k2) / Double(max(n2, 1)) - Double(k1) / Double(max(n1, 1)), p: min(1, p))
    }

    /// The sign test on paired values (drsim's common random numbers: incident i of each run is the same
    /// incident): of the pairs that differ, how many moved up; exact two-sided binomial p-value against
    /// "up and down equally likely". The statistic is (up − down) / pairs.
    public static func signTest(_ a: [Double], _ b: [Double]) -> Test {
        precondition(a.count == b.count, "paired samples")
        var up = 0
        var down = 0
        for (x, y) in zip(a, b) where x != y { if y > x { up += 1 } else { down += 1 } }
        return Test(
            name: "sign test (paired)", statistic: Double(up - down) / Double(max(a.count, 1)),
            p: binomialTwoSided(min(up, down), of: up + down))
    }

    /// McNemar's exact test of a censored share on paired incidents: of the incidents censored on one
    /// side only, how many on the new side; exact two-sided binomial p-value. The statistic is the new
    /// share − the baseline's.
    public static func mcNemar(_ a: [Bool], _ b: [Bool]) -> Test {
        precondition(a.count == b.count, "paired samples")
        var onlyNew = 0
        var onlyBaseline = 0
        for (x, y) in zip(a, b) where x != y { if y { onlyNew += 1 } else { onlyBaseline += 1 } }
        return Test(
            name: "McNemar exact (censored share, paired)",
            statistic: Double(onlyNew - onlyBaseline) / Double(max(a.count, 1)),
            p: binomialTwoSided(min(onlyNew, onlyBaseline), of: onlyNew + onlyBaseline))
    }

    /// 2 P(X ≤ k), X ~ Binomial(n, ½), at most 1; 1 when n = 0.
    static func binomialTwoSided(_ k: Int, of n: Int) -> Double {
        guard n > 0 else { return 1 }
        return min(1, 2 * gsl_cdf_binomial_P(UInt32(k), 0.5, UInt32(n)))
    }

    /// The mean of b − a over paired values, with Student's 95% interval on the differences (as
    /// `MetricSummary.mean` gives it for any sample).
    public static func pairedMeanDifference(_ a: [Double], _ b: [Double]) -> Estimate {
        let d = zip(a, b).map { $1 - $0 }
        guard !d.isEmpty else { return Estimate(value: nil, low: nil, high: nil) }
        let (m, _, half) = MetricSummary.mean(d)
        return Estimate(value: m, low: half.map { m - $0 }, high: half.map { m + $0 })
    }

    /// Holm's step-down adjustment: the adjusted p-values keep the chance of calling any true "no
    /// change" a change at most α over the whole family, whatever the tests' dependence.
    public static func holm(_ p: [Double]) -> [Double] {
        let order = p.indices.sorted { p[$0] < p[$1] }
        var adjusted = [Double](repeating: 1, count: p.count)
        var running = 0.0
        for (rank, i) in order.enumerated() {
            running = max(running, min(1, Double(p.count - rank) * p[i]))
            adjusted[i] = running
        }
        return adjusted
    }

    /// b's mean − a's mean with Welch's 95% interval (nil bounds when a side has a single value).
    public static func meanDifference(_ a: [Double], _ b: [Double]) -> Estimate {
        guard !a.isEmpty, !b.isEmpty else { return Estimate(value: nil, low: nil, high: nil) }
        let (ma, sa, _) = MetricSummary.mean(a)
        let (mb, sb, _) = MetricSummary.mean(b)
        let d = mb - ma
        guard let sa, let sb else { return Estimate(value: d, low: nil, high: nil) }
        let va = sa * sa / Double(a.count)
        let vb = sb * sb / Double(b.count)
        guard va + vb > 0 else { return Estimate(value: d, low: d, high: d) }
        let df = (va + vb) * (va + vb) / (va * va / Double(a.count - 1) + vb * vb / Double(b.count - 1))
        let half = gsl_cdf_tdist_Pinv(1 - (1 - MetricSummary.confidence) / 2, df) * (va + vb).squareRoot()
        return Estimate(value: d, low: d - half, high: d + half)
    }

    /// b's p-quantile − a's, with an interval that covers the true difference at least 95% of the
    /// time: each side's distribution-free interval at 97.5%, combined end to end. A bound is nil where
    /// a side's interval is open (too few values, or censored ones).
    public static func quantileDifference(_ a: Sample, _ b: Sample, p: Double) -> Estimate {
        let level = 1 - (1 - MetricSummary.confidence) / 2
        let qa = a.quantile(p, level: level)
        let qb = b.quantile(p, level: level)
        func finite(_ x: Double) -> Double? { x.isFinite ? x : nil }
        let value = qa.value.flatMap { va in qb.value.map { $0 - va } }
        return Estimate(value: value, low: finite(qb.low - qa.high), high: finite(qb.high - qa.low))
    }
}
