import DRSim
import Foundation

extension BenchSuite {
    /// Part 7, side by side: the seed scenario in drsim and in both SimPy twins (the plain SimPy user's
    /// and the expert's), then the hold model in drsim's kernel (`drsimHold`, part 1's events per second
    /// by pending events) and in SimPy. The twins are in `bench/` under the current folder.
    func simPyTwins(_ seed: SeedModel, drsimHold: [Int: Double]) throws {
        let root = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        let plain = SimPyTwin.plain(root: root)
        let expert = SimPyTwin.expert(root: root)
        try simPyIncidents(seed, plain: plain, expert: expert)
        try simPyHold(plain, drsimHold: drsimHold)
    }

    /// The seed scenario's incidents per second in drsim and in each twin, and whether the metrics'
    /// distributions agree (two-sample Kolmogorov-Smirnov).
    func simPyIncidents(_ seed: SeedModel, plain: SimPyTwin, expert: SimPyTwin) throws {
        // The plain twin runs about a hundred times slower than the expert: fewer incidents for it.
        let plainN = options.quick ? 100 : 500
        let expertN = options.quick ? 300 : 2_000
        let n = max(plainN, expertN)
        let config = try seed.config(setting: [], replications: n)
        output(
            "\nSimPy twins, seed-active-passive, one core: drsim \(n) incidents, \(plain.name) \(plainN), "
                + "\(expert.name) \(expertN)")
        let (run, seconds) = try Benchmarks.timed { try Runner.run(config, threads: 1) }
        let dir = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("drsim-twin-\(getpid())")
        try ResultFiles(run).write(to: dir)
        defer { try? FileManager.default.removeItem(at: dir) }
        let resolved = dir.appendingPathComponent("run.json")
        let twins = [
            (plain, "SimPy twin", try plain.incidents(resolved: resolved, replications: plainN, seed: 1)),
            (
                expert, "expert SimPy twin",
                try expert.incidents(resolved: resolved, replications: expertN, seed: 1)
            ),
        ]
        let ours = Double(n) / seconds
        func label(_ s: String) -> String { "  " + s.padding(toLength: 38, withPad: " ", startingAt: 0) }
        output(label("drsim") + String(format: "%8.0f incidents/s", ours))
        for (twin, name, t) in twins {
            output(
                label("\(name) (\(twin.name))")
                    + String(format: "%8.1f incidents/s   drsim is %.1f× faster", t.perSecond, ours / t.perSecond))
        }
        for (twin, _, t) in twins {
            output("  agreement with \(twin.name) (two-sample Kolmogorov-Smirnov, significance 0.001):")
            for (name, a, b) in t.samples(against: run.results) {
                let d = KolmogorovSmirnov.statistic(a, b)
                let p = KolmogorovSmirnov.pValue(d, n: a.count, m: b.count)
                let verdict = p > 0.001 ? "the distributions agree" : "THE DISTRIBUTIONS DIFFER"
                output(
                    "    " + name.padding(toLength: 12, withPad: " ", startingAt: 0)
                        + String(format: "D = %.4f, p = %.3f (%@)", d, p, verdict))
            }
        }
    }

    /// The hold model's events per second in drsim's kernel (`drsimHold`) and in SimPy (the plain twin).
    func simPyHold(_ plain: SimPyTwin, drsimHold: [Int: Double]) throws {
        output("\nhold model, drsim kernel vs SimPy (one core)")
        for p in Self.holdSizes {
            let theirs = try plain.hold(pending: p, events: options.quick ? 20_000 : 300_000)
            let ours = drsimHold[p] ?? .nan
            output(
                String(
                    format: "  P = %7d: drsim %6.2f M events/s, SimPy %5.3f M events/s, ratio %.0f×", p,
                    ours / 1e6, theirs / 1e6, ours / theirs))
        }
    }
}
