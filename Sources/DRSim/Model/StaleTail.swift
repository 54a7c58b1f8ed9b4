import DRSimKernel

/// The stale-DNS tail of one replication (docs/model.md, "The stale-DNS tail"): what the resolvers that
/// do not honour TTLs (every class but `honour`) hold up, shown apart from what the settings decide.
public struct StaleTail: Sendable, Equatable {
    /// Times after the first DNS answer change at which the stale share is read [s]: 5 minutes, 15
    /// minutes (Flavel et al.'s second figure) and 30 minutes (the default extension's median).
    public static let times: [Double] = [300, 900, 1800]

    /// The traffic share whose resolver, of a class that does not honour TTLs, still holds the answer
    /// from before the first DNS answer change at each of `times` after it (past the horizon too: the
    /// caches' lives are drawn at the change); 0 when the answer never changes, as nothing is then held
    /// on an old answer.
    public var staleShares: InlineArray<3, Double> = .init(repeating: 0)
    /// `rto_s` of the curve without the TTL-violating resolvers' traffic (its requests not offered);
    /// nil when censored.
    public var rtoHonouring: Double?

    public init(staleShares: [Double] = [], rtoHonouring: Double? = nil) {
        for (i, x) in staleShares.prefix(3).enumerated() { self.staleShares[i] = x }
        self.rtoHonouring = rtoHonouring
    }

    public static func == (a: Self, b: Self) -> Bool {
        a.rtoHonouring == b.rtoHonouring && (0..<3).allSatisfy { a.staleShares[$0] == b.staleShares[$0] }
    }
}

/// What a worker reuses to compute the stale-DNS tail: which resolvers violate TTLs in the current
/// replication, the cohorts' weights with their traffic left out, and the curve built from those.
struct StaleTailScratch {
    var violating: [Bool] = []
    var honouringWeight: [Int64] = []
    var curve = SuccessCurve()
    /// Write accounting that watches and counts nothing: the build without the violators learns nothing
    /// about writes. Made on the first such build.
    var noWrites: WriteAccounting?
}

extension IncidentSimulator {
    /// Marks the resolvers of classes that do not honour TTLs in this replication (`draws`: the
    /// replication's class members) and weighs their cohorts 0; returns the traffic left in, or nil
    /// when every resolver honours TTLs.
    func markViolators(_ draws: [ClientPopulation.ClassDraw]) -> Int64? {
        let plan = populationPlan
        if tail.violating.count != plan.share.count {
            tail.violating = [Bool](repeating: false, count: plan.share.count)
            tail.honouringWeight = plan.weight
        }
        for i in tail.violating.indices { tail.violating[i] = false }
        var any = false
        for d in draws where plan.classes[Int(d.klass)].behaviour != .honour {
            tail.violating[Int(d.resolver)] = true
            any = true
        }
        guard any else { return nil }
        var total: Int64 = 0
        for c in plan.weight.indices {
            let w = tail.violating[Int(plan.resolverOfCohort[c])] ? 0 : plan.weight[c]
            tail.honouringWeight[c] = w
            total += w
        }
        return total
    }

    /// The success curve of the traffic of resolvers that honour TTLs (docs/model.md, "The stale-DNS
    /// tail"), into `tail.curve`; false when no resolver violates TTLs (the curve is then `curve`).
    func buildHonouringCurve(_ events: ServiceEvents, slot: Int, horizon: Int64) -> Bool {
        guard let total = markViolators(shared.classes[shared.classGroup[point]][slot]) else { return false }
        builder.weigh(tail.honouringWeight, total: total)
        // The curve is taken out of `tail` for the build (its storage kept); this build learns nothing
        // about writes (`noWrites`).
        var curve = SuccessCurve()
        swap(&curve, &tail.curve)
        var noWrites = tail.noWrites ?? WriteAccounting.none(config, totalWeight: populationPlan.totalWeight)
        builder.build(&curve, initialTargets: initialTargets, events: events, writes: &noWrites, horizon: horizon)
        tail.noWrites = noWrites
        swap(&curve, &tail.curve)
        builder.weigh(populationPlan.weight, total: populationPlan.totalWeight)
        return true
    }

    /// The stale-DNS tail of the last replication, after `buildHonouringCurve` said whether it built one:
    /// at each of `StaleTail.times` after the first answer change, the traffic share of the TTL-violating
    /// resolvers' cohorts that moved at that change and whose resolver lets go of the old answer later.
    func staleTail(honouring built: Bool, model: FailoverModel, rto: Double?) -> StaleTail {
        var out = StaleTail()
        out.rtoHonouring =
            built ? tail.curve.recovery(level: config.successTarget, window: config.stableFor).final : rto
        guard built, let first = model.route53.changes.first else { return out }
        let t0 = ModelTime.seconds(first.time)
        let plan = populationPlan
        // One pass over the moves for every time (the sums are integers: order-free).
        var pinned = InlineArray<3, Int64>(repeating: 0)
        for m in moves.moves where m.change == 1 {
            let c = Int(m.cohort)
            guard tail.violating[Int(plan.resolverOfCohort[c])] else { continue }
            let letGo = moves.letGo(change: 1, cohort: c, cohorts: plan.weight.count).resolver
            for i in 0..<3 where letGo > t0 + StaleTail.times[i] { pinned[i] += plan.weight[c] }
        }
        for i in 0..<3 { out.staleShares[i] = Double(pinned[i]) / Double(plan.totalWeight) }
        return out
    }
}
