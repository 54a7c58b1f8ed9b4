import DRSimKernel

/// Storage reused from one replication to the next: it grows when asked for more, never shrinks, and
/// is freed with its owner. The one place where the curve's build reads and writes memory without
/// bounds checks or uniqueness checks (as swift-collections' `Heap` keeps its unsafe access in one
/// handle type); callers index it only below the count they reserved.
struct ScratchBuffer<Element: BitwiseCopyable>: ~Copyable {
    private(set) var base: UnsafeMutablePointer<Element>
    private(set) var capacity = 0

    init() { base = .allocate(capacity: 1) }

    deinit { base.deallocate() }

    /// Room for `n` elements; when it has to grow, the first `kept` elements are kept and the rest lost.
    mutating func reserve(_ n: Int, keeping kept: Int = 0) {
        guard n > capacity else { return }
        let old = base
        capacity = max(n, 2 * capacity)
        base = .allocate(capacity: capacity)
        if kept > 0 { base.initialize(from: old, count: kept) }
        old.deallocate()
    }

    /// Gives the memory back; the next `reserve` allocates again.
    mutating func release() {
        base.deallocate()
        base = .allocate(capacity: 1)
        capacity = 0
    }

    /// Room for `n` elements, all `value`.
    mutating func fill(_ value: Element, count n: Int) {
        reserve(n)
        base.initialize(repeating: value, count: n)
    }

    subscript(i: Int) -> Element {
        @inline(__always) get { base[i] }
        @inline(__always) nonmutating set { base[i] = newValue }
    }
}

/// The cohorts' moves of one replication, in the order generated; for each, when its resolver and its
/// client's own cache let go of the old answer (for the RTO's stages); and each cohort's latest target
/// as they are generated.
struct MoveList: ~Copyable {
    private(set) var buffer = ScratchBuffer<ClientPopulation.Move>()
    private(set) var count = 0
    /// Index (change − 1) · cohorts + cohort: when the resolver's cache, and then the client's, let go
    /// of the answer before that change [s].
    private var resolverLetGo = ScratchBuffer<Double>()
    private var clientLetGo = ScratchBuffer<Double>()
    private var changes = 0
    /// Each cohort's target after the moves generated so far (regions, then the load balancer).
    private var latest = ScratchBuffer<Int16>()

    /// Empties the list for a replication whose cohorts start at `targets`.
    mutating func start(from targets: [Int16]) {
        count = 0
        changes = 0
        latest.reserve(targets.count)
        for (c, t) in targets.enumerated() { latest[c] = t }
    }

    /// Empties the list and gives its memory back.
    mutating func release() {
        count = 0
        changes = 0
        buffer.release()
        resolverLetGo.release()
        clientLetGo.release()
        latest.release()
    }

    /// Cohort `c`'s target after the moves generated so far.
    @inline(__always) func latestTarget(_ c: Int) -> Int16 { latest[c] }

    /// Room for the moves of one more answer change among `cohorts` cohorts.
    mutating func reserve(cohorts: Int) {
        buffer.reserve(count + cohorts, keeping: count)
        resolverLetGo.reserve((changes + 1) * cohorts, keeping: changes * cohorts)
        clientLetGo.reserve((changes + 1) * cohorts, keeping: changes * cohorts)
        changes += 1
    }

    @inline(__always) func recordLetGo(change: Int, cohort: Int, cohorts: Int, resolver: Double, client: Double) {
        resolverLetGo[(change - 1) &* cohorts &+ cohort] = resolver
        clientLetGo[(change - 1) &* cohorts &+ cohort] = client
    }

    /// When the caches of a cohort that moved at answer change `change` let go of the old answer [s].
    func letGo(change: Int, cohort: Int, cohorts: Int) -> (resolver: Double, client: Double) {
        (resolverLetGo[(change - 1) * cohorts + cohort], clientLetGo[(change - 1) * cohorts + cohort])
    }

    /// Appends a move, which becomes its cohort's latest; `reserve(cohorts:)` must have made room for it.
    @inline(__always) mutating func append(_ m: ClientPopulation.Move) {
        buffer[count] = m
        count += 1
        latest[Int(m.cohort)] = m.target
    }

