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
        let us = SimTime(seconds: t).microseconds
        var lo = 0, hi = start.count - 1
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
            if value(step: k) < x { fell = true } else if fell { return seconds(start[k]) }
        }
        return fell ? nil : 0
    }

    /// The first time [s], after s(t) first fell below `target`, from which s(t) ≥ `target` holds for
    /// `window` seconds, the window ending by the horizon; 0 if s(t) never fell below the target, nil
    /// if it never recovered so (censored). With `writes`, the same for the share of writes that
    /// succeed.
    public func recoveryTime(target: Double, window: Double, writes: Bool = false) -> Double? {
        let w = SimTime(seconds: window).microseconds
        var fell = false
        var goodSince: Int64?
        for k in successWeight.indices {
            if (writes ? writeValue(step: k) : value(step: k)) >= target {
                guard fell else { continue }
                let since = goodSince ?? start[k]
                goodSince = since
                if since + w > horizon { return nil }
                if end(k) - since >= w { return seconds(since) }
            } else {
                fell = true
                goodSince = nil
            }
        }
        return fell ? nil : 0
    }

    /// ∫₀ᴴ (1 − s(t)) dt [s]: seconds' worth of all traffic that failed.
    public func failedTrafficSeconds() -> Double {
        var down: Double = 0   // Σ (total − success)·duration, in weight·µs
        for k in successWeight.indices { down += Double(totalWeight - successWeight[k]) * Double(end(k) - start[k]) }
        return down / Double(totalWeight) / 1_000_000
    }

    @inlinable func seconds(_ us: Int64) -> Double { Double(us) / 1_000_000 }
}

import DRSimKernel

/// What the success curve needs beyond the cohorts' moves: where traffic can go and what serves it.
struct ServicePlan {
    /// Regions, then the load balancer's address (index `regions`).
    let regions: Int
    /// The load balancer's backends (nearest first) and whether it fails open; plain values, so that
    /// the sweep never copies a config struct (each copy retains its arrays).
    let hasLoadBalancer: Bool
    let lbBackends: [Int]
    let lbFailOpen: Bool
    /// Full capacity of each region in traffic-weight units; Int64.max when unlimited.
    let capacity: [Int64]
    /// Per region: whether it has a standby, its capacity until it has scaled (weight units), and what
    /// triggers its scale-up.
    let hasStandby: [Bool]
    let standbyCapacity: [Int64]
    let scalesOnLoad: [Bool]
    let scalesOnFailover: [Bool]
    /// No region has a finite capacity.
    let unlimited: Bool
    /// Database each region's app writes to (`writes: local`).
    let dbEndpoint: [Int]
    let writesPrimary: Bool
    /// Write regions before and after the write failover (`writes: primary`).
    let writeRegions: (Int, Int)
    let mrsc: Bool
    let witness: Bool
    /// Share of requests that are writes.
    let writeShare: Double
    /// Load-balancer traffic by where it comes from: each active backend region's share (its
    /// load_share) enters the waterfall at that region, then the other backends in order.
    let lbGroups: [(share: Double, order: [Int])]

    init(_ c: Config, totalWeight: Int64) {
        regions = c.regions.count
        hasLoadBalancer = c.loadBalancer != nil
        lbBackends = c.loadBalancer?.backends ?? []
        lbFailOpen = c.loadBalancer?.failOpen ?? false
        let capacity = c.regions.map { r in
            guard let cap = r.capacityRPS else { return Int64.max }
            return Int64(min(9e18, (cap / c.traffic.requestsPerSecond * Double(totalWeight)).rounded()))
        }
        self.capacity = capacity
        unlimited = !capacity.contains { $0 != .max }
        hasStandby = c.regions.map { $0.standby != nil }
        standbyCapacity = c.regions.indices.map { r in
            c.regions[r].standby.map { Int64((Double(capacity[r]) * $0.initialCapacity).rounded()) } ?? capacity[r]
        }
        scalesOnLoad = c.regions.map { $0.standby?.trigger == .load }
        scalesOnFailover = c.regions.map { $0.standby?.trigger == .failover }
        dbEndpoint = c.regions.map(\.dbEndpoint)
        writesPrimary = c.database.writes == .primary
        writeRegions = Self.writeRegions(c)
        mrsc = c.database.mode == .mrsc
        witness = c.database.witness != nil
        writeShare = c.traffic.writeShare
        var groups: [(share: Double, order: [Int])] = []
        if let lb = c.loadBalancer {
            let near = lb.backends.filter { c.regions[$0].role == .active && c.regions[$0].loadShare > 0 }
            let total = near.reduce(0) { $0 + c.regions[$1].loadShare }
            for g in near { groups.append((c.regions[g].loadShare / total, [g] + lb.backends.filter { $0 != g })) }
            if groups.isEmpty { groups = [(1, lb.backends)] }
        }
        lbGroups = groups
    }

