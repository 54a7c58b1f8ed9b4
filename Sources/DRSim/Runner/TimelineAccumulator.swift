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
    ///
    /// Walks the points in time order with each point's histogram row and, per percentile, the bin it
    /// falls in and the count below that bin. A point's difference row is mostly zero (only the curves
    /// with a step between it and the point before change bin), so the row is read eight bins at a time
    /// and only the bins that change are applied; each percentile then moves from the bin it had at the
    /// point before, usually not at all. The percentiles are those of `quantiles` on the full row.
    func timeline(replications n: Int) -> Timeline {
        var t = Timeline(times: [], mean: [], p05: [], p50: [], p95: [])
        for a in [\Timeline.times, \.mean, \.p05, \.p50, \.p95] { t[keyPath: a].reserveCapacity(points) }
        let qs = [0.05, 0.5, 0.95]
        var cursors = qs.map { Cursor(need: Self.rank($0, n)) }
        var running: UInt64 = 0
        var row = [Int32](repeating: 0, count: Self.bins)
        histDiff.withUnsafeBufferPointer { diff in
            row.withUnsafeMutableBufferPointer { row in
                for p in 0..<points {
                    running &+= sumDiff[p]
                    let base = p * Self.bins
                    var b = 0
                    while b < Self.bins {
                        let width = min(8, Self.bins - b)
                        if width == 8 {
                            // Eight bins as four 64-bit words: all zero, nothing to apply.
                            let w = UnsafeRawPointer(diff.baseAddress! + base + b)
                            let any = w.loadUnaligned(as: UInt64.self) | w.loadUnaligned(fromByteOffset: 8, as: UInt64.self)
                                | w.loadUnaligned(fromByteOffset: 16, as: UInt64.self) | w.loadUnaligned(fromByteOffset: 24, as: UInt64.self)
                            if any == 0 {
                                b += 8
                                continue
                            }
                        }
                        for j in b..<(b + width) {
                            let d = diff[base + j]
                            guard d != 0 else { continue }
                            row[j] &+= d
                            for k in cursors.indices where j < cursors[k].bin { cursors[k].below &+= Int(d) }
                        }
                        b += width
                    }
                    for k in cursors.indices { cursors[k].settle(row) }
                    t.times.append(Double(Int64(p) * step) / 1_000_000)
                    t.mean.append(Double(running) / Double(totalWeight) / Double(n))
                    t.p05.append(Double(cursors[0].bin) * Timeline.resolution)
                    t.p50.append(Double(cursors[1].bin) * Timeline.resolution)
                    t.p95.append(Double(cursors[2].bin) * Timeline.resolution)
                }
            }
        }
        return t
    }

    /// The rank of the q-quantile of n values: ⌈q·n⌉, at least 1.
    static func rank(_ q: Double, _ n: Int) -> Int { max(1, Int((q * Double(n)).rounded(.up))) }

    /// A percentile's place in a histogram row: the smallest bin whose cumulative count reaches `need`,
    /// and the count of the bins below it.
    struct Cursor {
        let need: Int
        var bin = 0
        var below = 0

        init(need: Int) { self.need = need }

        /// Moves to the bin that answers for `row` (the counts below `bin` already in `below`).
        mutating func settle(_ row: UnsafeMutableBufferPointer<Int32>) {
            while bin + 1 < row.count && below + Int(row[bin]) < need {
                below += Int(row[bin])
                bin += 1
            }
            while bin > 0 && below >= need {
                bin -= 1
                below -= Int(row[bin])
            }
        }
    }

    /// The q-quantiles (ascending q) of a histogram of `n` values in bins of width
    /// `Timeline.resolution`: for each, the smallest bin whose cumulative count reaches ⌈q·n⌉ (the
    /// inverse of the empirical CDF). One pass for all of them; the definition `timeline` keeps.
    static func quantiles(_ row: [Int32], _ qs: [Double], _ n: Int) -> [Double] {
        var out: [Double] = []
        var acc = 0, i = 0
        for q in qs {
            let need = rank(q, n)
            while i < row.count && acc + Int(row[i]) < need {
                acc += Int(row[i])
                i += 1
            }
            out.append(Double(min(i, row.count - 1)) * Timeline.resolution)
        }
        return out
    }
}