    var moves: UnsafeBufferPointer<ClientPopulation.Move> { UnsafeBufferPointer(start: buffer.base, count: count) }
}

/// Builds a replication's success curve from the cohorts' moves and the service's events
/// (docs/model.md, "Traffic" and "How drsim computes it"). One per worker, owned by its
/// `IncidentSimulator`: it holds the plan and every buffer the build needs, so building a curve takes
/// the incident's data only and allocates almost nothing.
struct CurveBuilder: ~Copyable {
    let plan: ServicePlan
    /// The traffic the curves count: all of it, or what `weigh` left in.
    private(set) var totalWeight: Int64
    let cohorts: Int
    /// Each cohort's traffic weight in the builds.
    private var weight = ScratchBuffer<Int64>()
    /// The moves sorted by time, and the radix sort's other buffer.
    private var sorted = ScratchBuffer<ClientPopulation.Move>()
    private var sortScratch = ScratchBuffer<ClientPopulation.Move>()
    /// Each cohort's latest answer change followed, and its target (regions, then the load balancer).
    private var cohortChange = ScratchBuffer<Int16>()
    private var cohortTarget = ScratchBuffer<Int16>()
    /// Traffic addressed to each target.
    private var routed = ScratchBuffer<Int64>()
    /// The steps: start [µs], success weight, write weight, failed attempts' weight.
    private var stepStart = ScratchBuffer<Int64>()
    private var stepSuccess = ScratchBuffer<Int64>()
    private var stepWritten = ScratchBuffer<Int64>()
    private var stepFailedAttempts = ScratchBuffer<Int64>()
    /// Of the last build: how many moves were sorted, and per region when its standby reached full
    /// capacity and what set its scale-up going (the failover signal, or the moment its load first
    /// rose) [µs]; Int64.max if it did not.
    private(set) var sortedCount = 0
    private(set) var scaledAt: [Int64] = []
    private(set) var scaleTriggeredAt: [Int64] = []

    /// Gives back the buffers that grow with the moves (the sort's and the steps'); the next build
    /// allocates them again.
    mutating func releaseMoveBuffers() {
        sorted.release()
        sortScratch.release()
        stepStart.release()
        stepSuccess.release()
        stepWritten.release()
        stepFailedAttempts.release()
    }

    init(plan: ServicePlan, weights: [Int64], totalWeight: Int64) {
        self.plan = plan
        self.totalWeight = totalWeight
        cohorts = weights.count
        weight.reserve(weights.count)
        for (c, w) in weights.enumerated() { weight[c] = w }
        cohortChange.reserve(cohorts)
        cohortTarget.reserve(cohorts)
        routed.reserve(plan.regions + 1)
    }

    /// Weighs the cohorts `weights` (in the plan's units; 0 leaves a cohort out) in the builds that
    /// follow, out of `total`. The plan's capacities stay as they are: traffic left out is traffic that
    /// is not offered.
    mutating func weigh(_ weights: [Int64], total: Int64) {
        for c in 0..<cohorts { weight[c] = weights[c] }
        totalWeight = total
    }

    /// Sorts `moves` by time for the builds that follow (`build`): every cohort's move to the answer
    /// of change j, in (change, cohort) order. A cohort follows the move of the latest change it has
    /// picked up.
    mutating func sort(_ moves: borrowing MoveList, horizon h: Int64) {
        let n = moves.count
        sorted.reserve(n)
        sortScratch.reserve(n)
        ClientPopulation.Move.sortByTime(moves.moves, into: sorted.base, scratch: sortScratch.base, maxKey: h + 1)
        sortedCount = n
    }

