import DRSim
import Testing

@Suite struct DeterminismTests {
    /// The same config and seed give the same bytes whatever the thread count.
    @Test func resultFilesDoNotDependOnThreads() throws {
        let c = try scenario([
            "replications=150", "clients={\"resolvers\": 50}", "health_checks[0].transient_failure_prob=0.05",
        ])
        let one = ResultFiles(try Runner.run(c, threads: 1)).texts
        let two = ResultFiles(try Runner.run(c, threads: 2)).texts
        let five = ResultFiles(try Runner.run(c, threads: 5)).texts
        #expect(one == two)
        #expect(one == five)
    }

    /// Replication i draws only from its own streams: it does not change with the run's size.
    @Test func aReplicationDoesNotDependOnTheOthers() throws {
        let small = try Runner.run(try scenario(["replications=20"]), threads: 2).results
        let large = try Runner.run(try scenario(["replications=60"]), threads: 2).results
        #expect(Array(large.prefix(20)) == small)
    }

    @Test func theSeedChangesTheResults() throws {
        let a = try Runner.run(try scenario(["replications=20"]), threads: 1).results
        let b = try Runner.run(try scenario(["replications=20", "seed=8"]), threads: 1).results
        #expect(a != b)
    }
}
