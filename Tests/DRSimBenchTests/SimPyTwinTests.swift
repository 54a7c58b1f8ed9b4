import DRSim
import DRSimBench
import DRSimTestSupport
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
///
/// The twins need a Python with simpy and numpy (bench/requirements.txt, in `.venv`): without one these tests are
/// skipped with a note, except in CI (DRSIM_REQUIRE_TOOLS=1), where they fail.
@Suite(
    .external,
    .disabled(
        if: TwinPython.absent,
        """
        no Python with simpy and numpy: python3 -m venv .venv && .venv/bin/pip install -r bench/requirements.txt \
        (CI does, and fails without it)
        """))
struct SimPyTwinTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    @Test func seedModelAgreesWithTheSimPyTwin() async throws {
        try await agrees(expert: false, seed: 5)
    }

    @Test func seedModelAgreesWithTheExpertSimPyTwin() async throws {
        try await agrees(expert: true, seed: 7)
    }

    /// The expert twin refuses what neither twin simulates, with a message that says what.
    @Test func expertTwinRefusesUnsupportedConfigs() async throws {
        let (_, dir) = try runDrsim("seed-three-region", replications: 2)
        defer { try? FileManager.default.removeItem(at: dir) }
        let root = Self.root
        await #expect {
            _ = try await offPool {
                try SimPyTwin.expert(root: root).incidents(
                    resolved: dir.appendingPathComponent("run.json"), replications: 2, seed: 1)
            }
        } throws: { error in
            "\(error)".contains("unsupported config") && "\(error)".contains("3 regions")
        }
    }

    func agrees(expert: Bool, seed: Int) async throws {
        let n = 300
        let root = Self.root
        let (ours, dir) = try runDrsim("seed-active-passive", replications: n)
        defer { try? FileManager.default.removeItem(at: dir) }
        let twin: SimPyTwin = expert ? .expert(root: root) : .plain(root: root)
        let theirs = try await offPool {
            try (expert ? SimPyTwin.expert(root: root) : SimPyTwin.plain(root: root))
                .incidents(resolved: dir.appendingPathComponent("run.json"), replications: n, seed: seed)
        }
        #expect(theirs.replications == n)
        for (name, a, b) in theirs.samples(against: ours.results) {
            let d = KolmogorovSmirnov.statistic(a, b)
            #expect(
                d < KolmogorovSmirnov.critical(alpha: 0.001, n: a.count, m: b.count),
                "\(twin.name) \(name): D = \(d), p = \(KolmogorovSmirnov.pValue(d, n: a.count, m: b.count))")
        }
    }

    /// drsim's run of a bundled model, and the folder with its result files (run.json among them).
    func runDrsim(_ model: String, replications n: Int) throws -> (RunOutput, URL) {
        let data = try Data(contentsOf: Self.root.appendingPathComponent("models/\(model).json"))
        let config = try Config.load(
            data: data, overrides: [try Override(parsing: "replications=\(n)")], defaultName: model
        ).config
        let output = try Runner.run(config, threads: 2)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("drsim-twin-\(UUID().uuidString)")
        try ResultFiles(output).write(to: dir)
        return (output, dir)
    }
}

/// Whether to skip the twins: no Python with their packages, and not in CI.
enum TwinPython {
    static let absent =
        ProcessInfo.processInfo.environment["DRSIM_REQUIRE_TOOLS"] != "1"
        && !SimPyTwin.plain(
            root: URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent()
        ).hasItsPackages
}
