import DRSimResults

// The `cost` section: the prices the cost per month is worked out at (docs/model.md, "Cost"), read and
// written. Every price defaults to its list price, read on `Config.Cost.pricesRead`; the sources are in
// docs/model.md.

extension Config {
    /// Prices in USD and the facts about the deployment that select them (docs/model.md, "Cost").
    public struct Cost: Sendable, Equatable {
        public var route53: Route53
        public var capacity: Capacity
        public var dynamoDB: DynamoDB
        public var loadBalancer: LoadBalancerPrices
        public var business: Business

        /// The date the default prices were read from the providers' pages.
        public static let pricesRead = CostLine.pricesRead

        /// Amazon Route 53: health checks, the hosted zone, and DNS queries.
        public struct Route53: Sendable, Equatable {
            /// The health checks probe endpoints on AWS (false: elsewhere, as the seed's app on Google Cloud).
            public var endpointsOnAWS: Bool
            /// The health checks search the response body for a string (an optional feature).
            public var stringMatching: Bool
            /// The health checks measure latency (an optional feature).
            public var latencyMeasurement: Bool
            /// The records are alias records to AWS resources, whose queries Route 53 does not charge.
            public var aliasRecords: Bool
            /// Per health check per month, by where its endpoint is [USD].
            public var healthCheckAWS: Double
            public var healthCheckNonAWS: Double
            /// Per optional feature (HTTPS, string matching, 10 s interval, latency) per check per month [USD].
            public var featureAWS: Double
            public var featureNonAWS: Double
            public var hostedZone: Double
            /// Per million queries, the first billion of a month and those over it [USD]: standard
            /// (failover, weighted) and latency routing.
            public var standardQueries: Double
            public var standardQueriesOverBillion: Double
            public var latencyQueries: Double
            public var latencyQueriesOverBillion: Double
            /// How many distinct resolvers query the name (*placeholder*); nil: `clients.resolvers`.
            public var queryingResolvers: Int?
        }

        /// What holding capacity costs.
        public struct Capacity: Sendable, Equatable {
            /// One region at full capacity per hour [USD] (*placeholder*).
            public var regionPerHour: Double
        }

        public struct DynamoDB: Sendable, Equatable {
            /// Per million replicated write request units [USD] (on-demand, priced as write request units).
            public var replicatedWritePerMillion: Double
            /// Write units per write: 1 for items up to 1 KB.
            public var unitsPerWrite: Double
        }

        /// The Google Cloud global external Application Load Balancer.
        public struct LoadBalancerPrices: Sendable, Equatable {
            public var forwardingRulePerHour: Double
            /// Per GiB of data processed, inbound and outbound alike [USD].
            public var dataProcessedPerGiB: Double
            /// Bytes the load balancer processes per request, request and response together (*placeholder*).
            public var bytesPerRequest: Double
        }

        /// What failure costs the business; nil leaves it out.
        public struct Business: Sendable, Equatable {
            public var perFailedRequest: Double?
            public var perMinuteDown: Double?
        }
    }
}

extension Config.Cost {
    /// List prices, for a config without a `cost` section.
    public static let listPrices = Self(
        route53: .init(
            endpointsOnAWS: false, stringMatching: false, latencyMeasurement: false, aliasRecords: false,
            healthCheckAWS: 0.50, healthCheckNonAWS: 0.75, featureAWS: 1.00, featureNonAWS: 2.00, hostedZone: 0.50,
            standardQueries: 0.40, standardQueriesOverBillion: 0.20, latencyQueries: 0.60,
            latencyQueriesOverBillion: 0.30, queryingResolvers: nil),
        capacity: .init(regionPerHour: 1.0),
        dynamoDB: .init(replicatedWritePerMillion: 0.625, unitsPerWrite: 1),
        loadBalancer: .init(forwardingRulePerHour: 0.025, dataProcessedPerGiB: 0.008, bytesPerRequest: 10_000),
        business: .init(perFailedRequest: nil, perMinuteDown: nil))