    /// Builds `curve` from the moves `sort` sorted: the cohorts' moves between answers, the regions'
    /// conditions (`events.faults`), the load balancer's routing, capacity and scaling, and the
    /// database wiring; and fills in what each of `writes`' watches needs to know about the writes a
    /// failing replica held, and its conflict log.
    ///
    /// - Parameters:
    ///   - initialTargets: each cohort's target before any change.
    mutating func build(
        _ curve: inout SuccessCurve, initialTargets: [Int16], events: ServiceEvents, writes: inout WriteAccounting,
        horizon h: Int64
    ) {
        let R = plan.regions
        for c in 0..<cohorts {
            cohortChange[c] = 0
            cohortTarget[c] = initialTargets[c]
        }
        for x in 0...R { routed[x] = 0 }
        for c in 0..<cohorts { routed[Int(initialTargets[c])] += weight[c] }
        let n = sortedCount
        let breakpoints = Breakpoints(moves: sorted.base, count: n, events: events, regions: R, horizon: h)
        // Steps: at most one per distinct time of a move, an edge or a scale-up, plus the first.
        let most = n + breakpoints.edges.count + 2 * R + 2
        stepStart.reserve(most)
        stepSuccess.reserve(most)
        stepWritten.reserve(most)
        stepFailedAttempts.reserve(most)

        var pass = Pass(
            plan: plan, routed: UnsafeMutableBufferPointer(start: routed.base, count: R + 1), breakpoints,
            Cohorts(weight: weight.base, change: cohortChange.base, target: cohortTarget.base),
            Steps(
                start: stepStart.base, success: stepSuccess.base, written: stepWritten.base,
                failedAttempts: stepFailedAttempts.base))
        swap(&pass.watch.watches, &writes.watches)
        swap(&pass.watch.conflicts, &writes.conflictLog)
        pass.run()
        swap(&pass.watch.watches, &writes.watches)
        swap(&pass.watch.conflicts, &writes.conflictLog)
        scaledAt = pass.sw.scaled
        scaleTriggeredAt = pass.scaling.triggeredAt
        let steps = pass.steps.count
        curve.set(
            start: UnsafeBufferPointer(start: stepStart.base, count: steps),
            success: UnsafeBufferPointer(start: stepSuccess.base, count: steps),
            written: UnsafeBufferPointer(start: stepWritten.base, count: steps),
            failedAttempts: UnsafeBufferPointer(start: stepFailedAttempts.base, count: steps),
            totalWeight: totalWeight, horizon: h)
    }
}

extension CurveBuilder {
    /// The last move at `t` [µs] of the last build, if any: the one that set the curve's value there.
    func lastMove(at t: Int64) -> ClientPopulation.Move? {
        var lo = 0
        var hi = sortedCount  // the first move later than t
        while lo < hi {
            let mid = (lo + hi) / 2
            if sorted[mid].time <= t { lo = mid + 1 } else { hi = mid }
        }
        return lo > 0 && sorted[lo - 1].time == t ? sorted[lo - 1] : nil
    }
}

extension SuccessCurve {
    /// Replaces the steps, keeping the arrays' storage.
    mutating func set(
        start s: UnsafeBufferPointer<Int64>, success: UnsafeBufferPointer<Int64>, written: UnsafeBufferPointer<Int64>,
        failedAttempts: UnsafeBufferPointer<Int64>, totalWeight total: Int64, horizon h: Int64
    ) {
        horizon = h
        totalWeight = total
        Self.copy(s, into: &start)
        Self.copy(success, into: &successWeight)
        Self.copy(written, into: &writeWeight)
        Self.copy(failedAttempts, into: &failedAttemptWeight)
    }

    private static func copy(_ source: UnsafeBufferPointer<Int64>, into a: inout [Int64]) {
        guard source.count > 0 else { return a.removeAll(keepingCapacity: true) }
        if a.count != source.count {
            a.removeAll(keepingCapacity: true)
            a.append(contentsOf: repeatElement(0, count: source.count))
        }
        a.withUnsafeMutableBufferPointer { $0.baseAddress!.update(from: source.baseAddress!, count: source.count) }
    }
}

/// What the write watches learn while the curve is built: the traffic writing into a replica just
/// before it fails or its replication stalls, the writes of a stall, and whether another region served
/// while a replica's writes were missing; and what the conflict log needs.
private struct WatchLog {
    var watches: [WriteWatch] = []
    var conflicts = ConflictLog(regions: 0)
    /// Traffic writing into each watch's replica during its stall, as of the last breakpoint.
    var stallRate: [Int64] = []
    /// The failures and stall starts still to come, in time order: the state just before each is read.
    var marks: [Int64] = []
    var nextMark = 0
    /// The last breakpoint seen [µs].
    var last: Int64 = 0
    /// Some watch can still learn something while the curve is built (a permanent failure at 0 with no
    /// stall learned all it needs from the state before the fault).
    var active = false
    /// Some watch may ever need observing after a breakpoint: a stall, or a failure that ends.
    var observable = false
    /// Some watch learns from the state at breakpoints.
    var watching = false
    /// Every breakpoint must be seen one by one: a watch learns, or writes into two tables may conflict.
    var seesEveryBreakpoint: Bool { watching || (conflicts.active && !conflicts.idle) }

