import Foundation

/// A sweep's folder as `drsim sweep` wrote it (docs/config.md, "sweep"): `sweep.csv`, one row per
/// point with its varied values and every metric's statistics, and `sweep.json`, the grid and the base
/// config. Read from those files only; the points' own folders are not needed to draw the sweep.
public struct SweepFolder: Sendable {
    public static let files = [ResultFileNames.sweep, ResultFileNames.sweepDocument]

    public let url: URL
    /// sweep.csv.
    public let table: CSVTable
    /// sweep.json: the base config every point starts from, the seed, the replications per point.
    public let document: RunDocument
    /// The varied settings, slowest first, as `--vary` named them.
    public let paths: [String]
    /// Per point, its varied values as sweep.csv writes them.
    public let values: [[String]]
    /// advise.json when `drsim advise` wrote the folder (the sweep of the grid it judged); nil for a sweep's.
    public let advice: AdviceDocument?

    /// - Throws: `ResultFolderError` naming the file that is missing or damaged.
    public init(path: String) throws(ResultFolderError) {
        (url, table) = try StudyKind.sweep.open(path)
        let documentFile = url.appendingPathComponent(ResultFileNames.sweepDocument)
        document = try RunDocument(file: documentFile, under: "base", fallbackName: url.lastPathComponent)
        let grid = (document.top["grid"] as? [any Sendable] ?? []).compactMap {
            ($0 as? [String: any Sendable])?["path"] as? String
        }
        guard !grid.isEmpty else {
            throw .damaged(file: documentFile.path, line: 1, problem: "no \"grid\" with the varied settings' paths")
        }
        guard Array(table.header.prefix(grid.count + 1)) == ["point"] + grid else {
            throw .damaged(
                file: table.file, line: 1,
                problem:
                    "the header does not start with point, \(grid.joined(separator: ", ")) (the grid of sweep.json)")
        }
        guard table.rowCount > 0 else { throw .damaged(file: table.file, line: 2, problem: "no point rows") }
        paths = grid
        let table = self.table
        values = (0..<table.rowCount).map { k in (1...grid.count).map { table.cell(row: k, column: $0) } }
        let adviceFile = url.appendingPathComponent(ResultFileNames.adviseDocument)
        advice = FileManager.default.fileExists(atPath: adviceFile.path) ? try AdviceDocument(file: adviceFile) : nil
    }

    public var name: String { document.name }
    /// Replications per point: in a sweep every point's; after an advice, the fewest any point ran.
    public var replications: Int { document.replications ?? 0 }

    /// Per point, the replications it ran (sweep.json's points; `replications` where they do not say).
    public var pointReplications: [Int] {
        let points = document.top["points"] as? [any Sendable] ?? []
        return values.indices.map { k in
            let own = k < points.count ? (points[k] as? [String: any Sendable])?["replications"] as? Double : nil
            return own.map { Int($0) } ?? replications
        }
    }

    /// The replications per point in words: "100", or "100 to 800" when an advice grew some points.
    public var replicationsText: String {
        let counts = pointReplications
        guard let low = counts.min(), let high = counts.max(), low != high else { return String(replications) }
        return "\(low) to \(high)"
    }

    /// A column's numbers, one per point; nil when sweep.csv has no such column.
    public func numbers(_ column: String) throws(ResultFolderError) -> [Double?]? { try table.numbers(column) }

    /// What the Pareto front is over, as sweep.json names it; for a sweep.json that names none, the
    /// default objectives that have a value at some point of sweep.csv.
    public var objectives: [Objective] {
        if let named = document.top["objectives"] as? [any Sendable] {
            return named.compactMap { ($0 as? String).flatMap { try? Objective(parsing: $0) } }
        }
        return Objective.defaults.filter { o in ((try? numbers(o.column)) ?? nil)?.contains { $0 != nil } ?? false }
    }

    /// One line per objective asked for and left out, with why (sweep.json's `objectives_left_out`).
    public var objectivesLeftOut: [String] {
        (document.top["objectives_left_out"] as? [any Sendable] ?? []).compactMap {
            guard let o = $0 as? [String: any Sendable], let name = o["objective"] as? String else { return nil }
            return "objective \(name) left out: \(o["reason"] as? String ?? "no reason given")"
        }
    }

