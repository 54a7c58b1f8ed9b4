import DRSim
import DRSimResults
import Foundation
import Testing

/// The cost per month (docs/model.md, "Cost"): the list-price arithmetic by hand, the resolvers' refetch
/// rate against a resolver simulated query by query, the prices' checks, and where the estimate goes.
@Suite struct CostTests {
    /// A month of 30.4375 days.
    static let month = 2_629_800.0
    static let hours = 730.5

    /// One honouring resolver asked 0.05 times a second, so its refetch rate is known by hand.
    static let oneResolver = [
        "clients.resolvers=1", "clients.dns_queries_per_s=0.05",
        "clients.resolver_mix=[{\"share\": 1, \"behaviour\": \"honour\"}]", "dns.ttl_s=60",
    ]

    /// The seed model with the warm standby's region and one resolver, at list prices, worked out by hand.
    @Test func listPriceArithmeticOfTheSeedModelByHand() throws {
        let config = try model(
            "seed-active-passive",
            Self.oneResolver + [
                "regions[1].capacity_rps=2000", "regions[1].standby={\"initial_capacity\": 0.25, \"scale_up_s\": 300}",
            ])
        let e = CostModel(config).infrastructure
        // Two HTTPS checks at a 30 s interval on Google Cloud (non-AWS) endpoints: $0.75 + one feature at $2.00.
        #expect(abs(e.healthChecks - 2 * (0.75 + 2.00)) < 1e-12)
        // 1 / (60 s + 1 / 0.05 s) = 0.0125 queries/s, × 2,629,800 s = 32,872.5 queries at $0.40 per million,
        // and the hosted zone's $0.50.
        #expect(abs(e.dnsQueries - (0.50 + 32_872.5 * 0.40 / 1e6)) < 1e-9)
        // us-east-1 at full, eu-west-1 at 25%: 1.25 regions × $1.00 an hour × 730.5 hours.
        #expect(abs(e.capacity - 1.25 * 1.00 * 730.5) < 1e-9)
        // 1000 requests/s × 0.2 writes × 1 other table × 2,629,800 s = 525,960,000 units at $0.625 per million.
        #expect(abs(e.replicatedWrites - 328.725) < 1e-9)
        #expect(e.loadBalancer == 0 && e.downtime == nil)
        #expect(abs(e.total - (5.5 + 0.513149 + 913.125 + 328.725)) < 1e-6)
    }

    /// TTL 0: every client query reaches Route 53, 500/s × 2,629,800 s = 1,314,900,000 queries: the first
    /// billion at $0.40 per million, the other 314,900,000 at $0.20; latency routing at $0.60 and $0.30.
    @Test func queriesPastABillionCostTheLowerPrice() throws {
        let sets = [
            "clients.resolvers=1", "clients.dns_queries_per_s=500", "dns.ttl_s=0",
            "clients.resolver_mix=[{\"share\": 1, \"behaviour\": \"honour\"}]",
        ]
        let standard = CostModel(try model("seed-active-passive", sets)).infrastructure.dnsQueries
        #expect(abs(standard - (0.50 + 400 + 314.9 * 0.20)) < 1e-6)
        let aliased = try model(
            "seed-active-passive",
            sets + [
                "cost={\"route53\": {\"endpoints_on_aws\": true, \"alias_records\": true}}"
            ])
        #expect(CostModel(aliased).infrastructure.dnsQueries == 0.50)
    }

    /// AWS endpoints, every optional feature: HTTPS, string matching, the 10 s interval, latency: $0.50 + 4 × $1.00.
    @Test func healthChecksByKind() throws {
        let config = try model(
            "seed-active-passive",
            [
                "health_checks[0].interval_s=10", "health_checks[1].protocol=\"tcp\"",
                "cost={\"route53\": {\"endpoints_on_aws\": true, \"string_matching\": true, "
                    + "\"latency_measurement\": true}}",
            ])
        // Check 0: HTTPS, string match, 10 s, latency. Check 1: TCP (no string match), 30 s, latency.
        #expect(abs(CostModel(config).infrastructure.healthChecks - ((0.50 + 4) + (0.50 + 1))) < 1e-12)
    }