    mutating func start(_ plan: ServicePlan) {
        stallRate = [Int64](repeating: 0, count: watches.count)
        marks = watches.flatMap { w in [w.failAt] + (w.stallFrom.map { [$0] } ?? []) }.filter { $0 > 0 }
        marks.sort()
        observable = watches.contains { $0.stallFrom != nil || $0.arriveAt != Int64.max }
        conflicts.start(counting: plan.countsConflicts, plan: plan, watches: watches)
        watching = observable || !marks.isEmpty
        active = watching || conflicts.active
    }

    /// Whether watch w has something to learn from the state that holds from t on: its stall is under
    /// way, or its delayed writes are missing and nobody has yet been seen serving meanwhile.
    func needsObserving(_ w: WriteWatch, _ t: Int64) -> Bool {
        w.stalling(at: t) || (!w.seenElsewhere && w.arriveAt != Int64.max && w.missing(at: t))
    }

    /// Learns from the state from t on; `simple` says the load has not been computed for it.
    mutating func observe(_ sw: inout ServiceState, _ t: Int64, simple: Bool) {
        let learning = observable && watches.contains(where: { needsObserving($0, t) })
        guard learning || conflicts.active else { return }
        if simple { sw.computeLoad(t) }
        if conflicts.active { conflicts.read(sw, t) }
        guard learning else { return }
        for i in watches.indices {
            if watches[i].stalling(at: t) { stallRate[i] = sw.writesKept(watches[i].region, t) }
            if !watches[i].seenElsewhere && watches[i].missing(at: t) {
                watches[i].seenElsewhere = sw.servedOutside(watches[i].region, t)
            }
        }
    }

    /// Adds the stalled writes, and the conflict log's stretch, of the state that held over [last, t).
    mutating func accumulate(until t: Int64, _ faults: FaultTimeline) {
        if conflicts.active { conflicts.accumulate(from: last, to: t, faults, watches: &watches) }
        for i in watches.indices where watches[i].stalling(at: last) {
            watches[i].stalledWeightSeconds +=
                Double(stallRate[i]) * Double(min(t, watches[i].failAt) - last) / 1_000_000
        }
    }
}

/// What a pass goes through in time order, each kind with the next to apply: the cohorts' moves
/// (sorted by time, in the builder's buffer), the regions' condition and database edges, the load
/// balancer's routing changes and the repointings of the writes, up to the horizon [µs].
private struct Breakpoints {
    let moves: UnsafeMutablePointer<ClientPopulation.Move>
    let count: Int
    var mi = 0
    let events: ServiceEvents
    /// The times of the edges [µs]: conditions and databases, routing changes, repointings.
    let edges: [Int64]
    var ei = 0, lbi = 0, pi = 0
    let horizon: Int64

    init(
        moves: UnsafeMutablePointer<ClientPopulation.Move>, count: Int, events: ServiceEvents, regions: Int,
        horizon h: Int64
    ) {
        var edges: [Int64] = []
        for r in 0..<regions {
            for t in events.faults.edges(region: r) + events.faults.databaseEdges(region: r) where t > 0 {
                let us = ModelTime.microseconds(t)
                if us <= h { edges.append(us) }
            }
        }
        for c in events.lbChanges where c.time <= h { edges.append(c.time) }
        for p in events.repoints where p.time <= h { edges.append(p.time) }
        edges.sort()
        self.moves = moves
        self.count = count
        self.events = events
        self.edges = edges
        horizon = h
    }

    /// When the next move is [µs]; Int64.max when none is left.
    var nextMove: Int64 { mi < count ? moves[mi].time : Int64.max }
    /// When the next edge is [µs]; Int64.max when none is left.
    var nextEdge: Int64 { ei < edges.count ? edges[ei] : Int64.max }

