import DRSimKernel

/// One change of the DNS answers (docs/model.md, "DNS records"), with the health signal behind it.
/// Under failover routing only changes of the answer count; under weighted and latency routing, every
/// change of the records' health does.
struct AnswerChange {
    /// The status change behind it: when Route 53 saw it, and when it reached the answers [µs].
    var signal: FailoverModel.Signal
    /// The failover answer from then on.
    var target: Config.Target
    /// Every record's health from then on (records without a check are healthy).
    var health: [Bool]

    /// When the answers changed [µs].
    var time: Int64 { signal.arrived }
}

/// Route 53's health checks and the DNS answers they drive (docs/model.md, "Health checks", "DNS
/// records").
///
/// Checkers are values in flat arrays. A probe's outcome is the endpoint's condition when it is sent.
/// A check's status changes reach DNS after their delay, in the order they happened. A checker stops
/// probing once no later probe can change its state. `routing` parameters are the load balancer's
/// routing view (`LoadBalancerProbers.view`), which decides where a check on its address lands.
struct Route53Checks {
    typealias Event = FailoverModel.Event
    let plan: FailoverModel.Plan
    /// One stream per health check (`healthcheck/<id>`).
    let streams: [RandomStream]

    var checkerState: [Int] = []
    /// Whether a checker has a probe event pending; a settled one has none.
    var probing: [Bool] = []
    var healthyCount: [Int] = []
    var reportedLast: [Bool] = []
    var lastArrival: [SimTime] = []
    var dnsHealthy: [Bool] = []
    var answer = Config.Target.region(0)
    /// The DNS-visible health of each record (records without a check are healthy).
    var recordHealth: [Bool] = []
    /// Every change of the DNS answers, in time order.
    var changes: [AnswerChange] = []
    var initialHealth: [Bool] = []
    /// Per check, when each status change still on its way to DNS happened [µs], oldest first.
    var reportTimes: [[Int64]] = []
    var reportHead: [Int] = []
    /// Every change of a checker's view (a few per incident): when [µs], which checker, healthy or not,
    /// and how many of its check's checkers then saw the endpoint healthy (read by the incident trace).
    var viewChanges: [(time: Int64, checker: Int32, healthy: Bool, healthyCount: Int32)] = []

    init(plan: FailoverModel.Plan, streams: [RandomStream]) {
        self.plan = plan
        self.streams = streams
    }

    /// Route 53's probe timeouts (docs/model.md, "Health checks"; Route 53 Developer Guide, "How Amazon
    /// Route 53 determines whether a health check is healthy"): an HTTP(S) probe must connect within 4 s
    /// and get its first byte within 2 s more; a TCP probe must connect within 10 s.
    enum Timeout {
        static let httpConnect = 4.0
        static let httpFirstByte = 2.0
        static let tcpConnect = 10.0
    }

    /// The status check `check` reports for its checkers' aggregate at `t` [s].
    func reported(_ check: Int, aggregateHealthy: Bool, at t: Double, _ faults: FaultTimeline) -> Bool {
        let h = plan.checks[check]
        if h.disabled || faults.isDisabled(check: check, at: t) { return true }
        let healthy = aggregateHealthy && !faults.isForcedUnhealthy(check: check, at: t)
        return h.inverted ? !healthy : healthy
    }

    /// The failover answer: the first record that is healthy (or has no check); the primary if none.
    func currentAnswer() -> Config.Target {
        for r in plan.records where r.healthCheck.map({ dnsHealthy[$0] }) ?? true { return r.target }
        return plan.records[0].target
    }

    /// The region a check's probe reaches at this moment: its target, or for a check on the load
    /// balancer's address the first backend that the load balancer routes to (any, when it fails open).
    func probedRegion(_ h: Config.HealthCheck, routing: [Bool]) -> Int {
        guard h.targetsLoadBalancer, let lb = plan.loadBalancer else { return h.target }
        return lb.backends.first { routing[$0] } ?? lb.backends[0]
    }

    /// True when the condition makes every probe of this checker fail, with no chance involved.
    static func failsSurely(_ cond: FaultTimeline.Condition, _ h: Config.HealthCheck) -> Bool {
        switch cond {
        case .down: true
        case .unresponsive: h.protocol != .tcp
        default: false
        }
    }

