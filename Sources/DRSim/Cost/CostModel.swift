import Foundation

/// The cost per month of a config at its prices, `Config.cost` or the list prices (docs/model.md, "Cost").
///
/// Everything but the business cost follows from the config alone, so it is worked out once per config
/// (`infrastructure`); the business cost needs a replication's year (`estimate(year:)`).
public struct CostModel: Sendable {
    /// A month: 365.25 / 12 = 30.4375 days, in seconds and in hours.
    public static let secondsPerMonth = 365.25 / 12 * 86_400
    public static let hoursPerMonth = 365.25 / 12 * 24
    /// Route 53 charges its lower query price past this many queries in a month.
    public static let queryTier = 1e9

    public let prices: Config.Cost
    /// Every part but the business cost.
    public let infrastructure: CostEstimate
    /// `traffic.requests_per_s`, for the failed requests of a year.
    let requestsPerSecond: Double

    public init(_ config: Config) {
        let p = config.cost ?? .listPrices
        prices = p
        requestsPerSecond = config.traffic.requestsPerSecond
        var e = CostEstimate()
        e.healthChecks = Self.healthChecks(config, p.route53)
        e.dnsQueries = Self.dns(config, p.route53)
        e.capacity = Self.capacity(config, p.capacity)
        e.replicatedWrites = Self.replicatedWrites(config, p.dynamoDB)
        e.loadBalancer = Self.loadBalancer(config, p.loadBalancer)
        infrastructure = e
    }

    /// The estimate with a replication's year: the business cost of its failed requests and its downtime.
    public func estimate(year: YearResult?) -> CostEstimate {
        var e = infrastructure
        e.downtime = downtime(year)
        return e
    }

    /// The estimate for `config`, with the business cost of `year` when there is one.
    public static func estimate(_ config: Config, year: YearResult?) -> CostEstimate {
        CostModel(config).estimate(year: year)
    }

    /// Per month [USD]: failed requests (traffic-weighted minutes × 60 × requests/s) at the price of one,
    /// and minutes down at the price of one, a year's worth over 12; nil without a year or without prices.
    func downtime(_ year: YearResult?) -> Double? {
        let b = prices.business
        guard let year, b.perFailedRequest != nil || b.perMinuteDown != nil else { return nil }
        let minutes = year.perYear(year.downtimeMinutes)
        let failedRequests = minutes * 60 * requestsPerSecond
        return ((b.perFailedRequest ?? 0) * failedRequests + (b.perMinuteDown ?? 0) * minutes) / 12
    }

    /// Per month [USD]: each health check's basic price and its optional features (HTTPS, string matching
    /// on HTTP(S) checks, the 10 s interval, latency measurement), at AWS or non-AWS prices. A check of the
    /// load balancer's address probes Google Cloud, never AWS.
    static func healthChecks(_ c: Config, _ p: Config.Cost.Route53) -> Double {
        c.healthChecks.reduce(0) { sum, h in
            let onAWS = p.endpointsOnAWS && !h.targetsLoadBalancer
            var features = 0
            if h.protocol == .https { features += 1 }
            if p.stringMatching && h.protocol != .tcp { features += 1 }
            if h.interval == 10 { features += 1 }
            if p.latencyMeasurement { features += 1 }
            return sum + (onAWS ? p.healthCheckAWS : p.healthCheckNonAWS)
                + Double(features) * (onAWS ? p.featureAWS : p.featureNonAWS)
        }
    }

    /// Per month [USD]: the hosted zone, and the queries at the price of the routing policy (latency
    /// routing its own, failover and weighted the standard one), each million over `queryTier` at the
    /// lower price; queries for alias records to AWS resources are free.
    static func dns(_ c: Config, _ p: Config.Cost.Route53) -> Double {
        guard !p.aliasRecords else { return p.hostedZone }
        let perMonth = DNSQueryRate.perSecond(c) * secondsPerMonth
        let (first, over) =
            c.dns.policy == .latency
            ? (p.latencyQueries, p.latencyQueriesOverBillion) : (p.standardQueries, p.standardQueriesOverBillion)
        return p.hostedZone + (min(perMonth, queryTier) * first + max(0, perMonth - queryTier) * over) / 1e6
    }

    /// Per month [USD]: the capacity held, one region's hourly price for each region at full capacity
    /// (actives, and passives without a standby), its `initial_capacity` share for a standby, and nothing
    /// for a region that runs only once activated.
    static func capacity(_ c: Config, _ p: Config.Cost.Capacity) -> Double {
        let regions = c.regions.reduce(0.0) { sum, r in
            sum + (r.activationDelay != nil ? 0 : r.standby?.initialCapacity ?? 1)
        }
        return regions * p.regionPerHour * hoursPerMonth
    }

    /// Per month [USD]: each write replicated to every table but its own (a table in each region), in
    /// replicated write units at their price per million.
    static func replicatedWrites(_ c: Config, _ p: Config.Cost.DynamoDB) -> Double {
        let writesPerSecond = c.traffic.requestsPerSecond * c.traffic.writeShare
        let units = writesPerSecond * Double(max(0, c.regions.count - 1)) * p.unitsPerWrite * secondsPerMonth
        return units / 1e6 * p.replicatedWritePerMillion
    }

    /// Per month [USD]: the load balancer's forwarding rule, and the data it processes for the share of
    /// traffic its address gets in normal operation (`trafficShareOfLoadBalancer`); 0 without one.
    static func loadBalancer(_ c: Config, _ p: Config.Cost.LoadBalancerPrices) -> Double {
        guard c.loadBalancer != nil else { return 0 }
        let bytes = c.traffic.requestsPerSecond * trafficShareOfLoadBalancer(c) * p.bytesPerRequest * secondsPerMonth
        return p.forwardingRulePerHour * hoursPerMonth + bytes / 1_073_741_824 * p.dataProcessedPerGiB
    }

    /// The share of traffic the DNS answers send to the load balancer's address in normal operation: the
    /// primary's (failover), the records' weights (weighted), the records' count (latency, an approximation
    /// that ignores where clients are). Records' health is not considered: in normal operation all are healthy.
    public static func trafficShareOfLoadBalancer(_ c: Config) -> Double {
        let records = c.dns.records
        let toLB = records.filter { $0.target == .loadBalancer }
        switch c.dns.policy {
        case .failover: return c.dns.primary.target == .loadBalancer ? 1 : 0
        case .weighted:
            // Route 53 answers records of weight 0 alike when every record has weight 0.
            let total = records.reduce(0) { $0 + $1.weight }
            guard total > 0 else { return Double(toLB.count) / Double(max(1, records.count)) }
            return toLB.reduce(0) { $0 + $1.weight } / total
        case .latency: return records.isEmpty ? 0 : Double(toLB.count) / Double(records.count)
        }
    }
}
