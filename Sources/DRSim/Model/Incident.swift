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
    public var rpo: Double
    public var lostWrites: Int

    public init(detection: Double? = nil, rto: Double = 0, rtoCensored: Bool = false, recovered50: Double? = nil,
                recovered90: Double? = nil, recovered99: Double? = nil, failedRequests: Double = 0, rpo: Double = 0, lostWrites: Int = 0) {
        self.detection = detection
        self.rto = rto
        self.rtoCensored = rtoCensored
        self.recovered50 = recovered50
        self.recovered90 = recovered90
        self.recovered99 = recovered99
        self.failedRequests = failedRequests
        self.rpo = rpo
        self.lostWrites = lostWrites
    }
}

/// Runs replications of one config. Holds everything one worker reuses between replications (random
/// streams, the simulation, scratch arrays), so a replication allocates almost nothing.
/// Not thread-safe: one per worker.
public final class IncidentSimulator {
    public let config: Config
    let failoverPlan: FailoverModel.Plan
    let populationPlan: ClientPopulation.Plan
    var population: ClientPopulation
    let checkStreams: [RandomStream]
    let faultStream: RandomStream
    let resolverStream: RandomStream
    let clientStream: RandomStream
    let writeStream: RandomStream
    var sim: Simulation<FailoverModel>
    var moves: [ClientPopulation.Move] = []
    var cohortAnswer: [Int32] = []
    var scratch: [ClientPopulation.Move] = []
    /// The success curve of the last replication run.
    public private(set) var curve = SuccessCurve()
    /// The answer changes of the last replication run: when [s] and to which region.
    public var answerChanges: [(time: Double, region: Int)] { sim.model.changes }

    public init(config: Config) {
        self.config = config
        failoverPlan = FailoverModel.Plan(config)
        populationPlan = ClientPopulation.Plan(config)
        population = ClientPopulation(plan: populationPlan)
        let key = StreamKey(seed: config.seed, replication: 0, component: "")
        checkStreams = config.healthChecks.map { _ in RandomStream(key: key) }
        faultStream = RandomStream(key: key)
        resolverStream = RandomStream(key: key)
        clientStream = RandomStream(key: key)
        writeStream = RandomStream(key: key)
        sim = Simulation(model: FailoverModel(plan: failoverPlan, streams: checkStreams))
    }

    /// The stream key of a component in a replication.
    func key(_ replication: Int, _ component: String) -> StreamKey {
        StreamKey(seed: config.seed, replication: UInt64(replication), component: component)
    }

    /// Simulates replication `i` (0-based) and returns its metrics; `curve` then holds its s(t).
    public func run(replication i: Int) throws(KernelError) -> ReplicationResult {
        for (c, h) in config.healthChecks.enumerated() { checkStreams[c].rekey(key(i, "healthcheck/" + h.id)) }
        faultStream.rekey(key(i, "faults"))
        resolverStream.rekey(key(i, "resolvers"))
        clientStream.rekey(key(i, "clients"))
        writeStream.rekey(key(i, "writes"))

        // The fault.
        var faults = FaultTimeline(regions: config.regions.count)
        for f in config.faults {
            faults.downFrom[f.region] = 0
            faults.downUntil[f.region] = f.duration.map { $0.sample(faultStream) } ?? .infinity
            faults.mode[f.region] = f.mode
        }

        // Health checks and DNS answers.
        sim.scheduler.reset()
        try sim.setUp { (model, scheduler) throws(KernelError) in try model.start(faults: faults, scheduler: &scheduler) }
        let initialAnswer = sim.model.answer
        try sim.run(until: SimTime(seconds: config.horizon))
        let changes = sim.model.changes

        // Caches between Route 53 and the users, and the success fraction.
        population.drawResolvers(resolverStream)
        moves.removeAll(keepingCapacity: true)
        let horizon = SimTime(seconds: config.horizon).microseconds
        var answers = [initialAnswer]
        for (j, ch) in changes.enumerated() {
            answers.append(ch.region)
            population.moves(forChange: j + 1, at: SimTime(seconds: ch.time).microseconds, cap: horizon + 1,
                             clientStream, into: &moves)
        }
        curve.build(answers: answers, moves: &moves, weights: populationPlan.weight, totalWeight: populationPlan.totalWeight,
                    faults: faults, horizon: horizon, cohortAnswer: &cohortAnswer, scratch: &scratch)

        // Writes in flight in a region that fails at t = 0 are lost (all traffic follows the answer).
        var writeRate = 0.0
        for f in config.faults where faults.isDown(f.region, at: 0) && initialAnswer == f.region {
            writeRate += config.traffic.requestsPerSecond * config.traffic.writeShare
        }
        let loss = WriteLoss.sample(writeRate: writeRate, lag: config.database.replicationLag, writeStream)

        let rto = curve.recoveryTime(target: config.successTarget, window: config.stableFor)
        return ReplicationResult(
            detection: changes.first?.time,
            rto: rto ?? config.horizon, rtoCensored: rto == nil,
            recovered50: curve.firstReach(0.5), recovered90: curve.firstReach(0.9), recovered99: curve.firstReach(0.99),
            failedRequests: config.traffic.requestsPerSecond * curve.failedTrafficSeconds(),
            rpo: loss.rpo, lostWrites: loss.lostWrites)
    }
}
