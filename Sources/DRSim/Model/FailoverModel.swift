import DRSimKernel

/// Route 53 health checks, the failover record set, the global load balancer's probers and the
/// activation of standby regions, driven by the kernel (docs/model.md: Topology, Health checks, DNS records, Global load balancer).
///
/// Checkers and probers are values in flat arrays. A probe's outcome is the endpoint's condition when
/// the probe is sent. Status changes reach DNS (or the load balancer's routing) after their delay, in
/// the order they happened. A checker stops probing once no later probe can change its state.
struct FailoverModel: SimModel {
    enum Event {
        case probeSend(checker: Int32)
        case probeDone(checker: Int32, ok: Bool)
        case statusReachesDNS(check: Int32, healthy: Bool)
        /// A health check's disabled setting changes (a `health_check_disabled` fault starts or ends).
        case settingChanged(check: Int32)
        case lbProbeSend(backend: Int32)
        case lbProbeDone(backend: Int32, ok: Bool)
        case lbReachesRouting(backend: Int32, healthy: Bool)
        case activate(region: Int32)
    }

    /// What does not change between replications.
    struct Plan {
        var checks: [Config.HealthCheck]
        var chains: [CheckerChain]
        var minimumHealthy: [Int]
        var simulated: [Bool]
        var firstChecker: [Int]
        var checkerCount: Int
        var checkOfChecker: [Int32]
        var checkerRegion: [String]
        var records: [Config.DNS.Record]
        var policy: Config.DNS.Policy
        var regions: [Config.Region]
        var loadBalancer: Config.LoadBalancer?
        var horizon: SimTime

        init(_ c: Config) {
            checks = c.healthChecks
            chains = checks.map { CheckerChain(threshold: $0.failureThreshold, failureProbability: $0.transientFailureProbability) }
            minimumHealthy = checks.map(\.minimumHealthy)
            let used = Set(c.dns.records.compactMap(\.healthCheck))
            let checks = self.checks
            simulated = checks.indices.map { used.contains($0) }
            firstChecker = []
            checkOfChecker = []
            checkerRegion = []
            var n = 0
            for (i, h) in checks.enumerated() {
                firstChecker.append(n)
                if simulated[i] {
                    n += h.checkers
                    checkOfChecker += Array(repeating: Int32(i), count: h.checkers)
                    checkerRegion += (0..<h.checkers).map { h.checkerRegions[$0 % h.checkerRegions.count] }
                }
            }
            checkerCount = n
            records = c.dns.records
            policy = c.dns.policy
            regions = c.regions
            loadBalancer = c.loadBalancer
            horizon = SimTime(seconds: c.horizon)
        }
    }

    let plan: Plan
    var faults: FaultTimeline
    /// One stream per health check; one for the load balancer; one per region for its activation.
    let streams: [RandomStream]
    let lbStream: RandomStream
    let activationStreams: [RandomStream]

    var checkerState: [Int] = []
    /// Whether a checker (prober) has a probe event pending; a settled one has none.
    var probing: [Bool] = []
    var lbProbing: [Bool] = []
    var healthyCount: [Int] = []
    var reportedLast: [Bool] = []
    var lastArrival: [SimTime] = []
    var dnsHealthy: [Bool] = []
    var answer = Config.Target.region(0)
    /// The DNS-visible health of each record (records without a check are healthy).
    var recordHealth: [Bool] = []
    /// Every change of the DNS answers: when [µs], the failover answer, and every record's health.
    /// Under failover, only changes of the answer count; under weighted and latency routing, every
    /// change of the records' health does.
    var changes: [(time: Int64, target: Config.Target, health: [Bool])] = []
    /// For each answer change, when Route 53's status change behind it happened [µs] (the status then
    /// took the status-to-DNS delay to reach the answers).
    var changeDetected: [Int64] = []
    var initialHealth: [Bool] = []
    /// Per check, when each status change still on its way to DNS happened [µs], oldest first.
    var reportTimes: [[Int64]] = []
    var reportHead: [Int] = []

