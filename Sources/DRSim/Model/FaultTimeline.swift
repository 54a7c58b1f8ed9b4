/// What the faults do over one replication, sampled in advance (MODEL.md section 9), plus the
/// activation of standby regions, which the simulation sets as it runs.
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
            case let .partial(p): 1 - p
            case .unresponsive, .down: 0
            }
        }
        var isDown: Bool { if case .down = self { return true }; return false }
    }

    struct Span {
        var from: Double
        var until: Double
        func contains(_ t: Double) -> Bool { t >= from && t < until }
    }

    let regions: Int
    var outage: [[(Span, Config.Fault.Mode)]]
    var unresponsive: [[Span]]
    var partial: [[(Span, Double)]]
    var lag: [[(Span, Double)]]
    /// Per health check: when it is disabled, and when which checker regions are blocked.
    var disabled: [[Span]]
    var blocked: [[(Span, [String])]]
    /// Per region: from when it serves. −∞ for regions without activation; +∞ while not yet activated.
    public var activatedAt: [Double]

    public init(regions: Int, checks: Int = 0) {
        self.regions = regions
        outage = Array(repeating: [], count: regions)
        unresponsive = Array(repeating: [], count: regions)
        partial = Array(repeating: [], count: regions)
        lag = Array(repeating: [], count: regions)
        disabled = Array(repeating: [], count: checks)
        blocked = Array(repeating: [], count: checks)
        activatedAt = Array(repeating: -.infinity, count: regions)
    }

    /// Adds a fault from `start` to `end` [s].
    mutating func add(_ f: Config.Fault, from start: Double, until end: Double, healthChecks: [Config.HealthCheck]) {
        let span = Span(from: start, until: end)
        switch f.kind {
        case .regionOutage: outage[f.region!].append((span, f.mode))
        case .appUnresponsive: unresponsive[f.region!].append(span)
        case .partial: partial[f.region!].append((span, f.share))
        case .replicationImpaired: lag[f.region!].append((span, f.lagMultiplier))
        case .healthCheckDisabled: disabled[f.healthCheck!].append(span)
        case .checkerBlocked:
            for (c, h) in healthChecks.enumerated() where c == f.healthCheck || (f.healthCheck == nil && h.target == f.region) {
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

    /// The replication lag multiplier of writes from region r at t.
    func lagMultiplier(_ r: Int, at t: Double) -> Double {
        lag[r].reduce(1) { $1.0.contains(t) ? $0 * $1.1 : $0 }
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
        return outage[r].contains { later($0.0) } || unresponsive[r].contains(where: later) || partial[r].contains { later($0.0) }
            || (activatedAt[r].isFinite && activatedAt[r] > t)
    }

    /// The first time at or after t [s] at which region r is down; ∞ if never.
    func firstDown(_ r: Int, from t: Double) -> Double {
        if condition(r, at: t).isDown { return t }
        guard changes(region: r, after: t) else { return .infinity }
        return edges(region: r).filter { $0 > t && condition(r, at: $0).isDown }.min() ?? .infinity
    }

    /// Times at which a health check's disabled setting changes.
    func edges(check c: Int) -> [Double] { disabled[c].flatMap { [$0.from, $0.until] } }

    /// True when nothing about region r (and, if given, health check c's blocking) changes after t:
    /// no fault edge in (t, ∞) and no activation still to come.
    func isStable(region r: Int, check c: Int? = nil, after t: Double) -> Bool {
        if activatedAt[r] == .infinity { return false }
        if changes(region: r, after: t) { return false }
        if let c, blocked[c].contains(where: { $0.0.from > t || ($0.0.until > t && $0.0.until.isFinite) }) { return false }
        return true
    }
}
