import Foundation

/// A result folder as a run wrote it (docs/config.md, "Result files"), read back from its files only:
/// the renderer never runs the model, so it can draw the results of any drsim version that wrote the
/// same files. Columns are found by name, so a column added later does not break an older reader.
public struct ResultFolder: Sendable {
    public static let files = ["summary.csv", "replications.csv", "timeline.csv", "run.json"]

    /// One row of summary.csv: the metric and its statistics by column name (nil: an empty cell).
    public struct SummaryRow: Sendable {
        public var metric: String
        public var values: [String: Double?]
        public func callAsFunction(_ column: String) -> Double? { values[column] ?? nil }
    }

    public let url: URL
    /// The path as given, for messages and the report.
    public let path: String
    public let summaryColumns: [String]
    public let summary: [SummaryRow]
    public let replications: CSVTable
    public let timeline: CSVTable
    /// run.json as parsed.
    public let run: [String: any Sendable]
    /// The resolved config from run.json, pretty-printed with sorted keys.
    public let configText: String

    /// Reads and checks every file.
    /// - Throws: `ResultFolderError`: the folder is missing, not a folder, lacks result files, or a file
    ///   is damaged (its message names the file and line).
    public init(path: String) throws(ResultFolderError) {
        let fm = FileManager.default
        var isDir: ObjCBool = false
        guard fm.fileExists(atPath: path, isDirectory: &isDir) else { throw .missing(path: path) }
        guard isDir.boolValue else { throw .notAFolder(path: path) }
        self.path = path
        let url = URL(fileURLWithPath: path, isDirectory: true)
        self.url = url
        let missing = Self.files.filter { !fm.fileExists(atPath: url.appendingPathComponent($0).path) }
        if !missing.isEmpty {
            // A sweep's or a comparison's folder holds result folders, one per point or side. The points'
            // folders are zero-padded (point-01 … point-12), so the first is named as it is on disk.
            if fm.fileExists(atPath: url.appendingPathComponent("sweep.csv").path) {
                let points = ((try? fm.contentsOfDirectory(atPath: path)) ?? []).filter { $0.hasPrefix("point-") }.sorted()
                throw .study(path: path, kind: "a sweep's", inner: [points.first ?? "point-1"])
            }
            if fm.fileExists(atPath: url.appendingPathComponent("compare.csv").path) { throw .study(path: path, kind: "a comparison's", inner: ["a", "b"]) }
            throw .noResults(path: path, missing: missing)
        }

        func read(_ name: String) throws(ResultFolderError) -> String { try Self.read(url.appendingPathComponent(name)) }
        func table(_ name: String) throws(ResultFolderError) -> CSVTable {
            let file = url.appendingPathComponent(name)
            let data: Data
            do { data = try Data(contentsOf: file) } catch { throw .unreadable(file: file.path, reason: (error as NSError).localizedDescription) }
            return try CSVTable(data: data, file: file.path)
        }
        let summaryTable = try table("summary.csv")
        guard summaryTable.index("metric") != nil else {
            throw .damaged(file: summaryTable.file, line: 1, problem: "no 'metric' column in the header")
        }
        summaryColumns = summaryTable.header
        var rows: [SummaryRow] = []
        for (i, r) in summaryTable.rows.enumerated() {
            var values: [String: Double?] = [:]
            for (j, column) in summaryTable.header.enumerated() where column != "metric" {
                if r[j].isEmpty { values[column] = .some(nil); continue }
                guard let v = Double(r[j]), v.isFinite else {
                    throw .damaged(file: summaryTable.file, line: i + 2, problem: "column \(column) holds \"\(r[j].prefix(40))\", not a number")
                }
                values[column] = v
            }
            rows.append(SummaryRow(metric: r[summaryTable.index("metric")!], values: values))
        }
        if rows.isEmpty { throw .damaged(file: summaryTable.file, line: 2, problem: "no metric rows") }
        summary = rows
        replications = try table("replications.csv")
        // Every metric of replications.csv has its row in summary.csv, counting every replication.
        for column in replications.header where column != "replication" && column != "rto_censored" {
            guard let row = rows.first(where: { $0.metric == column }) else {
                throw .damaged(file: summaryTable.file, line: rows.count + 2, problem: "no row for \(column), which replications.csv has (the file is cut short)")
            }
            if let count = row("count"), count > 0, Int(count) != replications.rowCount {
                throw .damaged(file: replications.file, line: replications.rowCount + 2,
                               problem: "\(replications.rowCount) replications, but summary.csv counts \(Int(count)) for \(column) (the file is cut short)")
            }
        }
        timeline = try table("timeline.csv")
        for column in ["t_s", "success_p05", "success_p50", "success_p95"] where timeline.index(column) == nil {
            throw .damaged(file: timeline.file, line: 1, problem: "no '\(column)' column in the header")
        }
        let runText = try read("run.json")
        guard let doc = try? JSONSerialization.jsonObject(with: Data(runText.utf8)) as? [String: Any] else {
            throw .damaged(file: url.appendingPathComponent("run.json").path, line: 1, problem: "not a JSON object")
        }
        guard let config = doc["config"] as? [String: Any] else {
            throw .damaged(file: url.appendingPathComponent("run.json").path, line: 1, problem: "no \"config\" object")
        }
        run = doc.mapValues { Self.sendable($0) }
        let pretty = (try? JSONSerialization.data(withJSONObject: config, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])) ?? Data()
        configText = String(decoding: pretty, as: UTF8.self)
    }

    /// A file's text.
    private static func read(_ file: URL) throws(ResultFolderError) -> String {
        let data: Data
        do { data = try Data(contentsOf: file) } catch { throw .unreadable(file: file.path, reason: (error as NSError).localizedDescription) }
        guard let s = String(data: data, encoding: .utf8) else {
            throw .damaged(file: file.path, line: 1, problem: "the file is not UTF-8 text")
        }
        return s
    }

    /// Plain Foundation values as Sendable ones (JSON has only these).
    private static func sendable(_ v: Any) -> any Sendable {
        switch v {
        case let d as [String: Any]: return d.mapValues { sendable($0) }
        case let a as [Any]: return a.map { sendable($0) }
        case let s as String: return s
        case let n as NSNumber: return n.doubleValue
        default: return "null"
        }
    }

    // MARK: run.json's facts

    var config: [String: any Sendable] { run["config"] as? [String: any Sendable] ?? [:] }

    /// A value from the resolved config by a dotted path ("slo.success_target").
    public func configValue(_ path: String) -> (any Sendable)? {
        var node: (any Sendable)? = config
        for key in path.split(separator: ".") { node = (node as? [String: any Sendable])?[String(key)] }
        return node
    }

    public var name: String { configValue("name") as? String ?? url.lastPathComponent }
    public var configDescription: String { configValue("description") as? String ?? "" }
    public var seed: String { (run["seed"] as? Double).map { String(format: "%.0f", $0) } ?? "?" }
    public var replicationCount: Int { (run["replications"] as? Double).map { Int($0) } ?? replications.rowCount }
    public var version: String { run["drsim_version"] as? String ?? "unknown" }
    public var configHash: String { run["config_hash"] as? String ?? "" }
    public var horizon: Double? { configValue("horizon_s") as? Double }
    public var successTarget: Double? { configValue("slo.success_target") as? Double }
    public var stableFor: Double? { configValue("slo.stable_for_s") as? Double }
    public var ttl: Double? { configValue("dns.ttl_s") as? Double }
    /// Target expressions the config carries (`expect`, when the version that wrote it has them).
    public var expectations: [String] { (configValue("expect") as? [any Sendable])?.compactMap { $0 as? String } ?? [] }

    public func summary(_ metric: String) -> SummaryRow? { summary.first { $0.metric == metric } }
}