    /// The next move, taken, if it is at t.
    @inline(__always) mutating func takeMove(at t: Int64) -> ClientPopulation.Move? {
        guard mi < count && moves[mi].time == t else { return nil }
        defer { mi += 1 }
        return moves[mi]
    }

    /// Takes the edges at t: `sw` reads the conditions from t on, the load balancer's view and the
    /// repointing of the writes.
    mutating func takeEdges(at t: Int64, into sw: inout ServiceState) {
        while ei < edges.count && edges[ei] == t { ei += 1 }
        sw.readConditions(at: ModelTime.seconds(t))
        while lbi < events.lbChanges.count && events.lbChanges[lbi].time <= t {
            sw.lbView[events.lbChanges[lbi].backend] = events.lbChanges[lbi].healthy
            lbi += 1
        }
        while pi < events.repoints.count && events.repoints[pi].time <= t {
            sw.repointed = events.repoints[pi].toSecondary
            pi += 1
        }
    }
}

/// Each cohort's traffic weight, the latest answer change it follows, and its target (regions, then
/// the load balancer): the builder's buffers.
private struct Cohorts {
    let weight: UnsafeMutablePointer<Int64>
    let change: UnsafeMutablePointer<Int16>
    let target: UnsafeMutablePointer<Int16>
}

/// The standby regions' scale-ups (docs/model.md, "Topology"): each region's normal load (before the
/// fault), the completions still due, which load-triggered standbys have started, and what set each
/// region's scale-up going (the failover signal, or the moment its load first rose) [µs]; Int64.max if
/// nothing did.
private struct Scaling {
    /// Each region's scale-up duration in this replication [µs].
    let scaleUp: [Int64]
    var normalLoad: [Int64] = []
    var due: [Int64] = []
    var triggered: [Bool]
    var triggeredAt: [Int64]
    /// The next scale-up completion [µs], as of the last `Pass.nextBreakpoint`.
    var next = Int64.max

    init(regions: Int, scaleUp: [Int64]) {
        self.scaleUp = scaleUp
        triggered = [Bool](repeating: false, count: regions)
        triggeredAt = [Int64](repeating: .max, count: regions)
    }

    /// The earliest completion due [µs]; Int64.max if none.
    var earliestDue: Int64 {
        var earliest = Int64.max
        for d in due where d < earliest { earliest = d }
        return earliest
    }

    /// Sets region r's scale-up going at t [µs]; returns when the region reaches full capacity.
    mutating func trigger(_ r: Int, at t: Int64) -> Int64 {
        triggeredAt[r] = t
        let done = t &+ scaleUp[r]
        due.append(done)
        return done
    }
}

/// The traffic served now, the traffic whose writes succeed and the failed attempts [weight units].
/// While `simple`, each target (regions, then the load balancer) serves all (1) or none (0) of its
/// traffic, and its writes succeed (1) or not: a move then changes both by exactly the weight moved,
/// and every failed request fails all its attempts.
private struct Served {
    let writeShare: Double
    let total: Int64
    let attempts: Int64
    var up: Int64 = 0
    var written: Int64 = 0
    /// Failed attempts as of the last `read` (`ServiceState.failedAttempts`).
    var failedRead: Int64 = 0
    var simple = false
    var serves: [Int64]
    var writes: [Int64]

    init(targets: Int, plan: ServicePlan) {
        writeShare = plan.writeShare
        total = plan.totalWeight
        attempts = Int64(plan.retries.attempts)
        serves = [Int64](repeating: 0, count: targets)
        writes = [Int64](repeating: 0, count: targets)
    }

    /// The failed attempts now: while `simple`, A per failed request.
    var failedAttempts: Int64 {
        @inline(__always) get { simple ? attempts &* (total &- success) : failedRead }
    }

    /// The traffic that succeeds: the writes' part fails where the database is not writable.
    var success: Int64 {
        @inline(__always) get { up == written ? up : up - Int64((writeShare * Double(up - written)).rounded()) }
    }

