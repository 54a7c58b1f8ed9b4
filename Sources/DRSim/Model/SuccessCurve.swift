/// The success fraction s(t) of one replication (MODEL.md section 3): the traffic-weighted share of
/// requests whose address leads to a region that is up. It is a step function, exact: s = `values[i]`
/// on [`times[i]`, `times[i+1]`), the last step lasting until the horizon.
public struct SuccessCurve: Sendable, Equatable {
    public var times: [Double] = []
    public var values: [Double] = []
    /// The part of all traffic whose address leads to an up region, in 2⁻³²-units, per step (exact).
    public var upWeight: [Int64] = []
    public var horizon: Double = 0

    public init() {}

    /// s(t) for 0 ≤ t ≤ horizon.
    public func value(at t: Double) -> Double { values[step(at: t)] }
    func step(at t: Double) -> Int {
        var lo = 0, hi = times.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if times[mid] <= t { lo = mid } else { hi = mid - 1 }
        }
        return lo
    }

    /// The first time s(t) ≥ x; nil if never before the horizon.
    public func firstReach(_ x: Double) -> Double? {
        for i in values.indices where values[i] >= x { return times[i] }
        return nil
    }

    /// The first time from which s(t) ≥ `target` holds for `window` seconds (or until the horizon);
    /// nil if never (censored).
    public func recoveryTime(target: Double, window: Double) -> Double? {
        var goodSince: Double?
        for i in values.indices {
            let end = i + 1 < times.count ? times[i + 1] : horizon
            if values[i] >= target {
                let start = goodSince ?? times[i]
                goodSince = start
                if end - start >= window || end >= horizon { return start }
            } else {
                goodSince = nil
            }
        }
        return nil
    }

    /// ∫₀ᴴ (1 − s(t)) dt [s]: seconds' worth of all traffic that failed.
    public func failedTrafficSeconds() -> Double {
        var total = 0.0
        for i in values.indices {
            let end = i + 1 < times.count ? times[i + 1] : horizon
            total += (1 - values[i]) * (end - times[i])
        }
        return total
    }
}

extension SuccessCurve {
    /// Builds the curve from the cohorts' moves between answers and the regions' down intervals.
    ///
    /// - Parameters:
    ///   - answers: the region answered before any change (index 0) and after change j (index j).
    ///   - moves: every cohort's move to change j; sorted here by (time, change, cohort).
    ///   - cohortAnswer: scratch, one entry per cohort.
    mutating func build(answers: [Int], moves: inout [ClientPopulation.Move], weights: [Int64], totalWeight: Int64,
                        faults: FaultTimeline, horizon h: Double, cohortAnswer: inout [Int32]) {
        horizon = h
        times.removeAll(keepingCapacity: true)
        values.removeAll(keepingCapacity: true)
        upWeight.removeAll(keepingCapacity: true)
        let regions = faults.downFrom.count
        var routed = Array(repeating: Int64(0), count: regions)
        routed[answers[0]] = totalWeight
        cohortAnswer.removeAll(keepingCapacity: true)
        cohortAnswer.append(contentsOf: repeatElement(0, count: weights.count))

        moves.sort { a, b in
            if a.time != b.time { return a.time < b.time }
            if a.change != b.change { return a.change < b.change }
            return a.cohort < b.cohort
        }
        // Times at which a region goes down or comes back.
        var regionEvents: [Double] = []
        for r in 0..<regions {
            for t in [faults.downFrom[r], faults.downUntil[r]] where t > 0 && t <= h { regionEvents.append(t) }
        }
        regionEvents.sort()

        func record(_ t: Double) {
            var up: Int64 = 0
            for r in 0..<regions where !faults.isDown(r, at: t) { up += routed[r] }
            if let last = upWeight.last, last == up { return }
            if let lt = times.last, lt == t {
                upWeight[upWeight.count - 1] = up
                values[values.count - 1] = Double(up) / Double(totalWeight)
                if upWeight.count >= 2 && upWeight[upWeight.count - 2] == up {
                    times.removeLast(); values.removeLast(); upWeight.removeLast()
                }
                return
            }
            times.append(t)
            upWeight.append(up)
            values.append(Double(up) / Double(totalWeight))
        }

        record(0)
        var mi = 0, ri = 0
        while true {
            let tm = mi < moves.count ? moves[mi].time : .infinity
            let tr = ri < regionEvents.count ? regionEvents[ri] : .infinity
            let t = min(tm, tr)
            if t > h { break }
            while mi < moves.count && moves[mi].time == t {
                let m = moves[mi]
                let c = Int(m.cohort)
                if m.change > cohortAnswer[c] {
                    let from = answers[Int(cohortAnswer[c])], to = answers[Int(m.change)]
                    routed[from] -= weights[c]
                    routed[to] += weights[c]
                    cohortAnswer[c] = m.change
                }
                mi += 1
            }
            while ri < regionEvents.count && regionEvents[ri] == t { ri += 1 }
            record(t)
        }
    }
}
