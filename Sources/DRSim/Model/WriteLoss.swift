import Foundation

/// Writes a DynamoDB MREC replica holds unreplicated when it fails (docs/model.md, "Replication").
///
/// Writes reach the failed region as a Poisson flow of rate λ and each replicates after its own lag L.
/// At the fault, the writes still in flight are a Poisson number with mean λ·E[L], their ages
/// independent with the equilibrium density P(L > a) / E[L]. So, exactly and without one event per
/// write: N ~ Poisson(λ·E[L]) and the oldest age (rpo_s) is G⁻¹(U^{1/N}), G the equilibrium CDF,
/// which gives P(rpo_s ≤ x) = exp(−λ ∫ₓ^∞ P(L > u) du).
public struct WriteLoss: Sendable, Equatable {
    public var lostWrites: Int
    /// Age at t = 0 of the oldest lost write [s]; 0 if none.
    public var rpo: Double

    public init(lostWrites: Int, rpo: Double) {
        self.lostWrites = lostWrites
        self.rpo = rpo
    }

    /// - Parameters:
    ///   - multiplier: a replication lag multiplier (a degraded region replicates slowly): writes sent
    ///     while it is in force have lag m·L, whose mean and equilibrium quantiles are m times L's.
    ///   - slowedFor: how long the multiplier has been in force [s]; writes sent before that had lag L.
    public static func sample(writeRate: Double, lag: Distribution, multiplier m: Double = 1, slowedFor d: Double = .infinity,
                              _ r: RandomStream) -> WriteLoss {
        guard writeRate > 0 else { return WriteLoss(lostWrites: 0, rpo: 0) }
        if m == 1 || d == .infinity {
            let n = r.poisson(mean: writeRate * m * lag.mean)
            guard n > 0 else { return WriteLoss(lostWrites: 0, rpo: 0) }
            let u = r.uniformPositive()
            return WriteLoss(lostWrites: n, rpo: m * lag.equilibriumQuantile(pow(u, 1 / Double(n))))
        }
        // A write of age a is still in flight with probability P(m·L > a) if a < d, else P(L > a);
        // the count is Poisson with mean λ times the integral of that over a, and the ages are
        // independent with that density: the oldest of n is where the tail integral falls to
        // (1 − U^{1/n}) of its total.
        let total = inFlightTail(0, lag, m, d)
        let n = r.poisson(mean: writeRate * total)
        guard n > 0 else { return WriteLoss(lostWrites: 0, rpo: 0) }
        let target = (1 - pow(r.uniformPositive(), 1 / Double(n))) * total
        var lo = 0.0, hi = max(m * lag.mean, d, 1e-9)
        while inFlightTail(hi, lag, m, d) > target && hi < 1e300 { (lo, hi) = (hi, hi * 2) }
        for _ in 0..<200 where hi - lo > 1e-12 * hi {
            let mid = (lo + hi) / 2
            if inFlightTail(mid, lag, m, d) > target { lo = mid } else { hi = mid }
        }
        return WriteLoss(lostWrites: n, rpo: (lo + hi) / 2)
    }

    /// ∫ₓ^∞ P(a write of age a is still in flight) da, when the lag has been m·L for the last d seconds
    /// and L before: m·(e(x/m) − e(d/m)) + e(d) for x < d, e(x) after, with e(y) = E[(L − y)⁺].
    static func inFlightTail(_ x: Double, _ lag: Distribution, _ m: Double, _ d: Double) -> Double {
        if x >= d { return lag.excessMean(over: x) }
        return m * (lag.excessMean(over: x / m) - lag.excessMean(over: d / m)) + lag.excessMean(over: d)
    }

    /// The writes a replica that fails holds unreplicated when its replication had stalled `stall`
    /// seconds before: those in flight when the stall began (rate `rateAtStall`, lag multiplier m), and
    /// every write of the stall (`stalledWrites` expected, a Poisson number, spread evenly over it).
    /// `rpo` is the oldest one's age at the failure.
    public static func sampleAfterStall(rateAtStall: Double, stalledWrites: Double, stall: Double, lag: Distribution,
                                        multiplier m: Double = 1, slowedFor d: Double = .infinity, _ r: RandomStream) -> WriteLoss {
        let inFlight = sample(writeRate: rateAtStall, lag: lag, multiplier: m, slowedFor: d, r)
        let during = stalledWrites > 0 ? r.poisson(mean: stalledWrites) : 0
        if inFlight.lostWrites > 0 { return WriteLoss(lostWrites: inFlight.lostWrites + during, rpo: stall + inFlight.rpo) }
        guard during > 0 else { return WriteLoss(lostWrites: 0, rpo: 0) }
        // The earliest of n writes spread evenly over the stall is U^{1/n} of it old.
        return WriteLoss(lostWrites: during, rpo: stall * pow(r.uniformPositive(), 1 / Double(during)))
    }
}
