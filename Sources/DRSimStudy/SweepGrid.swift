import DRSim
import DRSimResults
import Foundation

/// The points of a sweep: every combination of the varied values (a full grid), in row-major order:
/// the first axis varies slowest, the last fastest (docs/config.md, "sweep").
///
/// An axis is a config path, as `--set` takes it, and its values. Axes come from the config's `sweep`
/// section and from `--vary` options; a `--vary` of a path the section also varies replaces the
/// section's values in place.
public struct SweepGrid: Sendable, Equatable {
    public struct Axis: Sendable, Equatable {
        /// A config path, such as `dns.ttl_s` or `health_checks[0].interval_s`.
        public var path: String
        public var values: [JSON]
        public init(path: String, values: [JSON]) {
            self.path = path
            self.values = values
        }
    }

    public private(set) var axes: [Axis]

    /// A grid refuses more points than this unless told otherwise (`--max-points`, `sweep.max_points`):
    /// a typo such as `0..3600:1` should not start a day of simulation.
    public static let defaultMaxPoints = 1000
    /// The most that `--max-points` or `sweep.max_points` may allow.
    public static let maxPointsRange = 1...1_000_000

    /// The grid of `axes`; refused when it is empty or has more than `maxPoints` points.
    public init(_ axes: [Axis], maxPoints: Int = defaultMaxPoints) throws(UsageError) {
        guard !axes.isEmpty else {
            throw UsageError(
                "nothing to vary: add --vary PATH=V1,V2,… (e.g. --vary dns.ttl_s=60,300) or a sweep section to the "
                    + "config"
            )
        }
        var seen: Set<String> = []
        for a in axes where !seen.insert(a.path).inserted {
            throw UsageError("\(a.path) is varied twice: give all its values in one --vary")
        }
        // Every point runs the same incidents: the seed and the replication count are the sweep's own.
        if let a = axes.first(where: { $0.path == "seed" || $0.path == "replications" }) {
            throw UsageError(
                "\(a.path) cannot be varied: every point of a sweep runs the same "
                    + "\(a.path == "seed" ? "seed" : "replication count"), "
                    + "so that all run the same incidents; set it with --\(a.path) (to compare seeds, run the sweep "
                        + "once per seed)"
            )
        }
        self.axes = axes
        let n = axes.reduce(1.0) { $0 * Double($1.values.count) }
        guard n <= Double(maxPoints) else {
            let sizes = axes.map { "\($0.path): \($0.values.count)" }.joined(separator: " × ")
            throw UsageError(
                "the grid has \(formatNumber(n)) points (\(sizes)), more than the limit of \(maxPoints): "
                    + "vary fewer values, or raise the limit with --max-points (sweep.max_points)")
        }
    }

    /// `section`'s axes, then `vary`'s (a path in both takes `vary`'s values, in the section's place).
    public init(section: [Axis], vary: [Axis], maxPoints: Int = defaultMaxPoints) throws(UsageError) {
        var seen: Set<String> = []
        for v in vary where !seen.insert(v.path).inserted {
            throw UsageError("\(v.path) is varied twice: give all its values in one --vary")
        }
        var axes = section
        for v in vary {
            if let i = axes.firstIndex(where: { $0.path == v.path }) { axes[i] = v } else { axes.append(v) }
        }
        try self.init(axes, maxPoints: maxPoints)
    }

    public var count: Int { axes.reduce(1) { $0 * $1.values.count } }

    /// The varied values of point `k` (0-based), one per axis.
    public func point(_ k: Int) -> [JSON] {
        var rest = k
        var values = [JSON](repeating: .null, count: axes.count)
        for i in axes.indices.reversed() {
            values[i] = axes[i].values[rest % axes[i].values.count]
            rest /= axes[i].values.count
        }
        return values
    }

    /// Point `k` as `--set` overrides, in the axes' order. (An axis made by parsing has a valid path,
    /// and any JSON value is a valid VALUE; one built by hand with a bad path throws here.)
    public func overrides(_ k: Int) throws(ConfigIssue) -> [Override] {
        var out: [Override] = []
        for (a, v) in zip(axes, point(k)) { out.append(try Override(parsing: "\(a.path)=\(compactJSON(v))")) }
        return out
    }

    /// Point `k` as people read it: `dns.ttl_s=60, health_checks[0].failure_threshold=2`.
    public func label(_ k: Int) -> String {
        zip(axes, point(k)).map { "\($0.path)=\(compactJSON($1))" }.joined(separator: ", ")
    }

    /// The folder of point `k` in the sweep's output: `point-1` … `point-N`, zero-padded so that they sort.
    public func folder(_ k: Int) -> String {
        let digits = String(count).count
        let s = String(k + 1)
        return "point-" + String(repeating: "0", count: digits - s.count) + s
    }
}