    /// Per backend: consecutive probe results against the probers' current verdict.
    var lbState: [Int] = []
    var lbHealthy: [Bool] = []       // the probers' verdict
    var lbView: [Bool] = []          // what routing uses
    var lbLastArrival: [SimTime] = []
    /// Every change of the load balancer's routing view: when [µs], which backend, healthy or not.
    var lbChanges: [(time: Int64, backend: Int, healthy: Bool)] = []
    /// For each routing change, when the probers reached the verdict behind it [µs].
    var lbChangeDetected: [Int64] = []
    /// Per backend, when each verdict still being reprogrammed was reached [µs], oldest first.
    var verdictTimes: [[Int64]] = []
    var verdictHead: [Int] = []
    var lbInitialView: [Bool] = []
    /// Every change of a checker's view (a few per incident): when [µs], which checker, healthy or not,
    /// and how many of its check's checkers then saw the endpoint healthy (read by the incident trace).
    var viewChanges: [(time: Int64, checker: Int32, healthy: Bool, healthyCount: Int32)] = []
    var activationRequested: [Bool] = []
    /// Per region: the health signal that completed the request to activate it, if one did.
    var activationSignal: [Signal?] = []

    /// A health signal as it reached what acts on it: when the status change or the load balancer's
    /// verdict happened, when it took effect (in DNS answers or routing) [µs], and which path it took.
    struct Signal: Equatable {
        var detected: Int64
        var arrived: Int64
        var viaLoadBalancer: Bool
    }

    init(plan: Plan, streams: [RandomStream], lbStream: RandomStream, activationStreams: [RandomStream]) {
        self.plan = plan
        self.streams = streams
        self.lbStream = lbStream
        self.activationStreams = activationStreams
        faults = FaultTimeline(regions: 0)
    }

    func reported(_ check: Int, aggregateHealthy: Bool, at t: Double) -> Bool {
        let h = plan.checks[check]
        if h.disabled || faults.isDisabled(check: check, at: t) { return true }
        return h.inverted ? !aggregateHealthy : aggregateHealthy
    }

    /// The failover answer: the first record that is healthy (or has no check); the primary if none.
    func currentAnswer() -> Config.Target {
        for r in plan.records where r.healthCheck.map({ dnsHealthy[$0] }) ?? true { return r.target }
        return plan.records[0].target
    }

    /// The region a check's probe reaches at this moment: its target, or for a check on the load
    /// balancer's address the first backend that the load balancer routes to (any, when it fails open).
    func probedRegion(_ h: Config.HealthCheck) -> Int {
        guard h.targetsLoadBalancer, let lb = plan.loadBalancer else { return h.target }
        return lb.backends.first { lbView[$0] } ?? lb.backends[0]
    }

    /// True when the condition makes every probe of this checker fail, with no chance involved.
    func failsSurely(_ cond: FaultTimeline.Condition, _ h: Config.HealthCheck) -> Bool {
        switch cond {
        case .down: true
        case .unresponsive: h.protocol != .tcp
        default: false
        }
    }

