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
    let totalWeight: Int64
    let cohorts: Int
    /// Each cohort's traffic weight.
    private var weight = ScratchBuffer<Int64>()
    /// The moves sorted by time, and the radix sort's other buffer.
    private var sorted = ScratchBuffer<ClientPopulation.Move>()
    private var sortScratch = ScratchBuffer<ClientPopulation.Move>()
    /// Each cohort's latest answer change followed, and its target (regions, then the load balancer).
    private var cohortChange = ScratchBuffer<Int16>()
    private var cohortTarget = ScratchBuffer<Int16>()
    /// Traffic addressed to each target.
    private var routed = ScratchBuffer<Int64>()
    /// The steps: start [µs], success weight, write weight.
    private var stepStart = ScratchBuffer<Int64>()
    private var stepSuccess = ScratchBuffer<Int64>()
    private var stepWritten = ScratchBuffer<Int64>()
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

    /// Builds `curve`: the cohorts' moves between answers, the regions' conditions (`events.faults`), the
    /// load balancer's routing, capacity and scaling, and the database wiring; and fills in what each of
    /// `watches` needs to know about the writes a failing replica held.
    ///
    /// - Parameters:
    ///   - initialTargets: each cohort's target before any change.
    ///   - moves: every cohort's move to the answer of change j, in (change, cohort) order. A cohort
    ///     follows the move of the latest change it has picked up.
    mutating func build(_ curve: inout SuccessCurve, initialTargets: [Int16], moves: borrowing MoveList,
                        events: ServiceEvents, watches: inout [WriteWatch], horizon h: Int64) {
        let R = plan.regions
        for c in 0..<cohorts {
            cohortChange[c] = 0
            cohortTarget[c] = initialTargets[c]
        }
        for x in 0...R { routed[x] = 0 }
        for c in 0..<cohorts { routed[Int(initialTargets[c])] += weight[c] }
        let n = moves.count
        sorted.reserve(n)
        sortScratch.reserve(n)
        ClientPopulation.Move.sortByTime(moves.moves, into: sorted.base, scratch: sortScratch.base, maxKey: h + 1)

        // Breakpoints other than moves: condition and database edges, routing changes, repointing.
        var edges: [Int64] = []
        for r in 0..<R {
            for t in events.faults.edges(region: r) + events.faults.databaseEdges(region: r) where t > 0 {
                let us = ModelTime.microseconds(t)
                if us <= h { edges.append(us) }
            }
        }
        for c in events.lbChanges where c.time <= h { edges.append(c.time) }
        for p in events.repoints where p.time <= h { edges.append(p.time) }
        edges.sort()
        // Steps: at most one per distinct time of a move, an edge or a scale-up, plus the first.
        let most = n + edges.count + 2 * R + 2
        stepStart.reserve(most)
        stepSuccess.reserve(most)
        stepWritten.reserve(most)

        var pass = Pass(plan: plan, events: events, edges: edges, horizon: h,
                        routed: UnsafeMutableBufferPointer(start: routed.base, count: R + 1),
                        moves: sorted.base, count: n, weight: weight.base, cohortChange: cohortChange.base, cohortTarget: cohortTarget.base,
                        stepStart: stepStart.base, stepSuccess: stepSuccess.base, stepWritten: stepWritten.base)
        swap(&pass.watch.watches, &watches)
        pass.begin()
        while true {
            if pass.simple && !pass.watch.active { pass.applySimpleRun() }
            let t = pass.nextBreakpoint()
            if t > h { break }
            pass.watchBefore(t)
            pass.applyMoves(at: t)
            pass.applyEdges(at: t)
            pass.recompute(at: t)
            pass.watchAfter(t)
            pass.appendStep(at: t)
        }
        pass.end()
        swap(&pass.watch.watches, &watches)
        sortedCount = n
        scaledAt = pass.sw.scaled
        scaleTriggeredAt = pass.scaleTriggeredAt
        curve.set(start: UnsafeBufferPointer(start: stepStart.base, count: pass.steps),
                  success: UnsafeBufferPointer(start: stepSuccess.base, count: pass.steps),
                  written: UnsafeBufferPointer(start: stepWritten.base, count: pass.steps),
                  totalWeight: totalWeight, horizon: h)
    }
}