    /// The load balancer of the active-active model: a forwarding rule at $0.025 an hour, and 10,000 bytes per
    /// request at $0.008 per GiB for the traffic the DNS answers send to its address.
    @Test func loadBalancerByHand() throws {
        let config = try model("seed-active-active-as-written")
        let share = CostModel.trafficShareOfLoadBalancer(config)
        #expect(share > 0)
        let gib = config.traffic.requestsPerSecond * share * 10_000 * Self.month / 1_073_741_824
        let expected = 0.025 * Self.hours + gib * 0.008
        #expect(abs(CostModel(config).infrastructure.loadBalancer - expected) < 1e-9)
    }

    /// 12 traffic-weighted minutes down a year at 1000 requests/s are 720,000 failed requests: at $0.001 each
    /// and $100 a minute, ($720 + $1,200) / 12 = $160 a month.
    @Test func businessCostOfAYear() throws {
        let sets = ["cost={\"business\": {\"per_failed_request\": 0.001, \"per_minute_down\": 100}}"]
        let config = try model("seed-active-passive", sets)
        var year = YearResult()
        year.downtimeMinutes = 12
        #expect(abs((CostModel.estimate(config, year: year).downtime ?? 0) - 160) < 1e-9)
        #expect(CostModel.estimate(config, year: nil).downtime == nil)
        #expect(CostModel.estimate(try model("seed-active-passive"), year: year).downtime == nil)
        // Without business prices the metric has no values, and says why.
        let withYear = try model("seed-active-passive", ["year={}"])
        #expect(Metric.costDowntime.absence(in: withYear)?.contains("cost.business") == true)
        #expect(Metric.costDowntime.absence(in: try model("seed-active-passive", ["year={}"] + sets)) == nil)
    }

    /// A shorter TTL never costs less: over TTLs from 0 to an hour, with the default resolvers (honouring
    /// and extending), a flooring class, and serve-stale ones.
    @Test(arguments: [
        [String](),
        [
            "clients.resolver_mix=[{\"share\": 0.8, \"behaviour\": \"honour\"}, "
                + "{\"share\": 0.1, \"behaviour\": \"floor\", \"floor_s\": 120}, "
                + "{\"share\": 0.1, \"behaviour\": \"serve_stale\"}]"
        ],
        ["cost={\"route53\": {\"querying_resolvers\": 20000}}"],
    ])
    func shorterTTLNeverCostsLess(_ sets: [String]) throws {
        let ttls: [Double] = [0, 1, 5, 20, 30, 60, 119, 120, 121, 300, 900, 3600]
        let costs = try ttls.map { t in
            CostModel(try model("seed-active-passive", sets + ["dns.ttl_s=\(t)"])).infrastructure.dnsQueries
        }
        #expect(zip(costs, costs.dropFirst()).allSatisfy { $0 >= $1 }, "\(costs)")
        #expect(costs.first! > 10 * costs.last!, "\(costs)")
    }

    /// More resolvers share the same client queries, so more caches refill: the rate rises toward the
    /// client query rate, which it never passes.
    @Test func moreQueryingResolversAskMoreOften() throws {
        let rates = try [100, 1000, 10_000, 100_000].map { n in
            DNSQueryRate.perSecond(
                try model("seed-active-passive", ["cost={\"route53\": {\"querying_resolvers\": \(n)}}"]))
        }
        #expect(zip(rates, rates.dropFirst()).allSatisfy { $0 < $1 } && rates.last! < 500, "\(rates)")
    }

