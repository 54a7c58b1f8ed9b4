import DRSim
import DRSimBench
import Foundation

/// The bench's side-by-side part: the seed scenario in drsim and in both SimPy twins (the plain SimPy
/// user's and the expert's), and the hold model in drsim's kernel and in SimPy.
struct SimPyComparison {
    var models: String
    var quick: Bool
    var drsimHold: [Int: Double]

    func run() throws {
        let root = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        let plain = SimPyTwin.plain(root: root), expert = SimPyTwin.expert(root: root)
        // The plain twin runs about a hundred times slower than the expert: fewer incidents for it.
        let plainN = quick ? 100 : 500, expertN = quick ? 300 : 2_000
        let n = max(plainN, expertN)
        let path = "\(models)/seed-active-passive.json"
        let config = try Config.load(data: Data(contentsOf: URL(fileURLWithPath: path)),
                                     overrides: [try Override(parsing: "replications=\(n)")],
                                     defaultName: "seed-active-passive").config
        print("\nSimPy twins, seed-active-passive, one core: drsim \(n) incidents, \(plain.name) \(plainN), \(expert.name) \(expertN)")
        var output: RunOutput?
        let seconds = try Benchmarks.time { output = try Runner.run(config, threads: 1) }
        let dir = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("drsim-twin-\(getpid())")
        try ResultFiles(output!).write(to: dir)
        defer { try? FileManager.default.removeItem(at: dir) }
        let resolved = dir.appendingPathComponent("run.json")
        let twins = [(plain, "SimPy twin", try plain.incidents(resolved: resolved, replications: plainN, seed: 1)),
                     (expert, "expert SimPy twin", try expert.incidents(resolved: resolved, replications: expertN, seed: 1))]
        let ours = Double(n) / seconds
        func label(_ s: String) -> String { "  " + s.padding(toLength: 38, withPad: " ", startingAt: 0) }
        print(label("drsim") + String(format: "%8.0f incidents/s", ours))
        for (twin, name, t) in twins {
            print(label("\(name) (\(twin.name))") + String(format: "%8.1f incidents/s   drsim is %.1f× faster", t.perSecond, ours / t.perSecond))
        }
        for (twin, _, t) in twins {
            print("  agreement with \(twin.name) (two-sample Kolmogorov-Smirnov, significance 0.001):")
            for (name, a, b) in t.samples(against: output!.results) {
                let d = KolmogorovSmirnov.statistic(a, b)
                let p = KolmogorovSmirnov.pValue(d, n: a.count, m: b.count)
                print("    " + name.padding(toLength: 12, withPad: " ", startingAt: 0)
                    + String(format: "D = %.4f, p = %.3f (%@)", d, p, p > 0.001 ? "the distributions agree" : "THE DISTRIBUTIONS DIFFER"))
            }
        }
        print("\nhold model, drsim kernel vs SimPy (one core)")
        for p in [10, 1_000, 100_000] {
            let theirs = try plain.hold(pending: p, events: quick ? 20_000 : 300_000)
            let ours = drsimHold[p] ?? .nan
            print(String(format: "  P = %7d: drsim %6.2f M events/s, SimPy %5.3f M events/s, ratio %.0f×", p, ours / 1e6, theirs / 1e6, ours / theirs))
        }
    }
}
