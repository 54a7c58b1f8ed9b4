import DRSim
import Foundation
import Testing

/// drsim against its SimPy peer (bench/simpy_twin.py), which simulates what drsim samples directly:
/// checkers warm up probe by probe, and every write of the last minute is generated with its own lag.
/// The rto_s and rpo_s distributions of the seed model must agree: two-sample Kolmogorov–Smirnov at
/// significance 0.001, 300 incidents each, fixed seeds. (A fast wrong answer counts for nothing.)
@Suite struct SimPyTwinTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test func seedModelAgreesWithTheSimPyTwin() throws {
        let n = 300
        let data = try Data(contentsOf: Self.root.appendingPathComponent("models/seed-active-passive.json"))
        let config = try Config.load(data: data, overrides: [try Override(parsing: "replications=\(n)")],
                                     defaultName: "seed-active-passive").config
        let ours = try Runner.run(config, threads: 2)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("drsim-twin-\(UUID().uuidString)")
        try ResultFiles(ours).write(to: dir)
        let twin = try SimPyTwin(script: Self.root.appendingPathComponent("bench/simpy_twin.py"))
            .incidents(resolved: dir.appendingPathComponent("run.json"), replications: n, seed: 5)
        #expect(twin.replications == n)
        for (name, a, b) in [("rto_s", ours.results.map(\.rto), twin.rto_s), ("rpo_s", ours.results.map(\.rpo), twin.rpo_s),
                             ("lost_writes", ours.results.map { Double($0.lostWrites) }, twin.lost_writes),
                             ("detection_s", ours.results.compactMap(\.detection), twin.detection_s.compactMap { $0 })] {
            let d = KolmogorovSmirnov.statistic(a, b)
            #expect(d < KolmogorovSmirnov.critical(alpha: 0.001, n: a.count, m: b.count),
                    "\(name): D = \(d), p = \(KolmogorovSmirnov.pValue(d, n: a.count, m: b.count))")
        }
    }
}