    /// Starts every simulated check in its stationary state, just before t = 0 (docs/model.md,
    /// "Stationary start"), and sets the DNS answers that follow.
    mutating func start(
        _ faults: FaultTimeline, routing: [Bool],
        scheduler: inout Scheduler<Event>
    ) throws(KernelError) {
        checkerState = Array(repeating: 0, count: plan.checkerCount)
        probing = Array(repeating: false, count: plan.checkerCount)
        healthyCount = Array(repeating: 0, count: plan.checks.count)
        reportedLast = Array(repeating: true, count: plan.checks.count)
        lastArrival = Array(repeating: .zero, count: plan.checks.count)
        dnsHealthy = Array(repeating: true, count: plan.checks.count)
        changes.removeAll(keepingCapacity: true)
        viewChanges.removeAll(keepingCapacity: true)
        reportTimes = Array(repeating: [], count: plan.checks.count)
        reportHead = Array(repeating: 0, count: plan.checks.count)
        let before = -1e-6  // just before t = 0: faults start at 0 or later
        for c in plan.checks.indices where plan.simulated[c] {
            try startCheckers(of: c, before: before, faults, routing: routing, scheduler: &scheduler)
            reportedLast[c] = reported(c, aggregateHealthy: aggregateHealthy(c), at: before, faults)
            dnsHealthy[c] = reportedLast[c]
            for t in faults.edges(check: c) where t >= 0 && t <= plan.horizon.seconds {
                try scheduler.schedule(.settingChanged(check: Int32(c)), at: SimTime(seconds: t))
            }
        }
        answer = currentAnswer()
        recordHealth = plan.records.map { r in r.healthCheck.map { dnsHealthy[$0] } ?? true }
        initialHealth = recordHealth
    }

    /// Draws the state and probe phase of each checker of check `c` at `before` [s], and schedules
    /// its next probe event unless every probe would succeed until the horizon.
    private mutating func startCheckers(
        of c: Int, before: Double, _ faults: FaultTimeline, routing: [Bool],
        scheduler: inout Scheduler<Event>
    ) throws(KernelError) {
        let h = plan.checks[c]
        let r = streams[c]
        let cond0 = faults.condition(probedRegion(h, routing: routing), at: before)
        let quiet =
            h.transientFailureProbability == 0 && cond0 == .ok && !h.targetsLoadBalancer
            && faults.isStable(region: h.target, check: c, after: before)
        for j in plan.firstChecker[c]..<(plan.firstChecker[c] + h.checkers) {
            // A checker that has run for long: unhealthy if its endpoint has been failing, else in
            // its stationary state under transient failures.
            let s =
                Self.failsSurely(cond0, h)
                ? h.failureThreshold
                : plan.chains[c].state(forUniform: plan.chains[c].failureProbability > 0 ? r.uniform() : 0)
            checkerState[j] = s
            if CheckerChain.isHealthy(s, threshold: h.failureThreshold) { healthyCount[c] += 1 }
            if quiet { continue }  // every probe would succeed until the horizon
            probing[j] = true
            // Position in the probe cycle: x seconds since the last probe was sent.
            let rtt = h.probeRTT.mean
            let x = r.uniform() * (h.interval + rtt)
            if x < rtt {
                let ok = !Self.failsSurely(cond0, h) && !r.bernoulli(h.transientFailureProbability)
                try scheduler.schedule(.probeDone(checker: Int32(j), ok: ok), at: SimTime(seconds: rtt - x))
            } else {
                try scheduler.schedule(.probeSend(checker: Int32(j)), at: SimTime(seconds: h.interval + rtt - x))
            }
        }
    }

    /// True when no later probe can change the checker's state (its later probes are not simulated;
    /// this changes no result).
    func settled(checker j: Int, check c: Int, at t: Double, _ faults: FaultTimeline) -> Bool {
        let h = plan.checks[c]
        let s = checkerState[j]
        guard !h.targetsLoadBalancer, faults.isStable(region: h.target, check: c, after: t) else { return false }
        if faults.isBlocked(check: c, from: plan.checkerRegion[j], at: t) {
            return !CheckerChain.isHealthy(s, threshold: h.failureThreshold)
        }
        let cond = faults.condition(h.target, at: t)
        if Self.failsSurely(cond, h) { return !CheckerChain.isHealthy(s, threshold: h.failureThreshold) }
        if cond == .ok || cond == .unresponsive { return s == 0 && h.transientFailureProbability == 0 }
        return false
    }

    /// A checker sends a probe: its outcome is the endpoint's condition now, known when it completes.
    mutating func sendProbe(
        _ checker: Int32, _ faults: FaultTimeline, routing: [Bool],
        scheduler: inout Scheduler<Event>
    ) throws(KernelError) {
        let now = scheduler.now.seconds
        let j = Int(checker)
        let c = Int(plan.checkOfChecker[j])
        let h = plan.checks[c]
        let r = streams[c]
        let connectTimeout = h.protocol == .tcp ? Timeout.tcpConnect : Timeout.httpConnect
        let ok: Bool
        let took: Double
        if faults.isBlocked(check: c, from: plan.checkerRegion[j], at: now) {
            (ok, took) = (false, connectTimeout)
        } else {
            switch faults.condition(probedRegion(h, routing: routing), at: now) {
            case .down(.blackhole): (ok, took) = (false, connectTimeout)
            case .down(.refused): (ok, took) = (false, h.probeRTT.sample(r))
            case .unresponsive:
                // The connection opens but no byte comes: HTTP(S) fails at the first-byte timeout;
                // a TCP check only connects, so it passes.
                (ok, took) =
                    h.protocol == .tcp
                    ? (true, h.probeRTT.sample(r))
                    : (false, h.probeRTT.sample(r) + Timeout.httpFirstByte)
            case .partial(let p):
                (ok, took) = (!(r.bernoulli(p) || r.bernoulli(h.transientFailureProbability)), h.probeRTT.sample(r))
            case .ok: (ok, took) = (!r.bernoulli(h.transientFailureProbability), h.probeRTT.sample(r))
            }
        }
        try scheduler.schedule(.probeDone(checker: checker, ok: ok), after: SimTime(seconds: took))
    }

