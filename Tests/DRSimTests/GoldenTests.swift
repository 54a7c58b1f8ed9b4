import DRSim
import DRSimTestSupport
import Foundation
import Testing

/// Every config in models/ runs at its own seed and a fixed replication count; its summary.csv must
/// match the golden file beside this test, number by number to a relative 1e-9 (so that a change of
/// libm's last bit on another machine does not fail it, while any change of the model does).
///
/// To re-record after an intended change: `DRSIM_RECORD_GOLDENS=1 swift test --filter GoldenTests`.
/// Re-recording writes the files and fails, so that a new golden is always looked at before it is
/// committed.
@Suite struct GoldenTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let models =
        (try? FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("models").path))?
        .filter { $0.hasSuffix(".json") }.sorted() ?? []
    static let replications = 200

    @Test func everyModelHasAGolden() {
        #expect(!Self.models.isEmpty)
        for m in Self.models {
            let golden = Self.root.appendingPathComponent("Tests/DRSimTests/Goldens/\(m.dropLast(5)).summary.csv")
            #expect(
                FileManager.default.fileExists(atPath: golden.path),
                "\(m) has no golden: record it with DRSIM_RECORD_GOLDENS=1")
        }
    }

    @Test(.slow, arguments: models)
    func summaryMatchesTheGolden(_ model: String) throws {
        let run = try Self.run(model)
        try Self.compare(
            ResultFiles.summaryCSV(run.summaries), golden: "\(model.dropLast(5)).summary.csv", model: model)
    }

    /// One model's timeline.csv too: the success fraction's mean and percentiles at every second.
    @Test(.slow) func timelineMatchesTheGolden() throws {
        let model = "seed-active-passive.json"
        try Self.compare(
            ResultFiles.timelineCSV(try Self.run(model).timeline), golden: "seed-active-passive.timeline.csv",
            model: model)
    }

    static func run(_ model: String) throws -> RunOutput {
        let data = try Data(contentsOf: root.appendingPathComponent("models/\(model)"))
        let config = try Config.load(
            data: data, overrides: [try Override(parsing: "replications=\(replications)")],
            defaultName: model
        ).config
        return try Runner.run(config, threads: 2)
    }

    /// Compares a CSV text with its golden file, number by number to a relative 1e-9.
    static func compare(_ text: String, golden name: String, model: String) throws {
        let golden = root.appendingPathComponent("Tests/DRSimTests/Goldens/\(name)")
        if ProcessInfo.processInfo.environment["DRSIM_RECORD_GOLDENS"] != nil {
            try Data(text.utf8).write(to: golden)
            Issue.record("re-recorded \(name): look at the diff, then run again without DRSIM_RECORD_GOLDENS")
            return
        }
        let expected = try String(contentsOf: golden, encoding: .utf8)
        let rowsA = text.split(separator: "\r\n")
        let rowsB = expected.split(separator: "\r\n")
        try #require(rowsA.count == rowsB.count, "row count differs from \(name)")
        for (a, b) in zip(rowsA, rowsB) {
            let ca = a.split(separator: ",", omittingEmptySubsequences: false)
            let cb = b.split(separator: ",", omittingEmptySubsequences: false)
            try #require(ca.count == cb.count)
            for (x, y) in zip(ca, cb) where x != y {
                guard let dx = Double(x), let dy = Double(y) else {
                    Issue.record("\(model): \(ca[0]): \(x) differs from the golden \(y)")
                    continue
                }
                #expect(
                    abs(dx - dy) <= 1e-9 * max(abs(dx), abs(dy)), "\(model) \(name): \(ca[0]): \(dx) vs golden \(dy)")
            }
        }
    }
}
