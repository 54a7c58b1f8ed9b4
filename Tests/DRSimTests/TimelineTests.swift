import Testing

@testable import DRSim

/// The timeline's percentiles and mean against their definition, computed the slow way: each curve's
/// value at each point, binned to the nearest 1/1000, sorted, and the ⌈q·n⌉-th value taken.
@Suite struct TimelineTests {
    /// A step curve over `horizon` µs with `steps` random steps, its values drawn from `values`
    /// (so that several curves share bins, as recovered incidents do at 1.0).
    static func curve(_ r: RandomStream, steps: Int, horizon: Int64, total: Int64, values: [Int64]) -> SuccessCurve {
        var c = SuccessCurve()
        c.totalWeight = total
        c.horizon = horizon
        var starts: [Int64] = [0]
        for _ in 1..<steps { starts.append(Int64(r.uniform() * Double(horizon))) }
        c.start = starts.sorted()
        c.successWeight = c.start.map { _ in values[Int(r.uniform() * Double(values.count))] }
        c.writeWeight = c.successWeight
        return c
    }

    /// Curve `c`'s value at `t` [µs]: the step that started last at or before t.
    static func value(_ c: SuccessCurve, at t: Int64) -> Int64 {
        var k = 0
        while k + 1 < c.start.count && c.start[k + 1] <= t { k += 1 }
        return c.successWeight[k]
    }

    @Test(arguments: [1, 2, 3, 7, 20, 101])
    func percentilesAndMeanAreThoseOfTheCurvesAtEachPoint(n: Int) throws {
        let r = RandomStream(key: StreamKey(seed: 11, replication: UInt64(n), component: "timeline-test"))
        let total: Int64 = 4_294_967_296
        let step: Int64 = 1_000_000
        let points = 301
        let horizon = step * Int64(points - 1)
        // Values that land on the edge bins, in the middle, and between bins.
        let values: [Int64] = [0, total, total / 2, total / 3, total - 1, total * 999 / 1000, 12_345_678]
        let curves = (0..<n).map { i in
            Self.curve(
                r, steps: 1 + (i * 37) % 60, horizon: horizon, total: total, values: i % 4 == 0 ? [total] : values)
        }
        // Two workers' accumulators, merged, as a run with two threads has them.
        var a = TimelineAccumulator(points: points, step: 1, totalWeight: total)
        var b = a
        for (i, c) in curves.enumerated() {
            if i % 2 == 0 { a.add(c) } else { b.add(c) }
        }
        a.merge(b)
        let timeline = a.timeline(replications: n)
        #expect(timeline.times.count == points)
        for p in 0..<points {
            let t = Int64(p) * step
            let v = curves.map { Self.value($0, at: t) }
            let bins = v.map { min(Int((UInt64($0) * 1000 + UInt64(total) / 2) / UInt64(total)), 1000) }.sorted()
            func percentile(_ q: Double) -> Double {
                Double(bins[TimelineAccumulator.rank(q, n) - 1]) * Timeline.resolution
            }
            #expect(timeline.times[p] == Double(t) / 1_000_000)
            #expect(timeline.p05[p] == percentile(0.05), "p05 at point \(p)")
            #expect(timeline.p50[p] == percentile(0.5), "p50 at point \(p)")
            #expect(timeline.p95[p] == percentile(0.95), "p95 at point \(p)")
            let mean = Double(v.reduce(UInt64(0)) { $0 &+ UInt64($1) }) / Double(total) / Double(n)
            #expect(timeline.mean[p] == mean, "mean at point \(p)")
        }
    }
}
