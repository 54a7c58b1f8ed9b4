import Foundation

// The `expect` list: targets on the results that `drsim check` judges (docs/config.md, "expect").

/// A target on one statistic of one metric, as written in a config's `expect` list or `--expect`:
/// `rto_s:p99 <= 600`, `lost_writes:mean <= 150`, `rto_s:censored <= 0.01`.
///
/// The statistic is the mean, a percentile (`p50`, `p90`, `p99`, `p999`, any `pNNN`) or `censored`,
/// the share of replications in which the event did not happen before the horizon. The comparison is
/// `<=`, `<`, `>=` or `>`. `drsim check` judges it on the statistic's 95% interval, never on the
/// estimate alone.
public struct Expectation: Sendable, Equatable, CustomStringConvertible {
    public enum Statistic: Sendable, Equatable {
        case mean
        /// The quantile at this level (0 < level < 1), and its name (`p99`).
        case percentile(Double, String)
        case censored

        public var name: String {
            switch self {
            case .mean: "mean"
            case let .percentile(_, name): name
            case .censored: "censored"
            }
        }
    }

    public enum Comparison: String, Sendable, CaseIterable {
        case atMost = "<=", below = "<", atLeast = ">=", above = ">"

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

    public static let form = "METRIC:STAT <= VALUE (STAT: mean, censored, or a percentile such as p50, "
        + "p99, p999; the comparison <=, <, >= or >), e.g. \"rto_s:p99 <= 600\""

    /// Reads `METRIC:STAT OP VALUE` (spaces anywhere). The error says what is wrong and the form.
    public init(parsing text: String) throws(ConfigIssue) {
        func refuse(_ why: String) -> ConfigIssue { ConfigIssue(path: "", message: "\(jsonQuote(text)): \(why)") }
        guard text.contains(":") else { throw refuse("no ':' after the metric; write \(Self.form)") }
        // The comparison: the first <, > or =, with the = that may follow; spaces around it, not inside.
        guard let opStart = text.firstIndex(where: { "<>=".contains($0) }) else { throw refuse("no comparison; write \(Self.form)") }
        let afterOp = text[opStart...]
        guard let comparison = Comparison.allCases.sorted(by: { $0.rawValue.count > $1.rawValue.count })
            .first(where: { afterOp.hasPrefix($0.rawValue) }) else {
            throw refuse("the comparison must be <=, <, >= or >, found \"\(afterOp.prefix(2))\"")
        }
        let valueText = afterOp.dropFirst(comparison.rawValue.count).trimmingCharacters(in: .whitespaces)
        if valueText.hasPrefix("=") { throw refuse("the comparison must be <=, <, >= or > written together, found \"\(comparison.rawValue) =\"") }
        // A plain decimal number (no hex, no spaces inside), and one a double holds as written.
        guard valueText.range(of: #"^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?$"#, options: .regularExpression) != nil,
              let bound = Double(valueText) else {
            throw refuse("the bound must be a number, found \"\(valueText.prefix(40))\"; write \(Self.form)")
        }
        guard bound.isFinite, bound != 0 || !valueText.prefix(while: { $0 != "e" && $0 != "E" }).contains(where: { ("1"..."9").contains($0) }) else {
            throw refuse("the bound \(valueText) is out of the range of numbers drsim holds; give a plainer number")
        }
        do {
            (metric, statistic) = try Self.measure(String(text[..<opStart]))
        } catch { throw refuse(error.message) }
        if statistic == .censored && !(0...1).contains(bound) {
            throw refuse("censored is a share of replications, from 0 to 1, found \(formatNumber(bound))")
        }
        (self.comparison, self.bound) = (comparison, bound)
    }

    /// Reads `METRIC:STAT` (`rto_s:p99`, `lost_writes:mean`, `rto_s:censored`), as targets and
    /// `drsim sensitivity --statistic` name what they measure.
    public static func measure(_ text: String) throws(ConfigIssue) -> (Metric, Statistic) {
        let s = text.trimmingCharacters(in: .whitespaces)
        guard let colon = s.firstIndex(of: ":") else {
            throw ConfigIssue(path: "", message: "no ':' after the metric; write METRIC:STAT, e.g. rto_s:p99")
        }
        let name = s[..<colon].trimmingCharacters(in: .whitespaces), statName = s[s.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        guard let metric = Metric(rawValue: name) else {
            throw ConfigIssue(path: "", message: "no metric \"\(name)\"; the metrics: "
                + "\(Metric.allCases.filter { $0 != .conflictOverwrites }.map(\.rawValue).joined(separator: ", "))")
        }
        guard metric != .conflictOverwrites else {
            throw ConfigIssue(path: "", message: "conflict_overwrites is not modelled yet (always empty), so nothing can be measured on it")
        }
        switch statName {
        case "mean": return (metric, .mean)
        case "censored": return (metric, .censored)
        case "max":
            throw ConfigIssue(path: "", message: "max has no confidence interval (a larger "
                + "sample can always show a larger value); use a high percentile such as p999")
        default:
            if statName.count == 2, statName.hasPrefix("p"), statName.last!.isNumber {
                throw ConfigIssue(path: "", message: "\(statName) is ambiguous: write two digits or more, "
                    + "p\(statName.last!)0 for the \(statName.last!)0th percentile or p0\(statName.last!) for the \(statName.last!)th")
            }
            guard let level = Self.level(statName) else {
                throw ConfigIssue(path: "", message: "no statistic \"\(statName)\"; allowed: mean, censored, or a percentile such as p50, p90, p99, p999")
            }
            return (metric, .percentile(level, statName))
        }
    }

    /// The level of a percentile's name: p99 → 0.99, p999 → 0.999, p05 → 0.05; nil if it names none.
    static func level(_ name: String) -> Double? {
        // Digits after two are decimals (p999 = 99.9%), so a trailing 0 there (p100, p990) is refused:
        // it reads as something it is not.
        guard name.hasPrefix("p"), name.count >= 2, name.count <= 7, name.dropFirst().allSatisfy({ $0.isASCII && $0.isNumber }),
              name.count <= 3 || name.last != "0", let digits = Int(name.dropFirst()), digits > 0 else { return nil }
        let level = Double(digits) / pow(10, Double(name.count - 1))
        return level < 1 ? level : nil
    }

    /// As written in `run.json` and messages: `rto_s:p99 <= 600`.
    public var description: String { "\(metric.rawValue):\(statistic.name) \(comparison.rawValue) \(formatNumber(bound))" }

    /// Reads the `expect` list; each problem is named by its index (`expect[1]`).
    /// `applies` says whether a metric has values in this config (write_rto_s needs writes).
    static func decodeList(_ items: [(String, JSON)], applies: (Metric) -> Bool, log: IssueLog) -> [Expectation] {
        var list: [Expectation] = []
        for (path, item) in items {
            guard case let .string(text) = item else {
                log.error(path, "found \(item.brief), expected a target as a string, \(form)")
                continue
            }
            do {
                let e = try Expectation(parsing: text)
                if !applies(e.metric) {
                    log.error(path, "\(jsonQuote(text)): \(e.metric.rawValue) has no values in this config (it has no writes: traffic.write_share is 0)")
                } else if list.contains(e) { log.error(path, "\(jsonQuote(text)) is already in the list") } else { list.append(e) }
            } catch { log.error(path, error.message) }
        }
        return list
    }
}
