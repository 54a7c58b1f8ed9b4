import DRSimFiles
import DRSimResults
import Foundation

public enum DRSimInfo {
    public static let version = "0.2.0"
}

/// The result files of a run (docs/config.md, "Result files"): their text, and writing them safely.
///
/// Files are produced in chunks, so that a run of a million replications never holds the whole of
/// `replications.csv` in memory.
public struct ResultFiles: Sendable {
    /// The files, in the order they are written (`ResultFileNames.runFiles`).
    public static let names = ResultFileNames.runFiles
    let run: RunOutput

    /// This run's files: `names`, and `years.csv` when a year was simulated.
    public var fileNames: [String] { Self.names + (run.config.year == nil ? [] : [ResultFileNames.years]) }

    public init(_ run: RunOutput) { self.run = run }

    /// The whole text of one file (for tests and small runs).
    public func text(_ name: String) -> String {
        var out = ""
        produce(name) { out += $0 }
        return out
    }

    /// Every file's text, in `names` order.
    public var texts: [String] { fileNames.map(text) }

    /// Hands the file's text to `emit` in pieces of about 64 KiB.
    func produce(_ name: String, _ emit: (String) -> Void) {
        switch name {
        case ResultFileNames.summary: emit(Self.summaryCSV(run.summaries))
        case ResultFileNames.replications: Self.replicationsCSV(run.results, emit)
        case ResultFileNames.timeline: emit(Self.timelineCSV(run.timeline))
        case ResultFileNames.breakdown: Self.breakdownCSV(run.results, emit)
        case ResultFileNames.run: emit(Self.runJSON(run.config))
        case ResultFileNames.years: Self.yearsCSV(run.results, emit)
        default: preconditionFailure("no result file \(name)")
        }
    }

    /// A number's cell: shortest round-trip form, empty for nil.
    public static func cell(_ x: Double?) -> String { x.map(formatNumber) ?? "" }

    /// summary.csv's columns (`MetricSummary.columns`).
    public static let summaryColumns = MetricSummary.columns

    /// summary.csv: one row per metric, each cell `MetricSummary`'s number in that column.
    public static func summaryCSV(_ summaries: [MetricSummary]) -> String {
        var out = summaryColumns.joined(separator: ",") + "\r\n"
        for s in summaries {
            out += ([s.metric] + summaryColumns.dropFirst().map { cell(s.value($0)) }).joined(separator: ",") + "\r\n"
        }
        return out
    }

    /// The header of `replications.csv`.
    public static let replicationsHeader =
        "replication," + Metric.allCases.map(\.rawValue).joined(separator: ",") + ",rto_censored\r\n"

    /// One row of `replications.csv`: replication `number` (1-based).
    public static func replicationRow(_ r: ReplicationResult, number: Int) -> String {
        var out = String(number)
        for m in Metric.allCases { out += "," + cell(m.value(r)) }
        return out + (r.rtoCensored ? ",1\r\n" : ",0\r\n")
    }

    static func replicationsCSV(_ results: [ReplicationResult], _ emit: (String) -> Void) {
        var out = replicationsHeader
        out.reserveCapacity(70_000)
        for (i, r) in results.enumerated() {
            out += replicationRow(r, number: i + 1)
            if out.utf8.count >= 65_536 {
                emit(out)
                out.removeAll(keepingCapacity: true)
            }
        }
        emit(out)
    }

    public static let breakdownColumns =
        ["replication", "rto_s", "rto_censored", "decided_by"] + RTOBreakdown.Stage.allCases.map(\.column)

    /// One row per incident: its RTO by stage (docs/model.md, "RTO by stage"); empty stages when it
    /// never recovered.
    static func breakdownCSV(_ results: [ReplicationResult], _ emit: (String) -> Void) {
        var out = breakdownColumns.joined(separator: ",") + "\r\n"
        out.reserveCapacity(70_000)
        for (i, r) in results.enumerated() {
            out += String(i + 1) + "," + cell(r.rto) + (r.rtoCensored ? ",1," : ",0,")
            if let b = r.breakdown {
                out += b.decidedBy == .none ? "" : b.decidedBy.rawValue
                for s in RTOBreakdown.Stage.allCases { out += "," + cell(b.seconds(s)) }
            } else {
                out += String(repeating: ",", count: RTOBreakdown.Stage.allCases.count)
            }
            out += "\r\n"
            if out.utf8.count >= 65_536 {
                emit(out)
                out.removeAll(keepingCapacity: true)
            }
        }
        emit(out)
    }

    public static func timelineCSV(_ t: Timeline) -> String {
        var out = "t_s,success_mean,success_p05,success_p50,success_p95\r\n"
        for i in t.times.indices {
            out +=
                [t.times[i], t.mean[i], t.p05[i], t.p50[i], t.p95[i]].map(formatNumber).joined(separator: ",") + "\r\n"
        }
        return out
    }

    /// The resolved config with the run's identity. No wall-clock time, host or path: same config and
    /// seed, same bytes.
    public static func runJSON(_ c: Config) -> String {
        let resolved = c.resolved
        let doc: JSON = .object([
            "drsim_version": .string(DRSimInfo.version),
            "seed": .number(Double(c.seed)),
            "replications": .number(Double(c.replications)),
            "config_hash": .string(configHash(resolved)),
            "config": resolved,
        ])
        return doc.serialized() + "\n"
    }

    /// FNV-1a (64-bit) of the resolved config's canonical text, in hex: equal hashes, equal configs.
    public static func configHash(_ resolved: JSON) -> String {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for b in resolved.serialized().utf8 { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01B3 }
        return "fnv1a64:" + String(h, radix: 16).leftPadded(to: 16)
    }

    /// Adds every file, to be written into `directory`, to `batch`.
    public func add(to batch: inout FileBatch, in directory: URL) {
        for name in fileNames {
            batch.add(directory.appendingPathComponent(name)) { emit in self.produce(name, emit) }
        }
    }

    /// Writes every file into `directory`, which it replaces as a whole (`FileBatch`): a failed or
    /// interrupted run leaves the earlier results as they were and no partial file.
    public func write(to directory: URL) throws {
        var batch = FileBatch()
        add(to: &batch, in: directory)
        batch.replace(folder: directory)
        try batch.write()
    }
}

/// One CSV cell (RFC 4180): quoted when it holds a comma, a quote or a line break.
public func csvCell(_ s: String) -> String {
    guard s.unicodeScalars.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return s }
    return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
}

extension String {
    func leftPadded(to n: Int) -> String { count >= n ? self : String(repeating: "0", count: n - count) + self }
}