    /// One resolver simulated query by query: client queries a Poisson flow at λ, an answer fetched at a query
    /// that finds the cache empty and kept for L. The mean time between its fetches against 1 / the model's
    /// rate, L + 1/λ, within 4.5 standard errors: a gap is L plus an exponential wait, so its sd is 1/λ.
    @Test(arguments: [(60.0, 0.05), (300.0, 2.0), (0.0, 0.5)])
    func refetchRateAgainstQueryByQuery(_ L: Double, _ lambda: Double) throws {
        let r = RandomStream(key: StreamKey(seed: 11, replication: UInt64(L), component: "cost brute force"))
        var t = 0.0
        var expires = -1.0
        var fetches: [Double] = []
        while fetches.count < 20_000 {
            t += r.exponential(mean: 1 / lambda)
            if t >= expires {
                fetches.append(t)
                expires = t + L
            }
        }
        let gaps = zip(fetches.dropFirst(), fetches).map { $0 - $1 }
        let modelGap = 1 / DNSQueryRate.rate(hold: L, lambda: lambda)
        #expect(abs(mean(gaps) - modelGap) < tolerance(sd: 1 / lambda, n: gaps.count), "\(mean(gaps)) \(modelGap)")
    }

    @Test func negativePriceIsRefusedWithItsPathAndTheFix() throws {
        do {
            _ = try model("seed-active-passive", ["cost={\"route53\": {\"health_check_aws_per_month\": -1}}"])
            Issue.record("a negative price was accepted")
        } catch let e as ConfigError {
            let issue = try #require(e.issues.first)
            #expect(issue.path == "cost.route53.health_check_aws_per_month")
            #expect(issue.message.contains("found -1") && issue.message.contains("0 or more"), "\(issue)")
        }
    }

    @Test func aliasRecordsNeedAWSEndpoints() throws {
        do {
            _ = try model("seed-active-passive", ["cost={\"route53\": {\"alias_records\": true}}"])
            Issue.record("alias records to a non-AWS endpoint were accepted")
        } catch let e as ConfigError {
            #expect(e.issues.map(\.path) == ["cost.route53.alias_records"], "\(e.issues)")
        }
    }

    /// Half the resolvers extend and the largest carrying 90% of the traffic honour: 500 of 1,000 fit among
    /// the 525 small ones, but 5 of 10 do not fit among the 2 small ones of ten querying resolvers.
    @Test func tooFewQueryingResolversForTheClassesAreRefused() throws {
        let sets = [
            "clients.honouring_top_share=0.9",
            "clients.resolver_mix=[{\"share\": 0.5, \"behaviour\": \"honour\"}, "
                + "{\"share\": 0.5, \"behaviour\": \"extend\"}]",
        ]
        _ = try model("seed-active-passive", sets)
        do {
            _ = try model("seed-active-passive", sets + ["cost={\"route53\": {\"querying_resolvers\": 10}}"])
            Issue.record("10 querying resolvers were accepted")
        } catch let e as ConfigError {
            #expect(e.issues.map(\.path) == ["cost.route53.querying_resolvers"], "\(e.issues)")
        }
    }

    /// A config without prices keeps its run.json (no "cost" key); one with them writes every price, and
    /// reads back to the same config.
    @Test func resolvedConfigHoldsCostOnlyWhenGiven() throws {
        guard case .object(let plain) = try model("seed-active-passive").resolved else { throw Failure() }
        #expect(plain["cost"] == nil)
        let priced = try model("seed-active-passive", ["cost={\"capacity\": {\"region_per_hour\": 3}}"])
        guard case .object(let top) = priced.resolved, case .object(let cost)? = top["cost"] else { throw Failure() }
        #expect(cost.keys.sorted() == ["business", "capacity", "dynamodb", "load_balancer", "route53"])
        #expect(try Config.decode(priced.resolved).config == priced)
    }

    /// Every replication carries the config's estimate, and its metrics read it.
    @Test func everyReplicationCarriesTheEstimate() throws {
        let config = try scenario(["replications=4"])
        let output = try Runner.run(config, threads: 1)
        let expected = CostModel(config).infrastructure
        #expect(output.results.count == 4 && output.results.allSatisfy { $0.cost == expected })
        #expect(Metric.costPerMonth.value(output.results[0]) == expected.total)
    }

    struct Failure: Error {}
}