    mutating func start(faults f: FaultTimeline, scheduler: inout Scheduler<Event>) throws(KernelError) {
        faults = f
        checkerState = Array(repeating: 0, count: plan.checkerCount)
        probing = Array(repeating: false, count: plan.checkerCount)
        healthyCount = Array(repeating: 0, count: plan.checks.count)
        reportedLast = Array(repeating: true, count: plan.checks.count)
        lastArrival = Array(repeating: .zero, count: plan.checks.count)
        dnsHealthy = Array(repeating: true, count: plan.checks.count)
        changes.removeAll(keepingCapacity: true)
        changeDetected.removeAll(keepingCapacity: true)
        lbChanges.removeAll(keepingCapacity: true)
        lbChangeDetected.removeAll(keepingCapacity: true)
        viewChanges.removeAll(keepingCapacity: true)
        reportTimes = Array(repeating: [], count: plan.checks.count)
        reportHead = Array(repeating: 0, count: plan.checks.count)
        verdictTimes = Array(repeating: [], count: plan.regions.count)
        verdictHead = Array(repeating: 0, count: plan.regions.count)
        activationRequested = plan.regions.map { $0.activationDelay == nil }
        activationSignal = Array(repeating: nil, count: plan.regions.count)
        let before = -1e-6   // just before t = 0: faults start at 0 or later
        if let lb = plan.loadBalancer {
            let n = plan.regions.count
            lbState = Array(repeating: 0, count: n)
            lbHealthy = Array(repeating: true, count: n)
            lbLastArrival = Array(repeating: .zero, count: n)
            lbProbing = Array(repeating: false, count: n)
            for b in lb.backends {
                lbProbing[b] = true
                if faults.condition(b, at: before).isDown { lbHealthy[b] = false }
                let x = lbStream.uniform() * lb.checkInterval
                try scheduler.schedule(.lbProbeSend(backend: Int32(b)), at: SimTime(seconds: lb.checkInterval - x))
            }
            lbView = lbHealthy
            lbInitialView = lbView
        }
        for c in plan.checks.indices where plan.simulated[c] {
            let h = plan.checks[c], r = streams[c]
            let cond0 = faults.condition(probedRegion(h), at: before)
            let quiet = h.transientFailureProbability == 0 && cond0 == .ok && !h.targetsLoadBalancer
                && faults.isStable(region: h.target, check: c, after: before)
            for j in plan.firstChecker[c]..<(plan.firstChecker[c] + h.checkers) {
                // A checker that has run for long: unhealthy if its endpoint has been failing, else in
                // its stationary state under transient failures.
                let s = failsSurely(cond0, h) ? h.failureThreshold
                    : plan.chains[c].state(forUniform: plan.chains[c].failureProbability > 0 ? r.uniform() : 0)
                checkerState[j] = s
                if CheckerChain.isHealthy(s, threshold: h.failureThreshold) { healthyCount[c] += 1 }
                if quiet { continue }   // every probe would succeed until the horizon
                probing[j] = true
                // Position in the probe cycle: x seconds since the last probe was sent.
                let rtt = h.probeRTT.mean
                let x = r.uniform() * (h.interval + rtt)
                if x < rtt {
                    try scheduler.schedule(.probeDone(checker: Int32(j), ok: !failsSurely(cond0, h) && !r.bernoulli(h.transientFailureProbability)),
                                           at: SimTime(seconds: rtt - x))
                } else {
                    try scheduler.schedule(.probeSend(checker: Int32(j)), at: SimTime(seconds: h.interval + rtt - x))
                }
            }
            reportedLast[c] = reported(c, aggregateHealthy: healthyCount[c] >= plan.minimumHealthy[c], at: before)
            dnsHealthy[c] = reportedLast[c]
            for t in faults.edges(check: c) where t >= 0 && t <= plan.horizon.seconds {
                try scheduler.schedule(.settingChanged(check: Int32(c)), at: SimTime(seconds: t))
            }
        }
        answer = currentAnswer()
        recordHealth = plan.records.map { r in r.healthCheck.map { dnsHealthy[$0] } ?? true }
        initialHealth = recordHealth

    }

    /// True when no later probe can change the checker's state (its later probes are not simulated;
    /// this changes no result).
    func settled(checker j: Int, check c: Int, at t: Double) -> Bool {
        let h = plan.checks[c], s = checkerState[j]
        guard !h.targetsLoadBalancer, faults.isStable(region: h.target, check: c, after: t) else { return false }
        if faults.isBlocked(check: c, from: plan.checkerRegion[j], at: t) { return !CheckerChain.isHealthy(s, threshold: h.failureThreshold) }
        let cond = faults.condition(h.target, at: t)
        if failsSurely(cond, h) { return !CheckerChain.isHealthy(s, threshold: h.failureThreshold) }
        if cond == .ok || cond == .unresponsive { return s == 0 && h.transientFailureProbability == 0 }
        return false
    }

