/// Metric names as they appear in the result files (docs/model.md, "What a replication reports").
public enum Metric: String, CaseIterable, Sendable {
    case detection = "detection_s"
    case rto = "rto_s"
    case recovered50 = "recovered_50_s"
    case recovered90 = "recovered_90_s"
    case recovered99 = "recovered_99_s"
    case failedRequests = "failed_requests"
    case writeRTO = "write_rto_s"
    case rpo = "rpo_s"
    case lostWrites = "lost_writes"
    case delayedWrites = "delayed_writes"
    /// Not modelled yet (it needs a key space and a popularity skew): always empty.
    case conflictOverwrites = "conflict_overwrites"
    case falseFailovers = "false_failovers"
    case firstRecovery = "first_recovery_s"
    case timeBelowTarget = "time_below_target_s"
    case relapses = "relapses"

    /// The unit of the metric's values, as tables show it: `s`, `req`, `writes` or `count`.
    public var unit: String {
        switch self {
        case .detection, .rto, .recovered50, .recovered90, .recovered99, .writeRTO, .rpo, .firstRecovery,
            .timeBelowTarget:
            "s"
        case .failedRequests: "req"
        case .lostWrites, .delayedWrites, .conflictOverwrites: "writes"
        case .falseFailovers, .relapses: "count"
        }
    }

    /// The unit of the metric named `name` in a result file; "" for a name this version does not know.
    public static func unit(of name: String) -> String { Metric(rawValue: name)?.unit ?? "" }
}
