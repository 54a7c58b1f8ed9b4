/// What the success curve needs beyond the cohorts' moves: where traffic can go and what serves it.
struct ServicePlan {
    /// Regions, then the load balancer's address (index `regions`).
    let regions: Int
    /// The load balancer's backends (nearest first) and whether it fails open; plain values, so that
    /// the build never copies a config struct (each copy retains its arrays).
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
    /// All traffic [weight units], and the clients' retries (docs/model.md, "Retries").
    let totalWeight: Int64
    let retries: Retries

    init(_ c: Config, totalWeight: Int64) {
        regions = c.regions.count
        self.totalWeight = totalWeight
        retries = Retries(attempts: c.traffic.retries.maxAttempts)
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
        func region(_ t: Config.Target) -> Int? {
            if case .region(let i) = t { return i }
            return nil
        }
        let first = region(c.dns.primary.target) ?? c.loadBalancer?.backends.first ?? 0
        let second =
            region(c.dns.secondary.target).flatMap { $0 == first ? nil : $0 }
            ?? c.loadBalancer?.backends.first(where: { $0 != first }) ?? (first == 0 ? 1 : 0)
        return (first, second)
    }
}

/// Per replication, what happened to the service beyond the DNS answers: the faults, the load
/// balancer's routing, scaling and the repointing of the writes.
struct ServiceEvents {
    var faults: FaultTimeline
    var lbInitialView: [Bool]
    var lbChanges: [RoutingChange]
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

/// The state of the service at one moment of a curve's build: where traffic is addressed, what each
/// region can serve, and what the load balancer sees. Plain values (the plan's arrays, no config
/// structs), so that nothing is retained or copied per step.
struct ServiceState {
    let plan: ServicePlan
    let faults: FaultTimeline
    /// Traffic addressed to each target (regions, then the load balancer's address); storage owned by
    /// the curve builder, so a cohort's move costs no uniqueness check.
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
        if !anyHealthy && !plan.lbFailOpen { return }  // no backend to send it to: it fails
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
            if traffic > 0 && first >= 0 { load[first] += traffic }  // everyone full: the nearest overloads
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

    /// Requests served by region r at t, retries included: min(load, capacity) × the share its
    /// condition lets through without retries, else load × 1 − (1 − p)^A at the attempts' fixed point.
    func served(_ r: Int, _ t: Int64) -> Double {
        guard plan.retries.attempts > 1 else { return Double(min(load[r], capacityNow(r, t))) * cond[r].servedShare }
        let p = attemptSuccess(r, t)
        return Double(load[r]) * plan.retries.requestSuccess(p)
    }

    /// Each attempt's chance of success at region r at t (`Retries`).
    @inline(__always) func attemptSuccess(_ r: Int, _ t: Int64) -> Double {
        plan.retries.attemptSuccess(
            load: Double(load[r]), capacity: Double(capacityNow(r, t)), pass: cond[r].servedShare)
    }

    /// Failed attempts at t [weight units of requests]: at each region its attempts less its requests
    /// served, load × (g(p) − (1 − (1 − p)^A)); every attempt of a served write whose table is not
    /// writable, and of traffic that reaches no region (a load balancer with no backend to send it to),
    /// A per request (docs/model.md, "Retries").
    func failedAttempts(_ t: Int64) -> Double {
        let a = Double(plan.retries.attempts)
        var failed = 0.0
        var reached: Int64 = 0
        for r in 0..<R {
            reached += load[r]
            let p = attemptSuccess(r, t)
            let served = Double(load[r]) * plan.retries.requestSuccess(p)
            failed += Double(load[r]) * plan.retries.attemptsPerRequest(p) - served
            if !writable(writeRegion(r)) { failed += a * plan.writeShare * served }
        }
        return failed + a * Double(max(0, plan.totalWeight - reached))
    }

    /// Served and write-successful traffic at t, once the load is known.
    func serve(_ t: Int64) -> (Int64, Int64) {
        var total = 0.0
        var written = 0.0
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
    func simpleFactors() -> (serves: [Int64], writes: [Int64])? {
        guard !plan.hasLoadBalancer, plan.unlimited else { return nil }
        var serves = [Int64](repeating: 0, count: R + 1)
        var writes = [Int64](repeating: 0, count: R + 1)
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
    func writesInto(_ x: Int, _ t: Int64) -> Int64 {
        var w = 0.0
        for r in 0..<R where writeRegion(r) == x { w += served(r, t) }
        return Int64(w.rounded())
    }

    /// Whether a region other than x serves any traffic at t.
    func servedOutside(_ x: Int, _ t: Int64) -> Bool {
        for r in 0..<R where r != x && served(r, t) > 0 { return true }
        return false
    }
}
