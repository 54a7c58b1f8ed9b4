import Foundation

/// A target on one statistic of one metric, as written in a config's `expect` list, `drsim check
/// --expect` or `drsim report --target` (docs/config.md, "expect"): `rto_s:p99 <= 600`,
/// `lost_writes:mean <= 150`, `rto_s:censored <= 0.01`.
///
/// The statistic is the mean, a percentile (`p50`, `p90`, `p99`, `p999`, any `pNNN`) or `censored`,
/// the share of replications in which the event did not happen before the horizon. The comparison is
/// `<=`, `<`, `>=` or `>`. `drsim check` judges it on the statistic's 95% interval, never on the
/// estimate alone; the report draws a percentile's target on the metric's CDF.
public struct Expectation: Sendable, Equatable, CustomStringConvertible {
    public enum Statistic: Sendable, Equatable {
        case mean
        /// The quantile at this level (0 < level < 1), and its name (`p99`).
        case percentile(Double, String)
        case censored

        public var name: String {
            switch self {
            case .mean: "mean"
            case .percentile(_, let name): name
            case .censored: "censored"
            }
        }
    }

    public enum Comparison: String, Sendable, CaseIterable {
        case atMost = "<="
        case below = "<"
        case atLeast = ">="
        case above = ">"

        /// Whether `x` satisfies `x OP bound`.
        public func holds(_ x: Double, _ bound: Double) -> Bool {
            switch self {
            case .atMost: x <= bound
            case .below: x < bound
            case .atLeast: x >= bound
            case .above: x > bound
            }
        }

        /// An upper limit (`<=`, `<`) is broken by large values, a lower one by small values.
        public var isUpperLimit: Bool { self == .atMost || self == .below }
    }

    public var metric: Metric
    public var statistic: Statistic
    public var comparison: Comparison
    public var bound: Double

    public static let form =
        "METRIC:STAT <= VALUE (STAT: mean, censored, or a percentile such as p50, "
        + "p99, p999; the comparison <=, <, >= or >), e.g. \"rto_s:p99 <= 600\""

    /// Reads `METRIC:STAT OP VALUE` (spaces around each part, none inside one). The error says what
    /// is wrong and the form.
    public init(parsing text: String) throws(ExpectationError) {
        func refuse(_ why: String) -> ExpectationError { ExpectationError("\(jsonQuote(text)): \(why)") }
        guard text.contains(":") else { throw refuse("no ':' after the metric; write \(Self.form)") }
        // The comparison: the first <, > or =, with the = that may follow; spaces around it, not inside.
        guard let opStart = text.firstIndex(where: { "<>=".contains($0) }) else {
            throw refuse("no comparison; write \(Self.form)")
        }
        let afterOp = text[opStart...]
        guard
            let comparison = Comparison.allCases.sorted(by: { $0.rawValue.count > $1.rawValue.count })
                .first(where: { afterOp.hasPrefix($0.rawValue) })
        else {
            throw refuse("the comparison must be <=, <, >= or >, found \"\(afterOp.prefix(2))\"")
        }
        let valueText = afterOp.dropFirst(comparison.rawValue.count).trimmingCharacters(in: .whitespaces)
        if valueText.hasPrefix("=") {
            throw refuse("the comparison must be <=, <, >= or > written together, found \"\(comparison.rawValue) =\"")
        }
        let bound: Double
        do { bound = try Self.bound(valueText) } catch { throw refuse(error.message) }
        do {
            (metric, statistic) = try Self.measure(String(text[..<opStart]))
        } catch { throw refuse(error.message) }
        if statistic == .censored && !(0...1).contains(bound) {
            throw refuse("censored is a share of replications, from 0 to 1, found \(formatNumber(bound))")
        }
        (self.comparison, self.bound) = (comparison, bound)
    }

    /// Reads a bound: a plain decimal number (no hex, no spaces inside) that a double holds as written.
    static func bound(_ text: String) throws(ExpectationError) -> Double {
        let plain = #"^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?$"#
        guard text.range(of: plain, options: .regularExpression) != nil, let bound = Double(text) else {
            throw ExpectationError("the bound must be a number, found \"\(text.prefix(40))\"; write \(Self.form)")
        }
        // A bound written with a non-zero digit that reads as 0 has underflowed.
        let mantissa = text.prefix { $0 != "e" && $0 != "E" }
        guard bound.isFinite, bound != 0 || !mantissa.contains(where: { ("1"..."9").contains($0) }) else {
            throw ExpectationError(
                "the bound \(text) is out of the range of numbers drsim holds; give a plainer number")
        }
        return bound
    }

    /// Reads `METRIC:STAT` (`rto_s:p99`, `lost_writes:mean`, `rto_s:censored`), as targets and
    /// `drsim sensitivity --statistic` name what they measure.
    public static func measure(_ text: String) throws(ExpectationError) -> (Metric, Statistic) {
        let s = text.trimmingCharacters(in: .whitespaces)
        guard let colon = s.firstIndex(of: ":") else {
            throw ExpectationError("no ':' after the metric; write METRIC:STAT, e.g. rto_s:p99")
        }
        let name = s[..<colon].trimmingCharacters(in: .whitespaces)
        let statName = s[s.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        guard let metric = Metric(rawValue: name) else {
            let known = Metric.allCases.map(\.rawValue)
            throw ExpectationError("no metric \"\(name)\"; the metrics: \(known.joined(separator: ", "))")
        }
        return (metric, try statistic(statName))
    }

    /// Reads a statistic's name: `mean`, `censored` or a percentile.
    static func statistic(_ name: String) throws(ExpectationError) -> Statistic {
        switch name {
        case "mean": return .mean
        case "censored": return .censored
        case "max":
            throw ExpectationError(
                "max has no confidence interval (a larger "
                    + "sample can always show a larger value); use a high percentile such as p999")
        default:
            if name == "p0" {
                throw ExpectationError("p0 is not a statistic: the lowest percentile is p01, the 1st")
            }
            if name.count == 2, name.hasPrefix("p"), let d = name.last, d.isNumber {
                throw ExpectationError(
                    "\(name) is ambiguous: write two digits or more, "
                        + "p\(d)0 for the \(d)0th percentile or p0\(d) for the \(d)th")
            }
            guard let level = Self.level(name) else {
                throw ExpectationError(
                    "no statistic \"\(name)\"; allowed: mean, censored, or a percentile such as p50, p90, p99, p999")
            }
            return .percentile(level, name)
        }
    }

    /// The level of a percentile's name: p99 → 0.99, p999 → 0.999, p05 → 0.05; nil if it names none.
    /// Digits after two are decimals (p999 = 99.9%), so a trailing 0 there (p100, p990) is refused: it
    /// reads as something it is not.
    public static func level(_ name: String) -> Double? {
        guard name.hasPrefix("p"), name.count >= 2, name.count <= 7,
            name.dropFirst().allSatisfy({ $0.isASCII && $0.isNumber }),
            name.count <= 3 || name.last != "0", let digits = Int(name.dropFirst()), digits > 0
        else { return nil }
        let level = Double(digits) / pow(10, Double(name.count - 1))
        return level < 1 ? level : nil
    }

    /// The quantile level a percentile target is on; nil for the mean and the censored share.
    public var level: Double? { if case .percentile(let p, _) = statistic { p } else { nil } }

    /// As written in `run.json` and messages: `rto_s:p99 <= 600`.
    public var description: String {
        "\(metric.rawValue):\(statistic.name) \(comparison.rawValue) \(formatNumber(bound))"
    }
}

/// Why a target's text is not one: what is wrong and, where it helps, the form to write.
public struct ExpectationError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
