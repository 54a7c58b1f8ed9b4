import Foundation

/// When a client's open connection lets it go (docs/model.md, "Connections").
///
/// A client whose DNS caches have let go of an old address keeps using its open connection to that
/// address until the connection ends, and only then reconnects to whatever its caches give it. What
/// ends a connection depends on the first proxy it reaches (its front door) and on the client:
///
/// - the front door closes it after `idleTimeout` without a request (traffic resets the timer) or at
///   `maxAge` whatever its traffic (AWS ALB's client keep-alive), whichever comes first;
/// - the client drops it when a request fails in a way that breaks it: at once on a refused connection,
///   after its request timeout on a black-holed or hung endpoint (a load balancer with no backend left
///   that answers counts as hung).
///
/// A connection to the global load balancer's anycast address never holds a client on a failed
/// backend (the proxy picks a backend per request), so only the address as a whole matters.
///
/// The age of a connection when the caches let go is uniform over `maxAge` (a stationary renewal
/// process). Idleness comes from the users' think time T: the connection closes at the first pause
/// longer than the idle timeout I, so the wait is I plus K pauses shorter than I, with K geometric
/// (P(T > I) per pause); the pause under way when the caches let go is taken as a fresh one (exact
/// for exponential think times).
///
/// A connection also ends when its user's session does (docs/model.md, "Sessions"): the session under
/// way when the caches let go has a remaining length drawn from the equilibrium (residual-life) law of
/// the session length, the stationary state of users arriving and leaving. That draw comes last on the
/// connection's own stream, so the draws before it are the same with sessions on or off.
struct ConnectionRules {
    /// Per target (regions, then the load balancer's address): its front door.
    let doors: [Config.FrontDoor]
    let loadBalancerBackends: [Int]
    let requestTimeout: Double
    let thinkTime: Distribution
    /// Per target: P(T > idle timeout) and E[T | T ≤ idle timeout].
    let longPause: [Double]
    let shortPauseMean: [Double]
    /// The users' session length, nil when sessions do not end connections.
    let sessionLength: Distribution?

    /// Pauses drawn one by one up to this count; more are summed by their mean (law of large numbers).
    static let drawnPauses = 16

    init(_ c: Config) {
        doors = c.regions.map(\.frontDoor) + [c.loadBalancer?.frontDoor ?? .defaults(.gcpGlobalALB)]
        loadBalancerBackends = c.loadBalancer?.backends ?? []
        requestTimeout = c.clients.requestTimeout
        thinkTime = c.clients.thinkTime
        sessionLength = c.clients.sessions.enabled ? c.clients.sessions.length : nil
        let t = c.clients.thinkTime
        longPause = doors.map { d in d.idleTimeout.map { 1 - t.cdf($0) } ?? 0 }
        shortPauseMean = doors.map { d in
            guard let idle = d.idleTimeout else { return 0 }
            let below = t.cdf(idle)
            guard below > 0 else { return 0 }
            // E[T; T ≤ I] = E[T] − E[(T − I)⁺] − I·P(T > I).
            return max(0, (t.mean - t.excessMean(over: idle) - idle * (1 - below)) / below)
        }
    }

    /// Whether the target's app answers at t: `nil` while it serves, else how it fails.
    func failure(_ target: Int, at t: Double, _ faults: FaultTimeline) -> FaultTimeline.Condition? {
        if target < faults.regions {
            let c = faults.condition(target, at: t)
            return c.isDown || c == .unresponsive ? c : nil
        }
        // The load balancer's address answers while any backend does.
        for b in loadBalancerBackends {
            let c = faults.condition(b, at: t)
            if !(c.isDown || c == .unresponsive) { return nil }
        }
        return .unresponsive
    }

