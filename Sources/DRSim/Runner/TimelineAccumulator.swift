/// Accumulates the success curves of many replications at the timeline points, for the timeline's
/// mean and percentiles. Integer sums and counts only, so merging accumulators in any order gives the
/// same bytes.
///
/// Difference arrays along time: a step of s(t) that covers points p0..<p1 costs O(1), not p1 − p0.
import DRSimKernel

struct TimelineAccumulator {
    static let bins = Int((1 / Timeline.resolution).rounded()) + 1

    let points: Int
    /// Spacing of the points [µs].
    let step: Int64
    let totalWeight: Int64
    /// Index p: change of the up-weight sum at point p (wrapping arithmetic; the prefix sums are exact).
    var sumDiff: [UInt64]
    /// Point-major: index p·bins + b, change of the count of curves in bin b at point p. A curve's
    /// steps come in time order, so one replication's writes advance through the array (cache-friendly
    /// for several workers at once).
    var histDiff: [Int32]

    init(points: Int, step: Double, totalWeight: Int64) {
        self.points = points
        self.step = SimTime(seconds: step).microseconds
        self.totalWeight = totalWeight
        sumDiff = Array(repeating: 0, count: points + 1)
        histDiff = Array(repeating: 0, count: Self.bins * (points + 1))
    }

    mutating func add(_ curve: SuccessCurve) {
        let total = UInt64(totalWeight)
        let (points, step) = (self.points, self.step)
        let n = curve.start.count
        var p0 = 0
        // The first point at or after the next step's start, walked forward with the steps (they come
        // in time order): no division per step.
        var p1 = 0, p1Time: Int64 = 0
        sumDiff.withUnsafeMutableBufferPointer { sums in
            histDiff.withUnsafeMutableBufferPointer { hist in
                for k in 0..<n {
                    if k + 1 < n {
                        let t = curve.start[k + 1]
                        while p1 < points && p1Time < t { p1 += 1; p1Time &+= step }
                    } else {
                        p1 = points
                    }
                    if p1 <= p0 { continue }
                    let up = UInt64(curve.successWeight[k])
                    sums[p0] &+= up
                    sums[p1] &-= up
                    // Nearest bin of width 1/1000: round(up / total · 1000), in integers.
                    let bin = min(Int((up &* 1000 &+ total / 2) / total), Self.bins - 1)
                    hist[p0 &* Self.bins &+ bin] &+= 1
                    hist[p1 &* Self.bins &+ bin] &-= 1
                    p0 = p1
                }
            }
        }
    }

    mutating func merge(_ other: TimelineAccumulator) {
        for p in sumDiff.indices { sumDiff[p] &+= other.sumDiff[p] }
        for i in histDiff.indices { histDiff[i] &+= other.histDiff[i] }
    }

    /// The timeline over `replications` curves.
    func timeline(replications n: Int) -> Timeline {
        var t = Timeline(times: [], mean: [], p05: [], p50: [], p95: [])
        var running: UInt64 = 0
        var row = [Int32](repeating: 0, count: Self.bins)
        for p in 0..<points {
            running &+= sumDiff[p]
            for b in 0..<Self.bins { row[b] &+= histDiff[p * Self.bins + b] }
            t.times.append(Double(Int64(p) * step) / 1_000_000)
            t.mean.append(Double(running) / Double(totalWeight) / Double(n))
            let q = Self.quantiles(row, [0.05, 0.5, 0.95], n)
            t.p05.append(q[0])
            t.p50.append(q[1])
            t.p95.append(q[2])
        }
        return t
    }

    /// The q-quantiles (ascending q) of a histogram of `n` values in bins of width
    /// `Timeline.resolution`: for each, the smallest bin whose cumulative count reaches ⌈q·n⌉ (the
    /// inverse of the empirical CDF). One pass for all of them.
    static func quantiles(_ row: [Int32], _ qs: [Double], _ n: Int) -> [Double] {
        var out: [Double] = []
        var acc = 0, i = 0
        for q in qs {
            let need = max(1, Int((q * Double(n)).rounded(.up)))
            while i < row.count && acc + Int(row[i]) < need {
                acc += Int(row[i])
                i += 1
            }
            out.append(Double(min(i, row.count - 1)) * Timeline.resolution)
        }
        return out
    }
}
