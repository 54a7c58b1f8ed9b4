import DRSim
import Foundation

/// The bench's side-by-side part: the same scenario and the same hold model in drsim and in SimPy.
struct SimPyComparison {
    var models: String
    var quick: Bool
    var drsimHold: [Int: Double]

    func run() throws {
        let twin = SimPyTwin(script: URL(fileURLWithPath: "bench/simpy_twin.py"))
        let n = quick ? 100 : 500
        let path = "\(models)/seed-active-passive.json"
        let config = try Config.load(data: Data(contentsOf: URL(fileURLWithPath: path)),
                                     overrides: [try Override(parsing: "replications=\(n)")],
                                     defaultName: "seed-active-passive").config
        print("\nSimPy twin (bench/simpy_twin.py), seed-active-passive, \(n) incidents each, one core")
        var output: RunOutput?
        let seconds = try Benchmarks.time { output = try Runner.run(config, threads: 1) }
        let dir = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("drsim-twin-\(getpid())")
        try ResultFiles(output!).write(to: dir)
        let t = try twin.incidents(resolved: dir.appendingPathComponent("run.json"), replications: n, seed: 1)
        let ours = Double(n) / seconds, theirs = Double(t.replications) / t.seconds
        print(String(format: "  drsim %8.0f incidents/s   SimPy %6.1f incidents/s   drsim is %.0f× faster", ours, theirs, ours / theirs))
        for (name, a, b) in [("rto_s", output!.results.map(\.rto), t.rto_s), ("rpo_s", output!.results.map(\.rpo), t.rpo_s)] {
            let d = KolmogorovSmirnov.statistic(a, b)
            let p = KolmogorovSmirnov.pValue(d, n: a.count, m: b.count)
            print(String(format: "  %@: two-sample Kolmogorov-Smirnov D = %.4f, p = %.3f (%@)", name, d, p,
                         p > 0.001 ? "the distributions agree" : "THE DISTRIBUTIONS DIFFER"))
        }
        print("\nhold model, drsim kernel vs SimPy (one core)")
        for p in [10, 1_000, 100_000] {
            let theirs = try twin.hold(pending: p, events: quick ? 20_000 : 300_000)
            let ours = drsimHold[p] ?? .nan
            print(String(format: "  P = %7d: drsim %6.2f M events/s, SimPy %5.3f M events/s, ratio %.0f×", p, ours / 1e6, theirs / 1e6, ours / theirs))
        }
    }
}
