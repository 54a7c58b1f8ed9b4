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
        var p1 = 0
        var p1Time: Int64 = 0
        sumDiff.withUnsafeMutableBufferPointer { sums in
            histDiff.withUnsafeMutableBufferPointer { hist in
                for k in 0..<n {
                    if k + 1 < n {
                        let t = curve.start[k + 1]
                        while p1 < points && p1Time < t {
                            p1 += 1
                            p1Time &+= step
                        }
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

    /// The timeline over `replications` curves: at each point the mean, and the 5th, 50th and 95th
    /// percentiles, each the smallest bin whose cumulative count reaches ⌈q·n⌉ (the inverse of the
    /// empirical CDF).
    ///
    /// Walks the points in time order with each point's histogram row and, per percentile, the bin it
    /// falls in and the count below that bin. A point's difference row is mostly zero (only the curves
    /// with a step between it and the point before change bin), so it is read eight bins at a time and
    /// only the bins that change are applied; each percentile then moves from the bin it had at the
    /// point before, usually not at all.
    func timeline(replications n: Int) -> Timeline {
        var t = Timeline(times: [], mean: [], p05: [], p50: [], p95: [])
        for a in [\Timeline.times, \.mean, \.p05, \.p50, \.p95] { t[keyPath: a].reserveCapacity(points) }
        var cursors = [0.05, 0.5, 0.95].map { Cursor(need: Self.rank($0, n)) }
        var running: UInt64 = 0
        var row = [Int32](repeating: 0, count: Self.bins)
        histDiff.withUnsafeBufferPointer { diff in
            row.withUnsafeMutableBufferPointer { row in
                for p in 0..<points {
                    running &+= sumDiff[p]
                    let changes = diff.baseAddress! + p * Self.bins
                    for b in stride(from: 0, to: Self.bins, by: 8) where b + 8 > Self.bins || !Self.allZero(changes + b)
                    {
                        for j in b..<min(b + 8, Self.bins) where changes[j] != 0 {
                            row[j] &+= changes[j]
                            for k in cursors.indices where j < cursors[k].bin { cursors[k].below &+= Int(changes[j]) }
                        }
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

    /// Whether the eight counts from `p` are all zero, read as four 64-bit words.
    @inline(__always) static func allZero(_ p: UnsafePointer<Int32>) -> Bool {
        let w = UnsafeRawPointer(p)
        return
            (w.loadUnaligned(as: UInt64.self) | w.loadUnaligned(fromByteOffset: 8, as: UInt64.self)
            | w.loadUnaligned(fromByteOffset: 16, as: UInt64.self)
            | w.loadUnaligned(fromByteOffset: 24, as: UInt64.self)) == 0
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

        /// Moves to the bin that answers for `row` (the counts below `bin` already in `below`); the last
        /// bin if the row holds fewer than `need`.
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
}