extension SweepGrid.Axis {
    /// Parses `--vary PATH=V1,V2,…` (each value JSON, or a bare word taken as a string, as `--set`
    /// takes it) or `--vary PATH=A..B:STEP` (A, A + STEP, … up to B, inclusive).
    public init(parsing text: String, maxPoints: Int = SweepGrid.defaultMaxPoints) throws(UsageError) {
        guard let eq = text.firstIndex(of: "="), eq != text.startIndex else {
            throw UsageError(
                "--vary \(text): expected PATH=V1,V2,… or PATH=A..B:STEP, e.g. --vary dns.ttl_s=60,300 or --vary "
                    + "dns.ttl_s=0..300:60"
            )
        }
        let path = String(text[..<eq])
        let list = String(text[text.index(after: eq)...])
        do { _ = try Override(parsing: "\(path)=0") } catch {
            throw UsageError(error.message.replacingOccurrences(of: "--set \(path)=0", with: "--vary \(text)"))
        }
        if let range = try Self.range(list, text: text, maxPoints: maxPoints) {
            self.init(path: path, values: range.map(JSON.number))
            return
        }
        let pieces = splitTopLevel(list)
        guard !list.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw UsageError(
                "--vary \(text): the list of values is empty; write --vary \(path)=V1,V2,… or --vary \(path)=A..B:STEP")
        }
        var values: [JSON] = []
        for p in pieces {
            let piece = p.trimmingCharacters(in: .whitespaces)
            guard !piece.isEmpty else {
                throw UsageError(
                    "--vary \(text): an empty value in the list; separate the values by single commas, e.g. "
                        + "\(path)=60,300"
                )
            }
            // The value as --set takes it: JSON, or a bare word as a string; "[1,2" is an error, not a string.
            let v: JSON
            do { v = try Override(parsing: "\(path)=\(piece)").value } catch {
                throw UsageError(
                    error.message.replacingOccurrences(of: "--set \(path)=\(piece)", with: "--vary \(text)"))
            }
            // A value given twice would run the same point twice, and tie it with itself on the front.
            guard !values.contains(v) else {
                throw UsageError("--vary \(text): \(piece) is in the list twice; give each value once")
            }
            values.append(v)
        }
        self.init(path: path, values: values)
    }

    /// `A..B:STEP` as its values, nil if `list` is not written as a range. The values are A + k·STEP,
    /// rounded to the decimals written, so that `0.1..0.3:0.1` gives 0.1, 0.2, 0.3.
    static func range(_ list: String, text: String, maxPoints: Int) throws(UsageError) -> [Double]? {
        guard let dots = list.range(of: ".."), let colon = list.range(of: ":", range: dots.upperBound..<list.endIndex)
        else { return nil }
        let (a, b, s) = (
            String(list[..<dots.lowerBound]), String(list[dots.upperBound..<colon.lowerBound]),
            String(list[colon.upperBound...])
        )
        let fix = "write it as A..B:STEP with numbers, A ≤ B and STEP > 0, e.g. 0..300:60"
        guard let from = Double(a), let to = Double(b), let step = Double(s), from.isFinite, to.isFinite, step.isFinite
        else {
            throw UsageError("--vary \(text): \"\(list)\" is not a range of numbers; \(fix)")
        }
        guard step > 0 else { throw UsageError("--vary \(text): the step must be above 0, found \(s); \(fix)") }
        guard from <= to else { throw UsageError("--vary \(text): the range runs backwards (\(a) > \(b)); \(fix)") }
        let decimals = [a, b, s].map(Self.decimals).max()!
        let scale = pow(10, Double(min(decimals, 15)))
        // Counted from A, B and STEP before any value is made: 0..1e8:1 is refused at once, not after
        // filling gigabytes.
        let n = ((to - from) / step * (1 + 1e-12)).rounded(.down) + 1
        guard n <= Double(maxPoints) else {
            throw UsageError(
                "--vary \(text): \(n.isFinite ? formatNumber(n) : "countless") values, more than the limit of "
                    + "\(maxPoints) points; use a larger step, or raise the limit with --max-points (sweep.max_points)")
        }
        let values = (0..<Int(n)).map { k in ((from + Double(k) * step) * scale).rounded() / scale }
        // Rounding to 15 decimals merges the values of a finer step: the same point would run twice.
        guard Set(values).count == values.count else {
            throw UsageError(
                "--vary \(text): the step \(s) is finer than the 15 decimals values are rounded to, so values repeat; "
                    + "use a step of 1e-15 or more"
            )
        }
        return values
    }

    /// The decimals a number is written with: 2 for `0.25`, 4 for `1e-4` and for `2.5e-3`.
    static func decimals(_ x: String) -> Int {
        let parts = x.lowercased().split(separator: "e", maxSplits: 1)
        let mantissa = parts.first ?? ""
        let exponent = parts.count == 2 ? Int(parts[1]) ?? 0 : 0
        let fraction = mantissa.firstIndex(of: ".").map { mantissa.distance(from: $0, to: mantissa.endIndex) - 1 } ?? 0
        return max(0, fraction - exponent)
    }
}

/// Splits at the commas outside brackets, braces and strings: `60,{"uniform": [2, 10]}` is two values.
func splitTopLevel(_ s: String) -> [String] {
    var out: [String] = []
    var current = ""
    var depth = 0
    var inString = false
    var escaped = false
    for ch in s {
        if inString {
            if escaped { escaped = false } else if ch == "\\" { escaped = true } else if ch == "\"" { inString = false }
        } else if ch == "\"" {
            inString = true
        } else if ch == "[" || ch == "{" {
            depth += 1
        } else if ch == "]" || ch == "}" {
            depth -= 1
        } else if ch == "," && depth == 0 {
            out.append(current)
            current = ""
            continue
        }
        current.append(ch)
    }
    out.append(current)
    return out
}

/// A JSON value on one line (object keys sorted): how a varied value is written in labels and cells.
public func compactJSON(_ j: JSON) -> String {
    switch j {
    case .null, .bool, .number, .string: return j.serialized()
    case .array(let a): return "[" + a.map(compactJSON).joined(separator: ",") + "]"
    case .object(let o):
        return "{"
            + o.keys.sorted().map { JSON.string($0).serialized() + ":" + compactJSON(o[$0]!) }.joined(separator: ",")
            + "}"
    }
}
