import DRSimKernel

/// What one replication reports (MODEL.md section 10). Optional values are empty when the event never
/// happened before the horizon.
public struct ReplicationResult: Sendable, Equatable {
    public var detection: Double?
    /// Censored at the horizon when the success target was never held (`rtoCensored`).
    public var rto: Double
    public var rtoCensored: Bool
    public var recovered50: Double?
    public var recovered90: Double?
    public var recovered99: Double?
    public var failedRequests: Double
    /// Fault start until the share of writes that succeed reaches the success target and holds it.
    public var writeRTO: Double?
    public var rpo: Double
    public var lostWrites: Int
    /// Failovers with no fault behind them: DNS moving traffic down the failover order away from a
    /// region that was serving normally, or the load balancer dropping such a backend.
    public var falseFailovers: Int

    public init(detection: Double? = nil, rto: Double = 0, rtoCensored: Bool = false, recovered50: Double? = nil,
                recovered90: Double? = nil, recovered99: Double? = nil, failedRequests: Double = 0, writeRTO: Double? = nil,
                rpo: Double = 0, lostWrites: Int = 0, falseFailovers: Int = 0) {
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
        self.falseFailovers = falseFailovers
    }
}

/// Runs replications of one config. Holds everything one worker reuses between replications (random
/// streams, the simulation, scratch arrays), so a replication allocates almost nothing.
/// Not thread-safe: one per worker.
public final class IncidentSimulator {
    public let config: Config
    let failoverPlan: FailoverModel.Plan
    let populationPlan: ClientPopulation.Plan
    let servicePlan: ServicePlan
    var population: ClientPopulation
    let checkStreams: [RandomStream]
    let lbStream: RandomStream
    let faultStream: RandomStream
    let resolverStream: RandomStream
    let clientStream: RandomStream
    let writeStream: RandomStream
    var sim: Simulation<FailoverModel>
    var moves: [ClientPopulation.Move] = []
    var cohortChange: [Int16] = []
    var cohortTarget: [Int16] = []
    var initialTargets: [Int16] = []
    var scratch: [ClientPopulation.Move] = []
    /// The success curve of the last replication run.
    public private(set) var curve = SuccessCurve()
    /// The DNS answer changes of the last replication run: when [s] and the failover answer (under
    /// weighted and latency routing, every change of the records' health).
    public var answerChanges: [(time: Double, target: Config.Target)] { sim.model.changes.map { ($0.time, $0.target) } }
    /// The load balancer's routing changes of the last replication run.
    public var routingChanges: [(time: Double, backend: Int, healthy: Bool)] { sim.model.lbChanges }

    public init(config: Config) {
        self.config = config
        failoverPlan = FailoverModel.Plan(config)
        populationPlan = ClientPopulation.Plan(config)
        servicePlan = ServicePlan(config, totalWeight: populationPlan.totalWeight)
        population = ClientPopulation(plan: populationPlan)
        let key = StreamKey(seed: config.seed, replication: 0, component: "")
        checkStreams = config.healthChecks.map { _ in RandomStream(key: key) }
        lbStream = RandomStream(key: key)
        faultStream = RandomStream(key: key)
        resolverStream = RandomStream(key: key)
        clientStream = RandomStream(key: key)
        writeStream = RandomStream(key: key)
        sim = Simulation(model: FailoverModel(plan: failoverPlan, streams: checkStreams, lbStream: lbStream))
    }

    /// The stream key of a component in a replication.
    func key(_ replication: Int, _ component: String) -> StreamKey {
        StreamKey(seed: config.seed, replication: UInt64(replication), component: component)
    }

