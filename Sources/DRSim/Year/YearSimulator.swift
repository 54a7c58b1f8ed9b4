import DRSimKernel

/// One year of operation per replication (docs/model.md, "A year of operation").
///
/// The year's events are drawn from `noise` (`YearEvent.draw`); events whose consequences overlap
/// (one starts before another has ended plus the config's horizon) form a group, and each group is
/// simulated as one incident with the incident machinery, from the steady state, with the group's
/// faults at their drawn times. Quiet time between groups is skipped: nothing in it changes a metric
/// (per-probe loss outside the groups is `QuietProbeLoss`'s). Not thread-safe: one per worker.
final class YearSimulator {
    let config: Config
    let year: Config.Year
    /// `year`: the noise events; `year/probes`: the probes' transient failures.
    let stream: RandomStream
    let probes: RandomStream
    private var seed: UInt64 { config.seed }
    /// An incident simulator per group shape (its events' kinds, regions and cut-off checker regions, and
    /// a horizon bucket), made when first needed and reused.
    private var incidents: [Shape: IncidentSimulator] = [:]

    struct Shape: Hashable {
        var events: [Part]
        /// The incident's horizon [s]: the group's span plus the settling time, rounded up to a power of 2.
        var horizon: Double
        struct Part: Hashable {
            var kind: YearEvent.Kind
            var region: Int
            var checkerRegions: [Int]
        }
    }

    init(config: Config, year: Config.Year) {
        self.config = config
        self.year = year
        stream = RandomStream(key: StreamKey(seed: config.seed, replication: 0, component: "year"))
        probes = RandomStream(key: StreamKey(seed: config.seed, replication: 0, component: "year/probes"))
    }

    /// Simulates replication-year `i`: its events, each group's incident, and what they add up to.
    func run(replication i: Int) throws(KernelError) -> YearResult {
        stream.rekey(StreamKey(seed: seed, replication: UInt64(i), component: "year"))
        let seconds = year.lengthDays * 86_400
        probes.rekey(StreamKey(seed: seed, replication: UInt64(i), component: "year/probes"))
        let events = YearEvent.sorted(
            YearEvent.draw(config.noise, regions: config.regions.count, seconds: seconds, stream)
                + YearEvent.probeLoss(config, seconds: seconds, probes))
        var tally = YearTally()
        tally.count(events)
        for (g, group) in YearEvent.groups(events, settle: config.horizon).enumerated() {
            try simulate(group, key: Self.incidentKey(year: i, group: g), into: &tally)
        }
        return tally.result(seconds: seconds)
    }

    /// The replication index whose streams group `g` of year `i` draws from: apart from every incident
    /// replication's (those are below 2^62) and from every other group's.
    static func incidentKey(year i: Int, group g: Int) -> Int { (1 << 62) | (i << 24) | (g & 0xFF_FFFF) }

    /// Runs one group's incident and adds its consequences to `tally`.
    private func simulate(_ group: ArraySlice<YearEvent>, key: Int, into tally: inout YearTally) throws(KernelError) {
        let origin = group.first!.start
        let span = group.map { $0.start + $0.duration }.max()! - origin
        var horizon = 64.0
        while horizon < span + config.horizon { horizon *= 2 }
        let shape = Shape(
            events: group.map { Shape.Part(kind: $0.kind, region: $0.region, checkerRegions: $0.checkerRegions) },
            horizon: horizon)
        let sim = incident(for: shape)
        sim.year.faultDraws = group.filter { $0.kind != .probeLoss }.map { ($0.start - origin, $0.duration) }
        sim.year.forcedVerdicts = group.filter { $0.kind == .probeLoss }.map {
            ($0.region, $0.start - origin, $0.start - origin + $0.duration)
        }
        let result = try sim.run(replication: key)
        tally.add(sim, result, group: group, origin: origin, lbPrimary: config.loadBalancer?.backends.first)
    }

