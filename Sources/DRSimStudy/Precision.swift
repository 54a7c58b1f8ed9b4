import DRSim
import DRSimResults
import Foundation

/// A requested precision: `rto_s:p99=±5` (the 95% interval of rto_s's p99 within ±5 s of it) or
/// `recovered_90_s:mean=±2%` (within ±2% of the estimate) (docs/config.md, "Precision on demand").
public struct PrecisionTarget: Sendable, Equatable, CustomStringConvertible {
    public enum Statistic: String, Sendable, CaseIterable { case mean, p50, p90, p99 }
    public var metric: Metric
    public var statistic: Statistic
    /// The largest half-width accepted: in the metric's unit, or a percentage of the estimate.
    public var bound: Double
    public var relative: Bool

    /// Parses `METRIC:STAT=±X` or `METRIC:STAT=±X%` (`+-X` and a bare `X` are read the same).
    public init(parsing text: String) throws(UsageError) {
        let example = "write METRIC:STAT=±X, e.g. --precision rto_s:p99=±5 or --precision recovered_90_s:mean=±2%"
        guard let colon = text.firstIndex(of: ":"), let eq = text.firstIndex(of: "="), colon < eq else {
            throw UsageError("--precision \(text): \(example)")
        }
        let name = String(text[..<colon])
        let stat = String(text[text.index(after: colon)..<eq])
        var bound = String(text[text.index(after: eq)...]).trimmingCharacters(in: .whitespaces)
        guard let m = Metric(rawValue: name) else {
            throw UsageError(
                "--precision \(text): no metric \"\(name)\"; the metrics: "
                    + "\(Metric.allCases.map(\.rawValue).joined(separator: ", "))"
            )
        }
        guard let s = Statistic(rawValue: stat) else {
            throw UsageError("--precision \(text): no statistic \"\(stat)\"; allowed: mean, p50, p90, p99")
        }
        for sign in ["±", "+-", "+/-"] where bound.hasPrefix(sign) { bound = String(bound.dropFirst(sign.count)) }
        relative = bound.hasSuffix("%")
        if relative { bound = String(bound.dropLast()) }
        guard let x = Double(bound.trimmingCharacters(in: .whitespaces)), x.isFinite, x > 0 else {
            throw UsageError(
                "--precision \(text): the half-width must be a number above 0\(relative ? " (a percentage)" : ""); "
                    + "\(example)"
            )
        }
        (metric, statistic, self.bound) = (m, s, x)
    }

    public var description: String {
        "\(metric.rawValue):\(statistic.rawValue)=±\(formatNumber(bound))\(relative ? "%" : "")"
    }

    /// The largest distance from the estimate to either end of its interval; nil if a part is unknown.
    public static func halfWidth(_ e: Estimate) -> Double? {
        guard let v = e.value, let lo = e.low, let hi = e.high else { return nil }
        return max(v - lo, hi - v)
    }

    /// The half-width allowed for the estimate `e` (a relative bound scales with its size).
    public func allowed(_ e: Estimate) -> Double? {
        guard relative else { return bound }
        return e.value.map { abs($0) * bound / 100 }
    }

    /// The estimate this target is about, among a run's summaries.
    public func estimate(_ summaries: [MetricSummary]) -> Estimate {
        let s = summaries.first { $0.metric == metric.rawValue }!
        switch statistic {
        case .mean: return s.mean
        case .p50: return s.p50
        case .p90: return s.p90
        case .p99: return s.p99
        }
    }

    /// The estimate this target is about, for a paired difference.
    public func estimate(_ paired: [PairedMetric]) -> Estimate {
        let p = paired.first { $0.metric == metric.rawValue }!
        switch statistic {
        case .mean: return p.difference
        case .p50: return p.p50
        case .p90: return p.p90
        case .p99: return p.p99
        }
    }
}

/// A check that more replications can settle: how wide its interval is and how wide it may be.
public protocol NarrowingCheck: Sendable {
    var met: Bool { get }
    /// The interval's half-width now; nil if it is not known yet.
    var halfWidth: Double? { get }
    /// The half-width that would meet the check; nil if no width can.
    var allowed: Double? { get }
    /// True when no number of replications can meet it (growing the run would only cost time).
    var hopeless: Bool { get }
}

