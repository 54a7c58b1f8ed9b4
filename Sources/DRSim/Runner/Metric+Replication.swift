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
        }
    }
    /// Whether the metric applies to a config: writes lost to last-writer-wins need MREC, writes and a
    /// key space, and with no writes there is no write recovery.
    public func applies(to config: Config) -> Bool {
        switch self {
        case .conflictOverwrites:
            config.database.mode == .mrec && config.traffic.writeShare > 0 && config.database.keySpace != nil
        case .writeRTO: config.traffic.writeShare > 0
        case .mrscWriteLatency: config.database.mode == .mrsc && config.traffic.writeShare > 0
        default: true
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