    /// The point (0-based) an advice chose, drawn on the front; nil when none (sweep.json's `chosen`).
    public var chosen: Int? {
        (document.top["chosen"] as? Double).map { Int($0) - 1 }.flatMap { values.indices.contains($0) ? $0 : nil }
    }

    /// Why a metric has no values, by metric name, as sweep.json says (empty for a sweep.json without it).
    public var metricsWithoutValues: [String: String] {
        (document.top["metrics_without_values"] as? [String: any Sendable] ?? [:]).compactMapValues { $0 as? String }
    }
}

/// A comparison's folder as `drsim compare` wrote it (docs/config.md, "compare"): `compare.csv`, one
/// row per metric, and each side's result folder, `a/` and `b/`.
public struct CompareFolder: Sendable {
    public let url: URL
    /// compare.csv.
    public let table: CSVTable
    public let a: ResultFolder
    public let b: ResultFolder

    /// - Throws: `ResultFolderError` naming the file that is missing or damaged, or a side whose
    ///   replications differ in number from the other's (the comparison is not of the same incidents).
    public init(path: String) throws(ResultFolderError) {
        (url, table) = try StudyKind.comparison.open(path)
        a = try ResultFolder(path: url.appendingPathComponent("a").path)
        b = try ResultFolder(path: url.appendingPathComponent("b").path)
        guard a.replications.rowCount == b.replications.rowCount else {
            throw .damaged(
                file: b.replications.file, line: b.replications.rowCount + 2,
                problem:
                    "\(b.replications.rowCount) replications where a/ has \(a.replications.rowCount): the sides must "
                    + "run the same incidents"
            )
        }
    }

    /// "seed-active-passive", or "A-name vs B-name" when the sides' names differ.
    public var name: String { a.name == b.name ? a.name : "\(a.name) vs \(b.name)" }

    /// compare.csv's row of `metric` by column name (nil: an empty cell); nil when it has no such row.
    public func row(_ metric: String) -> [String: Double?]? {
        guard let m = table.index("metric"),
            let r = (0..<table.rowCount).first(where: { table.cell(row: $0, column: m) == metric })
        else { return nil }
        var out: [String: Double?] = [:]
        for (j, column) in table.header.enumerated() where j != m {
            let cell = table.cell(row: r, column: j)
            out[column] = cell.isEmpty ? .some(nil) : Double(cell)
        }
        return out
    }

    /// compare.csv's metrics, in its order.
    public var metrics: [String] {
        guard let m = table.index("metric") else { return [] }
        return (0..<table.rowCount).map { table.cell(row: $0, column: m) }
    }
}

/// A sensitivity study's folder as `drsim sensitivity` wrote it (docs/config.md, "Sensitivity"):
/// `sensitivity.csv`, one row per statistic and assumption, and the base config's `run.json`.
public struct SensitivityFolder: Sendable {
    public static let columns = [
        "statistic", "rank", "assumption", "range", "base", "at_low", "at_high", "swing", "lower_bound",
    ]

    public let url: URL
    /// sensitivity.csv.
    public let table: CSVTable
    /// run.json of the base config.
    public let document: RunDocument

    public init(path: String) throws(ResultFolderError) {
        (url, table) = try StudyKind.sensitivity.open(path)
        for column in ["base", "at_low", "at_high", "swing", "lower_bound"] { _ = try table.numbers(column) }
        document = try RunDocument(
            file: url.appendingPathComponent(ResultFileNames.run), fallbackName: url.lastPathComponent)
    }

    public var name: String { document.name }

    /// The statistics ranked, in the file's order (`rto_s:p50`, …).
    public var statistics: [String] {
        var out: [String] = []
        for s in (0..<table.rowCount).map({ text($0, "statistic") }) where !out.contains(s) { out.append(s) }
        return out
    }

    /// A cell as text.
    public func text(_ row: Int, _ column: String) -> String {
        table.index(column).map { table.cell(row: row, column: $0) } ?? ""
    }

    /// A cell as a number (nil: empty).
    public func number(_ row: Int, _ column: String) -> Double? { Double(text(row, column)) }

    /// The rows of `statistic`, most influential first.
    public func rows(_ statistic: String) -> [Int] {
        (0..<table.rowCount).filter { text($0, "statistic") == statistic }
    }
}