    /// Reads `cost`; every key defaults to `listPrices`. Alias records lead only to AWS resources, so they
    /// need `route53.endpoints_on_aws` and no record that leads to the (Google Cloud) load balancer; the
    /// querying resolvers must leave room for the flooring and extending classes, as `clients.resolvers` must.
    static func decode(_ reader: ObjectReader, dns: Config.DNS, clients: Config.Clients) -> Self {
        var c = reader
        let cost = Self(
            route53: Route53.decode(c.section("route53")), capacity: Capacity.decode(c.section("capacity")),
            dynamoDB: DynamoDB.decode(c.section("dynamodb")),
            loadBalancer: LoadBalancerPrices.decode(c.section("load_balancer")),
            business: Business.decode(c.section("business")))
        c.finish()
        if cost.route53.aliasRecords {
            if !cost.route53.endpointsOnAWS {
                c.log.error(
                    c.child("route53.alias_records"),
                    "alias records lead only to AWS resources, but route53.endpoints_on_aws is false; "
                        + "set endpoints_on_aws to true or alias_records to false")
            } else if dns.records.contains(where: { $0.target == .loadBalancer }) {
                c.log.error(
                    c.child("route53.alias_records"),
                    "a record leads to the Google Cloud load balancer, which an alias record cannot name; "
                        + "set alias_records to false")
            }
        }
        if let n = cost.route53.queryingResolvers {
            var population = clients
            population.resolvers = n
            let (wanted, small) = (population.misbehavingResolvers, population.smallResolvers)
            if wanted > small {
                c.log.error(
                    c.child("route53.querying_resolvers"),
                    "the flooring and extending classes need \(wanted) of \(n) resolvers, but only \(small) lie "
                        + "outside the largest ones that carry clients.honouring_top_share of the traffic; give more "
                        + "querying resolvers")
            }
        }
        return cost
    }

    func encoded() -> JSON {
        var business: [String: JSON] = [:]
        if let p = self.business.perFailedRequest { business["per_failed_request"] = .number(p) }
        if let p = self.business.perMinuteDown { business["per_minute_down"] = .number(p) }
        return .object([
            "route53": route53.encoded(), "capacity": .object(["region_per_hour": .number(capacity.regionPerHour)]),
            "dynamodb": .object([
                "replicated_write_per_million": .number(dynamoDB.replicatedWritePerMillion),
                "units_per_write": .number(dynamoDB.unitsPerWrite),
            ]),
            "load_balancer": .object([
                "forwarding_rule_per_hour": .number(loadBalancer.forwardingRulePerHour),
                "data_processed_per_gib": .number(loadBalancer.dataProcessedPerGiB),
                "bytes_per_request": .number(loadBalancer.bytesPerRequest),
            ]),
            "business": .object(business),
        ])
    }
}

extension Config.Cost.Route53 {
    static func decode(_ reader: ObjectReader) -> Self {
        var r = reader
        let l = Config.Cost.listPrices.route53
        let route53 = Self(
            endpointsOnAWS: r.bool("endpoints_on_aws", default: l.endpointsOnAWS),
            stringMatching: r.bool("string_matching", default: l.stringMatching),
            latencyMeasurement: r.bool("latency_measurement", default: l.latencyMeasurement),
            aliasRecords: r.bool("alias_records", default: l.aliasRecords),
            healthCheckAWS: r.price("health_check_aws_per_month", default: l.healthCheckAWS),
            healthCheckNonAWS: r.price("health_check_non_aws_per_month", default: l.healthCheckNonAWS),
            featureAWS: r.price("feature_aws_per_month", default: l.featureAWS),
            featureNonAWS: r.price("feature_non_aws_per_month", default: l.featureNonAWS),
            hostedZone: r.price("hosted_zone_per_month", default: l.hostedZone),
            standardQueries: r.price("standard_queries_per_million", default: l.standardQueries),
            standardQueriesOverBillion: r.price(
                "standard_queries_over_billion_per_million", default: l.standardQueriesOverBillion),
            latencyQueries: r.price("latency_queries_per_million", default: l.latencyQueries),
            latencyQueriesOverBillion: r.price(
                "latency_queries_over_billion_per_million", default: l.latencyQueriesOverBillion),
            queryingResolvers: r.raw("querying_resolvers") == nil
                ? nil : r.int("querying_resolvers", default: 1000, Config.Cost.queryingResolversRange))
        r.finish()
        return route53
    }