    /// `writes: primary`: the primary region's table, and the one writes are repointed to.
    static func writeRegions(_ c: Config) -> (Int, Int) {
        func region(_ t: Config.Target) -> Int? { if case let .region(i) = t { return i }; return nil }
        let first = region(c.dns.primary.target) ?? c.loadBalancer?.backends.first ?? 0
        let second = region(c.dns.secondary.target).flatMap { $0 == first ? nil : $0 }
            ?? c.loadBalancer?.backends.first(where: { $0 != first }) ?? (first == 0 ? 1 : 0)
        return (first, second)
    }
}

/// Per replication, what happened to routing and scaling beyond the DNS answers.
struct ServiceEvents {
    var lbInitialView: [Bool]
    var lbChanges: [(time: Int64, backend: Int, healthy: Bool)]
    /// Scale-up duration of each standby region in this replication [µs].
    var scaleUp: [Int64]
    /// First failover signal (DNS answer or load-balancer routing change) [µs].
    var detection: Int64?
    /// `writes: primary`: when the app's writes are repointed, in time order, to the secondary's table
    /// (true) or back to the primary's (false) [µs].
    var repoints: [(time: Int64, toSecondary: Bool)]
}

/// One failure of a region's database replica, and what the curve's build learns about the writes
/// that were not yet replicated when it failed (docs/model.md, "Replication").
struct WriteWatch {
    let region: Int
    /// When the replica fails [µs].
    let failAt: Int64
    /// When its unreplicated writes reach the other replicas: the replica is back and its replication
    /// runs [µs]; Int64.max if never.
    let arriveAt: Int64
    /// Start of the stall of the region's replication under way when it fails [µs], if any.
    let stallFrom: Int64?
    /// Traffic writing into the replica just before it fails, and just before the stall began
    /// [weight units].
    var rateAtFail: Int64 = 0
    var rateAtStall: Int64 = 0
    /// ∫ traffic writing into the replica dt over the stall before the failure [weight units · s].
    var stalledWeightSeconds: Double = 0
    /// Another region served traffic while the writes were missing from its replica.
    var seenElsewhere = false

    init(region: Int, failAt: Int64, arriveAt: Int64, stallFrom: Int64?) {
        self.region = region
        self.failAt = failAt
        self.arriveAt = arriveAt
        self.stallFrom = stallFrom
    }

    /// Whether the stall before the failure covers [t, next).
    func stalling(at t: Int64) -> Bool { stallFrom.map { $0 <= t && t < failAt } ?? false }
    /// Whether the writes are missing from the other replicas at t.
    func missing(at t: Int64) -> Bool { failAt <= t && t < arriveAt }
}

