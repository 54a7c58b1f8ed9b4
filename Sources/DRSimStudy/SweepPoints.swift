import DRSim
import Foundation

/// Every point of a sweep decoded before anything runs, so that a value the config refuses at any
/// point stops the sweep before it costs time, named with its point.
public struct SweepPoints: Sendable {
    /// Every point's config, in the grid's order (all of them only when `issues` and `failure` are empty).
    public private(set) var configs: [Config] = []
    /// The warnings to show, in order: each distinct warning once, and of the warnings about one setting
    /// that differ only in its value (a TTL above 60 s at every point of a TTL sweep) the first, then
    /// one line counting the others.
    public private(set) var warnings: [ConfigIssue] = []
    /// The config's problems, each with its point ("point 2 (dns.ttl_s=300): …"); a problem that is the
    /// same at every point is given once, at the first.
    public private(set) var issues: [String] = []
    /// A point whose overrides cannot be made (1-based), and why; decoding stopped there.
    public private(set) var failure: (point: Int, issue: ConfigIssue)?

    /// Decodes every point of `grid` from `file`, each with `common` (the command line's overrides),
    /// then the point's values.
    public init(_ file: ConfigFile, _ grid: SweepGrid, common: [Override]) {
        var warned: Set<String> = []
        var morePoints: [(shape: String, path: String, count: Int)] = []
        for k in 0..<grid.count {
            let point: [Override]
            do { point = try grid.overrides(k) } catch {
                failure = (k + 1, error)
                return
            }
            do throws(ConfigError) {
                let loaded = try file.load(common + point)
                configs.append(loaded.config)
                for w in loaded.warnings where warned.insert(w.description).inserted {
                    if let i = morePoints.firstIndex(where: { $0.shape == Self.shape(w) }) {
                        morePoints[i].count += 1
                    } else {
                        morePoints.append((Self.shape(w), w.path, 0))
                        warnings.append(w)
                    }
                }
            } catch {
                for i in error.issues where !issues.contains(where: { $0.hasSuffix("): \(i)") }) {
                    issues.append("point \(k + 1) (\(grid.label(k))): \(i)")
                }
            }
        }
        for (_, path, count) in morePoints where count > 0 {
            let values = "\(count) other value\(count == 1 ? "" : "s")"
            warnings.append(
                ConfigIssue(path: path, message: "the same warning with \(values) at other points of the sweep"))
        }
    }

    /// A warning with each number (a run of digits and points) blanked: the same warning at another value.
    static func shape(_ w: ConfigIssue) -> String {
        var out = w.path + ": "
        for c in w.message where !(c.isNumber || c == ".") || out.last != "#" { out.append(c.isNumber ? "#" : c) }
        return out
    }
}

extension SweepGrid {
    /// The grid of a config file: its `sweep` section, then `vary` (`--vary`), of at most `maxPoints`
    /// (`--max-points`; default the section's `max_points`, else `defaultMaxPoints`) points. Throws
    /// the section's problems as a `ConfigError`, a bad `vary` or too large a grid as a `UsageError`.
    public static func load(_ file: ConfigFile, vary: [String], maxPoints: Int?) throws -> SweepGrid {
        var section = SweepSection()
        if let json = file.sweep { section = try SweepSection(json, maxPoints: maxPoints) }
        let limit = maxPoints ?? section.maxPoints ?? defaultMaxPoints
        let axes = try vary.map { v throws(UsageError) in try Axis(parsing: v, maxPoints: limit) }
        return try SweepGrid(section: section.axes, vary: axes, maxPoints: limit)
    }
}
