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
        var issues: [ConfigIssue] = []
        func issue(_ path: String, _ message: String) { issues.append(ConfigIssue(path: path, message: message)) }
        guard case let .object(top) = json else {
            throw ConfigError(issues: [ConfigIssue(path: "sweep", message: "found \(json.brief), expected an object with \"vary\"")])
        }
        for k in top.keys.sorted() where !["vary", "max_points"].contains(k) {
            issue("sweep.\(k)", "unknown key; allowed: \"vary\", \"max_points\"")
        }
        if let m = top["max_points"] {
            let range = SweepGrid.maxPointsRange
            if case let .number(d) = m, d == d.rounded(), d >= Double(range.lowerBound), d <= Double(range.upperBound) { maxPoints = Int(d) }
            else { issue("sweep.max_points", "found \(m.brief), expected a whole number from 1 to \(range.upperBound)") }
        }
        guard case let .array(list)? = top["vary"], !list.isEmpty else {
            issue("sweep.vary", "\(top["vary"].map { "found \($0.brief), expected" } ?? "missing; it needs") "
                + "a non-empty array of {\"path\": …, \"values\": […]} or {\"path\": …, \"from\": …, \"to\": …, \"step\": …}")
            throw ConfigError(issues: issues)
        }
        for (i, item) in list.enumerated() {
            let at = "sweep.vary[\(i)]"
            guard case let .object(o) = item else { issue(at, "found \(item.brief), expected an object with \"path\" and \"values\""); continue }
            for k in o.keys.sorted() where !["path", "values", "from", "to", "step"].contains(k) {
                issue("\(at).\(k)", "unknown key; allowed: \"path\", \"values\", or \"from\", \"to\", \"step\"")
            }
            guard case let .string(path)? = o["path"] else { issue("\(at).path", "expected a config path as a string, e.g. \"dns.ttl_s\""); continue }
            // As SweepGrid refuses them from --vary, but named by their place in the file (exit 65).
            if path == "seed" || path == "replications" {
                issue("\(at).path", "\(path) cannot be varied: every point of a sweep runs the same \(path == "seed" ? "seed" : "replication count"), "
                    + "so that all run the same incidents; set it in the config or with --\(path) (to compare seeds, run the sweep once per seed)")
                continue
            }
            if let j = list[..<i].firstIndex(where: { if case let .object(p) = $0, p["path"] == .string(path) { true } else { false } }) {
                issue("\(at).path", "\"\(path)\" is varied twice (also sweep.vary[\(j)]): give all its values in one entry")
            }
            if let values = o["values"] {
                guard o["from"] == nil, o["to"] == nil, o["step"] == nil else {
                    issue(at, "give either \"values\" or \"from\", \"to\" and \"step\", not both"); continue
                }
                guard case let .array(v) = values, !v.isEmpty else {
                    issue("\(at).values", "found \(values.brief), expected a non-empty array of values")
                    continue
                }
                // A value given twice would run the same point twice and mark it best against itself.
                if let twice = v.indices.first(where: { v[..<$0].contains(v[$0]) }) {
                    issue("\(at).values[\(twice)]", "\(compactJSON(v[twice])) is in the list twice; give each value once"); continue
                }
                axes.append(SweepGrid.Axis(path: path, values: v))
            } else {
                guard case let .number(from)? = o["from"], case let .number(to)? = o["to"], case let .number(step)? = o["step"] else {
                    issue(at, "expected \"values\": […], or numbers \"from\", \"to\" and \"step\""); continue
                }
                do {
                    let text = "\(path)=\(formatNumber(from))..\(formatNumber(to)):\(formatNumber(step))"
                    axes.append(try SweepGrid.Axis(parsing: text, maxPoints: limit ?? maxPoints ?? SweepGrid.defaultMaxPoints))
                } catch { issue(at, error.message.replacingOccurrences(of: "--vary ", with: "")) }
                continue
            }
            do {
                _ = try Override(parsing: "\(path)=0")
            } catch {
                issue("\(at).path", "found \"\(path)\": \(error.message.replacingOccurrences(of: "--set \(path)=0: ", with: ""))")
            }
        }
        if !issues.isEmpty { throw ConfigError(issues: issues) }
    }
}