    mutating func handle(_ event: Event, scheduler: inout Scheduler<Event>) throws(KernelError) {
        switch event {
        case let .probeSend(checker): try sendProbe(checker, &scheduler)
        case let .probeDone(checker, ok): try finishProbe(checker, ok: ok, &scheduler)
        case let .settingChanged(check): try report(Int(check), scheduler: &scheduler)
        case let .statusReachesDNS(check, healthy): try updateDNS(check, healthy: healthy, &scheduler)
        case let .lbProbeSend(backend): try sendLoadBalancerProbe(backend, &scheduler)
        case let .lbProbeDone(backend, ok): try finishLoadBalancerProbe(backend, ok: ok, &scheduler)
        case let .lbReachesRouting(backend, healthy): try updateRouting(backend, healthy: healthy, &scheduler)
        case let .activate(region): try activate(region, &scheduler)
        }
    }

    /// Route 53's probe timeouts (docs/model.md, "Health checks"; Route 53 Developer Guide, "How Amazon
    /// Route 53 determines whether a health check is healthy"): an HTTP(S) probe must connect within 4 s
    /// and get its first byte within 2 s more; a TCP probe must connect within 10 s.
    enum Route53Timeout {
        static let httpConnect = 4.0
        static let httpFirstByte = 2.0
        static let tcpConnect = 10.0
    }

    /// A checker sends a probe: its outcome is the endpoint's condition now, known when it completes.
    mutating func sendProbe(_ checker: Int32, _ scheduler: inout Scheduler<Event>) throws(KernelError) {
        let now = scheduler.now.seconds
        let j = Int(checker), c = Int(plan.checkOfChecker[j])
        let h = plan.checks[c], r = streams[c]
        let connectTimeout = h.protocol == .tcp ? Route53Timeout.tcpConnect : Route53Timeout.httpConnect
        let ok: Bool, took: Double
        if faults.isBlocked(check: c, from: plan.checkerRegion[j], at: now) {
            (ok, took) = (false, connectTimeout)
        } else {
            switch faults.condition(probedRegion(h), at: now) {
            case .down(.blackhole): (ok, took) = (false, connectTimeout)
            case .down(.refused): (ok, took) = (false, h.probeRTT.sample(r))
            case .unresponsive:
                // The connection opens but no byte comes: HTTP(S) fails at the first-byte timeout;
                // a TCP check only connects, so it passes.
                (ok, took) = h.protocol == .tcp ? (true, h.probeRTT.sample(r)) : (false, h.probeRTT.sample(r) + Route53Timeout.httpFirstByte)
            case let .partial(p): (ok, took) = (!(r.bernoulli(p) || r.bernoulli(h.transientFailureProbability)), h.probeRTT.sample(r))
            case .ok: (ok, took) = (!r.bernoulli(h.transientFailureProbability), h.probeRTT.sample(r))
            }
        }
        try scheduler.schedule(.probeDone(checker: checker, ok: ok), after: SimTime(seconds: took))
    }

    /// A probe completes: the checker's state moves, the check reports a change of its aggregate, and
    /// the next probe follows `interval` later unless nothing can change any more.
    mutating func finishProbe(_ checker: Int32, ok: Bool, _ scheduler: inout Scheduler<Event>) throws(KernelError) {
        let now = scheduler.now.seconds
        let j = Int(checker), c = Int(plan.checkOfChecker[j])
        let n = plan.checks[c].failureThreshold
        let before = CheckerChain.isHealthy(checkerState[j], threshold: n)
        checkerState[j] = plan.chains[c].next(checkerState[j], success: ok)
        let after = CheckerChain.isHealthy(checkerState[j], threshold: n)
        if before != after {
            healthyCount[c] += after ? 1 : -1
            viewChanges.append((scheduler.now.microseconds, Int32(j), after, Int32(healthyCount[c])))
            try report(c, scheduler: &scheduler)
        }
        let next = now + plan.checks[c].interval
        if next <= plan.horizon.seconds && !settled(checker: j, check: c, at: now) {
            try scheduler.schedule(.probeSend(checker: checker), at: SimTime(seconds: next))
        } else {
            probing[j] = false
        }
    }

