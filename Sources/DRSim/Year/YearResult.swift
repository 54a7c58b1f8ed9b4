/// What one replication-year reports (docs/model.md, "A year of operation"): the consequences of every
/// noise event and outage of one simulated year.
public struct YearResult: Sendable, Equatable {
    /// Failovers of any cause: the answer moving away from the one before the event, or the load
    /// balancer dropping its first backend.
    public var failovers = 0
    /// Failovers set off by noise (blips, checker-path problems, probe loss), not by a real outage.
    public var falseFailovers = 0
    /// Returns of traffic to a region it had failed away from.
    public var failbacks = 0
    /// Traffic-weighted minutes of failed requests, all causes.
    public var downtimeMinutes = 0.0
    /// The part of `downtimeMinutes` from blips that set off no failover.
    public var downtimeBlipsMinutes = 0.0
    /// The part from noise events that set off a failover (the blip itself included).
    public var downtimeFalseFailoversMinutes = 0.0
    /// The part from real regional outages.
    public var downtimeOutagesMinutes = 0.0
    /// The share of the year's requests served.
    public var availability = 1.0
    /// Traffic-weighted minutes of failed writes.
    public var writeDowntimeMinutes = 0.0
    /// Unreplicated writes lost in the year.
    public var lostWrites = 0
    /// The year's events by class (`years.csv`), and the groups simulated as one incident each.
    public var blips = 0
    public var checkerPathProblems = 0
    public var outages = 0
    public var probeLossSpells = 0
    public var groups = 0
    /// The simulated length in years (`year.length_days` / 365): the counts and minutes above are over it,
    /// the metrics per year (`perYear`).
    public var years = 1.0

    /// `x`, counted over the simulated length, per year.
    public func perYear(_ x: Double) -> Double { x / years }

    public init() {}
}

/// Cost per month [USD] at the config's prices (docs/model.md, "Cost"), by part.
public struct CostEstimate: Sendable, Equatable {
    public var healthChecks = 0.0
    public var dnsQueries = 0.0
    /// The capacity held in every region: the actives at full, a standby at its initial share.
    public var capacity = 0.0
    public var replicatedWrites = 0.0
    public var loadBalancer = 0.0
    /// The business cost of the year's failed requests and downtime per month; nil without a year or
    /// without business prices.
    public var downtime: Double?

    public init() {}

    /// Every part, the business cost included when there is one.
    public var total: Double {
        healthChecks + dnsQueries + capacity + replicatedWrites + loadBalancer + (downtime ?? 0)
    }
}