/// The state of a success-curve sweep at one moment: where traffic is addressed, what each region
/// can serve, and what the load balancer sees. Methods on a value, so that no closure captures
/// mutable state (which would cost a dynamic exclusivity check per access). The queries the sweep makes
/// from inside its buffer closures are `mutating` though they change nothing: a non-mutating call on a
/// captured variable copies the whole struct first (retaining every array in it), an inout one does not.
private struct Sweep {
    let plan: ServicePlan
    let faults: FaultTimeline
    /// Traffic addressed to each target (regions, then the load balancer's address); storage owned by
    /// the build, so a cohort's move costs no uniqueness check.
    let routed: UnsafeMutableBufferPointer<Int64>
    var load: [Int64]
    var cond: [FaultTimeline.Condition]
    var databaseDown: [Bool]
    var stalled: [Bool]
    var lbView: [Bool]
    /// `writes: primary`: whether writes go to the secondary's table now.
    var repointed = false
    /// When each standby region reaches full capacity [µs]; Int64.max = not yet.
    var scaled: [Int64]
    var R: Int { plan.regions }

    func capacityNow(_ r: Int, _ t: Int64) -> Int64 {
        plan.hasStandby[r] && t < scaled[r] ? plan.standbyCapacity[r] : plan.capacity[r]
    }

    /// Reads the regions' and databases' states at t [s].
    mutating func readConditions(at t: Double) {
        for r in 0..<R {
            cond[r] = faults.condition(r, at: t)
            databaseDown[r] = faults.databaseDown(r, at: t)
            stalled[r] = faults.stall(r, at: t) != nil
        }
    }

    /// Offered load per region at t: direct addresses, then the load balancer's waterfall, group by
    /// group (traffic near each active backend enters at that backend).
    mutating func computeLoad(_ t: Int64) {
        for r in 0..<R { load[r] = routed[r] }
        let lbTraffic = routed[R]
        guard lbTraffic > 0, plan.hasLoadBalancer else { return }
        let anyHealthy = plan.lbBackends.contains { lbView[$0] }
        if !anyHealthy && !plan.lbFailOpen { return }   // no backend to send it to: it fails
        var left = lbTraffic
        for (k, g) in plan.lbGroups.enumerated() {
            var traffic = k == plan.lbGroups.count - 1 ? left : Int64((Double(lbTraffic) * g.share).rounded())
            left -= traffic
            var first = -1
            for b in g.order where traffic > 0 && (!anyHealthy || lbView[b]) {
                if first < 0 { first = b }
                let take = min(traffic, max(0, capacityNow(b, t) &- load[b]))
                load[b] += take
                traffic -= take
            }
            if traffic > 0 && first >= 0 { load[first] += traffic }   // everyone full: the nearest overloads
        }
    }

    func writeRegion(_ r: Int) -> Int {
        guard plan.writesPrimary else { return plan.dbEndpoint[r] }
        return repointed ? plan.writeRegions.1 : plan.writeRegions.0
    }

    /// Whether a write into region d's table succeeds: the replica is up, and under MRSC it reaches a
    /// second replica (the witness never fails here; a stalled region reaches nobody).
    func writable(_ d: Int) -> Bool {
        if databaseDown[d] { return false }
        guard plan.mrsc else { return true }
        if stalled[d] { return false }
        if plan.witness { return true }
        for r in 0..<R where r != d && !databaseDown[r] { return true }
        return false
    }

    /// Traffic served by region r at t.
    func served(_ r: Int, _ t: Int64) -> Double { Double(min(load[r], capacityNow(r, t))) * cond[r].servedShare }

    /// Served and write-successful traffic at t, once the load is known.
    mutating func serve(_ t: Int64) -> (Int64, Int64) {
        var total = 0.0, written = 0.0
        for r in 0..<R {
            let x = served(r, t)
            total += x
            if writable(writeRegion(r)) { written += x }
        }
        return (Int64(total.rounded()), Int64(written.rounded()))
    }

    /// Whether each target (regions, then the load balancer) serves all or nothing of its traffic and
    /// whether its writes succeed, when moving traffic between targets changes the served weight by
    /// exactly the weight moved: no finite capacity, no load balancer, no partial failure. nil when a
    /// full recomputation is needed.
    mutating func simpleFactors() -> (serves: [Int64], writes: [Int64])? {
        guard !plan.hasLoadBalancer, plan.unlimited else { return nil }
        var serves = [Int64](repeating: 0, count: R + 1), writes = [Int64](repeating: 0, count: R + 1)
        for r in 0..<R {
            switch cond[r] {
            case .ok: serves[r] = 1
            case .unresponsive, .down: serves[r] = 0
            case .partial: return nil
            }
            writes[r] = serves[r] == 1 && writable(writeRegion(r)) ? 1 : 0
        }
        return (serves, writes)
    }

