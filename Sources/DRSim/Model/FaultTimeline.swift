import DRSimKernel

/// What the faults do over one replication, sampled in advance (docs/model.md, "Faults"), plus the
/// activation of standby regions, which the simulation sets as it runs.
///
/// A region's application and its database replica are separate failure domains: `condition` is the
/// application's state (what requests and probes meet), `databaseDown` the replica's.
public struct FaultTimeline: Sendable {
    /// A region's state at one moment, for requests and probes.
    public enum Condition: Sendable, Equatable {
        case ok
        /// This share of requests and probes fails.
        case partial(Double)
        /// The app accepts connections but never answers; its database is fine.
        case unresponsive
        /// Nothing answers (black hole) or connections are refused; the database is down too.
        case down(Config.Fault.Mode)

        /// Share of the requests reaching the region that it serves.
        var servedShare: Double {
            switch self {
            case .ok: 1
            case .partial(let p): 1 - p
            case .unresponsive, .down: 0
            }
        }
        var isDown: Bool {
            if case .down = self { return true }
            return false
        }
    }

    struct Span {
        var from: Double
        var until: Double
        func contains(_ t: Double) -> Bool { t >= from && t < until }
    }

    let regions: Int
    /// Application outages (scope `both` or `app`).
    var outage: [[(Span, Config.Fault.Mode)]]
    /// Database replica outages (scope `both` or `database`).
    var databaseOutage: [[Span]]
    var unresponsive: [[Span]]
    var partial: [[(Span, Double)]]
    /// Slowed replication: the lag multiplier while it lasts.
    var lag: [[(Span, Double)]]
    /// Stalled replication: nothing leaves the region's replica while it lasts.
    var stalled: [[Span]]
    /// Per health check: when it is disabled, and when which checker regions are blocked.
    var disabled: [[Span]]
    var blocked: [[(Span, [String])]]
    /// Per health check: when its checkers' aggregate is unhealthy whatever they probe (per-probe loss
    /// between a year's events: `QuietProbeLoss`).
    var forced: [[Span]]
    /// Per region: from when it serves. −∞ for regions without activation; +∞ while not yet activated.
    public var activatedAt: [Double]

    public init(regions: Int, checks: Int = 0) {
        self.regions = regions
        outage = Array(repeating: [], count: regions)
        databaseOutage = Array(repeating: [], count: regions)
        stalled = Array(repeating: [], count: regions)
        unresponsive = Array(repeating: [], count: regions)
        partial = Array(repeating: [], count: regions)
        lag = Array(repeating: [], count: regions)
        disabled = Array(repeating: [], count: checks)
        blocked = Array(repeating: [], count: checks)
        forced = Array(repeating: [], count: checks)
        activatedAt = Array(repeating: -.infinity, count: regions)
    }

    /// Adds a fault from `start` to `end` [s].
    /// A fault that ends as it starts (a zero duration, or past the horizon) changes nothing.
    mutating func add(_ f: Config.Fault, from start: Double, until end: Double, healthChecks: [Config.HealthCheck]) {
        guard end > start else { return }
        let span = Span(from: start, until: end)
        switch f.kind {
        case .regionOutage:
            if f.scope != .database { outage[f.region!].append((span, f.mode)) }
            if f.scope != .app { databaseOutage[f.region!].append(span) }
        case .appUnresponsive: unresponsive[f.region!].append(span)
        case .partial: partial[f.region!].append((span, f.share))
        case .replicationImpaired:
            switch f.impairment {
            case .slowed: lag[f.region!].append((span, f.lagMultiplier))
            case .stalled: stalled[f.region!].append(span)
            }
        case .healthCheckDisabled: disabled[f.healthCheck!].append(span)
        case .checkerBlocked:
            for (c, h) in healthChecks.enumerated()
            where c == f.healthCheck || (f.healthCheck == nil && h.target == f.region) {
                blocked[c].append((span, f.checkerRegions))
            }
        }
    }

    /// The region's condition at t: the most severe of the faults active then.
    public func condition(_ r: Int, at t: Double) -> Condition {
        if t < activatedAt[r] { return .down(.refused) }
        for (s, mode) in outage[r] where s.contains(t) { return .down(mode) }
        for s in unresponsive[r] where s.contains(t) { return .unresponsive }
        var ok = 1.0
        for (s, p) in partial[r] where s.contains(t) { ok *= 1 - p }
        return ok < 1 ? .partial(1 - ok) : .ok
    }

    func isDisabled(check c: Int, at t: Double) -> Bool { disabled[c].contains { $0.contains(t) } }

    func isBlocked(check c: Int, from checkerRegion: String, at t: Double) -> Bool {
        blocked[c].contains { $0.0.contains(t) && $0.1.contains(checkerRegion) }
    }

    /// The lag multipliers region r's writes were sent with, by their age at t: stretches of age
    /// covering [0, ∞), adjacent ones with different multipliers (the product of the slowdowns in
    /// force when those writes were sent). A slowdown that ended before t still weighs on the writes
    /// sent while it lasted.
    func lagByAge(_ r: Int, at t: Double) -> [LagSegment] {
        let spans = lag[r].filter { $0.0.from < t }
        guard !spans.isEmpty else { return LagSegment.unimpaired }
        var ages = [0.0]
        for (s, _) in spans {
            ages.append(t - s.from)
            if s.until < t { ages.append(t - s.until) }
        }
        ages = Array(Set(ages)).sorted()
        ages.append(.infinity)
        var segments: [LagSegment] = []
        for i in 0..<(ages.count - 1) {
            // Writes of ages in [a₀, a₁) were sent in (t − a₁, t − a₀]; any instant inside tells the multiplier.
            let sent = ages[i + 1] == .infinity ? t - ages[i] - 1 : t - (ages[i] + ages[i + 1]) / 2
            let m = spans.reduce(1.0) { $1.0.contains(sent) ? $0 * $1.1 : $0 }
            if let last = segments.last, last.multiplier == m {
                segments[segments.count - 1].until = ages[i + 1]
            } else {
                segments.append(LagSegment(from: ages[i], until: ages[i + 1], multiplier: m))
            }
        }
        return segments
    }

