import Foundation

/// Writes lost under DynamoDB MREC when a region fails (MODEL.md sections 8 and 12).
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
}
