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

    /// - Parameter multiplier: a replication lag multiplier (a degraded region replicates slowly): the
    ///   lag is m·L, whose mean and equilibrium quantiles are m times L's.
    public static func sample(writeRate: Double, lag: Distribution, multiplier m: Double = 1, _ r: RandomStream) -> WriteLoss {
        guard writeRate > 0 else { return WriteLoss(lostWrites: 0, rpo: 0) }
        let n = r.poisson(mean: writeRate * m * lag.mean)
        guard n > 0 else { return WriteLoss(lostWrites: 0, rpo: 0) }
        let u = r.uniformPositive()
        return WriteLoss(lostWrites: n, rpo: m * lag.equilibriumQuantile(pow(u, 1 / Double(n))))
    }

    /// The writes a replica that fails holds unreplicated when its replication had stalled `stall`
    /// seconds before: those in flight when the stall began (rate `rateAtStall`, lag multiplier m), and
    /// every write of the stall (`stalledWrites` expected, a Poisson number, spread evenly over it).
    /// `rpo` is the oldest one's age at the failure.
    public static func sampleAfterStall(rateAtStall: Double, stalledWrites: Double, stall: Double, lag: Distribution,
                                        multiplier m: Double = 1, _ r: RandomStream) -> WriteLoss {
        let inFlight = sample(writeRate: rateAtStall, lag: lag, multiplier: m, r)
        let during = stalledWrites > 0 ? r.poisson(mean: stalledWrites) : 0
        if inFlight.lostWrites > 0 { return WriteLoss(lostWrites: inFlight.lostWrites + during, rpo: stall + inFlight.rpo) }
        guard during > 0 else { return WriteLoss(lostWrites: 0, rpo: 0) }
        // The earliest of n writes spread evenly over the stall is U^{1/n} of it old.
        return WriteLoss(lostWrites: during, rpo: stall * pow(r.uniformPositive(), 1 / Double(during)))
    }
}