    /// Whether region r's database replica is down at t.
    public func databaseDown(_ r: Int, at t: Double) -> Bool { databaseOutage[r].contains { $0.contains(t) } }

    /// Region r's database replica failures in time order: overlapping or touching outages (two
    /// faults on one region) are one failure, from the first start to the last end.
    func databaseFailures(_ r: Int) -> [Span] {
        var merged: [Span] = []
        for s in databaseOutage[r].sorted(by: { ($0.from, $0.until) < ($1.from, $1.until) }) {
            if let last = merged.last, s.from <= last.until {
                merged[merged.count - 1].until = max(last.until, s.until)
            } else {
                merged.append(s)
            }
        }
        return merged
    }

    /// When region r's app fails (goes down or hangs) while it was serving just before, in time order:
    /// a second fault that starts while the app is already failing, or at the same instant as another,
    /// is not a failure of its own.
    func appFailures(_ r: Int) -> [Double] {
        let starts = Set(outage[r].map(\.0.from) + unresponsive[r].map(\.from)).sorted()
        return starts.filter { t in
            let before = condition(r, at: t - 1e-6)  // a microsecond before: fault times lie on that grid
            return !(before.isDown || before == .unresponsive)
        }
    }

    /// The database outage of region r that starts at `t`, if any: its span.
    func databaseOutage(_ r: Int, startingAt t: Double) -> Span? { databaseOutage[r].first { $0.from == t } }

    /// The stall of region r's replication under way at t (the earliest start among overlapping ones
    /// and the latest end), if any.
    func stall(_ r: Int, at t: Double) -> Span? {
        var found: Span?
        for s in stalled[r] where s.contains(t) {
            found = Span(from: min(found?.from ?? s.from, s.from), until: max(found?.until ?? s.until, s.until))
        }
        return found
    }

    /// The finite times at which region r's database or its replication changes state.
    func databaseEdges(region r: Int) -> [Double] {
        var e: [Double] = []
        for s in databaseOutage[r] { e += [s.from, s.until] }
        for s in stalled[r] { e += [s.from, s.until] }
        return e.filter(\.isFinite)
    }

    /// The first time at or after t [s] at which region r's app stops answering (down or hung), and
    /// how; nil if never.
    func firstFailing(_ r: Int, from t: Double) -> (time: Double, condition: Condition)? {
        func failing(_ c: Condition) -> Bool { c.isDown || c == .unresponsive }
        let now = condition(r, at: t)
        if failing(now) { return (t, now) }
        guard changes(region: r, after: t) else { return nil }
        let at = edges(region: r).filter { $0 > t && failing(condition(r, at: $0)) }.min()
        return at.map { ($0, condition(r, at: $0)) }
    }

    /// The finite times at which region r's condition may change.
    func edges(region r: Int) -> [Double] {
        var e: [Double] = []
        for (s, _) in outage[r] { e += [s.from, s.until] }
        for s in unresponsive[r] { e += [s.from, s.until] }
        for (s, _) in partial[r] { e += [s.from, s.until] }
        if activatedAt[r].isFinite { e.append(activatedAt[r]) }
        return e.filter(\.isFinite)
    }

    /// True when some edge of region r's condition lies after t (no array is built).
    func changes(region r: Int, after t: Double) -> Bool {
        func later(_ s: Span) -> Bool { s.from > t || (s.until > t && s.until.isFinite) }
        return outage[r].contains { later($0.0) } || unresponsive[r].contains(where: later)
            || partial[r].contains { later($0.0) }
            || (activatedAt[r].isFinite && activatedAt[r] > t)
    }

    /// Whether some fault ends at `t` [µs]: a region's app or database comes back, a hang or partial
    /// failure ends, a stall or slowdown of its replication ends.
    func ends(atMicroseconds t: Int64) -> Bool {
        func at(_ s: Span) -> Bool { s.until.isFinite && ModelTime.microseconds(s.until) == t }
        for r in 0..<regions {
            if outage[r].contains(where: { at($0.0) }) || unresponsive[r].contains(where: at)
                || partial[r].contains(where: { at($0.0) })
                || databaseOutage[r].contains(where: at) || stalled[r].contains(where: at)
                || lag[r].contains(where: { at($0.0) })
            {
                return true
            }
        }
        return false
    }

    /// Times at which a health check's disabled setting changes.
    func edges(check c: Int) -> [Double] { (disabled[c] + forced[c]).flatMap { [$0.from, $0.until] } }

    func isForcedUnhealthy(check c: Int, at t: Double) -> Bool { forced[c].contains { $0.contains(t) } }

    /// True when nothing about region r (and, if given, health check c's blocking) changes after t:
    /// no fault edge in (t, ∞) and no activation still to come.
    func isStable(region r: Int, check c: Int? = nil, after t: Double) -> Bool {
        if activatedAt[r] == .infinity { return false }
        if changes(region: r, after: t) { return false }
        if let c, blocked[c].contains(where: { $0.0.from > t || ($0.0.until > t && $0.0.until.isFinite) }) {
            return false
        }
        return true
    }
}
