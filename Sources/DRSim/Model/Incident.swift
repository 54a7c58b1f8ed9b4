import DRSimKernel

/// What one replication reports (docs/model.md, "What a replication reports"). Optional values are empty when the event
/// never
/// happened before the horizon.
public struct ReplicationResult: Sendable, Equatable {
    public var detection: Double?
    /// Fault start until s(t) reaches the success target and stays at or above it until the horizon;
    /// censored at the horizon when it does not (`rtoCensored`).
    public var rto: Double
    public var rtoCensored: Bool
    /// Fault start until s(t) first reaches the success target and holds it for the stability window;
    /// nil if never.
    public var firstRecovery: Double?
    /// Total time s(t) is below the success target after the fault [s].
    public var timeBelowTarget: Double
    /// Drops of s(t) below the success target after the first recovery.
    public var relapses: Int
    /// Each level's time back for good (as `rto`); nil if never.
    public var recovered50: Double?
    public var recovered90: Double?
    public var recovered99: Double?
    public var failedRequests: Double
    /// Fault start until the share of writes that succeed reaches the success target and holds it.
    public var writeRTO: Double?
    /// The data-loss window: age, when its region failed, of the oldest unreplicated write that was
    /// lost or that was missing while another region served [s]; 0 if none.
    public var rpo: Double
    /// Unreplicated writes that never reached another replica before the horizon.
    public var lostWrites: Int
    /// Unreplicated writes that reached the other replicas late, when their region came back.
    public var delayedWrites: Int
    /// Writes lost to last-writer-wins; nil when not counted (docs/model.md, "Replication").
    public var conflictOverwrites: Int?
    /// Failovers with no fault behind them: DNS moving traffic down the failover order away from a
    /// region that was serving normally, or the load balancer dropping such a backend.
    public var falseFailovers: Int
    /// `rto` by stage; nil when censored (docs/model.md, "RTO by stage").
    public var breakdown: RTOBreakdown?
    /// Attempts that failed between the fault and the horizon, retries included: `failedRequests`
    /// counts the requests whose every attempt failed (docs/model.md, "Retries").
    public var failedAttempts: Double
    /// MRSC: the latency added to one write drawn from the successful ones [s]; nil under MREC or when
    /// no write succeeded (`WriteLatency`).
    public var mrscWriteLatency: Double?
    /// The stale-DNS tail, the year of operation and the cost (`Extras`).
    public var extras = Extras()
    /// What the resolvers that do not honour TTLs hold up (docs/model.md, "The stale-DNS tail").
    public var staleTail: StaleTail {
        get { extras.staleTail }
        set { extras.staleTail = newValue }
    }
    /// The replication's year of operation; nil when none is simulated.
    public var year: YearResult? {
        get { extras.year }
        set { extras.year = newValue }
    }
    /// Cost per month; nil when not estimated.
    public var cost: CostEstimate? {
        get { extras.cost }
        set { extras.cost = newValue }
    }

    public struct Extras: Sendable, Equatable {
        public var staleTail = StaleTail()
        public var year: YearResult?
        public var cost: CostEstimate?
    }

    public init(
        detection: Double? = nil, rto: Double = 0, rtoCensored: Bool = false, recovered50: Double? = nil,
        recovered90: Double? = nil, recovered99: Double? = nil, failedRequests: Double = 0, writeRTO: Double? = nil,
        rpo: Double = 0, lostWrites: Int = 0, delayedWrites: Int = 0, conflictOverwrites: Int? = nil,
        falseFailovers: Int = 0, breakdown: RTOBreakdown? = nil, failedAttempts: Double = 0,
        mrscWriteLatency: Double? = nil, firstRecovery: Double? = nil, timeBelowTarget: Double = 0,
        relapses: Int = 0, staleTail: StaleTail = StaleTail()
    ) {
        self.detection = detection
        self.rto = rto
        self.rtoCensored = rtoCensored
        self.recovered50 = recovered50
        self.recovered90 = recovered90
        self.recovered99 = recovered99
        self.failedRequests = failedRequests
        self.writeRTO = writeRTO
        self.rpo = rpo
        self.lostWrites = lostWrites
        self.delayedWrites = delayedWrites
        self.conflictOverwrites = conflictOverwrites
        self.falseFailovers = falseFailovers
        self.breakdown = breakdown
        self.failedAttempts = failedAttempts
        self.mrscWriteLatency = mrscWriteLatency
        self.firstRecovery = firstRecovery
        self.timeBelowTarget = timeBelowTarget
        self.relapses = relapses
        self.staleTail = staleTail
    }
}

