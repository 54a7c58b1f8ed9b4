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
    /// Writes lost to last-writer-wins (MREC with a key space; empty otherwise).
    case conflictOverwrites = "conflict_overwrites"
    case falseFailovers = "false_failovers"
    /// Attempts that failed, retries included (`failed_requests` counts what users saw fail).
    case failedAttempts = "failed_attempts"
    /// The latency MRSC adds to one write drawn from the incident's successful writes (empty under MREC).
    case mrscWriteLatency = "mrsc_write_latency_s"

    /// The unit of the metric's values, as tables show it: `s`, `req`, `writes` or `count`.
    public var unit: String {
        switch self {
        case .detection, .rto, .recovered50, .recovered90, .recovered99, .writeRTO, .rpo, .mrscWriteLatency: "s"
        case .failedRequests, .failedAttempts: "req"
        case .lostWrites, .delayedWrites, .conflictOverwrites: "writes"
        case .falseFailovers: "count"
        }
    }

    /// The unit of the metric named `name` in a result file; "" for a name this version does not know.
    public static func unit(of name: String) -> String { Metric(rawValue: name)?.unit ?? "" }
}