    /// A check's status reaches Route 53's answers: record an answer change (under weighted and latency
    /// routing, any change of the records' health).
    mutating func updateDNS(_ check: Int32, healthy: Bool, _ scheduler: inout Scheduler<Event>) throws(KernelError) {
        let c = Int(check)
        dnsHealthy[c] = healthy
        let signal = Signal(detected: reportTimes[c][reportHead[c]], arrived: scheduler.now.microseconds, viaLoadBalancer: false)
        reportHead[c] += 1
        let health = plan.records.map { r in r.healthCheck.map { dnsHealthy[$0] } ?? true }
        let a = currentAnswer()
        if plan.policy == .failover ? a != answer : health != recordHealth {
            changes.append((scheduler.now.microseconds, a, health))
            changeDetected.append(signal.detected)
        }
        answer = a
        recordHealth = health
        try checkActivation(signal, scheduler: &scheduler)
    }

    /// A load-balancer prober sends a probe (Google Cloud probes start to start, every interval).
    mutating func sendLoadBalancerProbe(_ backend: Int32, _ scheduler: inout Scheduler<Event>) throws(KernelError) {
        guard let lb = plan.loadBalancer else { return }
        let now = scheduler.now.seconds
        let b = Int(backend)
        let ok: Bool, took: Double
        let cond = faults.condition(b, at: now)
        switch cond {
        case .down(.blackhole), .unresponsive: (ok, took) = (false, lb.timeout)
        case .down(.refused): (ok, took) = (false, lb.probeRTT.sample(lbStream))
        case let .partial(p): (ok, took) = (!lbStream.bernoulli(p), lb.probeRTT.sample(lbStream))
        case .ok: (ok, took) = (true, lb.probeRTT.sample(lbStream))
        }
        try scheduler.schedule(.lbProbeDone(backend: backend, ok: ok), after: SimTime(seconds: min(took, lb.timeout)))
        let next = now + lb.checkInterval
        // Nothing can change once the backend's condition is fixed to the horizon and the probers'
        // verdict already matches it (partial failures keep probing: their outcomes are random).
        let settledLB = lbState[b] == 0 && faults.isStable(region: b, after: now) && (
            cond.isDown || cond == .unresponsive ? !lbHealthy[b] : cond == .ok && lbHealthy[b])
        if next <= plan.horizon.seconds && !settledLB {
            try scheduler.schedule(.lbProbeSend(backend: backend), at: SimTime(seconds: next))
        } else {
            lbProbing[b] = false
        }
    }

    /// A load-balancer probe completes: `lbState` counts consecutive results against the probers'
    /// verdict; enough of them flip it, and routing follows after the reprogramming delay, in order.
    mutating func finishLoadBalancerProbe(_ backend: Int32, ok: Bool, _ scheduler: inout Scheduler<Event>) throws(KernelError) {
        guard let lb = plan.loadBalancer else { return }
        let b = Int(backend)
        if ok == lbHealthy[b] {
            lbState[b] = 0
            return
        }
        lbState[b] += 1
        guard lbState[b] >= (lbHealthy[b] ? lb.unhealthyThreshold : lb.healthyThreshold) else { return }
        lbHealthy[b] = ok
        lbState[b] = 0
        verdictTimes[b].append(scheduler.now.microseconds)
        let arrival = max(scheduler.now + SimTime(seconds: lb.reprogramming.sample(lbStream)), lbLastArrival[b])
        lbLastArrival[b] = arrival
        try scheduler.schedule(.lbReachesRouting(backend: backend, healthy: ok), at: arrival)
    }

    /// The load balancer's routing follows a backend's new verdict.
    mutating func updateRouting(_ backend: Int32, healthy: Bool, _ scheduler: inout Scheduler<Event>) throws(KernelError) {
        let b = Int(backend)
        let signal = Signal(detected: verdictTimes[b][verdictHead[b]], arrived: scheduler.now.microseconds, viaLoadBalancer: true)
        verdictHead[b] += 1
        if lbView[b] != healthy {
            lbView[b] = healthy
            lbChanges.append((scheduler.now.microseconds, b, healthy))
            lbChangeDetected.append(signal.detected)
        }
        try checkActivation(signal, scheduler: &scheduler)
    }

