import DRSim
import Foundation
import Testing

/// The resource guard's estimate (issue 13): its terms follow the config, it refuses only beyond 80%
/// of the memory it is given, and the refusal names the setting behind the largest term. (Its figures
/// against measured peaks: `drsim bench`, "peak memory".)
@Suite struct ResourceEstimateTests {
    @Test func termsFollowTheConfig() throws {
        let c = try model("seed-active-passive", ["replications=1000"])
        let one = ResourceEstimate([c], replications: 1000, workers: 1)
        // 3,601 timeline rows (an hour at 1 s): 3,602 × 4,012 bytes; 1,000 resolvers; 1,000 results.
        let expected: [Double] = [220_000, 14_451_224, 460_000]
        #expect(one.terms.map(\.bytes) == expected)
        let two = ResourceEstimate([c], replications: 1000, workers: 2)
        #expect(two.terms[1].bytes == 3 * expected[1], "two workers' accumulators and the merged one")
        let sweep = ResourceEstimate([c, c, c], replications: 1000, workers: 2, growing: true)
        #expect(sweep.terms[0].bytes == 3 * expected[0])
        #expect(sweep.terms[1].bytes == 6 * expected[1], "a growing run keeps its merged accumulator")
    }

    @Test func refusesOnlyWhatWouldNotFitAndSaysWhatToChange() throws {
        let c = try model("seed-active-passive", ["replications=1000"])
        let big = ResourceEstimate(Array(repeating: c, count: 100), replications: 10_000_000, workers: 2)
        let why = try #require(big.refusal(available: 24e9))
        #expect(why.contains("about 220.1 GB") && why.contains("100 runs × 10000000 replications") && why.contains("fewer points"), "\(why)")
        #expect(big.refusal(available: 1e12) == nil)
        let rows = try model("seed-active-passive", ["timeline_step_s=0.18"])
        let fine = ResourceEstimate([rows], replications: 100, workers: 2)
        #expect(fine.refusal(available: 24e9) == nil)
        let tight = try #require(fine.refusal(available: 300e6), "267 MB is more than 80% of 300 MB")
        #expect(tight.contains("timeline_step_s") && tight.contains("--threads"), "\(tight)")
    }
}
