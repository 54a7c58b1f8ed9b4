import DRSim
import DRSimResults
import DRSimStudy
import DRSimTestSupport
import Testing

/// The range of `rto_s` over the plausible TTL-extension shapes (docs/model.md, "Calibration").
@Suite struct PlaceholderRangeTests {
    @Test func onlyAConfigThatUsesThePlaceholderGetsARange() throws {
        let seed = try model("seed-active-passive")
        let shapes = try #require(PlaceholderRange.configs(seed))
        let plausible = Config.Clients.ResolverClass.plausibleExtensions
        #expect(shapes.map(\.name) == plausible.map(\.name))
        for (shape, p) in zip(shapes, plausible) {
            #expect(shape.config.replications == PlaceholderRange.maxReplications)
            #expect(shape.config.clients.resolverMix.map(\.behaviour) == [.honour, .extend(p.extension)])
        }
        #expect(PlaceholderRange.configs(try scenario()) == nil, "every resolver honours TTLs")
        let own =
            #"clients.resolver_mix=[{"share": 0.9, "behaviour": "honour"}, "#
            + #"{"share": 0.1, "behaviour": "extend", "extra_s": 600}]"#
        #expect(PlaceholderRange.configs(try model("seed-active-passive", [own])) == nil, "the user's own figure")
    }

    /// The default shape's row comes from the run's own first replications: the same as running that
    /// shape alone (common random numbers), and the other shapes move rto_s.
    @Test(.slow) func theDefaultRowIsTheRunsOwn() throws {
        let config = try model("seed-active-passive", ["replications=40", "clients.resolvers=100"])
        let run = try Runner.run(config, threads: 2)
        let range = try #require(try PlaceholderRange.run(run, threads: 2))
        #expect(range.replications == 40 && range.rows.count == 4)
        let alone = try Runner.run(try #require(PlaceholderRange.configs(config))[0].config, threads: 2)
        let rto = try #require(alone.summaries.first { $0.metric == "rto_s" })
        #expect(range.rows[0].rtoP50 == rto.p50.value)
        #expect(range.rows[0].censoredShare == Double(rto.censored) / 40)
        #expect(Set(range.rows.map(\.censoredShare)).count > 1 || Set(range.rows.map(\.rtoP50)).count > 1)
        // The extension moves only the extenders' traffic: the honouring traffic's RTO is the same.
        #expect(Set(range.rows.map(\.rtoHonouringP50)).count == 1 && range.rows[0].rtoHonouringP50 != nil)
        #expect(range.csv.split(separator: "\r\n").count == 5)
        #expect(range.text.hasPrefix("rto_s p50 over 4 TTL-extension shapes"))
    }
}
