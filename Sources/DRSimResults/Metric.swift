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
    case firstRecovery = "first_recovery_s"
    case timeBelowTarget = "time_below_target_s"
    case relapses = "relapses"
    case staleShare5m = "stale_share_5m"
    case staleShare15m = "stale_share_15m"
    case staleShare30m = "stale_share_30m"
    case rtoHonouring = "rto_honouring_s"
    /// Per replication-year (docs/model.md, "A year of operation"); empty when no year is simulated.
    case falseFailoversPerYear = "false_failovers_per_year"
    case failbacksPerYear = "failbacks_per_year"
    /// Traffic-weighted minutes of failed requests in the year, all causes, then by cause.
    case downtimePerYear = "downtime_min_per_year"
    case downtimeBlipsPerYear = "downtime_blips_min_per_year"
    case downtimeFalseFailoversPerYear = "downtime_false_failovers_min_per_year"
    case downtimeOutagesPerYear = "downtime_outages_min_per_year"
    /// The share of the year's requests served.
    case availability = "availability"
    case writeDowntimePerYear = "write_downtime_min_per_year"
    case lostWritesPerYear = "lost_writes_per_year"
    /// Cost per month at list prices (docs/model.md, "Cost"), then its parts.
    case costPerMonth = "cost_per_month"
    case costHealthChecks = "cost_health_checks_per_month"
    case costDNSQueries = "cost_dns_queries_per_month"
    case costCapacity = "cost_capacity_per_month"
    case costReplicatedWrites = "cost_replicated_writes_per_month"
    case costLoadBalancer = "cost_load_balancer_per_month"
    /// The business cost of the year's failed requests and downtime, per month (needs a year).
    case costDowntime = "cost_downtime_per_month"

    /// The unit of the metric's values, as tables show it: `s`, `req`, `writes`, `count`,
    /// `share` (of all traffic), per year (`count/yr`, `min/yr`, `writes/yr`) or `USD/mo`.
    public var unit: String {
        switch self {
        case .detection, .rto, .recovered50, .recovered90, .recovered99, .writeRTO, .rpo, .mrscWriteLatency,
            .firstRecovery, .timeBelowTarget, .rtoHonouring:
            "s"
        case .failedRequests, .failedAttempts: "req"
        case .lostWrites, .delayedWrites, .conflictOverwrites: "writes"
        case .falseFailovers, .relapses: "count"
        case .staleShare5m, .staleShare15m, .staleShare30m, .availability: "share"
        case .falseFailoversPerYear, .failbacksPerYear: "count/yr"
        case .downtimePerYear, .downtimeBlipsPerYear, .downtimeFalseFailoversPerYear, .downtimeOutagesPerYear,
            .writeDowntimePerYear:
            "min/yr"
        case .lostWritesPerYear: "writes/yr"
        case .costPerMonth, .costHealthChecks, .costDNSQueries, .costCapacity, .costReplicatedWrites,
            .costLoadBalancer, .costDowntime:
            "USD/mo"
        }
    }

    /// The metrics of a replication-year (empty without a simulated year).
    public static let perYear: Set<Metric> = [
        .falseFailoversPerYear, .failbacksPerYear, .downtimePerYear, .downtimeBlipsPerYear,
        .downtimeFalseFailoversPerYear, .downtimeOutagesPerYear, .availability, .writeDowntimePerYear,
        .lostWritesPerYear, .costDowntime,
    ]

    /// The parts of `cost_per_month`.
    public static let costParts: Set<Metric> = [
        .costHealthChecks, .costDNSQueries, .costCapacity, .costReplicatedWrites, .costLoadBalancer, .costDowntime,
    ]

    /// The order tables and reports show metrics in (docs/model.md, "The stale-DNS tail"): first what the
    /// settings move (`recovered_90_s`, `failed_requests`), then `rto_s` beside its stale-DNS tail, then
    /// the rest in the files' order. Result files keep `allCases`' order.
    public static let shownFirst: [Metric] = [
        .recovered90, .failedRequests, .recovered50, .detection, .rto, .rtoHonouring, .staleShare5m, .staleShare15m,
        .staleShare30m, .firstRecovery, .timeBelowTarget, .relapses,
    ]

    /// Where the metric named `name` comes in tables: `shownFirst`, then the others in the files' order,
    /// then names this version does not know.
    public static func displayRank(of name: String) -> Int {
        guard let m = Metric(rawValue: name) else { return Int.max }
        if let i = shownFirst.firstIndex(of: m) { return i }
        return shownFirst.count + allCases.firstIndex(of: m)!
    }

    /// `items` in display order (`displayRank`), keeping the given order among equals.
    public static func displayOrder<T>(_ items: [T], name: (T) -> String) -> [T] {
        items.enumerated().sorted { a, b in
            let (ra, rb) = (displayRank(of: name(a.element)), displayRank(of: name(b.element)))
            return ra != rb ? ra < rb : a.offset < b.offset
        }.map(\.element)
    }

    /// The unit of the metric named `name` in a result file; "" for a name this version does not know.
    public static func unit(of name: String) -> String { Metric(rawValue: name)?.unit ?? "" }
}
