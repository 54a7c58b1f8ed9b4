import DRSimResults

/// The errors and warnings found in a config so far.
final class IssueLog {
    var errors: [ConfigIssue] = []
    var warnings: [ConfigIssue] = []
    func error(_ path: String, _ message: String) { errors.append(ConfigIssue(path: path, message: message)) }
    func warn(_ path: String, _ message: String) { warnings.append(ConfigIssue(path: path, message: message)) }
}

/// Walks a JSON object with its path, reading keys against a schema and collecting every problem.
///
/// Each read names a key the schema allows; `finish()` then reports any key that was not read as
/// unknown, with the closest allowed key as a suggestion. Nothing is thrown until the whole file has
/// been read, so a user sees all of a file's errors at once.
///
/// Each kind of value is read in two forms: with a default, which is what a missing or `null` key
/// reads as, and also what a bad value reads as once its error is logged; or without one, for a
/// required key, which reads as nil when it is missing ("missing; it is required") or bad.
struct ObjectReader {
    let path: String
    let fields: [String: JSON]
    let log: IssueLog
    private var allowed: [String] = []

    /// Reads `json` as an object at `path`; logs an error and returns nil if it is not one.
    init?(_ json: JSON, path: String, log: IssueLog) {
        guard case .object(let o) = json else {
            log.error(path, "found \(json.brief), expected an object")
            return nil
        }
        self.path = path
        fields = o
        self.log = log
    }