/// Runs replications of one config. Holds everything one worker reuses between replications (random
/// streams, the simulation, scratch arrays), so a replication allocates almost nothing.
/// Not thread-safe: one per worker.
///
/// Every random draw comes from the stream of its own component (docs/model.md, "Keyed random
/// streams"; `IncidentStreams`): each health check, the load balancer, each fault, each region's
/// scale-up and activation, each write repointing, the resolvers, the clients and the writes. Adding a
/// component never moves another's numbers.
public final class IncidentSimulator {
    public let config: Config
    /// This simulator's point among those that share work (`SharedWork`), and whether it made the
    /// share for itself alone (then each `run` starts the share's replication).
    let sharing: (point: Int, alone: Bool)
    var point: Int { sharing.point }
    let shared: SharedWork
    let populationPlan: ClientPopulation.Plan
    let servicePlan: ServicePlan
    let connections: ConnectionRules
    var population: ClientPopulation
    /// Every random stream of an incident (docs/model.md, "Keyed random streams").
    let streams: IncidentStreams
    var sim: Simulation<FailoverModel>
    var moves = MoveList()
    var initialTargets: [Int16] = []
    /// The resolvers' numbers for one answer change, when they are not kept for other points.
    var ownDraws = ScratchBuffer<Double>()
    var builder: CurveBuilder
    /// The writes the last replication left unreplicated.
    var writeAccounting: WriteAccounting
    /// What the stale-DNS tail reuses between replications.
    var tail = StaleTailScratch()
    /// The success curve of the last replication run.
    public private(set) var curve = SuccessCurve()
    /// The DNS answer changes of the last replication run: when [s] and the failover answer (under
    /// weighted and latency routing, every change of the records' health).
    public var answerChanges: [(time: Double, target: Config.Target)] {
        sim.model.route53.changes.map { (ModelTime.seconds($0.time), $0.target) }
    }
    /// The load balancer's routing changes of the last replication run [s].
    public var routingChanges: [(time: Double, backend: Int, healthy: Bool)] {
        sim.model.probers.changes.map { (ModelTime.seconds($0.time), $0.backend, $0.healthy) }
    }
    /// The faults of the last replication run, with times counted from the earliest fault's start.
    public private(set) var faults = FaultTimeline(regions: 0)
    /// Each config fault's span in the last replication [s] (∞: past the horizon, or permanent).
    public private(set) var faultSpans: [(from: Double, until: Double)] = []
    /// When the last replication's writes were repointed (`writes: primary`), and where to.
    public private(set) var repoints: [WriteRepointing] = []
    /// The DNS failover answer before the last replication's faults.
    public var initialAnswer: Config.Target { year.initialAnswer }
    /// What a year of operation sets on its incidents, and the year this simulator's replications add.
    var year = YearHooks()

    public convenience init(config: Config) {
        self.init(config: config, point: 0, shared: SharedWork([config]), alone: true)
    }

    /// A simulator of point `point` of the configs `shared` was made for; the caller starts each
    /// replication in `shared` before running it.
    init(config: Config, point: Int, shared: SharedWork, alone: Bool = false) {
        self.config = config
        sharing = (point, alone)
        self.shared = shared
        populationPlan = ClientPopulation.Plan(config)
        servicePlan = ServicePlan(config, totalWeight: populationPlan.totalWeight)
        builder = CurveBuilder(
            plan: servicePlan, weights: populationPlan.weight, totalWeight: populationPlan.totalWeight)
        connections = ConnectionRules(config)
        writeAccounting = WriteAccounting(config, totalWeight: populationPlan.totalWeight)
        population = ClientPopulation(plan: populationPlan)
        streams = IncidentStreams(config)
        sim = Simulation(model: FailoverModel(plan: FailoverModel.Plan(config), streams: streams))
    }

