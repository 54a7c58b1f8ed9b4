import DRSim
import DRSimResults

/// A config's `sweep` section: the grid `drsim sweep` runs when no `--vary` replaces it
/// (docs/config.md, "sweep").
///
/// ```json
/// "sweep": {
///   "vary": [
///     { "path": "dns.ttl_s", "values": [60, 300] },
///     { "path": "health_checks[0].failure_threshold", "from": 1, "to": 3, "step": 1 }
///   ],
///   "max_points": 1000
/// }
/// ```
public struct SweepSection: Sendable, Equatable {
    public var axes: [SweepGrid.Axis] = []
    public var maxPoints: Int?

    /// No section: no axes, no limit of its own.
    public init() {}

    /// Reads the section; every problem is named by its path (`sweep.vary[1].values`).
    /// - Parameter limit: the command line's `--max-points`, which replaces `max_points`: a range is
    ///   counted against the limit the sweep will run with, before any of its values is made.
    public init(_ json: JSON, maxPoints limit: Int? = nil) throws(ConfigError) {
        guard case .object(let top) = json else {
            let message = "found \(json.brief), expected an object with \"vary\""
            throw ConfigError(issues: [ConfigIssue(path: "sweep", message: message)])
        }
        var r = SweepSectionReader()
        for k in top.keys.sorted() where !["vary", "max_points"].contains(k) {
            r.issue("sweep.\(k)", "unknown key; allowed: \"vary\", \"max_points\"")
        }
        if let m = top["max_points"] { maxPoints = r.maxPoints(m) }
        guard case .array(let list)? = top["vary"], !list.isEmpty else {
            r.issue(
                "sweep.vary",
                "\(top["vary"].map { "found \($0.brief), expected" } ?? "missing; it needs") "
                    + "a non-empty array of {\"path\": …, \"values\": […]} "
                    + "or {\"path\": …, \"from\": …, \"to\": …, \"step\": …}")
            throw ConfigError(issues: r.issues)
        }
        let rangeLimit = limit ?? maxPoints ?? SweepGrid.defaultMaxPoints
        for i in list.indices {
            if let axis = r.axis(i, of: list, maxPoints: rangeLimit) { axes.append(axis) }
        }
        if !r.issues.isEmpty { throw ConfigError(issues: r.issues) }
    }
}

/// Reads a `sweep` section's parts, collecting every problem with its path.
private struct SweepSectionReader {
    var issues: [ConfigIssue] = []

    mutating func issue(_ path: String, _ message: String) { issues.append(ConfigIssue(path: path, message: message)) }

    /// `max_points`: a whole number in `SweepGrid.maxPointsRange`.
    mutating func maxPoints(_ m: JSON) -> Int? {
        let range = SweepGrid.maxPointsRange
        if case .number(let d) = m, d == d.rounded(), d >= Double(range.lowerBound), d <= Double(range.upperBound) {
            return Int(d)
        }
        issue("sweep.max_points", "found \(m.brief), expected a whole number from 1 to \(range.upperBound)")
        return nil
    }

    /// Entry `i` of `vary`: a setting's path with its values listed, or with a range of them (counted
    /// against `maxPoints`); nil if the entry has a problem.
    mutating func axis(_ i: Int, of list: [JSON], maxPoints: Int) -> SweepGrid.Axis? {
        let at = "sweep.vary[\(i)]"
        guard case .object(let o) = list[i] else {
            issue(at, "found \(list[i].brief), expected an object with \"path\" and \"values\"")
            return nil
        }
        for k in o.keys.sorted() where !["path", "values", "from", "to", "step"].contains(k) {
            issue("\(at).\(k)", "unknown key; allowed: \"path\", \"values\", or \"from\", \"to\", \"step\"")
        }
        guard case .string(let path)? = o["path"] else {
            issue("\(at).path", "expected a config path as a string, e.g. \"dns.ttl_s\"")
            return nil
        }
        // As SweepGrid refuses them from --vary, but named by their place in the file (exit 65).
        if path == "seed" || path == "replications" {
            issue(
                "\(at).path",
                "\(path) cannot be varied: every point of a sweep runs the same "
                    + "\(path == "seed" ? "seed" : "replication count"), so that all run the same incidents; "
                    + "set it in the config or with --\(path) (to compare seeds, run the sweep once per seed)")
            return nil
        }
        if let j = list[..<i].firstIndex(where: { Self.path(of: $0) == path }) {
            issue("\(at).path", "\"\(path)\" is varied twice (also sweep.vary[\(j)]): give all its values in one entry")
        }
        guard let values = o["values"] else { return rangeAxis(o, path: path, at: at, maxPoints: maxPoints) }
        guard let axis = listedAxis(o, values, path: path, at: at) else { return nil }
        do {
            _ = try Override(parsing: "\(path)=0")
        } catch {
            let problem = error.message.replacingOccurrences(of: "--set \(path)=0: ", with: "")
            issue("\(at).path", "found \"\(path)\": \(problem)")
        }
        return axis
    }

    /// The `path` of a `vary` entry, if it has one.
    static func path(of entry: JSON) -> String? {
        if case .object(let o) = entry, case .string(let p)? = o["path"] { p } else { nil }
    }

    /// An entry's `values`: a non-empty list, each value once, without `from`, `to` or `step` beside it.
    mutating func listedAxis(_ o: [String: JSON], _ values: JSON, path: String, at: String) -> SweepGrid.Axis? {
        guard o["from"] == nil, o["to"] == nil, o["step"] == nil else {
            issue(at, "give either \"values\" or \"from\", \"to\" and \"step\", not both")
            return nil
        }
        guard case .array(let v) = values, !v.isEmpty else {
            issue("\(at).values", "found \(values.brief), expected a non-empty array of values")
            return nil
        }
        // A value given twice would run the same point twice, and tie it with itself on the front.
        if let twice = v.indices.first(where: { v[..<$0].contains(v[$0]) }) {
            issue("\(at).values[\(twice)]", "\(compactJSON(v[twice])) is in the list twice; give each value once")
            return nil
        }
        return SweepGrid.Axis(path: path, values: v)
    }

    /// An entry's range: numbers `from`, `to` and `step`, as `--vary PATH=FROM..TO:STEP` reads them.
    mutating func rangeAxis(_ o: [String: JSON], path: String, at: String, maxPoints: Int) -> SweepGrid.Axis? {
        guard case .number(let from)? = o["from"], case .number(let to)? = o["to"], case .number(let step)? = o["step"]
        else {
            issue(at, "expected \"values\": […], or numbers \"from\", \"to\" and \"step\"")
            return nil
        }
        do {
            let text = "\(path)=\(formatNumber(from))..\(formatNumber(to)):\(formatNumber(step))"
            return try SweepGrid.Axis(parsing: text, maxPoints: maxPoints)
        } catch {
            issue(at, error.message.replacingOccurrences(of: "--vary ", with: ""))
            return nil
        }
    }
}