    private func incident(for shape: Shape) -> IncidentSimulator {
        if let sim = incidents[shape] { return sim }
        var c = config
        c.year = nil
        c.database.keySpace = nil  // a year counts lost writes, not last-writer-wins conflicts
        c.horizon = shape.horizon
        c.faults = shape.events.filter { $0.kind != .probeLoss }.enumerated().map { k, part in
            Self.fault(part, id: "year-\(k)", noise: config.noise)
        }
        let sim = IncidentSimulator(config: c)
        sim.year.lean = true
        incidents[shape] = sim
        return sim
    }

    /// The fault an event is, with placeholder times (`IncidentSimulator.faultDraws` gives the real ones).
    static func fault(_ e: Shape.Part, id: String, noise: Config.Noise) -> Config.Fault {
        var f = Config.Fault(
            id: id, kind: .regionOutage, region: e.region, healthCheck: nil, checkerRegions: [],
            start: .fixed(0), duration: .fixed(1), mode: .blackhole, scope: .both, impairment: .slowed, share: 0,
            lagMultiplier: 1)
        switch e.kind {
        case .probeLoss: preconditionFailure("a probe-loss spell is a verdict, not a fault")
        case .outage:
            f.mode = noise.outages.mode == .refused ? .refused : .blackhole
        case .checkerPath:
            f.kind = .checkerBlocked
            f.checkerRegions = e.checkerRegions.map { Config.HealthCheck.route53CheckerRegions[$0] }
        case .blip:
            f.scope = .app
            switch noise.blips.mode {
            case .blackhole: f.mode = .blackhole
            case .refused: f.mode = .refused
            case .error5xx:
                f.kind = .partial
                f.share = 1
            case .hang: f.kind = .appUnresponsive
            }
        }
        return f
    }
}

/// What a year's groups add up to (docs/model.md, "A year of operation").
struct YearTally {
    var result = YearResult()
    var failedSeconds = 0.0

    /// Adds one group's incident: its failovers and failbacks (DNS moving the answer away from the one
    /// before the group and back; the load balancer dropping its first backend and taking it back), false
    /// when no real outage in the group had started by then; its failed traffic by cause.
    mutating func add(
        _ sim: IncidentSimulator, _ r: ReplicationResult, group: ArraySlice<YearEvent>, origin: Double,
        lbPrimary: Int?
    ) {
        result.groups += 1
        let outageStart = group.first { $0.kind == .outage }.map { $0.start - origin }
        var moves: [(time: Double, away: Bool)] = []
        var previous = sim.initialAnswer
        for c in sim.answerChanges {
            if previous == sim.initialAnswer && c.target != previous { moves.append((c.time, true)) }
            if previous != sim.initialAnswer && c.target == sim.initialAnswer { moves.append((c.time, false)) }
            previous = c.target
        }
        if let lbPrimary {
            for c in sim.routingChanges where c.backend == lbPrimary { moves.append((c.time, !c.healthy)) }
        }
        var falseFailovers = 0
        for m in moves {
            if m.away {
                result.failovers += 1
                if outageStart.map({ m.time < $0 }) ?? true { falseFailovers += 1 }
            } else {
                result.failbacks += 1
            }
        }
        result.falseFailovers += falseFailovers
        let failed = sim.curve.failedTrafficSeconds()
        failedSeconds += failed
        let minutes = failed / 60
        if outageStart != nil {
            result.downtimeOutagesMinutes += minutes
        } else if falseFailovers > 0 {
            result.downtimeFalseFailoversMinutes += minutes
        } else {
            result.downtimeBlipsMinutes += minutes
        }
        result.downtimeMinutes += minutes
        result.writeDowntimeMinutes += sim.config.traffic.writeShare > 0 ? sim.curve.failedWriteSeconds() / 60 : 0
        result.lostWrites += r.lostWrites
    }

    /// Counts the year's events by class.
    mutating func count(_ events: [YearEvent]) {
        for e in events {
            switch e.kind {
            case .blip: result.blips += 1
            case .checkerPath: result.checkerPathProblems += 1
            case .outage: result.outages += 1
            case .probeLoss: result.probeLossSpells += 1
            }
        }
    }

    func result(seconds: Double) -> YearResult {
        var out = result
        out.availability = 1 - failedSeconds / seconds
        out.years = seconds / YearEvent.secondsPerYear
        return out
    }
}