    /// Samples every fault from its own stream; times count from the earliest fault's start, and lie
    /// on the simulator's microsecond grid (every part of the model then sees the same instants).
    func sampleFaults() -> FaultTimeline {
        var drawn: [(start: Double, duration: Double)] = year.faultDraws ?? []
        for (k, f) in config.faults.enumerated() where year.faultDraws == nil {
            let r = streams.faults[k]
            let start = f.start.sample(r)
            drawn.append((start, f.duration.map { $0.sample(r) } ?? .infinity))
        }
        let origin = drawn.map(\.start).min() ?? 0
        /// A time [s] on the microsecond grid; past the horizon it is never reached (∞).
        func onGrid(_ t: Double) -> Double {
            guard t <= config.horizon else { return .infinity }
            return ModelTime.seconds(ModelTime.microseconds(t))
        }
        var faults = FaultTimeline(regions: config.regions.count, checks: config.healthChecks.count)
        faultSpans.removeAll(keepingCapacity: true)
        for (k, f) in config.faults.enumerated() {
            // The start relative to the origin first, so that a far-off start loses no precision.
            let from = drawn[k].start - origin
            faultSpans.append((onGrid(from), onGrid(from + drawn[k].duration)))
            faults.add(f, from: faultSpans[k].from, until: faultSpans[k].until, healthChecks: config.healthChecks)
        }
        for v in year.forcedVerdicts where onGrid(v.from) < onGrid(v.until) {
            faults.forced[v.check].append(.init(from: onGrid(v.from), until: onGrid(v.until)))
        }
        for (r, region) in config.regions.enumerated() where region.activationDelay != nil {
            faults.activatedAt[r] = .infinity
        }
        return faults
    }

    /// Simulates replication `i` (0-based) and returns its metrics; `curve` then holds its s(t).
    ///
    /// One incident, in the order of docs/model.md: the faults and the failover they set going (health
    /// checks, DNS answers, the load balancer's routing, activations); which resolvers floor or extend
    /// the TTL; each cohort's move through its caches and connections at each answer change; the
    /// service that follows (routing, capacity, scaling, writes), whose s(t) gives the metrics.
    public func run(replication i: Int) throws(KernelError) -> ReplicationResult {
        if sharing.alone { shared.start(replications: i..<i + 1) }
        let slot = shared.slot(i)
        streams.rekey(replication: i)
        let horizon = ModelTime.microseconds(config.horizon)
        let (model, initialAnswer) = try failover(slot: slot, horizon: horizon)
        year.initialAnswer = initialAnswer
        drawResolverClasses(slot: slot)
        moveCohorts(model.route53, slot: slot, horizon: horizon)
        let events = serviceEvents(model, initialAnswer: initialAnswer)
        builder.sort(moves, horizon: horizon)
        if year.lean {
            serve(events, horizon: horizon)
            let writes = writeAccounting.unreplicatedWrites(faults, streams.writes, conflicts: streams.conflicts)
            return ReplicationResult(
                failedRequests: config.traffic.requestsPerSecond * curve.failedTrafficSeconds(),
                lostWrites: writes.lost)
        }
        let honouring = buildHonouringCurve(events, slot: slot, horizon: horizon)
        serve(events, horizon: horizon)
        var result = report(model, initialAnswer: initialAnswer, detection: events.detection, honouring: honouring)
        if let length = config.year {
            year.simulator = year.simulator ?? YearSimulator(config: config, year: length)
            result.year = try year.simulator!.run(replication: i)
        }
        return result
    }

    /// Which resolvers floor or extend the TTL in this replication (docs/model.md, "Resolvers"): drawn
    /// here, or taken from the point that drew them with the same clients (`SharedWork`).
    func drawResolverClasses(slot: Int) {
        let classes = shared.classGroup[point]
        if !shared.classesDrawn[classes][slot] {
            population.drawClasses(streams.resolvers, key: streams.resolverKey, into: &shared.classes[classes][slot])
            shared.classesDrawn[classes][slot] = true
        }
        population.setClasses(shared.classes[classes][slot])
    }

    /// Each cohort's first answer, then its move at each of `dns`'s answer changes as its caches let go
    /// of the old answer and its connection ends (docs/model.md, "Resolvers", "Client caches",
    /// "Connections"), into `initialTargets` and `moves`. The resolvers' numbers are taken from the
    /// points that share them, or drawn here one change at a time.
    func moveCohorts(_ dns: Route53Checks, slot: Int, horizon: Int64) {
        let changes = dns.changes
        population.initialTargets(health: dns.initialHealth, streams.clients, into: &initialTargets)
        moves.start(from: initialTargets)
        let count = populationPlan.drawCount
        let group = shared.drawGroup[point]
        let departures = ClientPopulation.Departures(
            connections: connections, faults: faults, streams: streams.connections, cap: horizon + 1)
        /// Answer change j's moves, with its resolvers' numbers.
        func move(_ j: Int, _ draws: UnsafeBufferPointer<Double>) {
            population.moves(at: changes[j], number: j + 1, draws: draws, departures, into: &moves)
        }
        if shared.drawsShared[group] && changes.count * count <= shared.drawLimit {
            let draws = shared.draws(group: group, slot: slot, changes: changes.count, count: count) { change, out in
                population.draws(forChange: change, key: streams.connections.resolverKey, into: out)
            }
            draws.withUnsafeBufferPointer { draws in
                for j in changes.indices { move(j, UnsafeBufferPointer(rebasing: draws[j * count..<(j + 1) * count])) }
            }
        } else {
            // Drawn here, one change at a time: the same numbers, in one change's room.
            ownDraws.reserve(count)
            let buffer = UnsafeMutableBufferPointer(start: ownDraws.base, count: count)
            for j in changes.indices {
                population.draws(forChange: j + 1, key: streams.connections.resolverKey, into: buffer)
                move(j, UnsafeBufferPointer(buffer))
            }
        }
    }

