import DRSim

extension BenchSuite {
    /// Part 7: a year of operation on the seed model at the default noise (docs/model.md, "A year of
    /// operation"), one core: replications per second without and with the year, interleaved, and what
    /// a replication-year costs in incident replications.
    func yearOfOperation(_ seed: SeedModel) throws {
        let n = options.quick ? 100 : 1_000
        let plain = try seed.config(setting: [], replications: n)
        let withYear = try seed.config(setting: ["year={}"], replications: n)
        output("\na year of operation, seed-active-passive, \(n) replications, one core, best of \(tries)")
        var (incident, both) = (0.0, 0.0)
        for _ in 0..<tries {
            incident = max(incident, try Benchmarks.replications(plain, threads: 1).perSecond)
            both = max(both, try Benchmarks.replications(withYear, threads: 1).perSecond)
        }
        let yearCost = (1 / both - 1 / incident) * incident
        output(String(format: "  incident only      : %8.0f replications/s", incident))
        output(String(format: "  incident and a year: %8.0f replications/s", both))
        output(String(format: "  a replication-year costs %.1f incident replications", yearCost))
    }
}
