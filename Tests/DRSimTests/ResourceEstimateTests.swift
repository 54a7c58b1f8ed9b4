import DRSim
import Foundation
import Testing

/// The resource guard's estimate: its terms follow the config, it refuses only beyond 80%
/// of the memory it is given, and the refusal names the setting behind the largest term. (Its figures
/// against measured peaks: `drsim bench`, "peak memory".)
@Suite struct ResourceEstimateTests {
    @Test func termsFollowTheConfig() throws {
        let c = try model("seed-active-passive", ["replications=1000"])
        let one = ResourceEstimate([c], replications: 1000, workers: 1)
        // 3,601 timeline rows (an hour at 1 s): 3,602 × 4,012 bytes; 1,000 resolvers; 1,000 results;
        // the output's timeline, 3,601 × 40 bytes; no numbers shared between points.
        let expected: [Double] = [220_000, 14_451_224, 460_000, 144_040, 0]
        #expect(one.terms.map(\.bytes) == expected)
        let two = ResourceEstimate([c], replications: 1000, workers: 2)
        #expect(two.terms[1].bytes == 2 * expected[1], "one accumulator per worker, merged into the first")
        #expect(two.terms[2].bytes == 2 * expected[2])
        let sweep = ResourceEstimate([c, c, c], replications: 1000, workers: 2, growing: true)
        #expect(sweep.terms[0].bytes == 3 * expected[0])
        #expect(
            sweep.terms[1].bytes == 6 * expected[1],
            "one accumulator per point in the pass, and a growing run keeps its merged one")
        #expect(sweep.terms[2].bytes == 6 * expected[2], "each worker holds a population per point")
        let fixed = ResourceEstimate(Array(repeating: c, count: 9), replications: 1000, workers: 2)
        #expect(
            fixed.terms[1].bytes == 9 * expected[1], "the nine points of a sweep run in one pass, an accumulator each")
        #expect(fixed.terms[3].bytes == 9 * expected[3], "each point's timeline is held until the files are written")
        #expect(
            fixed.terms[4].bytes == 2 * 16 * 2 * 6 * 1000 * 8,
            "the resolvers' numbers of a chunk, two answer changes, on each worker")
    }

    @Test func refusesOnlyWhatWouldNotFitAndSaysWhatToChange() throws {
        let c = try model("seed-active-passive", ["replications=1000"])
        let big = ResourceEstimate(Array(repeating: c, count: 100), replications: 10_000_000, workers: 2)
        let why = try #require(big.refusal(available: 24e9))
        #expect(
            why.contains("about 220.5 GB") && why.contains("100 runs × 10000000 replications")
                && why.contains("fewer points"), "\(why)")
        #expect(big.refusal(available: 1e12) == nil)
        let rows = try model("seed-active-passive", ["timeline_step_s=0.18"])
        let fine = ResourceEstimate([rows], replications: 100, workers: 2)
        #expect(fine.refusal(available: 24e9) == nil)
        let tight = try #require(fine.refusal(available: 200e6), "186 MB is more than 80% of 200 MB")
        #expect(tight.contains("timeline_step_s") && tight.contains("--threads"), "\(tight)")
    }
}