    /// What changes the service besides the DNS answers: the faults, the load balancer's routing, each
    /// standby's scale-up time, the first failover signal, and the repointing of the writes (`repoints`
    /// is set).
    func serviceEvents(_ model: FailoverModel, initialAnswer: Config.Target) -> ServiceEvents {
        let lbChanges = model.probers.changes
        let detection = [model.route53.changes.first?.time, lbChanges.first?.time].compactMap { $0 }.min()
        repoints = config.database.writes == .primary ? writeRepoints(initialAnswer: initialAnswer, model: model) : []
        return ServiceEvents(
            faults: faults, lbInitialView: model.probers.initialView, lbChanges: lbChanges,
            scaleUp: config.regions.indices.map { r in
                guard let sb = config.regions[r].standby else { return 0 }
                return ModelTime.microseconds(sb.scaleUp.sample(streams.scaleUps[r]))
            },
            detection: detection, repoints: repoints.map { (ModelTime.microseconds($0.time), $0.toSecondary) })
    }

    /// Serving (docs/model.md, "Traffic", "Replication"): builds s(t) into `curve` from the cohorts'
    /// moves (`builder.sort` sorted them) and `events`, watching the write traffic into each replica
    /// that fails.
    func serve(_ events: ServiceEvents, horizon: Int64) {
        writeAccounting.watchFailingReplicas(faults, horizon: horizon)
        builder.build(
            &curve, initialTargets: initialTargets, events: events, writes: &writeAccounting,
            horizon: horizon)
    }

    /// The replication's metrics (docs/model.md, "What a replication reports"), from `curve`, the
    /// unreplicated writes, the failover's answer changes, the RTO's stages and the stale-DNS tail
    /// (`honouring`: whether `buildHonouringCurve` built a curve without the TTL violators).
    func report(_ model: FailoverModel, initialAnswer: Config.Target, detection: Int64?, honouring: Bool)
        -> ReplicationResult
    {
        let writes = writeAccounting.unreplicatedWrites(faults, streams.writes, conflicts: streams.conflicts)
        let (target, window) = (config.successTarget, config.stableFor)
        let service = curve.recovery(level: target, window: window)
        let rto = service.final
        let writeRTO =
            config.traffic.writeShare > 0 ? curve.recovery(level: target, window: window, writes: true).final : nil
        return ReplicationResult(
            detection: detection.map(ModelTime.seconds),
            rto: rto ?? config.horizon, rtoCensored: rto == nil,
            recovered50: curve.recovery(level: 0.5, window: window).final,
            recovered90: curve.recovery(level: 0.9, window: window).final,
            recovered99: curve.recovery(level: 0.99, window: window).final,
            failedRequests: config.traffic.requestsPerSecond * curve.failedTrafficSeconds(),
            writeRTO: writeRTO, rpo: writes.rpo, lostWrites: writes.lost, delayedWrites: writes.delayed,
            conflictOverwrites: writes.conflicts,
            falseFailovers: model.falseFailovers(initialAnswer: initialAnswer),
            breakdown: rtoBreakdown(rto: rto, model: model),
            failedAttempts: config.traffic.requestsPerSecond * curve.failedAttemptSeconds(),
            mrscWriteLatency: mrscWriteLatency(),
            firstRecovery: service.first, timeBelowTarget: service.timeBelow, relapses: service.relapses,
            staleTail: staleTail(honouring: honouring, model: model, rto: rto))
    }