    func child(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    /// The raw value of `key`, marking the key as known.
    mutating func raw(_ key: String) -> JSON? {
        allowed.append(key)
        if case .null? = fields[key] { return nil }
        return fields[key]
    }

    /// The value of a key that must be there: nil, with an error, if it is missing.
    private mutating func required(_ key: String) -> JSON? {
        guard let v = raw(key) else {
            log.error(child(key), "missing; it is required")
            return nil
        }
        return v
    }

    mutating func number(
        _ key: String, default def: Double, _ range: ClosedRange<Double>? = nil,
        openLow: Bool = false, allowed text: String? = nil
    ) -> Double {
        raw(key).flatMap { number($0, key, range, openLow: openLow, allowed: text) } ?? def
    }

    mutating func number(
        _ key: String, _ range: ClosedRange<Double>? = nil, openLow: Bool = false,
        allowed text: String? = nil
    ) -> Double? {
        required(key).flatMap { number($0, key, range, openLow: openLow, allowed: text) }
    }

    private func number(_ v: JSON, _ key: String, _ range: ClosedRange<Double>?, openLow: Bool, allowed text: String?)
        -> Double?
    {
        guard case .number(let d) = v else {
            log.error(child(key), "found \(v.brief), expected a number\(text.map { " (\($0))" } ?? "")")
            return nil
        }
        if let r = range, !r.contains(d) || (openLow && d == r.lowerBound) {
            log.error(child(key), "found \(formatNumber(d)), allowed: \(text ?? describe(r, openLow: openLow))")
            return nil
        }
        return d
    }

    mutating func int(_ key: String, default def: Int, _ range: ClosedRange<Int>) -> Int {
        raw(key).flatMap { int($0, key, range) } ?? def
    }

    mutating func int(_ key: String, _ range: ClosedRange<Int>) -> Int? {
        required(key).flatMap { int($0, key, range) }
    }

    private func int(_ v: JSON, _ key: String, _ range: ClosedRange<Int>) -> Int? {
        guard case .number(let d) = v, d == d.rounded(), abs(d) < 9e15 else {
            log.error(
                child(key), "found \(v.brief), expected a whole number from \(range.lowerBound) to \(range.upperBound)")
            return nil
        }
        guard range.contains(Int(d)) else {
            log.error(
                child(key),
                "found \(formatNumber(d)), allowed: a whole number from \(range.lowerBound) to \(range.upperBound)")
            return nil
        }
        return Int(d)
    }

    mutating func bool(_ key: String, default def: Bool) -> Bool {
        guard let v = raw(key) else { return def }
        guard case .bool(let b) = v else {
            log.error(child(key), "found \(v.brief), expected true or false")
            return def
        }
        return b
    }

    mutating func string(_ key: String, default def: String) -> String {
        raw(key).flatMap { string($0, key) } ?? def
    }

    mutating func string(_ key: String) -> String? {
        required(key).flatMap { string($0, key) }
    }

    private func string(_ v: JSON, _ key: String) -> String? {
        guard case .string(let s) = v else {
            log.error(child(key), "found \(v.brief), expected a string")
            return nil
        }
        return s
    }

    /// A required string from a fixed set; an unknown one gets the nearest allowed value as a suggestion.
    mutating func choice(_ key: String, _ options: [String]) -> String? {
        required(key).flatMap { choice($0, key, options) }
    }

    /// One of an enumeration's cases, by its raw value (allowed values listed in the cases' order).
    mutating func choice<E: CaseIterable & RawRepresentable>(_ key: String, default def: E) -> E
    where E.RawValue == String {
        raw(key).flatMap { choice($0, key, E.allCases.map(\.rawValue)) }.flatMap(E.init) ?? def
    }

    mutating func choice<E: CaseIterable & RawRepresentable>(_ key: String) -> E? where E.RawValue == String {
        required(key).flatMap { choice($0, key, E.allCases.map(\.rawValue)) }.flatMap(E.init)
    }

    private func choice(_ v: JSON, _ key: String, _ options: [String]) -> String? {
        guard let s = string(v, key) else { return nil }
        if options.contains(s) { return s }
        log.error(
            child(key),
            "found \"\(s)\", allowed: \(options.map { "\"\($0)\"" }.joined(separator: ", "))"
                + suggestion(s, options))
        return nil
    }

    mutating func object(_ key: String) -> ObjectReader? {
        guard let v = raw(key) else { return nil }
        return ObjectReader(v, path: child(key), log: log)
    }

    /// The object at `key` as a section: one left out reads as an empty one (every key at its
    /// default), and so does one that is not an object, once that error is logged.
    mutating func section(_ key: String) -> ObjectReader {
        object(key) ?? ObjectReader(.object([:]), path: child(key), log: log)!
    }

    mutating func array(_ key: String) -> [(String, JSON)]? {
        guard let v = raw(key) else { return nil }
        guard case .array(let a) = v else {
            log.error(child(key), "found \(v.brief), expected an array")
            return nil
        }
        return a.enumerated().map { ("\(child(key))[\($0.offset)]", $0.element) }
    }

    /// A duration or size distribution (docs/config.md), every parameter checked.
    mutating func distribution(_ key: String, default def: Distribution) -> Distribution {
        raw(key).flatMap { distribution($0, key) } ?? def
    }

    mutating func distribution(_ key: String) -> Distribution? {
        required(key).flatMap { distribution($0, key) }
    }

    private func distribution(_ v: JSON, _ key: String) -> Distribution? {
        guard let d = parseDistribution(v, path: child(key), log: log) else { return nil }
        // Every use of a duration needs its mean: one too large for a double says the parameters are off.
        _ = GSL.ready
        guard d.mean.isFinite else {
            log.error(
                child(key),
                "the distribution's mean is not finite (it overflows); give parameters whose mean is a number of "
                    + "seconds"
            )
            return nil
        }
        return d
    }

    /// Reports every key in the object that no `read…` call asked for.
    func finish() {
        var known: [String] = []
        for key in allowed where !known.contains(key) { known.append(key) }
        for key in fields.keys.sorted() where !known.contains(key) {
            log.error(
                child(key),
                "unknown key" + suggestion(key, known) + "; allowed keys here: " + known.joined(separator: ", "))
        }
    }

    private func describe(_ r: ClosedRange<Double>, openLow: Bool) -> String {
        if r.upperBound == .infinity {
            return openLow ? "more than \(formatNumber(r.lowerBound))" : "at least \(formatNumber(r.lowerBound))"
        }
        return "from \(formatNumber(r.lowerBound)) \(openLow ? "(excluded) " : "")to \(formatNumber(r.upperBound))"
    }
}

