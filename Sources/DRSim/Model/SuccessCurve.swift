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

    /// The first time [s] at which s(t) ≥ x again after it first fell below x; 0 if it never fell
    /// below x (normal service is not a recovery), nil if it never came back before the horizon.
    public func firstReach(_ x: Double) -> Double? {
        var fell = false
        for k in successWeight.indices {
            if value(step: k) < x { fell = true } else if fell { return ModelTime.seconds(start[k]) }
        }
        return fell ? nil : 0
    }

    /// The first time [s], after s(t) first fell below `target`, from which s(t) ≥ `target` holds for
    /// `window` seconds, the window ending by the horizon; 0 if s(t) never fell below the target, nil
    /// if it never recovered so (censored). With `writes`, the same for the share of writes that
    /// succeed.
    public func recoveryTime(target: Double, window: Double, writes: Bool = false) -> Double? {
        let w = ModelTime.microseconds(window)
        var fell = false
        var goodSince: Int64?
        for k in successWeight.indices {
            if (writes ? writeValue(step: k) : value(step: k)) >= target {
                guard fell else { continue }
                let since = goodSince ?? start[k]
                goodSince = since
                if since + w > horizon { return nil }
                if end(k) - since >= w { return ModelTime.seconds(since) }
            } else {
                fell = true
                goodSince = nil
            }
        }
        return fell ? nil : 0
    }

    /// ∫₀ᴴ (1 − s(t)) dt [s]: seconds' worth of all traffic that failed.
    public func failedTrafficSeconds() -> Double {
        var down: Double = 0  // Σ (total − success)·duration, in weight·µs
        for k in successWeight.indices { down += Double(totalWeight - successWeight[k]) * Double(end(k) - start[k]) }
        return down / Double(totalWeight) / 1_000_000
    }
}
