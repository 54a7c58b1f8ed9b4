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

    /// The writes in flight at the failure. `byAge` gives, for each stretch of write ages, the lag
    /// multiplier in force when writes of that age were sent (a slowed replication gives the writes
    /// sent while it lasts lag m·L); it covers [0, ∞) and is `LagSegment.unimpaired` when nothing slowed.
    public static func sample(
        writeRate: Double, lag: Distribution, byAge segments: [LagSegment] = LagSegment.unimpaired,
        _ r: RandomStream
    ) -> WriteLoss {
        guard writeRate > 0 else { return WriteLoss(lostWrites: 0, rpo: 0) }
        if segments.count == 1 {
            let m = segments[0].multiplier
            let n = r.poisson(mean: writeRate * m * lag.mean)
            guard n > 0 else { return WriteLoss(lostWrites: 0, rpo: 0) }
            let u = r.uniformPositive()
            return WriteLoss(lostWrites: n, rpo: m * lag.equilibriumQuantile(pow(u, 1 / Double(n))))
        }
        // A write of age a sent with multiplier m(a) is still in flight with probability P(m(a)·L > a);
        // the count is Poisson with mean λ times the integral of that over a, and the ages are
        // independent with that density: the oldest of n is where the tail integral falls to
        // (1 − U^{1/n}) of its total.
        let total = inFlightTail(0, lag, segments)
        let n = r.poisson(mean: writeRate * total)
        guard n > 0 else { return WriteLoss(lostWrites: 0, rpo: 0) }
        let target = (1 - pow(r.uniformPositive(), 1 / Double(n))) * total
        var lo = 0.0
        var hi = 1e-9
        for s in segments {
            hi = max(hi, s.multiplier * lag.mean)
            if s.until < .infinity { hi = max(hi, s.until) }
        }
        while inFlightTail(hi, lag, segments) > target && hi < 1e300 { (lo, hi) = (hi, hi * 2) }
        for _ in 0..<200 where hi - lo > 1e-12 * hi {
            let mid = (lo + hi) / 2
            if inFlightTail(mid, lag, segments) > target { lo = mid } else { hi = mid }
        }
        return WriteLoss(lostWrites: n, rpo: (lo + hi) / 2)
    }

    /// ∫ₓ^∞ P(a write of age a is still in flight) da: over each stretch [a₀, a₁) of ages sent with
    /// multiplier m, m·(e(max(x, a₀)/m) − e(a₁/m)), with e(y) = E[(L − y)⁺] and e(∞) = 0.
    static func inFlightTail(_ x: Double, _ lag: Distribution, _ segments: [LagSegment]) -> Double {
        var sum = 0.0
        for s in segments where s.until > x {
            let m = s.multiplier
            let upper = s.until == .infinity ? 0 : lag.excessMean(over: s.until / m)
            sum += m * (lag.excessMean(over: max(x, s.from) / m) - upper)
        }
        return sum
    }

    /// The writes a replica that fails holds unreplicated when its replication had stalled `stall`
    /// seconds before: those in flight when the stall began (rate `rateAtStall`, lag multiplier m), and
    /// every write of the stall (`stalledWrites` expected, a Poisson number, spread evenly over it).
    /// `rpo` is the oldest one's age at the failure.
    public static func sampleAfterStall(
        rateAtStall: Double, stalledWrites: Double, stall: Double, lag: Distribution,
        byAge segments: [LagSegment] = LagSegment.unimpaired, _ r: RandomStream
    ) -> WriteLoss {
        let inFlight = sample(writeRate: rateAtStall, lag: lag, byAge: segments, r)
        let during = stalledWrites > 0 ? r.poisson(mean: stalledWrites) : 0
        if inFlight.lostWrites > 0 {
            return WriteLoss(lostWrites: inFlight.lostWrites + during, rpo: stall + inFlight.rpo)
        }
        guard during > 0 else { return WriteLoss(lostWrites: 0, rpo: 0) }
        // The earliest of n writes spread evenly over the stall is U^{1/n} of it old.
        return WriteLoss(lostWrites: during, rpo: stall * pow(r.uniformPositive(), 1 / Double(during)))
    }
}

