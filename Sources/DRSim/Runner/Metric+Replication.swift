import DRSimResults

/// A metric as the model produces it (docs/model.md, "What a replication reports").
extension Metric {
    /// The value of this metric in one replication, nil if it never happened or does not apply.
    public func value(_ r: ReplicationResult) -> Double? {
        switch self {
        case .detection: r.detection
        case .rto: r.rto
        case .recovered50: r.recovered50
        case .recovered90: r.recovered90
        case .recovered99: r.recovered99
        case .failedRequests: r.failedRequests
        case .writeRTO: r.writeRTO
        case .rpo: r.rpo
        case .lostWrites: Double(r.lostWrites)
        case .delayedWrites: Double(r.delayedWrites)
        case .conflictOverwrites: r.conflictOverwrites.map(Double.init)
        case .falseFailovers: Double(r.falseFailovers)
        case .failedAttempts: r.failedAttempts
        case .mrscWriteLatency: r.mrscWriteLatency
        case .firstRecovery: r.firstRecovery
        case .timeBelowTarget: r.timeBelowTarget
        case .relapses: Double(r.relapses)
        case .staleShare5m: r.staleTail.staleShares[0]
        case .staleShare15m: r.staleTail.staleShares[1]
        case .staleShare30m: r.staleTail.staleShares[2]
        case .rtoHonouring: r.staleTail.rtoHonouring
        case .falseFailoversPerYear: r.year.map { $0.perYear(Double($0.falseFailovers)) }
        case .failbacksPerYear: r.year.map { $0.perYear(Double($0.failbacks)) }
        case .downtimePerYear: r.year.map { $0.perYear($0.downtimeMinutes) }
        case .downtimeBlipsPerYear: r.year.map { $0.perYear($0.downtimeBlipsMinutes) }
        case .downtimeFalseFailoversPerYear: r.year.map { $0.perYear($0.downtimeFalseFailoversMinutes) }
        case .downtimeOutagesPerYear: r.year.map { $0.perYear($0.downtimeOutagesMinutes) }
        case .availability: r.year?.availability
        case .writeDowntimePerYear: r.year.map { $0.perYear($0.writeDowntimeMinutes) }
        case .lostWritesPerYear: r.year.map { $0.perYear(Double($0.lostWrites)) }
        case .costPerMonth: r.cost?.total
        case .costHealthChecks: r.cost?.healthChecks
        case .costDNSQueries: r.cost?.dnsQueries
        case .costCapacity: r.cost?.capacity
        case .costReplicatedWrites: r.cost?.replicatedWrites
        case .costLoadBalancer: r.cost?.loadBalancer
        case .costDowntime: r.cost?.downtime
        }
    }
    /// Whether the metric has values in a config (`absence(in:)` says why not).
    public func applies(to config: Config) -> Bool { absence(in: config) == nil }

    /// Why the metric has no values in `config`, in words for an error message; nil when it has.
    public func absence(in config: Config) -> String? {
        if let why = absence(traffic: config.traffic, database: config.database, year: config.year) { return why }
        let business = (config.cost ?? .listPrices).business
        guard self == .costDowntime, business.perFailedRequest == nil, business.perMinuteDown == nil else { return nil }
        return "it needs a business price: set cost.business.per_failed_request or cost.business.per_minute_down"
    }

    /// Why the metric has no values with these sections, in words for an error message; nil when it has:
    /// write metrics need writes, `mrsc_write_latency_s` MRSC, `conflict_overwrites` MREC with a key space,
    /// and the metrics of a year a simulated year.
    public func absence(traffic: Config.Traffic, database: Config.Database, year: Config.Year?) -> String? {
        if Metric.perYear.contains(self) && year == nil {
            return "it is a metric of a year of operation, and none is simulated: "
                + "add a \"year\" section to the config or run with --year"
        }
        let writes: Set<Metric> = [.writeRTO, .mrscWriteLatency, .conflictOverwrites]
        if writes.contains(self) && traffic.writeShare == 0 { return "it has no writes: traffic.write_share is 0" }
        switch self {
        case .mrscWriteLatency where database.mode != .mrsc:
            return "it is the latency MRSC adds to a write, and database.mode is \(database.mode.rawValue)"
        case .conflictOverwrites where database.mode != .mrec:
            return "last-writer-wins conflicts need MREC, and database.mode is \(database.mode.rawValue)"
        case .conflictOverwrites where database.keySpace == nil:
            return "database.key_space is false: no conflicts are counted"
        default: return nil
        }
    }

    /// Whether the event did not happen before the horizon (`rto_s`: the target was never held).
    public func censored(_ r: ReplicationResult) -> Bool {
        switch self {
        case .rto: r.rtoCensored
        default: value(r) == nil
        }
    }

    /// This metric over `results`, a censored value standing for `config`'s horizon; empty where the
    /// metric does not apply (docs/model.md, "Statistics").
    public func sample(_ results: [ReplicationResult], config: Config) -> Sample {
        var s = Sample()
        guard applies(to: config) else { return s }
        s.values.reserveCapacity(results.count)
        s.censored.reserveCapacity(results.count)
        for r in results { s.append(value(r) ?? config.horizon, censored: censored(r)) }
        return s
    }
}
