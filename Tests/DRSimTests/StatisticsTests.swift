import DRSim
import DRSimResults
import Testing

@Suite struct StatisticsTests {
    func sample(_ xs: [Double], censored: Set<Int> = []) -> Sample {
        var s = Sample()
        for (i, x) in xs.enumerated() { s.append(x, censored: censored.contains(i)) }
        return s
    }

    /// For n = 100 the distribution-free 95% interval of the median is [x₍₄₀₎, x₍₆₁₎] (binomial tables).
    @Test func medianIntervalFromTheBinomial() {
        let s = MetricSummary(metric: "m", sample: sample((1...100).map(Double.init).shuffled()))
        #expect(s.p50.value == 50.5)
        #expect(s.p50.low == 40)
        #expect(s.p50.high == 61)
        #expect(s.max == 100)
        #expect(s.count == 100 && s.censored == 0)
        #expect(s.meanIsLowerBound == false)
    }

    /// p99.9 has its interval too (MODEL.md section 10: every percentile). For n = 10,000 it is
    /// [x₍₉₉₈₃₎, x₍₉₉₉₇₎] (B ~ Binomial(10000, 0.999): P(B ≤ 9982) = 0.014, P(B ≥ 9997) = 0.010); for
    /// n = 1,000 no order is high enough for the upper bound, which is then unknown.
    @Test func theP999IntervalFromTheBinomial() {
        let s = MetricSummary(metric: "m", sample: sample((1...10_000).map(Double.init).shuffled()))
        #expect(abs(s.p999.value! - 9990.001) < 1e-9)
        #expect(s.p999.low == 9983 && s.p999.high == 9997)
        let small = MetricSummary(metric: "m", sample: sample((1...1000).map(Double.init).shuffled()))
        #expect(small.p999.low == 997 && small.p999.high == nil)
    }

    /// Mean ± t(0.975, n − 1)·sd/√n; for 1…10, sd = 3.0277 and t(0.975, 9) = 2.2622.
    @Test func meanIntervalFromStudentT() {
        let s = MetricSummary(metric: "m", sample: sample((1...10).map(Double.init)))
        #expect(s.mean.value == 5.5)
        let half = 2.262_157_163 * 3.027_650_354 / 10.0.squareRoot()
        #expect(abs(s.mean.low! - (5.5 - half)) < 1e-6)
        #expect(abs(s.mean.high! - (5.5 + half)) < 1e-6)
    }

    /// Too few values for an interval: the bound is unknown rather than invented.
    @Test func smallSamplesLeaveBoundsEmpty() {
        let s = MetricSummary(metric: "m", sample: sample([1, 2, 3]))
        #expect(s.p99.high == nil)
        #expect(s.p50.low == nil)
    }

    /// Censored values sort last; percentiles that fall among them, and the max, are unknown.
    @Test func censoredValuesMakeUpperPercentilesUnknown() {
        var xs = (1...90).map(Double.init)
        xs += Array(repeating: 3600, count: 10)
        let s = MetricSummary(metric: "m", sample: sample(xs, censored: Set(90..<100)))
        #expect(s.censored == 10)
        #expect(s.meanIsLowerBound == true)  // the restricted mean: the censored values count as 3600
        #expect(s.p50.value == 50.5)
        #expect(s.p99.value == nil)
        #expect(s.max == nil)
        #expect(s.p90.value == nil)  // (n − 1)·0.9 = 89.1 needs x₍₉₁₎, which is censored
    }

    /// When every replication is censored there is no estimate of the mean: not the horizon with an
    /// interval of zero width, which would read as a precise figure.
    @Test func everyValueCensoredGivesNoMean() {
        var s = Sample()
        for _ in 0..<10 { s.append(3600, censored: true) }
        let m = MetricSummary(metric: "rto_s", sample: s)
        #expect(
            m.censored == 10 && m.mean.value == nil && m.mean.low == nil && m.mean.high == nil && m.sd == nil
                && m.p50.value == nil)
        #expect(m.meanIsLowerBound == nil)
    }

    /// Every metric is ≥ 0, so the mean's interval is cut at 0 for a skewed count.
    @Test func theMeansIntervalStopsAtZero() {
        var s = Sample()
        for v in [0.0, 0, 0, 0, 0, 0, 0, 0, 0, 50] { s.append(v) }
        let m = MetricSummary(metric: "lost_writes", sample: s)
        #expect(m.mean.value == 5 && m.mean.low == 0 && m.mean.high! > 5)
    }
}
