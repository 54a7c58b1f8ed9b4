import DRSimKernel

/// Route 53 health checks and a failover record set, driven by the kernel (MODEL.md sections 4 and 5).
///
/// Every checker is a value in flat arrays; its only event is the completion of its probe in flight.
/// A probe's outcome is decided by the endpoint's state when the probe is sent, which the fault
/// timeline fixes in advance, so one event per probe suffices. Aggregate status changes reach DNS after
/// the status-to-DNS delay, in the order they happened.
struct FailoverModel: SimModel {
    enum Event {
        /// A checker's probe completed, with this outcome.
        case probeDone(checker: Int32, ok: Bool)
        /// A health check's reported status reaches the DNS answers.
        case statusReachesDNS(check: Int32, healthy: Bool)
    }

    /// What does not change between replications.
    struct Plan {
        var checks: [Config.HealthCheck]
        var chains: [CheckerChain]
        var minimumHealthy: [Int]
        /// Checks that need simulating: referenced by a record and not disabled.
        var simulated: [Bool]
        /// First checker index of each check in the flat arrays, and the total.
        var firstChecker: [Int]
        var checkerCount: Int
        var checkOfChecker: [Int32]
        var primary: Config.DNS.Record
        var secondary: Config.DNS.Record
        /// Probes are not started after this time [µs].
        var horizon: SimTime

        init(_ c: Config) {
            checks = c.healthChecks
            chains = checks.map { CheckerChain(threshold: $0.failureThreshold, failureProbability: $0.transientFailureProbability) }
            minimumHealthy = checks.map(\.minimumHealthy)
            let used = Set(c.dns.records.compactMap(\.healthCheck))
            let checks = self.checks
            let simulated = checks.indices.map { used.contains($0) && !checks[$0].disabled }
            self.simulated = simulated
            firstChecker = []
            checkOfChecker = []
            var n = 0
            for (i, h) in checks.enumerated() {
                firstChecker.append(n)
                if simulated[i] {
                    n += h.checkers
                    checkOfChecker += Array(repeating: Int32(i), count: h.checkers)
                }
            }
            checkerCount = n
            primary = c.dns.primary
            secondary = c.dns.secondary
            horizon = SimTime(seconds: c.horizon)
        }
    }

    let plan: Plan
    var faults: FaultTimeline
    /// One stream per health check (phases, outcomes, round trips, status-to-DNS delays).
    let streams: [RandomStream]

    var checkerState: [Int] = []
    var healthyCount: [Int] = []
    var reportedLast: [Bool] = []
    var lastArrival: [SimTime] = []
    var dnsHealthy: [Bool] = []
    var answer = 0
    /// Every change of the DNS answer: when [s] and to which region.
    var changes: [(time: Double, region: Int)] = []

    init(plan: Plan, streams: [RandomStream]) {
        self.plan = plan
        self.streams = streams
        faults = FaultTimeline(regions: 0)
    }

    /// The status a health check reports for an aggregate, after the disabled and inverted settings.
    func reported(_ check: Int, aggregateHealthy: Bool) -> Bool {
        let h = plan.checks[check]
        if h.disabled { return true }
        return h.inverted ? !aggregateHealthy : aggregateHealthy
    }

    /// The failover answer for the current DNS-visible health (Route 53 rules, MODEL.md section 5).
    func currentAnswer() -> Int {
        func healthy(_ r: Config.DNS.Record) -> Bool { r.healthCheck.map { dnsHealthy[$0] } ?? true }
        if healthy(plan.primary) { return plan.primary.target }
        if healthy(plan.secondary) { return plan.secondary.target }
        return plan.primary.target
    }

