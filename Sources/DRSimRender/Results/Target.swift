import Foundation

/// A target on a metric's statistic, written as in a config's `expect` list: `rto_s:p99 <= 900`
/// (`<` or `<=`; statistics `mean`, `p50`, `p90`, `p99`, `p999`, `max`, or any `pNN`).
public struct Target: Sendable, Equatable, CustomStringConvertible {
    public var metric: String
    public var statistic: String
    public var op: String
    public var value: Double

    public init(parsing text: String) throws(TargetError) {
        let s = text.filter { !$0.isWhitespace }
        guard let colon = s.firstIndex(of: ":") else { throw TargetError(text: text) }
        let metric = String(s[..<colon])
        let rest = s[s.index(after: colon)...]
        guard let opStart = rest.firstIndex(where: { $0 == "<" || $0 == ">" }) else { throw TargetError(text: text) }
        let statistic = String(rest[..<opStart])
        var opEnd = rest.index(after: opStart)
        if opEnd < rest.endIndex, rest[opEnd] == "=" { opEnd = rest.index(after: opEnd) }
        let op = String(rest[opStart..<opEnd])
        guard !metric.isEmpty, let value = Double(rest[opEnd...]), value.isFinite,
              statistic == "mean" || statistic == "max" || Target.level(statistic) != nil
        else { throw TargetError(text: text) }
        self.metric = metric
        self.statistic = statistic
        self.op = op
        self.value = value
    }

    /// The share of incidents a percentile statistic names: p99 → 0.99, p999 → 0.999, max → 1. The rule
    /// of `check`'s targets (`Expectation.level`, which this module cannot see): digits after two are
    /// decimals, so a trailing 0 there (p100, p990) is refused, as reading as something it is not.
    static func level(_ statistic: String) -> Double? {
        if statistic == "max" { return 1 }
        guard statistic.hasPrefix("p"), statistic.count >= 3, statistic.count <= 3 || statistic.last != "0",
              statistic.dropFirst().allSatisfy({ $0.isASCII && $0.isNumber }), let digits = Int(statistic.dropFirst()), digits > 0 else { return nil }
        let d = Double(digits) / pow(10, Double(statistic.count - 1))
        return d < 1 ? d : nil
    }

    public var level: Double? { Target.level(statistic) }
    public var description: String { "\(metric):\(statistic) \(op) \(Axis.compact(value))" }
}

public struct TargetError: Error, CustomStringConvertible {
    public var text: String
    public var description: String {
        "target \"\(text)\" is not of the form METRIC:STAT <= VALUE (STAT: mean, max or a percentile such as p50, p99, p999; for example rto_s:p99<=900)"
    }
}