    /// A probe completes: the checker's state moves, the check reports a change of its aggregate, and
    /// the next probe follows `interval` later unless nothing can change any more.
    mutating func finishProbe(
        _ checker: Int32, ok: Bool, _ faults: FaultTimeline,
        scheduler: inout Scheduler<Event>
    ) throws(KernelError) {
        let now = scheduler.now.seconds
        let j = Int(checker)
        let c = Int(plan.checkOfChecker[j])
        let n = plan.checks[c].failureThreshold
        let before = CheckerChain.isHealthy(checkerState[j], threshold: n)
        checkerState[j] = plan.chains[c].next(checkerState[j], success: ok)
        let after = CheckerChain.isHealthy(checkerState[j], threshold: n)
        if before != after {
            healthyCount[c] += after ? 1 : -1
            viewChanges.append((scheduler.now.microseconds, Int32(j), after, Int32(healthyCount[c])))
            try report(c, faults, scheduler: &scheduler)
        }
        let next = now + plan.checks[c].interval
        if next <= plan.horizon.seconds && !settled(checker: j, check: c, at: now, faults) {
            try scheduler.schedule(.probeSend(checker: checker), at: SimTime(seconds: next))
        } else {
            probing[j] = false
        }
    }

    /// Whether enough of check `c`'s checkers see its endpoint healthy.
    func aggregateHealthy(_ c: Int) -> Bool { healthyCount[c] >= plan.minimumHealthy[c] }

    /// Sends a check's reported status towards DNS if it changed.
    mutating func report(_ c: Int, _ faults: FaultTimeline, scheduler: inout Scheduler<Event>) throws(KernelError) {
        let rep = reported(c, aggregateHealthy: aggregateHealthy(c), at: scheduler.now.seconds, faults)
        guard rep != reportedLast[c] else { return }
        reportedLast[c] = rep
        reportTimes[c].append(scheduler.now.microseconds)
        let delay = SimTime(seconds: plan.checks[c].statusToDNS.sample(streams[c]))
        let arrival = max(scheduler.now + delay, lastArrival[c])
        lastArrival[c] = arrival
        try scheduler.schedule(.statusReachesDNS(check: Int32(c), healthy: rep), at: arrival)
    }

    /// A check's status reaches Route 53's answers at `now`: records an answer change (under weighted
    /// and latency routing, any change of the records' health). Returns the signal that took effect.
    mutating func updateDNS(_ check: Int32, healthy: Bool, now: SimTime) -> FailoverModel.Signal {
        let c = Int(check)
        dnsHealthy[c] = healthy
        let signal = FailoverModel.Signal(
            detected: reportTimes[c][reportHead[c]], arrived: now.microseconds,
            viaLoadBalancer: false)
        reportHead[c] += 1
        let health = plan.records.map { r in r.healthCheck.map { dnsHealthy[$0] } ?? true }
        let a = currentAnswer()
        if plan.policy == .failover ? a != answer : health != recordHealth {
            changes.append(AnswerChange(signal: signal, target: a, health: health))
        }
        answer = a
        recordHealth = health
        return signal
    }

    /// Region `region` has just been activated: its checks' stopped checkers resume at a random phase.
    mutating func resume(region: Int, scheduler: inout Scheduler<Event>) throws(KernelError) {
        let now = scheduler.now.seconds
        for c in plan.checks.indices where plan.simulated[c] && plan.checks[c].target == region {
            for j in plan.firstChecker[c]..<(plan.firstChecker[c] + plan.checks[c].checkers) where !probing[j] {
                probing[j] = true
                let at = now + streams[c].uniform() * plan.checks[c].interval
                try scheduler.schedule(.probeSend(checker: Int32(j)), at: SimTime(seconds: at))
            }
        }
    }

    /// Failovers with nothing wrong behind them, among this replication's answer changes: DNS moving
    /// traffic down the failover order away from a region serving normally (under weighted and latency
    /// routing, any record turning unhealthy while its region serves normally).
    func falseFailovers(initialAnswer: Config.Target, _ faults: FaultTimeline) -> Int {
        var count = 0
        func order(_ t: Config.Target) -> Int { plan.records.firstIndex { $0.target == t } ?? 0 }
        var before = initialAnswer
        var health = initialHealth
        for ch in changes {
            let t = ModelTime.seconds(ch.time)
            if plan.policy == .failover {
                if order(ch.target) > order(before), case .region(let r) = before, faults.condition(r, at: t) == .ok {
                    count += 1
                }
            } else {
                for (k, rec) in plan.records.enumerated() where health[k] && !ch.health[k] {
                    if case .region(let r) = rec.target, faults.condition(r, at: t) == .ok { count += 1 }
                }
            }
            before = ch.target
            health = ch.health
        }
        return count
    }
}