    /// Sets every checker in its stationary state and schedules its first probe completion.
    mutating func start(faults f: FaultTimeline, scheduler: inout Scheduler<Event>) throws(KernelError) {
        faults = f
        checkerState = Array(repeating: 0, count: plan.checkerCount)
        healthyCount = Array(repeating: 0, count: plan.checks.count)
        reportedLast = Array(repeating: true, count: plan.checks.count)
        lastArrival = Array(repeating: .zero, count: plan.checks.count)
        dnsHealthy = Array(repeating: true, count: plan.checks.count)
        changes.removeAll(keepingCapacity: true)
        for c in plan.checks.indices where plan.simulated[c] {
            let h = plan.checks[c], r = streams[c]
            if h.transientFailureProbability == 0 && upForTheRest(h.target, from: 0) {
                // Every probe succeeds until the horizon: each checker stays healthy, nothing to simulate.
                healthyCount[c] = h.checkers
                reportedLast[c] = reported(c, aggregateHealthy: true)
                dnsHealthy[c] = reportedLast[c]
                continue
            }
            let period = h.interval + h.probeRTT.mean
            for j in plan.firstChecker[c]..<(plan.firstChecker[c] + h.checkers) {
                let s = plan.chains[c].state(forUniform: plan.chains[c].failureProbability > 0 ? r.uniform() : 0)
                checkerState[j] = s
                if CheckerChain.isHealthy(s, threshold: h.failureThreshold) { healthyCount[c] += 1 }
                // Position in the probe cycle: x seconds since the last probe was sent. A probe sent
                // before t = 0 found the endpoint up; if still in flight, its result comes at rtt − x.
                let x = r.uniform() * period
                let rtt = h.probeRTT.mean
                if x < rtt {
                    try scheduler.schedule(.probeDone(checker: Int32(j), ok: !r.bernoulli(h.transientFailureProbability)),
                                           at: SimTime(seconds: rtt - x))
                } else {
                    try scheduleProbe(checker: j, check: c, sendAt: period - x, scheduler: &scheduler)
                }
            }
            let agg = healthyCount[c] >= plan.minimumHealthy[c]
            reportedLast[c] = reported(c, aggregateHealthy: agg)
            dnsHealthy[c] = reportedLast[c]
        }
        answer = currentAnswer()
    }

    /// True when region `r` is up from `t` to the horizon.
    func upForTheRest(_ r: Int, from t: Double) -> Bool {
        faults.downUntil[r] <= t || faults.downFrom[r] > plan.horizon.seconds
    }

    /// True when no later probe can change the checker's state: its endpoint is down until the
    /// horizon and it is already unhealthy (failures keep it so), or its endpoint is up until the
    /// horizon, probes never fail on their own, and it is healthy with no failure counted. Its later
    /// probes are then not simulated; this changes no result.
    func settled(checker j: Int, check c: Int, at t: Double) -> Bool {
        let h = plan.checks[c], s = checkerState[j]
        if faults.downFrom[h.target] <= t && faults.downUntil[h.target] > plan.horizon.seconds {
            return !CheckerChain.isHealthy(s, threshold: h.failureThreshold)
        }
        return s == 0 && h.transientFailureProbability == 0 && upForTheRest(h.target, from: t)
    }

    /// Sends a probe at `sendAt` [s]: its outcome is the endpoint's state then; its completion is an event.
    mutating func scheduleProbe(checker j: Int, check c: Int, sendAt: Double, scheduler: inout Scheduler<Event>) throws(KernelError) {
        let send = SimTime(seconds: sendAt)
        guard send <= plan.horizon else { return }
        let h = plan.checks[c], r = streams[c]
        let ok: Bool
        let took: Double
        if faults.isDown(h.target, at: sendAt) {
            ok = false
            switch faults.mode[h.target] {
            case .blackhole: took = h.protocol == .tcp ? 10 : 4   // connect timeout
            case .refused: took = h.probeRTT.sample(r)            // refused in one round trip
            }
        } else {
            ok = !r.bernoulli(h.transientFailureProbability)
            took = h.probeRTT.sample(r)
        }
        try scheduler.schedule(.probeDone(checker: Int32(j), ok: ok), at: send + SimTime(seconds: took))
    }

    mutating func handle(_ event: Event, scheduler: inout Scheduler<Event>) throws(KernelError) {
        switch event {
        case let .probeDone(checker, ok):
            let j = Int(checker), c = Int(plan.checkOfChecker[j])
            let n = plan.checks[c].failureThreshold
            let before = CheckerChain.isHealthy(checkerState[j], threshold: n)
            checkerState[j] = plan.chains[c].next(checkerState[j], success: ok)
            let after = CheckerChain.isHealthy(checkerState[j], threshold: n)
            if before != after {
                healthyCount[c] += after ? 1 : -1
                let rep = reported(c, aggregateHealthy: healthyCount[c] >= plan.minimumHealthy[c])
                if rep != reportedLast[c] {
                    reportedLast[c] = rep
                    let delay = SimTime(seconds: plan.checks[c].statusToDNS.sample(streams[c]))
                    let arrival = max(scheduler.now + delay, lastArrival[c])
                    lastArrival[c] = arrival
                    try scheduler.schedule(.statusReachesDNS(check: Int32(c), healthy: rep), at: arrival)
                }
            }
            if !settled(checker: j, check: c, at: scheduler.now.seconds) {
                try scheduleProbe(checker: j, check: c, sendAt: scheduler.now.seconds + plan.checks[c].interval, scheduler: &scheduler)
            }
        case let .statusReachesDNS(check, healthy):
            dnsHealthy[Int(check)] = healthy
            let a = currentAnswer()
            if a != answer {
                answer = a
                changes.append((scheduler.now.seconds, a))
            }
        }
    }
}
