import Foundation

/// Clients that retry failed requests, in the fluid model (docs/model.md, "Retries").
///
/// A request is tried up to `attempts` (A) times; each attempt succeeds with probability p,
/// independently, and a retry goes to the same address as the attempt before it. So a request takes
/// g(p) = Σ_{k=0}^{A−1} (1 − p)^k = (1 − (1 − p)^A) / p attempts on average (A when p = 0), and fails,
/// as its user sees it, with probability (1 − p)^A.
///
/// At a region with capacity C offered L requests per second whose condition lets a share s of what it
/// serves through, the attempts make an offered load L·g(p), and p = s · min(1, C / (L · g(p))): a fixed
/// point, solved exactly. Since p · g(p) = 1 − (1 − p)^A, while capacity binds the fixed point is
/// 1 − (1 − p)^A = s · C / L, so p = 1 − (1 − s · C / L)^{1/A}; it binds when L · g(s) > C, and otherwise
/// p = s. Under overload alone the requests served stay C (each served attempt ends its request), while
/// the share of attempts served, C / (L · g(p)), falls; under a partial failure retries recover
/// requests: 1 − (1 − s)^A of them succeed.
struct Retries {
    /// Attempts per request, at least 1 (1: no retries).
    let attempts: Int

    /// g(p): attempts per request when each succeeds with probability `p`.
    @inline(__always) func attemptsPerRequest(_ p: Double) -> Double {
        guard p > 0 else { return Double(attempts) }
        return (1 - pow(1 - p, Double(attempts))) / p
    }

    /// The share of requests that succeed when each attempt does with probability `p`.
    @inline(__always) func requestSuccess(_ p: Double) -> Double { 1 - pow(1 - p, Double(attempts)) }

    /// p, each attempt's chance of success, at a region offered `load` requests (weight units) with
    /// `capacity` now and a share `pass` of what it serves let through (the fixed point above).
    @inline(__always) func attemptSuccess(load: Double, capacity: Double, pass s: Double) -> Double {
        guard load > 0, s > 0 else { return s > 0 ? s : 0 }
        if load * attemptsPerRequest(s) <= capacity { return s }
        return 1 - pow(max(0, 1 - s * capacity / load), 1 / Double(attempts))
    }
}

extension SuccessCurve {
    /// ∫₀ᴴ failed attempts dt [s of all traffic's requests]: times the request rate, the attempts that
    /// failed, retries included (docs/model.md, "Retries"). Without retries it equals
    /// `failedTrafficSeconds()`; a curve built without attempt weights (made by hand) gives that.
    public func failedAttemptSeconds() -> Double {
        guard failedAttemptWeight.count == start.count else { return failedTrafficSeconds() }
        var failed: Double = 0  // Σ failed attempts · duration, in weight·µs
        for k in failedAttemptWeight.indices { failed += Double(failedAttemptWeight[k]) * Double(end(k) - start[k]) }
        return failed / Double(totalWeight) / 1_000_000
    }
}
