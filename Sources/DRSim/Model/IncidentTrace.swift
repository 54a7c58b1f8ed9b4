import DRSimKernel

/// One state change of a replayed incident (`drsim run --replication N --trace FILE`): when, which
/// component, what happened, and the details as JSON fields (docs/config.md, "One incident, replayed and explained").
public struct TraceEvent: Sendable, Equatable {
    /// [s] from the earliest fault's start.
    public var time: Double
    /// `fault`, `health_check`, `dns`, `load_balancer`, `region`, `database`, `traffic` or `recovery`.
    public var component: String
    public var event: String
    public var fields: [String: JSON]

    /// The event as one line of JSON: `t_s`, `component`, `event`, then its fields.
    public var jsonLine: String {
        var o = fields
        o["t_s"] = .number(time)
        o["component"] = .string(component)
        o["event"] = .string(event)
        return JSON.object(o).serialized(indent: 0, step: 0).replacingOccurrences(of: "\n", with: "")
    }
}

extension IncidentSimulator {
    /// Replays replication `i` (0-based) exactly as a run does (the same streams, so the same metrics as
    /// that row of a run's replications.csv) and returns its metrics with the state changes that made
    /// them, in time order: each fault starting and ending; each change of a health check's status
    /// (Route 53's aggregate of its checkers) and of the DNS answer it led to; the load balancer's
    /// verdicts and routing; activations and scale-ups; write repointing; the share of traffic served
    /// each time it crosses a tenth; the recovery points; and the writes left unreplicated.
    public func trace(replication i: Int) throws(KernelError) -> (ReplicationResult, [TraceEvent]) {
        population.recordsClasses = true
        defer { population.recordsClasses = false }
        var result = try run(replication: i)
        result.cost = CostModel.estimate(config, year: result.year)  // as the run's row has it
        var events: [TraceEvent] = []
        func add(_ t: Double, _ component: String, _ event: String, _ fields: [String: JSON]) {
            guard t.isFinite else { return }
            events.append(TraceEvent(time: t, component: component, event: event, fields: fields))
        }
        addFaults(add)
        addCheckerViews(add)
        addResolverDrains(add)
        addAnswersAndRouting(add)
        addRegionsAndWrites(add)
        addServedShare(add)
        addRecovery(result, add)
        // Stable: events at one instant keep the order above (cause before effect).
        let order = events.indices.sorted {
            events[$0].time != events[$1].time ? events[$0].time < events[$1].time : $0 < $1
        }
        return (result, order.map { events[$0] })
    }

    /// Where a trace's events go: time [s], component, event, fields (events at ∞ are dropped).
    typealias TraceSink = (Double, String, String, [String: JSON]) -> Void

    /// Each fault's start and end, with what it is.
    func addFaults(_ add: TraceSink) {
        for (k, f) in config.faults.enumerated() where k < faultSpans.count {
            var fields: [String: JSON] = ["id": .string(f.id), "kind": .string(f.kind.rawValue)]
            if let r = f.region { fields["region"] = .string(config.regions[r].name) }
            if let h = f.healthCheck { fields["health_check"] = .string(config.healthChecks[h].id) }
            switch f.kind {
            case .regionOutage:
                fields["mode"] = .string(f.mode.rawValue)
                fields["scope"] = .string(f.scope.rawValue)
            case .partial: fields["share"] = .number(f.share)
            case .replicationImpaired:
                fields["impairment"] = .string(f.impairment.rawValue)
                if f.impairment == .slowed { fields["lag_multiplier"] = .number(f.lagMultiplier) }
            case .checkerBlocked: fields["checker_regions"] = .array(f.checkerRegions.map(JSON.string))
            default: break
            }
            add(faultSpans[k].from, "fault", "start", fields)
            add(faultSpans[k].until, "fault", "end", fields)
        }
    }

    /// Each change of a Route 53 checker's view of its endpoint.
    func addCheckerViews(_ add: TraceSink) {
        let plan = sim.model.plan
        for v in sim.model.route53.viewChanges {
            let j = Int(v.checker)
            let c = Int(plan.checkOfChecker[j])
            add(
                ModelTime.seconds(v.time), "checker", v.healthy ? "sees_healthy" : "sees_unhealthy",
                [
                    "health_check": .string(config.healthChecks[c].id),
                    "checker": .number(Double(j - plan.firstChecker[c] + 1)),
                    "checker_region": .string(plan.checkerRegion[j]),
                    "healthy_checkers": .number(Double(v.healthyCount)),
                    "checkers": .number(Double(config.healthChecks[c].checkers)),
                ])
        }
    }

    /// Each health check status change and the DNS answer it led to; each load-balancer verdict and
    /// the routing change that followed.
    func addAnswersAndRouting(_ add: TraceSink) {
        let model = sim.model
        func name(_ t: Config.Target) -> JSON {
            switch t {
            case .region(let r): .string(config.regions[r].name)
            case .loadBalancer: .string("load_balancer")
            }
        }
        let records = config.dns.records
        for change in model.route53.changes {
            let health = change.health.indices.map { j in
                JSON.object(["record": .string(records[j].id), "healthy": .bool(change.health[j])])
            }
            add(ModelTime.seconds(change.signal.detected), "health_check", "status_change", ["records": .array(health)])
            add(
                ModelTime.seconds(change.time), "dns", "answer",
                ["answer": name(change.target), "records": .array(health)])
        }
        for change in model.probers.changes {
            let backend: JSON = .string(config.regions[change.backend].name)
            let fields: [String: JSON] = ["backend": backend, "healthy": .bool(change.healthy)]
            add(ModelTime.seconds(change.signal.detected), "load_balancer", "verdict", fields)
            add(ModelTime.seconds(change.time), "load_balancer", "routing", fields)
        }
    }

