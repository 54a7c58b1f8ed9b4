/// The success fraction s(t) of one replication (MODEL.md section 3): the traffic-weighted share of
/// requests whose address leads to a region that is up. A step function, exact in integer time:
/// s = `upWeight[k]` / `totalWeight` from `start[k]` until `start[k + 1]` (the last step until the
/// horizon), times in microseconds.
public struct SuccessCurve: Sendable, Equatable {
    /// Start of each step [µs]; `start[0]` is 0.
    public internal(set) var start: [Int64] = []
    /// Traffic whose address leads to an up region during each step, in units of `totalWeight`.
    public internal(set) var upWeight: [Int64] = []
    public internal(set) var totalWeight: Int64 = 1
    /// [µs]
    public internal(set) var horizon: Int64 = 0

    public init() {}

    /// s during step k.
    @inlinable public func value(step k: Int) -> Double { Double(upWeight[k]) / Double(totalWeight) }

    /// End of step k [µs].
    @inlinable func end(_ k: Int) -> Int64 { k + 1 < start.count ? start[k + 1] : horizon }

    /// s(t) for 0 ≤ t ≤ horizon, t in seconds.
    public func value(at t: Double) -> Double {
        let us = SimTime(seconds: t).microseconds
        var lo = 0, hi = start.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if start[mid] <= us { lo = mid } else { hi = mid - 1 }
        }
        return value(step: lo)
    }

    /// The first time [s] s(t) ≥ x; nil if never before the horizon.
    public func firstReach(_ x: Double) -> Double? {
        for k in upWeight.indices where value(step: k) >= x { return seconds(start[k]) }
        return nil
    }

    /// The first time [s] from which s(t) ≥ `target` holds for `window` seconds (or until the horizon);
    /// nil if never (censored).
    public func recoveryTime(target: Double, window: Double) -> Double? {
        let w = SimTime(seconds: window).microseconds
        var goodSince: Int64?
        for k in upWeight.indices {
            if value(step: k) >= target {
                let since = goodSince ?? start[k]
                goodSince = since
                if end(k) - since >= w || end(k) >= horizon { return seconds(since) }
            } else {
                goodSince = nil
            }
        }
        return nil
    }

    /// ∫₀ᴴ (1 − s(t)) dt [s]: seconds' worth of all traffic that failed.
    public func failedTrafficSeconds() -> Double {
        var down: Double = 0   // Σ (total − up)·duration, in weight·µs
        for k in upWeight.indices { down += Double(totalWeight - upWeight[k]) * Double(end(k) - start[k]) }
        return down / Double(totalWeight) / 1_000_000
    }

    @inlinable func seconds(_ us: Int64) -> Double { Double(us) / 1_000_000 }
}

import DRSimKernel

extension SuccessCurve {
    /// Builds the curve from the cohorts' moves between answers and the regions' down intervals.
    ///
    /// - Parameters:
    ///   - answers: the region answered before any change (index 0) and after change j (index j).
    ///   - moves: every cohort's move to change j, in (change, cohort) order; sorted here by time.
    ///   - cohortAnswer, scratch: reused storage.
    mutating func build(answers: [Int], moves: inout [ClientPopulation.Move], weights: [Int64], totalWeight total: Int64,
                        faults: FaultTimeline, horizon h: Int64, cohortAnswer: inout [Int32],
                        scratch: inout [ClientPopulation.Move]) {
        horizon = h
        totalWeight = total
        start.removeAll(keepingCapacity: true)
        upWeight.removeAll(keepingCapacity: true)
        let regions = faults.downFrom.count
        var routed = [Int64](repeating: 0, count: regions)
        routed[answers[0]] = total
        cohortAnswer.removeAll(keepingCapacity: true)
        cohortAnswer.append(contentsOf: repeatElement(0, count: weights.count))
        ClientPopulation.Move.sortByTime(&moves, scratch: &scratch, maxKey: h + 1)

        // Times at which a region goes down or comes back, in µs.
        var regionEvents: [Int64] = []
        for r in 0..<regions {
            for t in [faults.downFrom[r], faults.downUntil[r]] where t > 0 {
                let us = SimTime(seconds: t).microseconds
                if us <= h { regionEvents.append(us) }
            }
        }
        regionEvents.sort()
        var isUp = (0..<regions).map { !faults.isDown($0, at: 0) }
        var up: Int64 = 0
        for r in 0..<regions where isUp[r] { up += routed[r] }
        start.append(0)
        upWeight.append(up)

        var mi = 0, ri = 0
        let n = moves.count
        moves.withUnsafeBufferPointer { mv in
            while true {
                let tm = mi < n ? mv[mi].time : Int64.max
                let tr = ri < regionEvents.count ? regionEvents[ri] : Int64.max
                let t = min(tm, tr)
                if t > h { break }
                while mi < n && mv[mi].time == t {
                    let m = mv[mi]
                    let c = Int(m.cohort)
                    if m.change > cohortAnswer[c] {
                        let from = answers[Int(cohortAnswer[c])], to = answers[Int(m.change)]
                        let w = weights[c]
                        routed[from] -= w
                        routed[to] += w
                        if isUp[from] { up -= w }
                        if isUp[to] { up += w }
                        cohortAnswer[c] = m.change
                    }
                    mi += 1
                }
                if t == tr {
                    while ri < regionEvents.count && regionEvents[ri] == t { ri += 1 }
                    let ts = Double(t) / 1_000_000
                    up = 0
                    for r in 0..<regions {
                        isUp[r] = !faults.isDown(r, at: ts)
                        if isUp[r] { up += routed[r] }
                    }
                }
                // Record the step; collapse it into the last one when s did not change.
                if up != upWeight[upWeight.count - 1] {
                    if start[start.count - 1] == t {
                        upWeight[upWeight.count - 1] = up
                        if upWeight.count >= 2 && upWeight[upWeight.count - 2] == up {
                            start.removeLast()
                            upWeight.removeLast()
                        }
                    } else {
                        start.append(t)
                        upWeight.append(up)
                    }
                }
            }
        }
    }
}
