import DRSimKernel

/// The success fraction s(t) of one replication (docs/model.md, "Traffic"): the traffic-weighted share
/// of requests that succeed. A read succeeds when its address leads to a region that serves it; a
/// write also needs a writable database, and a failed write is a failed request. A step function,
/// exact in integer time: s = `successWeight[k]` / `totalWeight` from `start[k]` until `start[k + 1]`
/// (the last step until the horizon), times in microseconds.
public struct SuccessCurve: Sendable, Equatable {
    /// Start of each step [µs]; `start[0]` is 0.
    public internal(set) var start: [Int64] = []
    /// Traffic whose requests succeed during each step, in units of `totalWeight`.
    public internal(set) var successWeight: [Int64] = []
    /// Traffic whose writes succeed during each step (served, and its database writable).
    public internal(set) var writeWeight: [Int64] = []
    /// Failed attempts during each step, retries included, in units of `totalWeight` of requests
    /// (`failedAttemptSeconds()`).
    public internal(set) var failedAttemptWeight: [Int64] = []
    public internal(set) var totalWeight: Int64 = 1
    /// [µs]
    public internal(set) var horizon: Int64 = 0

    public init() {}

    /// s during step k.
    @inlinable public func value(step k: Int) -> Double { Double(successWeight[k]) / Double(totalWeight) }
    /// The share of writes that succeed during step k.
    @inlinable public func writeValue(step k: Int) -> Double { Double(writeWeight[k]) / Double(totalWeight) }

    /// End of step k [µs].
    @inlinable func end(_ k: Int) -> Int64 { k + 1 < start.count ? start[k + 1] : horizon }

    /// s(t) for 0 ≤ t ≤ horizon, t in seconds.
    public func value(at t: Double) -> Double {
        let us = ModelTime.microseconds(t)
        var lo = 0
        var hi = start.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if start[mid] <= us { lo = mid } else { hi = mid - 1 }
        }
        return value(step: lo)
    }

    /// How s(t) (with `writes`, the share of writes that succeed) stands against `level` after the
    /// fault (docs/model.md, "What a replication reports"), in one pass over the steps. `window` is the
    /// stability window [s]: a recovery counts only if s(t) then holds the level for that long, ending by
    /// the horizon.
    /// The start [µs] of the run of steps below `level` that ends at `t` [µs] (the last drop before a
    /// recovery at t); t itself if the step before t is not below the level.
    func dropStart(before t: Int64, level: Double) -> Int64 {
        var k = start.count - 1
        while k > 0 && start[k] >= t { k -= 1 }
        var from = t
        while k >= 0 && start[k] < t && value(step: k) < level {
            from = start[k]
            k -= 1
        }
        return from
    }

    public func recovery(level: Double, window: Double, writes: Bool = false) -> Recovery {
        let w = ModelTime.microseconds(window)
        var out = Recovery(first: nil, final: nil, timeBelow: 0, relapses: 0)
        var fell = false
        var wasGood = true
        var goodSince: Int64?
        var lastBelowEnd: Int64 = 0
        var below: Int64 = 0
        for k in successWeight.indices where end(k) > start[k] {
            if (writes ? writeValue(step: k) : value(step: k)) >= level {
                wasGood = true
                guard fell, out.first == nil else { continue }
                let since = goodSince ?? start[k]
                goodSince = since
                if since + w <= horizon && end(k) - since >= w { out.first = ModelTime.seconds(since) }
            } else {
                if wasGood && out.first != nil { out.relapses += 1 }
                wasGood = false
                fell = true
                goodSince = nil
                below += end(k) - start[k]
                lastBelowEnd = end(k)
            }
        }
        out.timeBelow = ModelTime.seconds(below)
        if !fell {
            out.first = 0
            out.final = 0
        } else if lastBelowEnd + w <= horizon && lastBelowEnd < horizon {
            out.final = ModelTime.seconds(lastBelowEnd)
        }
        return out
    }

    /// ∫₀ᴴ (1 − s(t)) dt [s]: seconds' worth of all traffic that failed.
    public func failedTrafficSeconds() -> Double {
        var down: Double = 0  // Σ (total − success)·duration, in weight·µs
        for k in successWeight.indices { down += Double(totalWeight - successWeight[k]) * Double(end(k) - start[k]) }
        return down / Double(totalWeight) / 1_000_000
    }

    /// ∫₀ᴴ (1 − w(t)) dt [s], w the share of writes that succeed: seconds' worth of writes that failed.
    public func failedWriteSeconds() -> Double {
        var down: Double = 0
        for k in writeWeight.indices { down += Double(totalWeight - writeWeight[k]) * Double(end(k) - start[k]) }
        return down / Double(totalWeight) / 1_000_000
    }
}

/// s(t) against a level after the fault (docs/model.md, "What a replication reports"). Times in
/// seconds from the fault's start.
public struct Recovery: Sendable, Equatable {
    /// The first time s(t) reached the level and held it for the stability window; 0 if it never fell
    /// below the level, nil if it never did so before the horizon (`first_recovery_s`).
    public var first: Double?
    /// The time from which s(t) stays at or above the level until the horizon, at least the stability
    /// window before it; 0 if it never fell below the level, nil otherwise (`rto_s`: censored).
    public var final: Double?
    /// Total time s(t) spent below the level [s] (`time_below_target_s`).
    public var timeBelow: Double
    /// Drops below the level after the first recovery (`relapses`).
    public var relapses: Int
}
