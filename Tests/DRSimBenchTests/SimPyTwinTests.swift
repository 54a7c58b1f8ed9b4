import DRSim
import DRSimBench
import Foundation
import Testing

/// drsim against its SimPy peers on the seed model: the rto_s, recovered_50_s, rpo_s, lost_writes and detection_s
/// distributions must agree, two-sample Kolmogorov–Smirnov at significance 0.001, 300 incidents each,
/// fixed seeds. (A fast wrong answer counts for nothing.)
///
/// - bench/simpy_twin.py simulates what drsim samples directly: checkers warm up probe by probe, and
///   every write of the last minute is generated with its own lag;
/// - bench/simpy_expert.py, the fairest peer for speed, computes what it can in bulk by drsim's own
///   rules, so agreement there checks the rules' implementation rather than the shortcuts.
@Suite struct SimPyTwinTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test func seedModelAgreesWithTheSimPyTwin() throws {
        try agrees(with: .plain(root: Self.root), seed: 5)
    }

    @Test func seedModelAgreesWithTheExpertSimPyTwin() throws {
        try agrees(with: .expert(root: Self.root), seed: 7)
    }

    /// The expert twin refuses what neither twin simulates, with a message that says what.
    @Test func expertTwinRefusesUnsupportedConfigs() throws {
        let (_, dir) = try runDrsim("seed-three-region", replications: 2)
        defer { try? FileManager.default.removeItem(at: dir) }
        #expect {
            _ = try SimPyTwin.expert(root: Self.root).incidents(resolved: dir.appendingPathComponent("run.json"), replications: 2, seed: 1)
        } throws: { error in
            "\(error)".contains("unsupported config") && "\(error)".contains("3 regions")
        }
    }

    func agrees(with twin: SimPyTwin, seed: Int) throws {
        let n = 300
        let (ours, dir) = try runDrsim("seed-active-passive", replications: n)
        defer { try? FileManager.default.removeItem(at: dir) }
        let theirs = try twin.incidents(resolved: dir.appendingPathComponent("run.json"), replications: n, seed: seed)
        #expect(theirs.replications == n)
        for (name, a, b) in theirs.samples(against: ours.results) {
            let d = KolmogorovSmirnov.statistic(a, b)
            #expect(d < KolmogorovSmirnov.critical(alpha: 0.001, n: a.count, m: b.count),
                    "\(twin.name) \(name): D = \(d), p = \(KolmogorovSmirnov.pValue(d, n: a.count, m: b.count))")
        }
    }

    /// drsim's run of a bundled model, and the folder with its result files (run.json among them).
    func runDrsim(_ model: String, replications n: Int) throws -> (RunOutput, URL) {
        let data = try Data(contentsOf: Self.root.appendingPathComponent("models/\(model).json"))
        let config = try Config.load(data: data, overrides: [try Override(parsing: "replications=\(n)")], defaultName: model).config
        let output = try Runner.run(config, threads: 2)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("drsim-twin-\(UUID().uuidString)")
        try ResultFiles(output).write(to: dir)
        return (output, dir)
    }
}