    /// Traffic whose writes land in region x's table at t.
    mutating func writesInto(_ x: Int, _ t: Int64) -> Int64 {
        var w = 0.0
        for r in 0..<R where writeRegion(r) == x { w += served(r, t) }
        return Int64(w.rounded())
    }

    /// Whether a region other than x serves any traffic at t.
    mutating func servedOutside(_ x: Int, _ t: Int64) -> Bool {
        for r in 0..<R where r != x && served(r, t) > 0 { return true }
        return false
    }
}

extension SuccessCurve {
    /// Builds the curve: the cohorts' moves between answers, the regions' conditions, the load
    /// balancer's routing, capacity and scaling, and the database wiring; and fills in what each of
    /// `watches` needs to know about the writes a failing replica held.
    ///
    /// - Parameters:
    ///   - initialTargets: each cohort's target (regions, then the load balancer) before any change.
    ///   - moves: every cohort's move to the answer of change j, in (change, cohort) order; sorted here
    ///     by time. A cohort follows the move of the latest change it has picked up.
    ///   - cohortChange, cohortTarget, scratch: reused storage.
    mutating func build(initialTargets: [Int16], moves: inout [ClientPopulation.Move], weights: [Int64], totalWeight total: Int64,
                        faults: FaultTimeline, plan: ServicePlan, events: ServiceEvents, watches: inout [WriteWatch], horizon h: Int64,
                        cohortChange: inout [Int16], cohortTarget: inout [Int16], scratch: inout [ClientPopulation.Move]) {
        horizon = h
        totalWeight = total
        start.removeAll(keepingCapacity: true)
        successWeight.removeAll(keepingCapacity: true)
        writeWeight.removeAll(keepingCapacity: true)
        let R = plan.regions
        let routed = UnsafeMutableBufferPointer<Int64>.allocate(capacity: R + 1)
        routed.initialize(repeating: 0)
        defer { routed.deallocate() }
        var sw = Sweep(plan: plan, faults: faults, routed: routed,
                       load: [Int64](repeating: 0, count: R), cond: [FaultTimeline.Condition](repeating: .ok, count: R),
                       databaseDown: [Bool](repeating: false, count: R), stalled: [Bool](repeating: false, count: R),
                       lbView: events.lbInitialView, scaled: [Int64](repeating: .max, count: R))
        sw.readConditions(at: -1e-6)
        for (c, t) in initialTargets.enumerated() { sw.routed[Int(t)] += weights[c] }
        cohortChange.removeAll(keepingCapacity: true)
        cohortChange.append(contentsOf: repeatElement(0, count: weights.count))
        cohortTarget.removeAll(keepingCapacity: true)
        cohortTarget.append(contentsOf: initialTargets)
        ClientPopulation.Move.sortByTime(&moves, scratch: &scratch, maxKey: h + 1)

        // Breakpoints other than moves: condition and database edges, routing changes, repointing.
        var edges: [Int64] = []
        for r in 0..<R {
            for t in faults.edges(region: r) + faults.databaseEdges(region: r) where t > 0 {
                let us = SimTime(seconds: t).microseconds
                if us <= h { edges.append(us) }
            }
        }
        for c in events.lbChanges where c.time <= h { edges.append(c.time) }
        for p in events.repoints where p.time <= h { edges.append(p.time) }
        edges.sort()

        var scaleDue: [Int64] = []
        for r in 0..<R where plan.scalesOnFailover[r] {
            if let d = events.detection { sw.scaled[r] = d &+ events.scaleUp[r]; scaleDue.append(sw.scaled[r]) }
        }
        var triggered = [Bool](repeating: false, count: R)
        let writeShare = plan.writeShare

        // Before the fault: normal loads, and the writes into each replica failing or stalling at 0.
        sw.computeLoad(-1)
        let normalLoad = sw.load
        for i in watches.indices {
            if watches[i].failAt <= 0 { watches[i].rateAtFail = sw.writesInto(watches[i].region, -1) }
            if let s = watches[i].stallFrom, s <= 0 { watches[i].rateAtStall = sw.writesInto(watches[i].region, -1) }
        }

        sw.readConditions(at: 0)
        sw.computeLoad(0)
        var (up, written) = sw.serve(0)
        /// The writes' part of the traffic fails where the database is not writable.
        func success(_ up: Int64, _ written: Int64) -> Int64 {
            up == written ? up : up - Int64((writeShare * Double(up - written)).rounded())
        }
        // Steps go into buffers sized for the most there can be: one per distinct time of a move, an
        // edge or a scale-up, plus the first.
        let capacity = moves.count + edges.count + scaleDue.count + R + 2
        let stepStart = UnsafeMutableBufferPointer<Int64>.allocate(capacity: capacity)
        let stepSuccess = UnsafeMutableBufferPointer<Int64>.allocate(capacity: capacity)
        let stepWritten = UnsafeMutableBufferPointer<Int64>.allocate(capacity: capacity)
        defer { stepStart.deallocate(); stepSuccess.deallocate(); stepWritten.deallocate() }
        (stepStart[0], stepSuccess[0], stepWritten[0]) = (0, success(up, written), written)
        var steps = 1

        var mi = 0, ei = 0, lbi = 0, pi = 0
        let n = moves.count
        // Per target: serves all (1) or nothing (0), and writes succeed (1) or not, while `simple`.
        var serves = [Int64](repeating: 0, count: R + 1), writes = [Int64](repeating: 0, count: R + 1)
        var simple = false
        if let f = sw.simpleFactors() { (serves, writes, simple) = (f.serves, f.writes, true) }
        // What the write watches learn from the state that holds from `last` on. Only watches that
        // still have something to learn cost anything: a stall under way, or delayed writes that
        // nobody has yet been seen missing.
        var stallRate = [Int64](repeating: 0, count: watches.count)
        var last: Int64 = 0
        func needsObserving(_ w: WriteWatch, _ t: Int64) -> Bool {
            w.stalling(at: t) || (!w.seenElsewhere && w.arriveAt != Int64.max && w.missing(at: t))
        }
        // Watches that can never need observing (a permanent failure with no stall before it) are
        // skipped without a look.
        let observable = watches.contains { $0.stallFrom != nil || $0.arriveAt != Int64.max }
        func observe(_ sw: inout Sweep, _ t: Int64, simple: Bool) {
            guard observable, watches.contains(where: { needsObserving($0, t) }) else { return }
            if simple { sw.computeLoad(t) }
            for i in watches.indices {
                if watches[i].stalling(at: t) { stallRate[i] = sw.writesInto(watches[i].region, t) }
                if !watches[i].seenElsewhere && watches[i].missing(at: t) { watches[i].seenElsewhere = sw.servedOutside(watches[i].region, t) }
            }
        }
        /// The failures and stall starts still to come, in time order: the state just before each is read.
        var marks = watches.flatMap { w in [w.failAt] + (w.stallFrom.map { [$0] } ?? []) }.filter { $0 > 0 }
        marks.sort()
        var nextMark = 0
        // Only watches with something to learn during the sweep cost anything per step; a permanent
        // failure at 0 learned all it needs from the state before the fault.
        let watching = observable || !marks.isEmpty
        if watching { observe(&sw, 0, simple: simple) }

        // The per-cohort arrays are reached through unsafe buffers: no uniqueness check per access.
        moves.withUnsafeBufferPointer { mv in
        weights.withUnsafeBufferPointer { wt in
        cohortChange.withUnsafeMutableBufferPointer { cc in
        cohortTarget.withUnsafeMutableBufferPointer { ct in
            while true {
                let tm = mi < n ? mv[mi].time : Int64.max
                let te = ei < edges.count ? edges[ei] : Int64.max
                var ts = Int64.max
                for d in scaleDue where d < ts { ts = d }
                let t = min(tm, te, ts)
                if t > h { break }
                if watching {
                    // The state that held over [last, t), then the moment just before t.
                    for i in watches.indices where watches[i].stalling(at: last) {
                        watches[i].stalledWeightSeconds += Double(stallRate[i]) * Double(t - last) / 1_000_000
                    }
                    if nextMark < marks.count && marks[nextMark] == t {
                        while nextMark < marks.count && marks[nextMark] == t { nextMark += 1 }
                        if simple { sw.computeLoad(t - 1) }
                        for i in watches.indices {
                            if watches[i].failAt == t { watches[i].rateAtFail = sw.writesInto(watches[i].region, t - 1) }
                            if watches[i].stallFrom == t { watches[i].rateAtStall = sw.writesInto(watches[i].region, t - 1) }
                        }
                    }
                }
                while mi < n && mv[mi].time == t {
                    let m = mv[mi]
                    let c = Int(m.cohort)
                    if m.change > cc[c] {
                        let from = Int(ct[c]), to = Int(m.target), w = wt[c]
                        sw.routed[from] -= w
                        sw.routed[to] += w
                        if simple {   // exact, in integers: the served weight moves with the cohort
                            up += w &* (serves[to] &- serves[from])
                            written += w &* (writes[to] &- writes[from])
                        }
                        cc[c] = m.change
                        ct[c] = m.target
                    }
                    mi += 1
                }
                if t == te || ts <= t { simple = false }
                if t == te {
                    while ei < edges.count && edges[ei] == t { ei += 1 }
                    sw.readConditions(at: Double(t) / 1_000_000)
                    while lbi < events.lbChanges.count && events.lbChanges[lbi].time <= t {
                        sw.lbView[events.lbChanges[lbi].backend] = events.lbChanges[lbi].healthy
                        lbi += 1
                    }
                    while pi < events.repoints.count && events.repoints[pi].time <= t {
                        sw.repointed = events.repoints[pi].toSecondary
                        pi += 1
                    }
                }
                if ts <= t { scaleDue.removeAll { $0 <= t } }
                if !simple {
                    sw.computeLoad(t)
                    // Standby regions triggered by load start scaling when they first get more than normal.
                    for r in 0..<R where !triggered[r] && plan.scalesOnLoad[r] && sw.load[r] > normalLoad[r] {
                        triggered[r] = true
                        sw.scaled[r] = t &+ events.scaleUp[r]
                        scaleDue.append(sw.scaled[r])
                        sw.computeLoad(t)
                    }
                    (up, written) = sw.serve(t)
                    if let f = sw.simpleFactors() { (serves, writes, simple) = (f.serves, f.writes, true) }
                }
                if watching {
                    observe(&sw, t, simple: simple)
                    last = t
                }
                // Record the step; collapse it into the last one when nothing changed.
                let ok = success(up, written)
                let k = steps - 1
                if ok != stepSuccess[k] || written != stepWritten[k] {
                    if stepStart[k] == t {
                        stepSuccess[k] = ok
                        stepWritten[k] = written
                        if k >= 1 && stepSuccess[k - 1] == ok && stepWritten[k - 1] == written { steps -= 1 }
                    } else {
                        (stepStart[steps], stepSuccess[steps], stepWritten[steps]) = (t, ok, written)
                        steps += 1
                    }
                }
            }
        }
        }
        }
        }
        start.append(contentsOf: UnsafeBufferPointer(rebasing: stepStart[..<steps]))
        successWeight.append(contentsOf: UnsafeBufferPointer(rebasing: stepSuccess[..<steps]))
        writeWeight.append(contentsOf: UnsafeBufferPointer(rebasing: stepWritten[..<steps]))
        if watching {   // a stall still under way at the horizon
            for i in watches.indices where watches[i].stalling(at: last) {
                watches[i].stalledWeightSeconds += Double(stallRate[i]) * Double(min(h, watches[i].failAt) - last) / 1_000_000
            }
        }
    }
}
