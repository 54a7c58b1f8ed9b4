import DRSim
import DRSimTestSupport
import Testing

/// The configs of a sweep or a comparison run together and share what their inputs have in common
/// (docs/model.md, "Sweeps share work"); each must still give, byte for byte, the files of a run of it
/// alone, however the points are grouped into passes.
@Suite struct SharingTests {
    /// Weighted routing for the seed model: both records weight 1.
    static let weighted = [
        "dns.policy=\"weighted\"",
        "dns.records=" + """
            [{"id": "us", "weight": 1, "target": "us-east-1", "health_check": "hc-us-east-1"},
             {"id": "eu", "weight": 1, "target": "eu-west-1", "health_check": "hc-eu-west-1"}]
            """,
    ]

    /// Who takes what from whom: the failover simulation is shared by points equal in everything but
    /// the TTL and the client population; the resolvers' classes and numbers by points with the same
    /// seed and clients, whatever their TTL, health checks or faults; weighted routing draws one more
    /// number per resolver, so it shares the classes but not the numbers.
    @Test func pointsShareWhatTheirInputsHaveInCommon() throws {
        let sets: [[String]] = [
            [], ["dns.ttl_s=60"], ["health_checks[0].failure_threshold=2"],
            ["dns.ttl_s=60", "health_checks[0].failure_threshold=2"],
            ["seed=8"], ["clients.resolvers=500"], Self.weighted, ["clients.resolvers=500", "dns.ttl_s=60"],
        ]
        let sharing = WorkSharing(try sets.map { try model("seed-active-passive", $0) })
        #expect(sharing.failover == [0, 0, 2, 2, 4, 0, 6, 0])
        #expect(sharing.resolverClasses == [0, 0, 0, 0, 4, 5, 0, 5])
        #expect(sharing.resolverDraws == [0, 0, 0, 0, 4, 5, 6, 5])
        // The records and policy are the failover simulation's inputs: weighted routing shares nothing
        // of it with failover routing.
    }

    static let variations: [(String, [[String]])] = [
        (
            "seed-active-passive",
            [
                [], ["dns.ttl_s=60"], ["health_checks[0].failure_threshold=2"],
                ["dns.ttl_s=0", "health_checks[0].interval_s=10"],
                ["seed=8"], ["clients.resolvers=300"], weighted, weighted + ["dns.ttl_s=60"],
                ["faults[0].duration_s=400"],
            ]
        ),
        (
            "seed-active-passive-warm-standby",
            [[], ["dns.ttl_s=30"], ["regions[1].standby.scale_up_s=60"], ["health_checks[0].failure_threshold=1"]]
        ),
        ("seed-active-active-as-written", [[], ["dns.ttl_s=30"], ["load_balancer.unhealthy_threshold=3"]]),
        (
            "split-aws-database-outage",
            [[], ["dns.ttl_s=120"], ["database.replication_lag_s={\"exponential\": {\"mean\": 2}}"]]
        ),
    ]

    /// Every point's files equal its run alone: all points in one pass, in passes of two (a budget
    /// that fits two points' accumulators), and with points of different replication counts.
    @Test(.slow, arguments: variations.indices)
    func eachPointGivesTheFilesOfItsRunAlone(_ v: Int) throws {
        let (name, sets) = Self.variations[v]
        let configs = try sets.enumerated().map { k, s in try model(name, s + ["replications=\(12 + 4 * (k % 3))"]) }
        let alone = try configs.map { ResultFiles(try Runner.run($0, threads: 1)).texts }
        let together = try Runner.run(configs, threads: 2)
        #expect(Runner.passSize(configs, threads: 2) == configs.count)
        // Each point of a pass on two workers: a 14.45 MB accumulator (3,602 rows × 4,012 bytes) and two
        // client populations of at most 0.46 MB (1,000 resolvers × 460 bytes): two points take about
        // 30.7 MB, three about 46 MB, so 40 MB makes passes of two.
        let budget = 40e6
        #expect(Runner.passSize(configs, threads: 2, budget: budget) == 2)
        let paired = try Runner.run(configs, threads: 2, passBudget: budget)
        for k in configs.indices {
            #expect(ResultFiles(together[k]).texts == alone[k], "\(name) \(sets[k]), one pass")
            #expect(ResultFiles(paired[k]).texts == alone[k], "\(name) \(sets[k]), passes of two")
        }
    }

    /// Growing several runs together in batches (`--precision` on a sweep or a comparison) gives the
    /// bytes of fixed runs of the final count.
    @Test(.slow) func runsGrownTogetherEqualFixedRuns() throws {
        let configs = try [["dns.ttl_s=60"], ["dns.ttl_s=300"], ["health_checks[0].failure_threshold=2"]].map {
            try model("seed-active-passive", $0 + ["replications=30"])
        }
        var grown = GrowingRuns(configs)
        for n in [5, 17, 30] { try grown.extend(to: n, threads: 2) }
        for (k, c) in configs.enumerated() {
            #expect(
                ResultFiles(grown.output(k)).texts == ResultFiles(try Runner.run(c, threads: 1)).texts, "point \(k + 1)"
            )
        }
    }
}