extension CurveBuilder {
    /// The last move at `t` [µs] of the last build, if any: the one that set the curve's value there.
    func lastMove(at t: Int64) -> ClientPopulation.Move? {
        var lo = 0, hi = sortedCount   // the first move later than t
        while lo < hi {
            let mid = (lo + hi) / 2
            if sorted[mid].time <= t { lo = mid + 1 } else { hi = mid }
        }
        return lo > 0 && sorted[lo - 1].time == t ? sorted[lo - 1] : nil
    }
}

extension SuccessCurve {
    /// Replaces the steps, keeping the arrays' storage.
    mutating func set(start s: UnsafeBufferPointer<Int64>, success: UnsafeBufferPointer<Int64>, written: UnsafeBufferPointer<Int64>,
                      totalWeight total: Int64, horizon h: Int64) {
        horizon = h
        totalWeight = total
        Self.copy(s, into: &start)
        Self.copy(success, into: &successWeight)
        Self.copy(written, into: &writeWeight)
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
/// while a replica's writes were missing.
private struct WatchLog {
    var watches: [WriteWatch] = []
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

    mutating func start() {
        stallRate = [Int64](repeating: 0, count: watches.count)
        marks = watches.flatMap { w in [w.failAt] + (w.stallFrom.map { [$0] } ?? []) }.filter { $0 > 0 }
        marks.sort()
        observable = watches.contains { $0.stallFrom != nil || $0.arriveAt != Int64.max }
        active = observable || !marks.isEmpty
    }

    /// Whether watch w has something to learn from the state that holds from t on: its stall is under
    /// way, or its delayed writes are missing and nobody has yet been seen serving meanwhile.
    func needsObserving(_ w: WriteWatch, _ t: Int64) -> Bool {
        w.stalling(at: t) || (!w.seenElsewhere && w.arriveAt != Int64.max && w.missing(at: t))
    }

    /// Learns from the state from t on; `simple` says the load has not been computed for it.
    mutating func observe(_ sw: inout ServiceState, _ t: Int64, simple: Bool) {
        guard observable, watches.contains(where: { needsObserving($0, t) }) else { return }
        if simple { sw.computeLoad(t) }
        for i in watches.indices {
            if watches[i].stalling(at: t) { stallRate[i] = sw.writesInto(watches[i].region, t) }
            if !watches[i].seenElsewhere && watches[i].missing(at: t) { watches[i].seenElsewhere = sw.servedOutside(watches[i].region, t) }
        }
    }

    /// Adds the stalled writes of the state that held over [last, t).
    mutating func accumulateStalls(until t: Int64) {
        for i in watches.indices where watches[i].stalling(at: last) {
            watches[i].stalledWeightSeconds += Double(stallRate[i]) * Double(min(t, watches[i].failAt) - last) / 1_000_000
        }
    }
}

/// One build's sweep over the breakpoints, in time order. Each named step is a method; the loop in
/// `CurveBuilder.build` calls them in order. The per-cohort arrays are the builder's buffers.
private struct Pass {
    var sw: ServiceState
    let plan: ServicePlan
    let events: ServiceEvents
    let horizon: Int64
    let writeShare: Double
    // The moves, sorted by time, and the next to apply.
    let moves: UnsafeMutablePointer<ClientPopulation.Move>
    let count: Int
    var mi = 0
    let weight: UnsafeMutablePointer<Int64>
    let cohortChange: UnsafeMutablePointer<Int16>
    let cohortTarget: UnsafeMutablePointer<Int16>
    // Condition and routing edges, routing changes and repointings, each with the next to apply.
    let edges: [Int64]
    var ei = 0, lbi = 0, pi = 0
    /// When standby regions reach full capacity, for those still scaling; and which load-triggered
    /// standbys have started.
    var scaleDue: [Int64] = []
    var triggered: [Bool]
    var scaleTriggeredAt: [Int64]
    var normalLoad: [Int64] = []
    /// The next scale-up completion [µs], as of the last `nextBreakpoint`.
    var nextScale = Int64.max
    /// Served traffic and traffic whose writes succeed, now [weight units].
    var up: Int64 = 0
    var written: Int64 = 0
    /// While `simple`, per target: serves all (1) or nothing (0), and its writes succeed (1) or not;
    /// a move then changes the served weight by exactly the weight moved.
    var simple = false
    var serves: [Int64]
    var writes: [Int64]
    var watch = WatchLog()
    let stepStart: UnsafeMutablePointer<Int64>
    let stepSuccess: UnsafeMutablePointer<Int64>
    let stepWritten: UnsafeMutablePointer<Int64>
    var steps = 0

    init(plan: ServicePlan, events: ServiceEvents, edges: [Int64], horizon: Int64,
         routed: UnsafeMutableBufferPointer<Int64>, moves: UnsafeMutablePointer<ClientPopulation.Move>, count: Int,
         weight: UnsafeMutablePointer<Int64>, cohortChange: UnsafeMutablePointer<Int16>, cohortTarget: UnsafeMutablePointer<Int16>,
         stepStart: UnsafeMutablePointer<Int64>, stepSuccess: UnsafeMutablePointer<Int64>, stepWritten: UnsafeMutablePointer<Int64>) {
        let R = plan.regions
        sw = ServiceState(plan: plan, faults: events.faults, routed: routed,
                          load: [Int64](repeating: 0, count: R), cond: [FaultTimeline.Condition](repeating: .ok, count: R),
                          databaseDown: [Bool](repeating: false, count: R), stalled: [Bool](repeating: false, count: R),
                          lbView: events.lbInitialView, scaled: [Int64](repeating: .max, count: R))
        self.plan = plan
        self.events = events
        self.edges = edges
        self.horizon = horizon
        writeShare = plan.writeShare
        self.moves = moves
        self.count = count
        self.weight = weight
        self.cohortChange = cohortChange
        self.cohortTarget = cohortTarget
        self.stepStart = stepStart
        self.stepSuccess = stepSuccess
        self.stepWritten = stepWritten
        triggered = [Bool](repeating: false, count: R)
        scaleTriggeredAt = [Int64](repeating: .max, count: R)
        serves = [Int64](repeating: 0, count: R + 1)
        writes = [Int64](repeating: 0, count: R + 1)
    }

    /// The writes' part of the traffic fails where the database is not writable.
    @inline(__always) func success(_ up: Int64, _ written: Int64) -> Int64 {
        up == written ? up : up - Int64((writeShare * Double(up - written)).rounded())
    }

    /// The state before the fault and at 0: normal loads, what the watches need from before the fault,
    /// scale-ups due from the detection, and the first step.
    mutating func begin() {
        sw.readConditions(at: -1e-6)
        for r in 0..<plan.regions where plan.scalesOnFailover[r] {
            if let d = events.detection {
                sw.scaled[r] = d &+ events.scaleUp[r]
                scaleDue.append(sw.scaled[r])
                scaleTriggeredAt[r] = d
            }
        }
        sw.computeLoad(-1)
        normalLoad = sw.load
        for i in watch.watches.indices {
            if watch.watches[i].failAt <= 0 { watch.watches[i].rateAtFail = sw.writesInto(watch.watches[i].region, -1) }
            if let s = watch.watches[i].stallFrom, s <= 0 { watch.watches[i].rateAtStall = sw.writesInto(watch.watches[i].region, -1) }
        }
        sw.readConditions(at: 0)
        sw.computeLoad(0)
        (up, written) = sw.serve(0)
        (stepStart[0], stepSuccess[0], stepWritten[0]) = (0, success(up, written), written)
        steps = 1
        if let f = sw.simpleFactors() { (serves, writes, simple) = (f.serves, f.writes, true) }
        watch.start()
        if watch.active { watch.observe(&sw, 0, simple: simple) }
    }

    /// The earliest of the next move, edge and scale-up completion.
    mutating func nextBreakpoint() -> Int64 {
        let tm = mi < count ? moves[mi].time : Int64.max
        let te = ei < edges.count ? edges[ei] : Int64.max
        nextScale = Int64.max
        for d in scaleDue where d < nextScale { nextScale = d }
        return min(tm, te, nextScale)
    }

    /// The state that held over [last, t), then the moment just before t (a failure or a stall start).
    mutating func watchBefore(_ t: Int64) {
        guard watch.active else { return }
        watch.accumulateStalls(until: t)
        guard watch.nextMark < watch.marks.count && watch.marks[watch.nextMark] == t else { return }
        while watch.nextMark < watch.marks.count && watch.marks[watch.nextMark] == t { watch.nextMark += 1 }
        if simple { sw.computeLoad(t - 1) }
        for i in watch.watches.indices {
            if watch.watches[i].failAt == t { watch.watches[i].rateAtFail = sw.writesInto(watch.watches[i].region, t - 1) }
            if watch.watches[i].stallFrom == t { watch.watches[i].rateAtStall = sw.writesInto(watch.watches[i].region, t - 1) }
        }
    }

    /// Every move at t: its cohort's traffic goes to the new target, unless the cohort already follows
    /// a later answer change.
    @inline(__always) mutating func applyMoves(at t: Int64) {
        while mi < count && moves[mi].time == t {
            let m = moves[mi]
            let c = Int(m.cohort)
            if m.change > cohortChange[c] {
                let from = Int(cohortTarget[c]), to = Int(m.target), w = weight[c]
                sw.routed[from] -= w
                sw.routed[to] += w
                if simple {   // exact, in integers: the served weight moves with the cohort
                    up += w &* (serves[to] &- serves[from])
                    written += w &* (writes[to] &- writes[from])
                }
                cohortChange[c] = m.change
                cohortTarget[c] = m.target
            }
            mi += 1
        }
    }

    /// Fast path while `simple` and no watch is learning: every move before the next edge or scale-up,
    /// each appending its step. The same as going round the loop once per move, without the rest.
    mutating func applySimpleRun() {
        var limit = horizon + 1
        if ei < edges.count { limit = min(limit, edges[ei]) }
        for d in scaleDue where d < limit { limit = d }
        while mi < count && moves[mi].time < limit {
            let t = moves[mi].time
            applyMoves(at: t)
            appendStep(at: t)
        }
    }

    /// Condition and database edges, the load balancer's view, repointing and scale-ups at t.
    mutating func applyEdges(at t: Int64) {
        let te = ei < edges.count ? edges[ei] : Int64.max
        if t == te || nextScale <= t { simple = false }
        if t == te {
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
        if nextScale <= t { scaleDue.removeAll { $0 <= t } }
    }

    /// Loads and served traffic from scratch, unless `simple` kept them exact; standby regions
    /// triggered by load start scaling when they first get more than their normal load.
    mutating func recompute(at t: Int64) {
        guard !simple else { return }
        sw.computeLoad(t)
        for r in 0..<plan.regions where !triggered[r] && plan.scalesOnLoad[r] && sw.load[r] > normalLoad[r] {
            triggered[r] = true
            scaleTriggeredAt[r] = t
            sw.scaled[r] = t &+ events.scaleUp[r]
            scaleDue.append(sw.scaled[r])
            sw.computeLoad(t)
        }
        (up, written) = sw.serve(t)
        if let f = sw.simpleFactors() { (serves, writes, simple) = (f.serves, f.writes, true) }
    }

    /// What the watches learn from the state from t on.
    mutating func watchAfter(_ t: Int64) {
        guard watch.active else { return }
        watch.observe(&sw, t, simple: simple)
        watch.last = t
    }

    /// Records the step from t; collapses it into the last one when nothing changed.
    @inline(__always) mutating func appendStep(at t: Int64) {
        let ok = success(up, written)
        let k = steps - 1
        guard ok != stepSuccess[k] || written != stepWritten[k] else { return }
        if stepStart[k] == t {
            stepSuccess[k] = ok
            stepWritten[k] = written
            if k >= 1 && stepSuccess[k - 1] == ok && stepWritten[k - 1] == written { steps -= 1 }
        } else {
            (stepStart[steps], stepSuccess[steps], stepWritten[steps]) = (t, ok, written)
            steps += 1
        }
    }

    /// A stall still under way at the horizon.
    mutating func end() {
        if watch.active { watch.accumulateStalls(until: horizon) }
    }
}
