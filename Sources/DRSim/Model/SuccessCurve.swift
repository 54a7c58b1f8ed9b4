/// The success fraction s(t) of one replication (MODEL.md section 3): the traffic-weighted share of
/// requests whose address leads to a region that is up. A step function, exact in integer time:
/// s = `upWeight[k]` / `totalWeight` from `start[k]` until `start[k + 1]` (the last step until the
/// horizon), times in microseconds.
public struct SuccessCurve: Sendable, Equatable {
    /// Start of each step [µs]; `start[0]` is 0.
    public internal(set) var start: [Int64] = []
    /// Traffic served during each step, in units of `totalWeight`.
    public internal(set) var upWeight: [Int64] = []
    /// Traffic whose writes succeed during each step (served, and its database writable).
    public internal(set) var writeWeight: [Int64] = []
    public internal(set) var totalWeight: Int64 = 1
    /// [µs]
    public internal(set) var horizon: Int64 = 0

    public init() {}

    /// s during step k.
    @inlinable public func value(step k: Int) -> Double { Double(upWeight[k]) / Double(totalWeight) }
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

    /// The first time [s] s(t) ≥ x; nil if never before the horizon.
    public func firstReach(_ x: Double) -> Double? {
        for k in upWeight.indices where value(step: k) >= x { return seconds(start[k]) }
        return nil
    }

    /// The first time [s] from which s(t) ≥ `target` holds for `window` seconds (or until the horizon);
    /// nil if never (censored). With `writes`, the same for the share of writes that succeed.
    public func recoveryTime(target: Double, window: Double, writes: Bool = false) -> Double? {
        let w = SimTime(seconds: window).microseconds
        var goodSince: Int64?
        for k in upWeight.indices {
            if (writes ? writeValue(step: k) : value(step: k)) >= target {
                let since = goodSince ?? start[k]
                goodSince = since
                if end(k) - since >= w || end(k) >= horizon { return seconds(since) }
            } else {
                goodSince = nil
            }
        }
        return nil
    }

    /// ∫₀ᴴ (1 − s(t)) dt [s]: seconds' worth of all traffic that failed.
    public func failedTrafficSeconds() -> Double {
        var down: Double = 0   // Σ (total − up)·duration, in weight·µs
        for k in upWeight.indices { down += Double(totalWeight - upWeight[k]) * Double(end(k) - start[k]) }
        return down / Double(totalWeight) / 1_000_000
    }

    @inlinable func seconds(_ us: Int64) -> Double { Double(us) / 1_000_000 }
}

import DRSimKernel

/// What the success curve needs beyond the cohorts' moves: where traffic can go and what serves it.
struct ServicePlan {
    /// Regions, then the load balancer's address (index `regions`).
    let regions: Int
    let loadBalancer: Config.LoadBalancer?
    /// Full capacity of each region in traffic-weight units; Int64.max when unlimited.
    let capacity: [Int64]
    let standby: [Config.Region.Standby?]
    /// Database each region's app writes to (`writes: local`).
    let dbEndpoint: [Int]
    let writesPrimary: Bool
    /// Write regions before and after the write failover (`writes: primary`).
    let writeRegions: (Int, Int)
    let mrsc: Bool
    let witness: Bool
    /// Load-balancer traffic by where it comes from: each active backend region's share (its
    /// load_share) enters the waterfall at that region, then the other backends in order.
    let lbGroups: [(share: Double, order: [Int])]

    init(_ c: Config, totalWeight: Int64) {
        regions = c.regions.count
        loadBalancer = c.loadBalancer
        capacity = c.regions.map { r in
            guard let cap = r.capacityRPS else { return Int64.max }
            return Int64(min(9e18, (cap / c.traffic.requestsPerSecond * Double(totalWeight)).rounded()))
        }
        standby = c.regions.map(\.standby)
        dbEndpoint = c.regions.map(\.dbEndpoint)
        writesPrimary = c.database.writes == .primary
        func region(_ t: Config.Target) -> Int? { if case let .region(i) = t { return i }; return nil }
        let first = region(c.dns.primary.target) ?? c.loadBalancer?.backends.first ?? 0
        let second = region(c.dns.secondary.target).flatMap { $0 == first ? nil : $0 }
            ?? c.loadBalancer?.backends.first(where: { $0 != first }) ?? (first == 0 ? 1 : 0)
        writeRegions = (first, second)
        mrsc = c.database.mode == .mrsc
        witness = c.database.witness != nil
        var groups: [(share: Double, order: [Int])] = []
        if let lb = c.loadBalancer {
            let near = lb.backends.filter { c.regions[$0].role == .active && c.regions[$0].loadShare > 0 }
            let total = near.reduce(0) { $0 + c.regions[$1].loadShare }
            for g in near { groups.append((c.regions[g].loadShare / total, [g] + lb.backends.filter { $0 != g })) }
            if groups.isEmpty { groups = [(1, lb.backends)] }
        }
        lbGroups = groups
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
    /// When the app's writes are repointed to the next region [µs] (`writes: primary`).
    var writeFailover: Int64?
    /// Region outages whose in-flight writes are lost: start [µs] and region.
    var outages: [(time: Int64, region: Int)]
}

/// The state of a success-curve sweep at one moment: where traffic is addressed, what each region
/// can serve, and what the load balancer sees. Methods on a value, so that no closure captures
/// mutable state (which would cost a dynamic exclusivity check per access).
private struct Sweep {
    let plan: ServicePlan
    let events: ServiceEvents
    let faults: FaultTimeline
    var routed: [Int64]
    var load: [Int64]
    var cond: [FaultTimeline.Condition]
    var lbView: [Bool]
    /// When each standby region reaches full capacity [µs]; Int64.max = not yet.
    var scaled: [Int64]
    var R: Int { plan.regions }