    /// Simulates replication `i` (0-based) and returns its metrics; `curve` then holds its s(t).
    public func run(replication i: Int) throws(KernelError) -> ReplicationResult {
        for (c, h) in config.healthChecks.enumerated() { checkStreams[c].rekey(key(i, "healthcheck/" + h.id)) }
        lbStream.rekey(key(i, "loadbalancer"))
        faultStream.rekey(key(i, "faults"))
        resolverStream.rekey(key(i, "resolvers"))
        clientStream.rekey(key(i, "clients"))
        writeStream.rekey(key(i, "writes"))
        let horizonSeconds = config.horizon

        // The faults, and which regions wait for activation.
        var faults = FaultTimeline(regions: config.regions.count, checks: config.healthChecks.count)
        var outages: [(time: Int64, region: Int)] = []
        for f in config.faults {
            let start = f.start.sample(faultStream)
            let end = f.duration.map { start + $0.sample(faultStream) } ?? .infinity
            faults.add(f, from: start, until: end, healthChecks: config.healthChecks)
            if f.kind == .regionOutage { outages.append((SimTime(seconds: start).microseconds, f.region!)) }
        }
        for (r, region) in config.regions.enumerated() where region.activationDelay != nil { faults.activatedAt[r] = .infinity }

        // Health checks, DNS answers, the load balancer's routing, activations.
        sim.scheduler.reset()
        try sim.setUp { (model, scheduler) throws(KernelError) in try model.start(faults: faults, scheduler: &scheduler) }
        let initialAnswer = sim.model.answer
        try sim.run(until: SimTime(seconds: horizonSeconds))
        faults = sim.model.faults   // with the activation times that happened
        let changes = sim.model.changes
        let lbChanges = sim.model.lbChanges

        // Caches between Route 53 and the users.
        population.drawResolvers(resolverStream)
        moves.removeAll(keepingCapacity: true)
        let horizon = SimTime(seconds: horizonSeconds).microseconds
        population.initialTargets(health: sim.model.initialHealth, clientStream, into: &initialTargets)
        var generated = initialTargets
        for (j, ch) in changes.enumerated() {
            population.moves(forChange: j + 1, at: SimTime(seconds: ch.time).microseconds, health: ch.health, cohortTarget: &generated,
                             keepalive: config.clients.keepalive, faults: faults, cap: horizon + 1, clientStream, into: &moves)
        }

        // Routing, capacity, scaling and writes.
        let firstSignal = [changes.first?.time, lbChanges.first?.time].compactMap { $0 }.min()
        let detection = firstSignal.map { SimTime(seconds: $0).microseconds }
        var events = ServiceEvents(
            lbInitialView: sim.model.lbInitialView, lbChanges: lbChanges.map { (SimTime(seconds: $0.time).microseconds, $0.backend, $0.healthy) },
            scaleUp: config.regions.map { r in r.standby.map { SimTime(seconds: $0.scaleUp.sample(faultStream)).microseconds } ?? 0 },
            detection: detection, writeFailover: nil, outages: outages)
        if config.database.writes == .primary, let d = detection {
            events.writeFailover = d + SimTime(seconds: config.database.writeFailoverDelay.sample(faultStream)).microseconds
        }
        let lostInto = curve.build(initialTargets: initialTargets, moves: &moves, weights: populationPlan.weight, totalWeight: populationPlan.totalWeight,
                                   faults: faults, plan: servicePlan, events: events, horizon: horizon,
                                   cohortChange: &cohortChange, cohortTarget: &cohortTarget, scratch: &scratch)

        // Writes in flight in a region when it fails are lost (MREC); MRSC loses none.
        var lost = 0, rpo = 0.0
        if config.database.mode == .mrec {
            for (k, o) in outages.enumerated() {
                let rate = Double(lostInto[k]) / Double(populationPlan.totalWeight) * config.traffic.requestsPerSecond * config.traffic.writeShare
                let m = faults.lagMultiplier(o.region, at: Double(o.time) / 1_000_000)
                let loss = WriteLoss.sample(writeRate: rate, lag: config.database.replicationLag, multiplier: m, writeStream)
                lost += loss.lostWrites
                rpo = max(rpo, loss.rpo)
            }
        }

        // Failovers with nothing wrong behind them: DNS moving traffic down the failover order away
        // from a region serving normally (any record turning unhealthy so, under weighted and latency
        // routing), or the load balancer dropping such a backend.
        var falseFailovers = 0
        func order(_ t: Config.Target) -> Int { config.dns.records.firstIndex { $0.target == t } ?? 0 }
        var before = initialAnswer
        var health = sim.model.initialHealth
        for ch in changes {
            if config.dns.policy == .failover {
                if order(ch.target) > order(before), case let .region(r) = before, faults.condition(r, at: ch.time) == .ok { falseFailovers += 1 }
            } else {
                for (k, rec) in config.dns.records.enumerated() where health[k] && !ch.health[k] {
                    if case let .region(r) = rec.target, faults.condition(r, at: ch.time) == .ok { falseFailovers += 1 }
                }
            }
            before = ch.target
            health = ch.health
        }
        let rto = curve.recoveryTime(target: config.successTarget, window: config.stableFor)
        return ReplicationResult(
            detection: firstSignal,
            rto: rto ?? horizonSeconds, rtoCensored: rto == nil,
            recovered50: curve.firstReach(0.5), recovered90: curve.firstReach(0.9), recovered99: curve.firstReach(0.99),
            failedRequests: config.traffic.requestsPerSecond * curve.failedTrafficSeconds(),
            writeRTO: curve.recoveryTime(target: config.successTarget, window: config.stableFor, writes: true),
            rpo: rpo, lostWrites: lost, falseFailovers: falseFailovers)
    }
}