/// The kinds of study folder, by the file that marks each.
enum StudyKind {
    case sweep, comparison, sensitivity

    var marker: String {
        switch self {
        case .sweep: ResultFileNames.sweep
        case .comparison: ResultFileNames.compare
        case .sensitivity: ResultFileNames.sensitivity
        }
    }

    var files: [String] {
        switch self {
        case .sweep: SweepFolder.files
        case .comparison: [ResultFileNames.compare, "a", "b"]
        case .sensitivity: [ResultFileNames.sensitivity, ResultFileNames.run]
        }
    }

    var words: String {
        switch self {
        case .sweep: "a sweep's"
        case .comparison: "a comparison's"
        case .sensitivity: "a sensitivity study's"
        }
    }

    var command: String {
        switch self {
        case .sweep: "drsim sweep CONFIG.json --vary …"
        case .comparison: "drsim compare …"
        case .sensitivity: "drsim sensitivity CONFIG.json"
        }
    }

    /// The columns its marker file must have.
    var columns: [String] {
        switch self {
        case .sweep: ["point"]
        case .comparison: ["metric", "count"]
        case .sensitivity: SensitivityFolder.columns
        }
    }

    /// The folder at `path` and its marker file, read.
    /// - Throws: `incompleteStudy` naming the files the folder lacks, or what `CSVTable` throws, or
    ///   `damaged` for a marker file without its columns.
    func open(_ path: String) throws(ResultFolderError) -> (url: URL, table: CSVTable) {
        let url = try ResultFolder.folder(path)
        let missing = files.filter { !FileManager.default.fileExists(atPath: url.appendingPathComponent($0).path) }
        guard missing.isEmpty else {
            throw .incompleteStudy(path: path, kind: words, missing: missing, command: command)
        }
        let table = try CSVTable(contentsOf: url.appendingPathComponent(marker))
        try table.require(columns)
        return (url, table)
    }
}

/// Any folder drsim writes a report for: a run's result folder, a sweep's, a comparison's, or a
/// sensitivity study's, told apart by their files (a folder with every result file is a run's).
public enum ReportSource: Sendable {
    case run(ResultFolder)
    case sweep(SweepFolder)
    case comparison(CompareFolder)
    case sensitivity(SensitivityFolder)

    /// - Throws: `ResultFolderError`: the folder is missing, is none of these, or a file is damaged.
    public init(path: String) throws(ResultFolderError) {
        let url = try ResultFolder.folder(path)
        let fm = FileManager.default
        func has(_ file: String) -> Bool { fm.fileExists(atPath: url.appendingPathComponent(file).path) }
        if !ResultFolder.files.allSatisfy(has) {
            if has(StudyKind.sweep.marker) {
                self = .sweep(try SweepFolder(path: path))
                return
            }
            if has(StudyKind.comparison.marker) {
                self = .comparison(try CompareFolder(path: path))
                return
            }
            if has(StudyKind.sensitivity.marker) {
                self = .sensitivity(try SensitivityFolder(path: path))
                return
            }
        }
        self = .run(try ResultFolder(path: path))
    }

    /// "a run's", "a sweep's", …: for messages.
    public var kind: String {
        switch self {
        case .run: "a run's"
        case .sweep: StudyKind.sweep.words
        case .comparison: StudyKind.comparison.words
        case .sensitivity: StudyKind.sensitivity.words
        }
    }

    public var url: URL {
        switch self {
        case .run(let f): f.url
        case .sweep(let f): f.url
        case .comparison(let f): f.url
        case .sensitivity(let f): f.url
        }
    }

    /// The files that hold the config(s) whose warnings the report shows: the file, the object the
    /// config is in (nil: at the top), and what to put before each warning.
    public var configFiles: [(file: URL, under: String?, prefix: String)] {
        let run = ResultFileNames.run
        switch self {
        case .run(let f): return [(f.url.appendingPathComponent(run), nil, "")]
        case .sweep(let f): return [(f.url.appendingPathComponent(ResultFileNames.sweepDocument), "base", "")]
        case .comparison(let f):
            return [
                (f.a.url.appendingPathComponent(run), nil, "A: "), (f.b.url.appendingPathComponent(run), nil, "B: "),
            ]
        case .sensitivity(let f): return [(f.url.appendingPathComponent(run), nil, "")]
        }
    }
}