/// " (did you mean \"x\"?)" when some option is within a small edit distance of `word`.
func suggestion(_ word: String, _ options: [String]) -> String {
    let scored = options.map { ($0, editDistance(word.lowercased(), $0.lowercased())) }
    guard let best = scored.min(by: { $0.1 < $1.1 }), best.1 <= max(2, word.count / 3) else { return "" }
    return " (did you mean \"\(best.0)\"?)"
}

func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a)
    let b = Array(b)
    if a.isEmpty { return b.count }
    var prev = Array(0...b.count)
    var cur = prev
    for i in 1...a.count {
        cur[0] = i
        for j in stride(from: 1, through: b.count, by: 1) {
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
        }
        swap(&prev, &cur)
    }
    return prev[b.count]
}

/// The kinds of distribution a config can give (docs/config.md), in the order error messages list them.
private let distributionKinds = [
    "fixed", "uniform", "exponential", "lognormal", "normal", "weibull", "gamma",
    "empirical",
]

/// Parses a distribution at `path`: a plain number, or an object with exactly one kind key.
func parseDistribution(_ v: JSON, path: String, log: IssueLog) -> Distribution? {
    if case .number(let x) = v { return isNonNegative(x, at: path, log) ? .fixed(x) : nil }
    guard case .object(let o) = v, o.count == 1, let (kind, body) = o.first else {
        log.error(
            path,
            "found \(v.brief), expected a number or an object with one of: "
                + distributionKinds.joined(separator: ", "))
        return nil
    }
    let b = DistributionBody(json: body, path: "\(path).\(kind)", log: log)
    switch kind {
    case "fixed": return b.fixed()
    case "uniform": return b.uniform()
    case "exponential": return b.exponential()
    case "lognormal": return b.lognormal()
    case "normal": return b.normal()
    case "weibull": return b.shapeAndScale().map { .weibull(shape: $0, scale: $1) }
    case "gamma": return b.shapeAndScale().map { .gamma(shape: $0, scale: $1) }
    case "empirical": return b.empirical()
    default:
        log.error(
            path,
            "unknown distribution \"\(kind)\"" + suggestion(kind, distributionKinds) + "; allowed: "
                + distributionKinds.joined(separator: ", "))
        return nil
    }
}

/// Whether `x` is a finite number ≥ 0; an error at `path` if not.
private func isNonNegative(_ x: Double, at path: String, _ log: IssueLog) -> Bool {
    if x.isFinite && x >= 0 { return true }
    log.error(path, "found \(formatNumber(x)), allowed: a finite number ≥ 0")
    return false
}

/// The value of a distribution's kind key (`{"mean": 30}` in `{"exponential": {"mean": 30}}`), at `path`.
/// Each kind's reading checks every parameter, logs what is wrong and returns nil if anything is.
private struct DistributionBody {
    let json: JSON
    let path: String
    let log: IssueLog

    func fixed() -> Distribution? {
        guard case .number(let x) = json else {
            log.error(path, "found \(json.brief), expected a number")
            return nil
        }
        return isNonNegative(x, at: path, log) ? .fixed(x) : nil
    }

    /// `[low, high]`, both ≥ 0.
    func uniform() -> Distribution? {
        guard let xs = numbers(2), isNonNegative(xs[0], at: path, log), isNonNegative(xs[1], at: path, log) else {
            return nil
        }
        guard xs[0] <= xs[1] else {
            log.error(
                path,
                "found [\(formatNumber(xs[0])), \(formatNumber(xs[1]))], the lower bound must not exceed the upper")
            return nil
        }
        return .uniform(xs[0], xs[1])
    }

    func exponential() -> Distribution? {
        guard let m = parameters(["mean"]) else { return nil }
        guard m[0] > 0 else {
            log.error("\(path).mean", "found 0, allowed: more than 0")
            return nil
        }
        return .exponential(mean: m[0])
    }