    func capacityNow(_ r: Int, _ t: Int64) -> Int64 {
        guard let sb = plan.standby[r], t < scaled[r] else { return plan.capacity[r] }
        return Int64(Double(plan.capacity[r]) * sb.initialCapacity)
    }

    /// Offered load per region at t: direct addresses, then the load balancer's waterfall, group by
    /// group (traffic near each active backend enters at that backend).
    mutating func computeLoad(_ t: Int64) {
        for r in 0..<R { load[r] = routed[r] }
        let lbTraffic = routed[R]
        guard lbTraffic > 0, let lb = plan.loadBalancer else { return }
        let anyHealthy = lb.backends.contains { lbView[$0] }
        if !anyHealthy && !lb.failOpen { return }   // no backend to send it to: it fails
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

    func writeRegion(_ r: Int, _ t: Int64) -> Int {
        guard plan.writesPrimary else { return plan.dbEndpoint[r] }
        if let w = events.writeFailover, t >= w { return plan.writeRegions.1 }
        return plan.writeRegions.0
    }

    func writable(_ d: Int) -> Bool {
        if cond[d].isDown { return false }
        guard plan.mrsc else { return true }
        // MRSC: a write needs a second replica (or the witness, which never fails here).
        if plan.witness { return true }
        for r in 0..<R where r != d && !cond[r].isDown { return true }
        return false
    }

    /// Served and write-successful traffic at t, once the load is known.
    func serve(_ t: Int64) -> (Int64, Int64) {
        var served = 0.0, written = 0.0
        for r in 0..<R {
            let x = Double(min(load[r], capacityNow(r, t))) * cond[r].servedShare
            served += x
            if writable(writeRegion(r, t)) { written += x }
        }
        return (Int64(served.rounded()), Int64(written.rounded()))
    }

    /// Whether each target (regions, then the load balancer) serves all or nothing of its traffic and
    /// whether its writes succeed, when moving traffic between targets changes the served weight by
    /// exactly the weight moved: no finite capacity, no load balancer, no partial failure. nil when a
    /// full recomputation is needed.
    func simpleFactors(_ t: Int64) -> (serves: [Int64], writes: [Int64])? {
        guard plan.loadBalancer == nil, !plan.capacity.contains(where: { $0 != .max }) else { return nil }
        var serves = [Int64](repeating: 0, count: R + 1), writes = [Int64](repeating: 0, count: R + 1)
        for r in 0..<R {
            switch cond[r] {
            case .ok: serves[r] = 1
            case .unresponsive, .down: serves[r] = 0
            case .partial: return nil
            }
            writes[r] = serves[r] == 1 && writable(writeRegion(r, t)) ? 1 : 0
        }
        return (serves, writes)
    }

    /// Traffic whose writes land in region x's table at t.
    func writesInto(_ x: Int, _ t: Int64) -> Int64 {
        var w = 0.0
        for r in 0..<R where writeRegion(r, t) == x {
            w += Double(min(load[r], capacityNow(r, t))) * cond[r].servedShare
        }
        return Int64(w.rounded())
    }
}

extension SuccessCurve {
    /// Builds the curve: the cohorts' moves between answers, the regions' conditions, the load
    /// balancer's routing, capacity and scaling, and the database wiring. Returns, for each outage
    /// in `events.outages`, the traffic (weight units) whose writes landed in the failing region's
    /// table just before it failed.
    ///
    /// - Parameters:
    ///   - initialTargets: each cohort's target (regions, then the load balancer) before any change.
    ///   - moves: every cohort's move to the answer of change j, in (change, cohort) order; sorted here
    ///     by time. A cohort follows the move of the latest change it has picked up.
    ///   - cohortChange, cohortTarget, scratch: reused storage.
    mutating func build(initialTargets: [Int16], moves: inout [ClientPopulation.Move], weights: [Int64], totalWeight total: Int64,
                        faults: FaultTimeline, plan: ServicePlan, events: ServiceEvents, horizon h: Int64,
                        cohortChange: inout [Int16], cohortTarget: inout [Int16], scratch: inout [ClientPopulation.Move]) -> [Int64] {
        horizon = h
        totalWeight = total
        start.removeAll(keepingCapacity: true)
        upWeight.removeAll(keepingCapacity: true)
        writeWeight.removeAll(keepingCapacity: true)
        let R = plan.regions
        var sw = Sweep(plan: plan, events: events, faults: faults, routed: [Int64](repeating: 0, count: R + 1),
                       load: [Int64](repeating: 0, count: R), cond: (0..<R).map { faults.condition($0, at: -1e-6) },
                       lbView: events.lbInitialView, scaled: [Int64](repeating: .max, count: R))
        for (c, t) in initialTargets.enumerated() { sw.routed[Int(t)] += weights[c] }
        cohortChange.removeAll(keepingCapacity: true)
        cohortChange.append(contentsOf: repeatElement(0, count: weights.count))
        cohortTarget.removeAll(keepingCapacity: true)
        cohortTarget.append(contentsOf: initialTargets)
        ClientPopulation.Move.sortByTime(&moves, scratch: &scratch, maxKey: h + 1)

        // Breakpoints other than moves: condition edges, routing changes, write failover, outages.
        var edges: [Int64] = []
        for r in 0..<R {
            for t in faults.edges(region: r) where t > 0 {
                let us = SimTime(seconds: t).microseconds
                if us <= h { edges.append(us) }
            }
        }
        for c in events.lbChanges where c.time <= h { edges.append(c.time) }
        if let w = events.writeFailover, w <= h { edges.append(w) }
        for (t, _) in events.outages where t > 0 && t <= h { edges.append(t) }
        edges.sort()

        var scaleDue: [Int64] = []
        for r in 0..<R where plan.standby[r]?.trigger == .failover {
            if let d = events.detection { sw.scaled[r] = d &+ events.scaleUp[r]; scaleDue.append(sw.scaled[r]) }
        }
        var triggered = [Bool](repeating: false, count: R)

        // Before the fault: normal loads and the writes into each region.
        sw.computeLoad(-1)
        let normalLoad = sw.load
        var lostInto = [Int64](repeating: 0, count: events.outages.count)
        for (i, o) in events.outages.enumerated() where o.time <= 0 { lostInto[i] = sw.writesInto(o.region, -1) }

        for r in 0..<R { sw.cond[r] = faults.condition(r, at: 0) }
        sw.computeLoad(0)
        var (up, written) = sw.serve(0)
        start.append(0)
        upWeight.append(up)
        writeWeight.append(written)

        var mi = 0, ei = 0, lbi = 0
        let n = moves.count
        let hasOutagesLater = events.outages.contains { $0.time > 0 }
        // Per target: serves all (1) or nothing (0), and writes succeed (1) or not, while `simple`.
        var serves = [Int64](repeating: 0, count: R + 1), writes = [Int64](repeating: 0, count: R + 1)
        var simple = false
        if let f = sw.simpleFactors(0) { (serves, writes, simple) = (f.serves, f.writes, true) }
        // The steps are built in local arrays (swapped in and out, keeping their storage) and the
        // per-cohort arrays are reached through unsafe buffers: no uniqueness check per access.
        var stepStart: [Int64] = [], stepUp: [Int64] = [], stepWritten: [Int64] = []
        swap(&stepStart, &start); swap(&stepUp, &upWeight); swap(&stepWritten, &writeWeight)
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
                // Writes in flight into a region that fails now: the state just before t.
                if hasOutagesLater {
                    for (i, o) in events.outages.enumerated() where o.time == t && t > 0 { lostInto[i] = sw.writesInto(o.region, t - 1) }
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
                    let secs = Double(t) / 1_000_000
                    for r in 0..<R { sw.cond[r] = faults.condition(r, at: secs) }
                    while lbi < events.lbChanges.count && events.lbChanges[lbi].time <= t {
                        sw.lbView[events.lbChanges[lbi].backend] = events.lbChanges[lbi].healthy
                        lbi += 1
                    }
                }
                if ts <= t { scaleDue.removeAll { $0 <= t } }
                if !simple {
                    sw.computeLoad(t)
                    // Standby regions triggered by load start scaling when they first get more than normal.
                    for r in 0..<R where !triggered[r] && plan.standby[r]?.trigger == .load && sw.load[r] > normalLoad[r] {
                        triggered[r] = true
                        sw.scaled[r] = t &+ events.scaleUp[r]
                        scaleDue.append(sw.scaled[r])
                        sw.computeLoad(t)
                    }
                    (up, written) = sw.serve(t)
                    if let f = sw.simpleFactors(t) { (serves, writes, simple) = (f.serves, f.writes, true) }
                }
                // Record the step; collapse it into the last one when nothing changed.
                let k = stepUp.count - 1
                if up != stepUp[k] || written != stepWritten[k] {
                    if stepStart[k] == t {
                        stepUp[k] = up
                        stepWritten[k] = written
                        if k >= 1 && stepUp[k - 1] == up && stepWritten[k - 1] == written {
                            stepStart.removeLast(); stepUp.removeLast(); stepWritten.removeLast()
                        }
                    } else {
                        stepStart.append(t)
                        stepUp.append(up)
                        stepWritten.append(written)
                    }
                }
            }
        }
        }
        }
        }
        swap(&stepStart, &start); swap(&stepUp, &upWeight); swap(&stepWritten, &writeWeight)
        return lostInto
    }
}
