import Foundation

extension BenchSuite {
    /// Part 6: times `baseline run <seed model> --threads 1 --replications N --quiet` against the same
    /// command with this drsim, alternating them, best of 3, and compares the result files they write.
    func againstBaseline(_ path: String) throws {
        let other = URL(fileURLWithPath: path).standardizedFileURL
        let this = options.executable
        let n = options.quick ? 1_000 : 10_000
        let runs = 3
        let tmp = BenchScratch.make("drsim-baseline-\(getpid())")
        let outs = [tmp.appendingPathComponent("baseline"), tmp.appendingPathComponent("this")]
        defer { BenchScratch.remove(tmp) }
        output(
            "\nagainst a baseline build, seed-active-passive, \(n) replications, one thread, best of \(runs), "
                + "alternating (whole process: start, run, files)")
        var best = [0.0, 0.0]
        for round in 0..<runs {
            // Alternate which goes first, so that neither always runs on a cooler (or warmer) machine.
            for i in round % 2 == 0 ? [0, 1] : [1, 0] {
                // Each round starts from no folder: drsim replaces results only with --force, which an
                // older baseline build may not know.
                try? FileManager.default.removeItem(at: outs[i])
                let seconds = try ChildRun.time(
                    i == 0 ? other : this,
                    [
                        "run", "\(options.models)/\(SeedModel.file)", "--threads", "1", "--replications", "\(n)",
                        "--quiet", "--out", outs[i].path,
                    ])
                best[i] = max(best[i], Double(n) / seconds)
            }
        }
        output(String(format: "  baseline   %8.0f replications/s  ", best[0]) + other.path)
        output(String(format: "  this drsim %8.0f replications/s  ", best[1]) + this.path)
        output(String(format: "  speed-up %.2f×", best[1] / best[0]))
        for file in ["replications.csv", "summary.csv", "timeline.csv"] {
            let a = FileManager.default.contents(atPath: outs[0].appendingPathComponent(file).path)
            let b = FileManager.default.contents(atPath: outs[1].appendingPathComponent(file).path)
            output("  \(file): \(a != nil && a == b ? "identical" : "DIFFERENT")")
        }
    }
}
