import DRSimKernel

/// One change of the load balancer's routing view, with the health signal behind it.
struct RoutingChange {
    /// The probers' verdict behind it: when they reached it, and when routing followed [µs].
    var signal: FailoverModel.Signal
    var backend: Int
    var healthy: Bool

    /// When routing changed [µs].
    var time: Int64 { signal.arrived }
}

/// The global load balancer's probers and the routing view they drive (docs/model.md, "Global load
/// balancer"). Probers probe start to start; enough consecutive results against their verdict flip
/// it, and routing follows after the reprogramming delay, in order. A prober stops once nothing can
/// change its verdict any more.
struct LoadBalancerProbers {
    typealias Event = FailoverModel.Event
    let loadBalancer: Config.LoadBalancer?
    let regions: Int
    let horizon: SimTime
    /// The `loadbalancer` stream.
    let stream: RandomStream

    /// Per backend: consecutive probe results against the probers' current verdict.
    var state: [Int] = []
    /// The probers' verdict per backend.
    var healthy: [Bool] = []
    /// What routing uses per backend.
    var view: [Bool] = []
    var lastArrival: [SimTime] = []
    /// Whether a backend's prober has a probe event pending; a settled one has none.
    var probing: [Bool] = []
    /// Every change of the routing view, in time order.
    var changes: [RoutingChange] = []
    /// Per backend, when each verdict still being reprogrammed was reached [µs], oldest first.
    var verdictTimes: [[Int64]] = []
    var verdictHead: [Int] = []
    var initialView: [Bool] = []

    init(plan: FailoverModel.Plan, stream: RandomStream) {
        loadBalancer = plan.loadBalancer
        regions = plan.regions.count
        horizon = plan.horizon
        self.stream = stream
    }

    /// Starts every prober at a random phase of its cycle, with the verdict the condition just
    /// before t = 0 gives.
    mutating func start(_ faults: FaultTimeline, scheduler: inout Scheduler<Event>) throws(KernelError) {
        changes.removeAll(keepingCapacity: true)
        verdictTimes = Array(repeating: [], count: regions)
        verdictHead = Array(repeating: 0, count: regions)
        guard let lb = loadBalancer else { return }
        let before = -1e-6  // just before t = 0: faults start at 0 or later
        state = Array(repeating: 0, count: regions)
        healthy = Array(repeating: true, count: regions)
        lastArrival = Array(repeating: .zero, count: regions)
        probing = Array(repeating: false, count: regions)
        for b in lb.backends {
            probing[b] = true
            if faults.condition(b, at: before).isDown { healthy[b] = false }
            let x = stream.uniform() * lb.checkInterval
            try scheduler.schedule(.lbProbeSend(backend: Int32(b)), at: SimTime(seconds: lb.checkInterval - x))
        }
        view = healthy
        initialView = view
    }

    /// A prober sends a probe (Google Cloud probes start to start, every interval).
    mutating func sendProbe(
        _ backend: Int32, _ faults: FaultTimeline,
        scheduler: inout Scheduler<Event>
    ) throws(KernelError) {
        guard let lb = loadBalancer else { return }
        let now = scheduler.now.seconds
        let b = Int(backend)
        let ok: Bool
        let took: Double
        let cond = faults.condition(b, at: now)
        switch cond {
        case .down(.blackhole), .unresponsive: (ok, took) = (false, lb.timeout)
        case .down(.refused): (ok, took) = (false, lb.probeRTT.sample(stream))
        case .partial(let p): (ok, took) = (!stream.bernoulli(p), lb.probeRTT.sample(stream))
        case .ok: (ok, took) = (true, lb.probeRTT.sample(stream))
        }
        try scheduler.schedule(.lbProbeDone(backend: backend, ok: ok), after: SimTime(seconds: min(took, lb.timeout)))
        let next = now + lb.checkInterval
        // Nothing can change once the backend's condition is fixed to the horizon and the probers'
        // verdict already matches it (partial failures keep probing: their outcomes are random).
        let settled =
            state[b] == 0 && faults.isStable(region: b, after: now)
            && (cond.isDown || cond == .unresponsive ? !healthy[b] : cond == .ok && healthy[b])
        if next <= horizon.seconds && !settled {
            try scheduler.schedule(.lbProbeSend(backend: backend), at: SimTime(seconds: next))
        } else {
            probing[b] = false
        }
    }

    /// A probe completes: `state` counts consecutive results against the probers' verdict; enough of
    /// them flip it, and routing follows after the reprogramming delay, in order.
    mutating func finishProbe(_ backend: Int32, ok: Bool, scheduler: inout Scheduler<Event>) throws(KernelError) {
        guard let lb = loadBalancer else { return }
        let b = Int(backend)
        if ok == healthy[b] {
            state[b] = 0
            return
        }
        state[b] += 1
        guard state[b] >= (healthy[b] ? lb.unhealthyThreshold : lb.healthyThreshold) else { return }
        healthy[b] = ok
        state[b] = 0
        verdictTimes[b].append(scheduler.now.microseconds)
        let arrival = max(scheduler.now + SimTime(seconds: lb.reprogramming.sample(stream)), lastArrival[b])
        lastArrival[b] = arrival
        try scheduler.schedule(.lbReachesRouting(backend: backend, healthy: ok), at: arrival)
    }

    /// Routing follows a backend's new verdict at `now`. Returns the signal that took effect.
    mutating func updateRouting(_ backend: Int32, healthy: Bool, now: SimTime) -> FailoverModel.Signal {
        let b = Int(backend)
        let signal = FailoverModel.Signal(
            detected: verdictTimes[b][verdictHead[b]], arrived: now.microseconds,
            viaLoadBalancer: true)
        verdictHead[b] += 1
        if view[b] != healthy {
            view[b] = healthy
            changes.append(RoutingChange(signal: signal, backend: b, healthy: healthy))
        }
        return signal
    }

    /// Region `region` has just been activated: its stopped prober resumes at a random phase.
    mutating func resume(region: Int, scheduler: inout Scheduler<Event>) throws(KernelError) {
        guard let lb = loadBalancer, lb.backends.contains(region), !probing[region] else { return }
        probing[region] = true
        let at = scheduler.now.seconds + stream.uniform() * lb.checkInterval
        try scheduler.schedule(.lbProbeSend(backend: Int32(region)), at: SimTime(seconds: at))
    }
}
