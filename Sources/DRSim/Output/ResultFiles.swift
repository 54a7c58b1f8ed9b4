import Foundation

public enum DRSimInfo {
    public static let version = "0.1.0"
}

/// The result files of a run (CONFIG.md, "Result files"): their text, and writing them safely.
public struct ResultFiles: Sendable {
    public var files: [(name: String, text: String)]

    public init(_ run: RunOutput) {
        files = [
            ("summary.csv", Self.summaryCSV(run.summaries)),
            ("replications.csv", Self.replicationsCSV(run.results)),
            ("timeline.csv", Self.timelineCSV(run.timeline)),
            ("run.json", Self.runJSON(run.config)),
        ]
    }

    static func cell(_ x: Double?) -> String { x.map(formatNumber) ?? "" }

    public static let summaryColumns = ["metric", "count", "censored", "mean", "mean_ci_low", "mean_ci_high", "sd",
                                        "p50", "p50_ci_low", "p50_ci_high", "p90", "p90_ci_low", "p90_ci_high",
                                        "p99", "p99_ci_low", "p99_ci_high", "p999", "max"]

    public static func summaryCSV(_ summaries: [MetricSummary]) -> String {
        var out = summaryColumns.joined(separator: ",") + "\r\n"
        for s in summaries {
            let row: [String] = [s.metric, String(s.count), String(s.censored),
                                 cell(s.mean.value), cell(s.mean.low), cell(s.mean.high), cell(s.sd),
                                 cell(s.p50.value), cell(s.p50.low), cell(s.p50.high),
                                 cell(s.p90.value), cell(s.p90.low), cell(s.p90.high),
                                 cell(s.p99.value), cell(s.p99.low), cell(s.p99.high), cell(s.p999), cell(s.max)]
            out += row.joined(separator: ",") + "\r\n"
        }
        return out
    }

    public static func replicationsCSV(_ results: [ReplicationResult]) -> String {
        var out = "replication," + Metric.allCases.map(\.rawValue).joined(separator: ",") + ",rto_censored\r\n"
        out.reserveCapacity(results.count * 80)
        for (i, r) in results.enumerated() {
            out += String(i + 1)
            for m in Metric.allCases { out += "," + cell(m.value(r)) }
            out += r.rtoCensored ? ",1\r\n" : ",0\r\n"
        }
        return out
    }

    public static func timelineCSV(_ t: Timeline) -> String {
        var out = "t_s,success_mean,success_p05,success_p50,success_p95\r\n"
        for i in t.times.indices {
            out += [t.times[i], t.mean[i], t.p05[i], t.p50[i], t.p95[i]].map(formatNumber).joined(separator: ",") + "\r\n"
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

    /// Writes every file into `directory` (created if missing). Each file is first written in full
    /// beside its final name and then renamed over it, and no file is renamed until all were written:
    /// a failed or interrupted run leaves the earlier results as they were and no partial file.
    public func write(to directory: URL) throws {
        let fm = FileManager.default
        try fm.createDirectory(at: directory, withIntermediateDirectories: true)
        let tag = ".tmp-\(ProcessInfo.processInfo.processIdentifier)"
        var written: [(URL, URL)] = []
        do {
            for f in files {
                let final = directory.appendingPathComponent(f.name)
                let temp = directory.appendingPathComponent("." + f.name + tag)
                try Data(f.text.utf8).write(to: temp)
                written.append((temp, final))
            }
            for (temp, final) in written {
                if rename(temp.path, final.path) != 0 {
                    throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: final.path,
                                                                   NSLocalizedDescriptionKey: "cannot rename \(temp.path) to \(final.path): \(String(cString: strerror(errno)))"])
                }
            }
        } catch {
            for (temp, _) in written { try? fm.removeItem(at: temp) }
            throw error
        }
    }
}

extension String {
    func leftPadded(to n: Int) -> String { count >= n ? self : String(repeating: "0", count: n - count) + self }
}