    func encoded() -> JSON {
        var o: [String: JSON] = [
            "endpoints_on_aws": .bool(endpointsOnAWS), "string_matching": .bool(stringMatching),
            "latency_measurement": .bool(latencyMeasurement), "alias_records": .bool(aliasRecords),
            "health_check_aws_per_month": .number(healthCheckAWS),
            "health_check_non_aws_per_month": .number(healthCheckNonAWS),
            "feature_aws_per_month": .number(featureAWS), "feature_non_aws_per_month": .number(featureNonAWS),
            "hosted_zone_per_month": .number(hostedZone), "standard_queries_per_million": .number(standardQueries),
            "standard_queries_over_billion_per_million": .number(standardQueriesOverBillion),
            "latency_queries_per_million": .number(latencyQueries),
            "latency_queries_over_billion_per_million": .number(latencyQueriesOverBillion),
        ]
        if let queryingResolvers { o["querying_resolvers"] = .number(Double(queryingResolvers)) }
        return .object(o)
    }
}

extension Config.Cost {
    /// The resolvers the DNS queries are counted over: each is a Zipf weight and a renewal process, so the
    /// count bounds the work of an estimate.
    public static let queryingResolversRange = 1...10_000_000
}

extension Config.Cost.Capacity {
    static func decode(_ reader: ObjectReader) -> Self {
        var c = reader
        let capacity = Self(
            regionPerHour: c.price("region_per_hour", default: Config.Cost.listPrices.capacity.regionPerHour))
        c.finish()
        return capacity
    }
}

extension Config.Cost.DynamoDB {
    static func decode(_ reader: ObjectReader) -> Self {
        var d = reader
        let l = Config.Cost.listPrices.dynamoDB
        let dynamo = Self(
            replicatedWritePerMillion: d.price("replicated_write_per_million", default: l.replicatedWritePerMillion),
            unitsPerWrite: d.number("units_per_write", default: l.unitsPerWrite, 0...400))
        d.finish()
        return dynamo
    }
}

extension Config.Cost.LoadBalancerPrices {
    static func decode(_ reader: ObjectReader) -> Self {
        var b = reader
        let l = Config.Cost.listPrices.loadBalancer
        let prices = Self(
            forwardingRulePerHour: b.price("forwarding_rule_per_hour", default: l.forwardingRulePerHour),
            dataProcessedPerGiB: b.price("data_processed_per_gib", default: l.dataProcessedPerGiB),
            bytesPerRequest: b.number("bytes_per_request", default: l.bytesPerRequest, 0...1e12))
        b.finish()
        return prices
    }
}

extension Config.Cost.Business {
    static func decode(_ reader: ObjectReader) -> Self {
        var b = reader
        let business = Self(
            perFailedRequest: b.raw("per_failed_request") == nil ? nil : b.price("per_failed_request", default: 0),
            perMinuteDown: b.raw("per_minute_down") == nil ? nil : b.price("per_minute_down", default: 0))
        b.finish()
        return business
    }
}

extension ObjectReader {
    /// A price in USD: 0 or more (0 leaves the item out of the cost).
    mutating func price(_ key: String, default def: Double) -> Double {
        number(key, default: def, 0...1e12, allowed: "a price in USD, 0 or more (0 leaves the item out)")
    }
}