    /// The first time at or after t at which the target stops answering, and how; nil if never.
    func firstFailure(_ target: Int, from t: Double, _ faults: FaultTimeline) -> (
        time: Double, condition: FaultTimeline.Condition
    )? {
        if target < faults.regions { return faults.firstFailing(target, from: t) }
        if let c = failure(target, at: t, faults) { return (t, c) }
        var times: [Double] = []
        for b in loadBalancerBackends where faults.changes(region: b, after: t) { times += faults.edges(region: b) }
        let at = times.filter { $0 > t && failure(target, at: $0, faults) != nil }.min()
        return at.map { ($0, .unresponsive) }
    }

    /// The client's delay in leaving a failing endpoint: none for a refused connection, else the rest
    /// of the request it is waiting on (uniform over the request timeout).
    func giveUp(_ how: FaultTimeline.Condition, _ r: RandomStream) -> Double {
        if case .down(.refused) = how { return 0 }
        return r.uniform() * requestTimeout
    }

    /// A target's state from some time on, when nothing about it changes after that time: then
    /// `release` needs no look at the faults.
    struct Settled {
        var from: Double
        var failure: FaultTimeline.Condition?
    }

    /// Per target, its settled state from `t` on, if it has one.
    func settled(from t: Double, _ faults: FaultTimeline) -> [Settled?] {
        doors.indices.map { target in
            let regions = target < faults.regions ? [target] : loadBalancerBackends
            guard !regions.contains(where: { faults.changes(region: $0, after: t) }) else { return nil }
            return Settled(from: t, failure: failure(target, at: t, faults))
        }
    }

    /// When a client whose caches let go of `target` at `t` [s] leaves it: when its connection ends, or
    /// its session, whichever is first. `settled` (from `settled(from:_:)`) spares the look at the
    /// faults for targets whose state is fixed by then.
    func release(from target: Int, at t: Double, faults: FaultTimeline, settled: Settled? = nil, _ r: RandomStream)
        -> Double
    {
        let end = connectionEnd(from: target, at: t, faults: faults, settled: settled, r)
        guard let length = sessionLength else { return end }
        return min(end, t + length.residualSample(r))
    }

    /// When the connection to `target` that the client holds at `t` [s] ends (see the type's discussion).
    private func connectionEnd(
        from target: Int, at t: Double, faults: FaultTimeline, settled: Settled?, _ r: RandomStream
    ) -> Double {
        if let s = settled, t >= s.from {
            if let how = s.failure { return t + giveUp(how, r) }
            let door = doors[target]
            var end = Double.infinity
            if let age = door.maxAge { end = t + r.uniform() * age }
            if let idle = door.idleTimeout { end = min(end, t + idleWait(idle, target, r)) }
            return end
        }
        if let how = failure(target, at: t, faults) { return t + giveUp(how, r) }
        let door = doors[target]
        var end = Double.infinity
        if let age = door.maxAge { end = t + r.uniform() * age }
        if let idle = door.idleTimeout { end = min(end, t + idleWait(idle, target, r)) }
        if let f = firstFailure(target, from: t, faults), f.time < end {
            end = min(end, f.time + giveUp(f.condition, r))
        }
        return end
    }

    /// The time until the first pause longer than `idle` ends in the connection's closing: idle plus
    /// the pauses before it; ∞ if no pause is ever that long.
    func idleWait(_ idle: Double, _ target: Int, _ r: RandomStream) -> Double {
        let p = longPause[target]
        guard p > 0 else { return .infinity }
        guard p < 1 else { return idle }
        let k = Int(min(1e9, (log(r.uniformPositive()) / log1p(-p)).rounded(.down)))
        guard k > 0 else { return idle }
        if k > Self.drawnPauses { return idle + Double(k) * shortPauseMean[target] }
        var sum = 0.0
        var drawn = 0
        var tries = 0
        while drawn < k {
            tries += 1
            if tries > 10_000 { return idle + sum + Double(k - drawn) * shortPauseMean[target] }
            let x = thinkTime.sample(r)
            if x <= idle {
                sum += x
                drawn += 1
            }
        }
        return idle + sum
    }
}