    /// Reads the served traffic from the state at t, and whether it is simple from then on.
    mutating func read(_ sw: borrowing ServiceState, at t: Int64) {
        (up, written) = sw.serve(t)
        if let f = sw.simpleFactors() {
            (serves, writes, simple) = (f.serves, f.writes, true)
        } else {
            failedRead = Int64(sw.failedAttempts(t).rounded())
        }
    }

    /// A cohort of weight w moves while `simple`: exact, in integers, the served weight moves with it.
    @inline(__always) mutating func move(_ w: Int64, from: Int, to: Int) {
        up += w &* (serves[to] &- serves[from])
        written += w &* (writes[to] &- writes[from])
    }
}

/// The curve's steps as they are built, in the builder's buffers: each one's start [µs], success
/// weight, write weight and failed attempts' weight.
private struct Steps {
    let start: UnsafeMutablePointer<Int64>
    let success: UnsafeMutablePointer<Int64>
    let written: UnsafeMutablePointer<Int64>
    let failedAttempts: UnsafeMutablePointer<Int64>
    var count = 0

    /// The first step, from 0.
    mutating func first(_ s: borrowing Served) {
        (start[0], success[0], written[0], failedAttempts[0]) = (0, s.success, s.written, s.failedAttempts)
        count = 1
    }

    /// Records the step from t; collapses it into the last one when nothing changed.
    @inline(__always) mutating func append(at t: Int64, _ s: borrowing Served) {
        let (ok, w, f) = (s.success, s.written, s.failedAttempts)
        let k = count - 1
        guard ok != success[k] || w != written[k] || f != failedAttempts[k] else { return }
        if start[k] == t {
            (success[k], written[k], failedAttempts[k]) = (ok, w, f)
            if k >= 1 && success[k - 1] == ok && written[k - 1] == w && failedAttempts[k - 1] == f { count -= 1 }
        } else {
            (start[count], success[count], written[count], failedAttempts[count]) = (t, ok, w, f)
            count += 1
        }
    }
}

/// One build's sweep over the breakpoints, in time order (`run`). Each named step is a method.
private struct Pass {
    let plan: ServicePlan
    var sw: ServiceState
    var breakpoints: Breakpoints
    let cohorts: Cohorts
    var scaling: Scaling
    var served: Served
    var steps: Steps
    var watch = WatchLog()

    init(
        plan: ServicePlan, routed: UnsafeMutableBufferPointer<Int64>, _ breakpoints: Breakpoints, _ cohorts: Cohorts,
        _ steps: Steps
    ) {
        let R = plan.regions
        let events = breakpoints.events
        sw = ServiceState(
            plan: plan, faults: events.faults, routed: routed,
            load: [Int64](repeating: 0, count: R), cond: [FaultTimeline.Condition](repeating: .ok, count: R),
            databaseDown: [Bool](repeating: false, count: R), stalled: [Bool](repeating: false, count: R),
            lbView: events.lbInitialView, scaled: [Int64](repeating: .max, count: R))
        self.plan = plan
        self.breakpoints = breakpoints
        self.cohorts = cohorts
        scaling = Scaling(regions: R, scaleUp: events.scaleUp)
        served = Served(targets: R + 1, plan: plan)
        self.steps = steps
    }

    /// Every breakpoint up to the horizon, from the state before the fault.
    mutating func run() {
        begin()
        while true {
            if served.simple && !watch.seesEveryBreakpoint { applySimpleRun() }
            let t = nextBreakpoint()
            if t > breakpoints.horizon { break }
            watchBefore(t)
            applyMoves(at: t)
            applyEdges(at: t)
            recompute(at: t)
            watchAfter(t)
            appendStep(at: t)
        }
        end()
    }

    /// The state before the fault and at 0: normal loads, what the watches need from before the fault,
    /// scale-ups due from the detection, and the first step.
    mutating func begin() {
        sw.readConditions(at: -1e-6)
        for r in 0..<plan.regions where plan.scalesOnFailover[r] {
            if let d = breakpoints.events.detection { sw.scaled[r] = scaling.trigger(r, at: d) }
        }
        sw.computeLoad(-1)
        scaling.normalLoad = sw.load
        for i in watch.watches.indices {
            if watch.watches[i].failAt <= 0 { watch.watches[i].rateAtFail = sw.writesInto(watch.watches[i].region, -1) }
            if let s = watch.watches[i].stallFrom, s <= 0 {
                watch.watches[i].rateAtStall = sw.writesKept(watch.watches[i].region, -1)
            }
        }
        sw.readConditions(at: 0)
        sw.computeLoad(0)
        served.read(sw, at: 0)
        steps.first(served)
        watch.start(plan)
        if watch.active { watch.observe(&sw, 0, simple: served.simple) }
    }