/// A stretch of write ages [from, until) at some instant whose writes were sent while the replication
/// lag was multiplied by `multiplier` (1 when replication was not slowed).
public struct LagSegment: Sendable, Equatable {
    public var from: Double
    public var until: Double
    public var multiplier: Double

    public init(from: Double, until: Double, multiplier: Double) {
        self.from = from
        self.until = until
        self.multiplier = multiplier
    }

    /// Every age, sent with the lag as configured.
    public static let unimpaired = [LagSegment(from: 0, until: .infinity, multiplier: 1)]
}

/// The writes an incident leaves unreplicated under MREC (docs/model.md, "Replication"): one watch per
/// failure of a region's replica before the horizon, which the curve's build fills with the write
/// traffic it saw (`WriteWatch`), then each watch's writes sampled as lost or delayed; and the writes
/// lost to last-writer-wins, from the conflict log the build fills.
struct WriteAccounting {
    /// The failures of the current replication, in region order.
    var watches: [WriteWatch] = []
    /// What the curve's build saw for the conflicts of the current replication.
    var conflictLog: ConflictLog
    /// Whether writes can be left unreplicated at all: MREC, with some traffic writing.
    let watching: Bool
    /// Writes per second per unit of traffic weight.
    let perWeight: Double
    let lag: Distribution
    let regions: Int
    /// The key space conflicts are counted over; nil when they are not (MRSC, no writes, turned off).
    let keys: ZipfKeys?

    init(_ config: Config, totalWeight: Int64) {
        watching = config.database.mode == .mrec && config.traffic.writeShare > 0
        perWeight = config.traffic.requestsPerSecond * config.traffic.writeShare / Double(totalWeight)
        lag = config.database.replicationLag
        regions = config.regions.count
        let keys = watching ? config.database.keySpace.map(ZipfKeys.init) : nil
        self.keys = keys
        // The highest rate F is read at: every region's writes, each slowdown in force at once.
        let slowest = config.faults.filter { $0.kind == .replicationImpaired }
            .reduce(1.0) { $0 * max(1, $1.lagMultiplier) }
        let (lag, perWeight) = (lag, perWeight)
        let highest = perWeight * Double(totalWeight) * slowest
        let table = keys.map { OverwriteTable(keys: $0, lag: lag, highest: highest, perWeight: perWeight) }
        conflictLog = ConflictLog(regions: regions, overwrites: table)
    }

    /// Accounting that watches no failure and counts no conflict, for a build that must learn nothing
    /// about writes.
    static func none(_ config: Config, totalWeight: Int64) -> WriteAccounting {
        var writes = WriteAccounting(config, totalWeight: totalWeight)
        writes.conflictLog.enabled = false
        return writes
    }

    /// One watch per failure of a region before the horizon [µs] that leaves writes unreplicated
    /// (MRSC acknowledges only writes that another replica has): its database replica failing, or its
    /// app failing (down or hung) while its replication is stalled, which strands the backlog in a
    /// replica that no longer takes writes. Then one per stall that ends without such a failure: the
    /// stall hides the region's writes from the others until it ends (`watchStalls`).
    mutating func watchFailingReplicas(_ faults: FaultTimeline, horizon: Int64) {
        watches.removeAll(keepingCapacity: true)
        guard watching else { return }
        let end = ModelTime.seconds(horizon)
        func watch(_ r: Int, failingAt from: Double, back: Double) {
            // The writes arrive once the replica is back and its replication runs.
            var back = back
            if let stall = faults.stall(r, at: back) { back = stall.until }
            let arrive = back.isFinite && back <= end ? ModelTime.microseconds(back) : Int64.max
            let stallFrom = faults.stall(r, at: from).map { ModelTime.microseconds($0.from) }
            watches.append(
                WriteWatch(
                    region: r, failAt: ModelTime.microseconds(from), arriveAt: arrive,
                    stallFrom: stallFrom))
        }
        for r in 0..<regions {
            for span in faults.databaseFailures(r) where span.from <= end {
                watch(r, failingAt: span.from, back: span.until)
            }
            for from in faults.appFailures(r)
            where from <= end && faults.stall(r, at: from) != nil
                && !faults.databaseDown(r, at: from)
            {
                watch(r, failingAt: from, back: from)
            }
        }
        watchStalls(faults, until: end)
    }