    /// A standby region is activated: it serves from now on, and its checks' and prober's stopped
    /// probes resume at a random phase.
    mutating func activate(_ region: Int32, _ scheduler: inout Scheduler<Event>) throws(KernelError) {
        let now = scheduler.now.seconds
        faults.activatedAt[Int(region)] = now
        for c in plan.checks.indices where plan.simulated[c] && plan.checks[c].target == Int(region) {
            for j in plan.firstChecker[c]..<(plan.firstChecker[c] + plan.checks[c].checkers) where !probing[j] {
                probing[j] = true
                try scheduler.schedule(.probeSend(checker: Int32(j)), at: SimTime(seconds: now + streams[c].uniform() * plan.checks[c].interval))
            }
        }
        if let lb = plan.loadBalancer, lb.backends.contains(Int(region)), !lbProbing[Int(region)] {
            lbProbing[Int(region)] = true
            try scheduler.schedule(.lbProbeSend(backend: region), at: SimTime(seconds: now + lbStream.uniform() * lb.checkInterval))
        }
    }

    /// Failovers with nothing wrong behind them, among this replication's answer changes: DNS moving
    /// traffic down the failover order away from a region serving normally (under weighted and latency
    /// routing, any record turning unhealthy while its region serves normally).
    func falseFailovers(initialAnswer: Config.Target) -> Int {
        var count = 0
        func order(_ t: Config.Target) -> Int { plan.records.firstIndex { $0.target == t } ?? 0 }
        var before = initialAnswer
        var health = initialHealth
        for ch in changes {
            let t = ModelTime.seconds(ch.time)
            if plan.policy == .failover {
                if order(ch.target) > order(before), case let .region(r) = before, faults.condition(r, at: t) == .ok { count += 1 }
            } else {
                for (k, rec) in plan.records.enumerated() where health[k] && !ch.health[k] {
                    if case let .region(r) = rec.target, faults.condition(r, at: t) == .ok { count += 1 }
                }
            }
            before = ch.target
            health = ch.health
        }
        return count
    }

    /// Sends a check's reported status towards DNS if it changed.
    mutating func report(_ c: Int, scheduler: inout Scheduler<Event>) throws(KernelError) {
        let rep = reported(c, aggregateHealthy: healthyCount[c] >= plan.minimumHealthy[c], at: scheduler.now.seconds)
        guard rep != reportedLast[c] else { return }
        reportedLast[c] = rep
        reportTimes[c].append(scheduler.now.microseconds)
        let delay = SimTime(seconds: plan.checks[c].statusToDNS.sample(streams[c]))
        let arrival = max(scheduler.now + delay, lastArrival[c])
        lastArrival[c] = arrival
        try scheduler.schedule(.statusReachesDNS(check: Int32(c), healthy: rep), at: arrival)
    }

    /// Activates standby regions once every active region is seen unhealthy by every health signal
    /// about it (its DNS health checks, and the load balancer if it is a backend). `signal` is the one
    /// that has just taken effect.
    mutating func checkActivation(_ signal: Signal, scheduler: inout Scheduler<Event>) throws(KernelError) {
        guard activationRequested.contains(false) else { return }
        for (r, region) in plan.regions.enumerated() where region.role == .active {
            var signals = 0, unhealthy = 0
            for rec in plan.records {
                if rec.target == .region(r), let c = rec.healthCheck {
                    signals += 1
                    if !dnsHealthy[c] { unhealthy += 1 }
                }
            }
            if let lb = plan.loadBalancer, lb.backends.contains(r) {
                signals += 1
                if !lbView[r] { unhealthy += 1 }
            }
            if signals == 0 || unhealthy < signals { return }
        }
        for (r, region) in plan.regions.enumerated() where !activationRequested[r] {
            activationRequested[r] = true
            activationSignal[r] = signal
            let delay = region.activationDelay!.sample(activationStreams[r])
            try scheduler.schedule(.activate(region: Int32(r)), after: SimTime(seconds: delay))
        }
    }
}