    /// MRSC's added latency of one successful write [s] (`WriteLatency`); nil under MREC or with no writes.
    func mrscWriteLatency() -> Double? {
        guard config.database.mode == .mrsc, config.traffic.writeShare > 0 else { return nil }
        return WriteLatency.sample(
            curve, faults, witness: config.database.witness != nil, lag: config.database.replicationLag,
            streams.writeLatency)
    }

    /// Gives back the buffers that grow with the incident's moves (the moves, their sort, the curve's
    /// steps): a worker running several points holds them for the point it is running only.
    func releaseScratch() {
        moves.release()
        builder.releaseMoveBuffers()
        ownDraws.release()
        curve = SuccessCurve()
    }

    /// The faults and the failover simulation of the replication in `slot` (`faults` and `faultSpans` are set),
    /// with the DNS answer before the fault: run here, or taken from the point that ran them with the
    /// same inputs (`SharedWork`).
    func failover(slot: Int, horizon: Int64) throws(KernelError) -> (FailoverModel, initialAnswer: Config.Target) {
        let group = shared.failoverGroup[point]
        if let done = shared.failover[group][slot] {
            faults = done.faults
            faultSpans = done.spans
            return (done.model, done.initialAnswer)
        }
        faults = sampleFaults()
        sim.scheduler.reset()
        try sim.setUp { [faults] (model, scheduler) throws(KernelError) in
            try model.start(faults: faults, scheduler: &scheduler)
        }
        let initialAnswer = sim.model.answer
        try sim.run(until: SimTime(microseconds: horizon))
        faults = sim.model.faults  // with the activation times that happened
        if shared.failoverShared[group] {
            shared.failover[group][slot] = SharedWork.Failover(
                model: sim.model, initialAnswer: initialAnswer, faults: faults, spans: faultSpans)
        }
        return (sim.model, initialAnswer)
    }

    /// `writes: primary`: the app's writes follow the failover signal both ways. The signal is on while
    /// the DNS failover answer differs from the one before the fault, or the load balancer sees the
    /// primary's backend down; each time it turns on or off, writes are repointed (to the secondary's
    /// table, or back to the primary's) after a reconfiguration delay of their own [s].
    func writeRepoints(initialAnswer: Config.Target, model m: FailoverModel) -> [WriteRepointing] {
        let primary = servicePlan.writeRegions.0
        var signals: [(dns: Bool?, lb: Bool?, signal: FailoverModel.Signal)] = m.route53.changes.map {
            ($0.target != initialAnswer, nil, $0.signal)
        }
        signals += m.probers.changes.filter { $0.backend == primary }.map { (nil, !$0.healthy, $0.signal) }
        signals.sort { $0.signal.arrived < $1.signal.arrived }
        var dnsAway = false
        var lbAway = false
        var on = false
        var out: [WriteRepointing] = []
        for s in signals {
            if let d = s.dns { dnsAway = d }
            if let l = s.lb { lbAway = l }
            guard (dnsAway || lbAway) != on else { continue }
            on.toggle()
            let delay = config.database.writeFailoverDelay.sample(streams.repoint(out.count))
            let at = max(ModelTime.seconds(s.signal.arrived) + delay, out.last?.time ?? 0)
            out.append(WriteRepointing(time: at, toSecondary: on, signal: s.signal))
        }
        return out
    }
}

/// One repointing of the app's writes (`writes: primary`), with the health signal that set it going.
public struct WriteRepointing: Sendable {
    /// When the writes reach their new table [s].
    public var time: Double
    /// To the secondary's table (true), or back to the primary's (false).
    public var toSecondary: Bool
    var signal: FailoverModel.Signal
}

/// What a year of operation (`YearSimulator`) sets on the incidents it runs and reads back, and the year
/// a simulator's own replications add when the config has one.
struct YearHooks {
    /// Each fault's start and duration [s], in `config.faults`' order, taken instead of drawing them.
    /// nil: drawn from the faults' streams.
    var faultDraws: [(start: Double, duration: Double)]?
    /// Spells in which a health check's aggregate is unhealthy whatever its checkers probe [s], added
    /// to the faults (per-probe loss between a year's events, `QuietProbeLoss`).
    var forcedVerdicts: [(check: Int, from: Double, until: Double)] = []
    /// Report only what a year adds up (`YearTally`): no stale-DNS tail, RTO stages or recovery times.
    var lean = false
    /// The DNS failover answer before the last replication's faults.
    var initialAnswer = Config.Target.region(0)
    /// The replications' year of operation, when the config has one (made at the first replication).
    var simulator: YearSimulator?
}