    /// The earliest of the next move, edge and scale-up completion.
    mutating func nextBreakpoint() -> Int64 {
        scaling.next = scaling.earliestDue
        return min(breakpoints.nextMove, breakpoints.nextEdge, scaling.next)
    }

    /// The state that held over [last, t), then the moment just before t (a failure or a stall start).
    mutating func watchBefore(_ t: Int64) {
        guard watch.active else { return }
        watch.accumulate(until: t, sw.faults)
        guard watch.nextMark < watch.marks.count && watch.marks[watch.nextMark] == t else { return }
        while watch.nextMark < watch.marks.count && watch.marks[watch.nextMark] == t { watch.nextMark += 1 }
        if served.simple { sw.computeLoad(t - 1) }
        for i in watch.watches.indices {
            if watch.watches[i].failAt == t {
                watch.watches[i].rateAtFail = sw.writesInto(watch.watches[i].region, t - 1)
            }
            if watch.watches[i].stallFrom == t {
                watch.watches[i].rateAtStall = sw.writesKept(watch.watches[i].region, t - 1)
            }
        }
    }

    /// Every move at t: its cohort's traffic goes to the new target, unless the cohort already follows
    /// a later answer change.
    @inline(__always) mutating func applyMoves(at t: Int64) {
        while let m = breakpoints.takeMove(at: t) {
            let c = Int(m.cohort)
            guard m.change > cohorts.change[c] else { continue }
            let from = Int(cohorts.target[c])
            let to = Int(m.target)
            let w = cohorts.weight[c]
            sw.routed[from] -= w
            sw.routed[to] += w
            if served.simple { served.move(w, from: from, to: to) }
            cohorts.change[c] = m.change
            cohorts.target[c] = m.target
        }
    }

    /// Fast path while `served.simple` and no watch is learning: every move before the next edge or
    /// scale-up, each appending its step. The same as going round the loop once per move, without the rest.
    mutating func applySimpleRun() {
        let limit = min(breakpoints.horizon + 1, breakpoints.nextEdge, scaling.earliestDue)
        while breakpoints.nextMove < limit {
            let t = breakpoints.nextMove
            applyMoves(at: t)
            appendStep(at: t)
        }
    }

    /// Condition and database edges, the load balancer's view, repointing and scale-ups at t.
    mutating func applyEdges(at t: Int64) {
        let edge = t == breakpoints.nextEdge
        let scales = scaling.next <= t
        if edge || scales { served.simple = false }
        if edge { breakpoints.takeEdges(at: t, into: &sw) }
        if scales { scaling.due.removeAll { $0 <= t } }
    }

    /// Loads and served traffic from scratch, unless `served.simple` kept them exact; standby regions
    /// triggered by load start scaling when they first get more than their normal load.
    mutating func recompute(at t: Int64) {
        guard !served.simple else { return }
        sw.computeLoad(t)
        for r in 0..<plan.regions
        where plan.scalesOnLoad[r] && !scaling.triggered[r]
            && sw.load[r] > scaling.normalLoad[r]
        {
            scaling.triggered[r] = true
            sw.scaled[r] = scaling.trigger(r, at: t)
            sw.computeLoad(t)
        }
        served.read(sw, at: t)
    }

    /// What the watches learn from the state from t on.
    mutating func watchAfter(_ t: Int64) {
        guard watch.active else { return }
        watch.observe(&sw, t, simple: served.simple)
        watch.last = t
    }

    /// Records the step from t.
    @inline(__always) mutating func appendStep(at t: Int64) {
        steps.append(at: t, served)
    }

    /// A stall still under way at the horizon.
    mutating func end() {
        if watch.active { watch.accumulate(until: breakpoints.horizon, sw.faults) }
    }
}