    /// One watch per stall of a region's replication that starts before `end` [s] and is not already
    /// watched by a failure it ends in: the writes taken while it lasts reach the other replicas when
    /// it ends, or never if it lasts past the horizon (docs/model.md, "Replication").
    private mutating func watchStalls(_ faults: FaultTimeline, until end: Double) {
        for r in 0..<regions {
            for s in faults.stalled[r] where s.from <= end {
                // Overlapping stalls are one stall: the earliest start to the latest end.
                guard let span = faults.stall(r, at: s.from) else { continue }
                let from = ModelTime.microseconds(span.from)
                if watches.contains(where: { $0.region == r && $0.stallFrom == from }) { continue }
                let last = min(span.until, end)
                watches.append(
                    WriteWatch(
                        region: r, failAt: ModelTime.microseconds(last),
                        arriveAt: span.until <= end ? ModelTime.microseconds(span.until) : Int64.max,
                        stallFrom: from, stallOnly: true))
            }
        }
    }

    /// Samples the unreplicated writes of every watched failure from `r` (the `writes` stream): lost if
    /// they never arrive before the horizon, delayed if they do; the data-loss window [s] counts lost
    /// writes, and delayed ones that were missing while another region served. The writes lost to
    /// last-writer-wins come from `c` (the `conflicts` stream); nil when they are not counted.
    func unreplicatedWrites(_ faults: FaultTimeline, _ r: RandomStream, conflicts c: RandomStream)
        -> (lost: Int, delayed: Int, rpo: Double, conflicts: Int?)
    {
        var lost = 0
        var delayed = 0
        var rpo = 0.0
        var conflicts = keys.map { _ in concurrentOverwrites(c) }
        for w in watches {
            let failAt = ModelTime.seconds(w.failAt)
            let held: WriteLoss
            if let s = w.stallFrom {
                let from = ModelTime.seconds(s)
                held = WriteLoss.sampleAfterStall(
                    rateAtStall: Double(w.rateAtStall) * perWeight,
                    stalledWrites: w.stalledWeightSeconds * perWeight,
                    stall: failAt - from, lag: lag,
                    byAge: faults.lagByAge(w.region, at: from), r)
            } else {
                held = WriteLoss.sample(
                    writeRate: Double(w.rateAtFail) * perWeight, lag: lag,
                    byAge: faults.lagByAge(w.region, at: failAt), r)
            }
            if w.arriveAt == Int64.max {
                lost += held.lostWrites
                rpo = max(rpo, held.rpo)
            } else {
                delayed += held.lostWrites
                if w.seenElsewhere { rpo = max(rpo, held.rpo) }
                if let k = keys { conflicts = (conflicts ?? 0) + hiddenOverwrites(w, held: held.lostWrites, k, c) }
            }
        }
        return (lost, delayed, rpo, conflicts)
    }

    /// Writes lost to last-writer-wins in normal replication (docs/model.md, "Replication"): a write in
    /// region a is lost when another region writes its item before it arrives there. The count is
    /// Poisson with mean ∫ Σ_a λ_a F(λ_o m_a) dt (the conflict log's integral), drawn without one event
    /// per write.
    func concurrentOverwrites(_ c: RandomStream) -> Int {
        let mean = conflictLog.lostWrites
        return mean > 0 ? c.poisson(mean: mean) : 0
    }

    /// Of the `held` writes watch `w` hid and delivered late, those another region's write to the same
    /// item overwrote unseen meanwhile: each is, independently, with the chance `ZipfKeys.overwriteChance`
    /// gives for the other tables' mean write rate over the hidden window, the writes spread evenly over
    /// the stall (if any) and arriving E[L] after the end of the window (a binomial draw).
    func hiddenOverwrites(_ w: WriteWatch, held: Int, _ keys: ZipfKeys, _ c: RandomStream) -> Int {
        guard held > 0 else { return 0 }
        let window = ModelTime.seconds(w.arriveAt - w.hiddenFrom)
        guard window > 0 else { return 0 }
        let rate = w.othersWeightSeconds * perWeight / window
        let spread = ModelTime.seconds(w.failAt - w.hiddenFrom)
        let gap = ModelTime.seconds(w.arriveAt - w.failAt) + lag.mean
        return c.binomial(held, keys.overwriteChance(rate: rate, gap: gap, spread: spread))
    }
}