extension NarrowingCheck {
    public var hopeless: Bool { false }
}

/// One target checked on one run (a sweep point, or a comparison): its estimate and whether it is
/// narrow enough.
public struct PrecisionCheck: NarrowingCheck {
    public var target: PrecisionTarget
    /// Which run: empty for a plain run, `point 3` in a sweep.
    public var scope: String
    public var estimate: Estimate
    public var halfWidth: Double?
    public var allowed: Double?
    public var met: Bool { halfWidth != nil && allowed != nil && halfWidth! <= allowed! }

    public init(_ target: PrecisionTarget, _ estimate: Estimate, scope: String = "") {
        self.target = target
        self.scope = scope
        self.estimate = estimate
        halfWidth = PrecisionTarget.halfWidth(estimate)
        allowed = target.allowed(estimate)
    }

    public var description: String {
        let at = scope.isEmpty ? "" : " (\(scope))"
        guard let h = halfWidth else {
            return "\(target)\(at): the interval is not known yet (too few replications, or censored)"
        }
        return
            "\(target)\(at): "
                + "±\(SummaryFormat.short(h))\(allowed.map { " of ±\(SummaryFormat.short($0)) allowed" } ?? "")"
    }
}

/// How `--precision` ended: the replication count every run reached, the counts on the way, and the
/// checks at the end.
public struct PrecisionOutcome: Sendable {
    public var replications: Int
    public var batches: [Int]
    public var checks: [PrecisionCheck]
    public var met: Bool { checks.allSatisfy(\.met) }

    /// Lines that say how it went, for the terminal.
    public func report(cap: Int) -> [String] {
        let path = batches.map { String($0) }.joined(separator: " → ")
        var lines = [
            met
                ? "precision reached with \(replications) replications (batches \(path)):"
                : "precision NOT reached: stopped at the cap of \(cap) replications (--max-replications; batches "
                    + "\(path)):"
        ]
        lines += checks.map { "  \($0.met ? "met" : "NOT met") \($0.description)" }
        return lines
    }
}

public enum Precision {
    /// Replications `--precision` stops at unless `--max-replications` says otherwise.
    public static let defaultCap = 100_000

    /// Grows runs in batches until every check is met or `cap` is reached. `extend(n)` brings every
    /// run to `n` replications and returns the checks at `n`. The counts depend only on the results,
    /// so they are the same on every machine and for any number of threads.
    public static func reach(from start: Int, cap: Int, _ extend: (Int) throws -> [PrecisionCheck]) rethrows
        -> PrecisionOutcome
    {
        let (n, batches, checks) = try grow(from: start, cap: cap, extend)
        return PrecisionOutcome(replications: n, batches: batches, checks: checks)
    }

    /// `reach` for any check that narrows with more replications (a target `drsim check
    /// --until-decided` settles): the count reached, the counts on the way, and the last checks.
    public static func grow<C: NarrowingCheck>(from start: Int, cap: Int, _ extend: (Int) throws -> [C]) rethrows
        -> (replications: Int, batches: [Int], checks: [C])
    {
        var n = min(start, cap)
        var batches = [n]
        var checks = try extend(n)
        while n < cap, checks.contains(where: { !$0.met && !$0.hopeless }) {
            n = next(after: n, checks, cap: cap)
            batches.append(n)
            checks = try extend(n)
        }
        return (n, batches, checks)
    }

    /// The next count: an interval narrows as 1/√n, so a half-width h against an allowed a needs about
    /// n·(h/a)² replications (10% more for luck); an unknown one doubles n. At least 1.25 n, at most
    /// 4 n, rounded up to two significant figures, and never above `cap`.
    static func next(after n: Int, _ checks: [some NarrowingCheck], cap: Int) -> Int {
        var want = Double(n)
        for c in checks where !c.met {
            if let h = c.halfWidth, let a = c.allowed, a > 0 {
                want = max(want, Double(n) * (h / a) * (h / a) * 1.1)
            } else {
                want = max(want, 2 * Double(n))
            }
        }
        let clamped = min(4 * Double(n), max(1.25 * Double(n), want)).rounded(.up)
        let unit = pow(10, max(0, (log10(clamped)).rounded(.down) - 1))
        return min(cap, max(n + 1, Int((clamped / unit).rounded(.up) * unit)))
    }
}
