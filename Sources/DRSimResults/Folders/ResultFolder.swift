import Foundation

/// A result folder as a run wrote it (docs/config.md, "Result files"), read back from its files only:
/// nothing here runs the model, so the results of any drsim version that wrote the same files can be
/// read, drawn and compared. Columns are found by name, so a column added later does not break an
/// older reader.
public struct ResultFolder: Sendable {
    /// The files every result folder has (`breakdown.csv` is read when there).
    public static let files = ResultFileNames.required

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
    /// breakdown.csv, the RTO by stage; nil in a folder without it (written by drsim 0.1).
    public let breakdown: CSVTable?
    /// placeholder_ranges.csv, `rto_s` over the TTL-extension shapes; nil in a folder without it.
    public let placeholderRanges: CSVTable?
    /// run.json: the resolved config, seed, replications, versions.
    public let document: RunDocument

    /// Reads and checks every file.
    /// - Throws: `ResultFolderError`: the folder is missing, not a folder, lacks result files, or a file
    ///   is damaged (its message names the file and line).
    public init(path: String) throws(ResultFolderError) {
        let fm = FileManager.default
        let url = try Self.folder(path)
        self.path = path
        self.url = url
        let missing = Self.files.filter { !fm.fileExists(atPath: url.appendingPathComponent($0).path) }
        if !missing.isEmpty { throw Self.incomplete(url, path: path, missing: missing) }

        func table(_ name: String) throws(ResultFolderError) -> CSVTable {
            try CSVTable(contentsOf: url.appendingPathComponent(name))
        }
        let summaryTable = try table(ResultFileNames.summary)
        summaryColumns = summaryTable.header
        let rows = try Self.summaryRows(summaryTable)
        summary = rows
        replications = try table(ResultFileNames.replications)
        // Every metric of replications.csv has its row in summary.csv, counting every replication.
        for column in replications.header where column != "replication" && column != "rto_censored" {
            guard let row = rows.first(where: { $0.metric == column }) else {
                throw .damaged(
                    file: summaryTable.file, line: rows.count + 2,
                    problem: "no row for \(column), which replications.csv has (the file is cut short)")
            }
            if let count = row("count"), count > 0, Int(count) != replications.rowCount {
                throw .damaged(
                    file: replications.file, line: replications.rowCount + 2,
                    problem:
                        "\(replications.rowCount) replications, but summary.csv counts \(Int(count)) for \(column) "
                            + "(the file is cut short)"
                )
            }
        }
        timeline = try table(ResultFileNames.timeline)
        try timeline.require(["t_s", "success_p05", "success_p50", "success_p95"])
        let hasBreakdown = fm.fileExists(atPath: url.appendingPathComponent(ResultFileNames.breakdown).path)
        breakdown = hasBreakdown ? try table(ResultFileNames.breakdown) : nil
        if let breakdown {
            try breakdown.require(["rto_s", "rto_censored"])
            guard breakdown.rowCount == replications.rowCount else {
                throw .damaged(
                    file: breakdown.file, line: breakdown.rowCount + 2,
                    problem:
                        "\(breakdown.rowCount) replications, but replications.csv has \(replications.rowCount) (the "
                            + "file is cut short)"
                )
            }
        }
        let hasRanges = fm.fileExists(atPath: url.appendingPathComponent(ResultFileNames.placeholderRanges).path)
        placeholderRanges = hasRanges ? try table(ResultFileNames.placeholderRanges) : nil
        document = try RunDocument(
            file: url.appendingPathComponent(ResultFileNames.run), fallbackName: url.lastPathComponent)
    }

    /// Why a folder without every result file is not one: a sweep's or a comparison's folder holds
    /// result folders, one per point or side (the points' folders are zero-padded, point-01 … point-12,
    /// so the first is named as it is on disk); any other lacks results.
    static func incomplete(_ url: URL, path: String, missing: [String]) -> ResultFolderError {
        let fm = FileManager.default
        if fm.fileExists(atPath: url.appendingPathComponent(ResultFileNames.sweep).path) {
            let points = ((try? fm.contentsOfDirectory(atPath: path)) ?? []).filter { $0.hasPrefix("point-") }.sorted()
            return .study(path: path, kind: "a sweep's", inner: [points.first ?? "point-1"])
        }
        if fm.fileExists(atPath: url.appendingPathComponent(ResultFileNames.compare).path) {
            return .study(path: path, kind: "a comparison's", inner: ["a", "b"])
        }
        return .noResults(path: path, missing: missing)
    }

    /// summary.csv's rows, every cell but the metric's a number or empty; at least one row.
    static func summaryRows(_ table: CSVTable) throws(ResultFolderError) -> [SummaryRow] {
        guard let metricColumn = table.index("metric") else {
            throw .damaged(file: table.file, line: 1, problem: "no 'metric' column in the header")
        }
        var rows: [SummaryRow] = []
        for (i, r) in table.rows.enumerated() {
            var values: [String: Double?] = [:]
            for (j, column) in table.header.enumerated() where column != "metric" {
                if r[j].isEmpty {
                    values[column] = .some(nil)
                    continue
                }
                guard let v = Double(r[j]), v.isFinite else {
                    throw .damaged(
                        file: table.file, line: i + 2,
                        problem: "column \(column) holds \"\(r[j].prefix(40))\", not a number")
                }
                values[column] = v
            }
            rows.append(SummaryRow(metric: r[metricColumn], values: values))
        }
        if rows.isEmpty { throw .damaged(file: table.file, line: 2, problem: "no metric rows") }
        return rows
    }

    /// The folder at `path`, checked to exist and to be a folder.
    static func folder(_ path: String) throws(ResultFolderError) -> URL {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else { throw .missing(path: path) }
        guard isDir.boolValue else { throw .notAFolder(path: path) }
        return URL(fileURLWithPath: path, isDirectory: true)
    }

    /// A file's text.
    static func read(_ file: URL) throws(ResultFolderError) -> String {
        let data: Data
        do { data = try Data(contentsOf: file) } catch {
            throw .unreadable(file: file.path, reason: (error as NSError).localizedDescription)
        }
        guard let s = String(data: data, encoding: .utf8) else {
            throw .damaged(file: file.path, line: 1, problem: "the file is not UTF-8 text")
        }
        return s
    }

    /// Plain Foundation values as Sendable ones (JSON has only these).
    static func sendable(_ v: Any) -> any Sendable {
        switch v {
        case let d as [String: Any]: return d.mapValues { sendable($0) }
        case let a as [Any]: return a.map { sendable($0) }
        case let s as String: return s
        case let n as NSNumber: return n.doubleValue
        default: return "null"
        }
    }

    // MARK: run.json's facts

    /// run.json as parsed.
    public var run: [String: any Sendable] { document.top }
    /// The resolved config from run.json, pretty-printed with sorted keys.
    public var configText: String { document.configText }
    public func configValue(_ path: String) -> (any Sendable)? { document.configValue(path) }
    public var name: String { document.name }
    public var configDescription: String { document.configDescription }
    public var seed: String { document.seed }
    public var replicationCount: Int { document.replications ?? replications.rowCount }
    public var version: String { document.version }
    public var configHash: String { document.configHash }
    public var horizon: Double? { document.horizon }
    public var successTarget: Double? { document.successTarget }
    public var stableFor: Double? { document.stableFor }
    public var ttl: Double? { document.ttl }
    public var expectations: [String] { document.expectations }

    public func summary(_ metric: String) -> SummaryRow? { summary.first { $0.metric == metric } }
}