    /// Activations, scale-ups, write repointings and the failures of database replicas.
    func addRegionsAndWrites(_ add: TraceSink) {
        let horizon = ModelTime.microseconds(config.horizon)
        for r in config.regions.indices {
            let region: [String: JSON] = ["region": .string(config.regions[r].name)]
            if faults.activatedAt[r].isFinite && faults.activatedAt[r] > 0 {
                add(faults.activatedAt[r], "region", "activated", region)
            }
            if r < builder.scaledAt.count, builder.scaledAt[r] > 0, builder.scaledAt[r] <= horizon {
                add(ModelTime.seconds(builder.scaleTriggeredAt[r]), "region", "scale_up_started", region)
                add(ModelTime.seconds(builder.scaledAt[r]), "region", "scaled_up", region)
            }
        }
        let (primary, secondary) = servicePlan.writeRegions
        for p in repoints {
            let to = config.regions[p.toSecondary ? secondary : primary].name
            add(p.time, "database", "writes_repointed", ["to": .string(to)])
        }
        for w in writeAccounting.watches {
            add(
                ModelTime.seconds(w.startsAt), "database",
                w.stallOnly ? "replication_stalled" : "replica_failed",
                [
                    "region": .string(config.regions[w.region].name),
                    "writes_back_s": w.arriveAt == Int64.max ? .null : .number(ModelTime.seconds(w.arriveAt)),
                ])
        }
    }

    /// The share of traffic served, each time it crosses a tenth (and where it ends up).
    func addServedShare(_ add: TraceSink) {
        var tenth = Int((curve.value(step: 0) * 10).rounded(.down))
        for k in curve.successWeight.indices.dropFirst() {
            let now = Int((curve.value(step: k) * 10).rounded(.down))
            if now != tenth {
                add(ModelTime.seconds(curve.start[k]), "traffic", "served", ["share": .number(curve.value(step: k))])
                tenth = now
            }
        }
    }

    /// The recovery points, the RTO with its stages, and the writes left unreplicated.
    func addRecovery(_ result: ReplicationResult, _ add: TraceSink) {
        let points = [
            ("recovered_50", result.recovered50), ("recovered_90", result.recovered90),
            ("recovered_99", result.recovered99),
        ]
        for (label, t) in points {
            if let t, t > 0 { add(t, "recovery", label, [:]) }
        }
        if !result.rtoCensored && result.rto > 0 {
            var stages: [String: JSON] = [:]
            for s in RTOBreakdown.Stage.allCases {
                if let b = result.breakdown, b.seconds(s) > 0 { stages[s.column] = .number(b.seconds(s)) }
            }
            let decider: JSON = result.breakdown.map { .string($0.decidedBy.rawValue) } ?? .null
            add(result.rto, "recovery", "rto", ["stages": .object(stages), "decided_by": decider])
        }
        if result.lostWrites > 0 || result.delayedWrites > 0 {
            let at = writeAccounting.watches.map { ModelTime.seconds($0.startsAt) }.min() ?? 0
            add(
                at, "database", "unreplicated_writes",
                [
                    "lost": .number(Double(result.lostWrites)), "delayed": .number(Double(result.delayedWrites)),
                    "rpo_s": .number(result.rpo),
                ])
        }
    }

    /// For each DNS answer change, when each class of resolvers (those that honour the TTL, floor it,
    /// extend it) had let go of the old answer: half and all of the traffic behind the class's
    /// cohorts that moved (all: null when some held it past the horizon).
    func addResolverDrains(_ add: TraceSink) {
        let plan = populationPlan
        let cohorts = plan.weight.count
        let classOf = population.resolverClass
        for change in 1..<sim.model.route53.changes.count + 1 {
            var byClass: [Int: [(time: Double, weight: Int64)]] = [:]
            for m in moves.moves where Int(m.change) == change {
                let c = Int(m.cohort)
                let res = Int(plan.resolverOfCohort[c])
                let k = res < classOf.count ? Int(classOf[res]) : -1
                byClass[k, default: []].append(
                    (moves.letGo(change: change, cohort: c, cohorts: cohorts).resolver, plan.weight[c]))
            }
            for k in byClass.keys.sorted() {
                let list = byClass[k]!.sorted { $0.time < $1.time }
                let total = list.reduce(Int64(0)) { $0 + $1.weight }
                var sum: Int64 = 0
                var half = Double.nan
                for x in list {
                    sum += x.weight
                    if half.isNaN && 2 * sum >= total { half = x.time }
                }
                let behaviour: String
                switch k < 0 ? .honour : plan.classes[k].behaviour {
                case .honour: behaviour = "honour"
                case .floor: behaviour = "floor"
                case .extend: behaviour = "extend"
                case .serveStale: behaviour = "serve_stale"
                }
                let last = list.last!.time
                let done = last <= config.horizon
                add(
                    done ? last : config.horizon, "resolvers", done ? "drained" : "still_draining_at_horizon",
                    [
                        "class": .string(behaviour), "answer_change": .number(Double(change)),
                        "traffic_share": .number(Double(total) / Double(plan.totalWeight)),
                        "half_s": half <= config.horizon ? .number(half) : .null, "all_s": done ? .number(last) : .null,
                    ])
            }
        }
    }
}