    /// By its median and p99, or by mu and sigma (of the underlying normal).
    func lognormal() -> Distribution? {
        guard case .object(let b) = json else {
            log.error(path, "found \(json.brief), expected {\"median\", \"p99\"} or {\"mu\", \"sigma\"}")
            return nil
        }
        if b["median"] != nil || b["p99"] != nil {
            guard let m = parameters(["median", "p99"]) else { return nil }
            guard m[0] > 0, m[1] > m[0] else {
                log.error(
                    path,
                    "found median \(formatNumber(m[0])) and p99 \(formatNumber(m[1])); need 0 < median < p99")
                return nil
            }
            return .lognormal(median: m[0], p99: m[1])
        }
        guard let m = parameters(["mu", "sigma"], [-1e6...1e6, 0...100], openLow: [false, true]) else { return nil }
        return .lognormal(mu: m[0], sigma: m[1])
    }

    /// Truncated at 0, so the mean must not lie far below it.
    func normal() -> Distribution? {
        guard let m = parameters(["mean", "sd"], [-1e12...1e12, 0...1e12], openLow: [false, true]) else { return nil }
        guard m[0] / m[1] > -30 else {
            log.error(path, "the mean is more than 30 sd below 0: almost nothing is left after truncation at 0")
            return nil
        }
        return .normal(mean: m[0], sd: m[1])
    }

    /// A Weibull's or a gamma's parameters, both more than 0.
    func shapeAndScale() -> (shape: Double, scale: Double)? {
        guard let m = parameters(["shape", "scale"]) else { return nil }
        guard m[0] > 0, m[1] > 0 else {
            log.error(path, "shape and scale must both be more than 0")
            return nil
        }
        return (m[0], m[1])
    }

    /// A list of values, each equally likely.
    func empirical() -> Distribution? {
        guard let xs = numbers(nil), !xs.isEmpty else {
            if case .array = json { log.error(path, "the list is empty") }
            return nil
        }
        guard xs.allSatisfy({ $0.isFinite && $0 >= 0 }) else {
            log.error(path, "every value must be a finite number ≥ 0")
            return nil
        }
        return .empirical(xs)
    }

    /// The body as an array of `n` numbers (nil: any number of them).
    private func numbers(_ n: Int?) -> [Double]? {
        guard case .array(let a) = json, n == nil || a.count == n!,
            case let xs = a.compactMap({
                if case .number(let d) = $0 { return d }
                return nil
            }), xs.count == a.count
        else {
            log.error(
                path,
                "found \(json.brief), expected "
                    + (n.map { "an array of \($0) numbers" } ?? "a non-empty array of numbers"))
            return nil
        }
        return xs
    }

    /// The named numeric parameters of the body, each in its range (default: ≥ 0); nil if any is bad.
    private func parameters(
        _ names: [String], _ ranges: [ClosedRange<Double>]? = nil,
        openLow: [Bool]? = nil
    ) -> [Double]? {
        guard var r = ObjectReader(json, path: path, log: log) else { return nil }
        let before = log.errors.count
        let xs = names.indices.map { i in
            r.number(names[i], ranges?[i] ?? 0...Double.infinity, openLow: openLow?[i] ?? false) ?? .nan
        }
        r.finish()
        return log.errors.count == before ? xs : nil
    }
}

extension Distribution {
    /// The config form of the distribution (log-normals as mu and sigma, which is exact).
    public var json: JSON {
        switch self {
        case .fixed(let x): .number(x)
        case .uniform(let a, let b): .object(["uniform": .array([.number(a), .number(b)])])
        case .exponential(let m): .object(["exponential": .object(["mean": .number(m)])])
        case .lognormal(let mu, let s): .object(["lognormal": .object(["mu": .number(mu), "sigma": .number(s)])])
        case .normal(let m, let s): .object(["normal": .object(["mean": .number(m), "sd": .number(s)])])
        case .weibull(let k, let l): .object(["weibull": .object(["shape": .number(k), "scale": .number(l)])])
        case .gamma(let k, let t): .object(["gamma": .object(["shape": .number(k), "scale": .number(t)])])
        case .empirical(let v): .object(["empirical": .array(v.map { .number($0) })])
        }
    }
}
