import DRSimKernel

/// The activation of standby regions (docs/model.md, "Topology"): once every active region is seen
/// unhealthy by every health signal about it (its DNS health checks, and the load balancer if it is
/// a backend), each standby region is activated after its own delay.
struct StandbyActivation {
    typealias Event = FailoverModel.Event
    let plan: FailoverModel.Plan
    /// One stream per region (`activation/<region>`).
    let streams: [RandomStream]
    /// Per region: whether its activation has been requested (regions that are not standbys count as
    /// requested from the start).
    var requested: [Bool] = []
    /// Per region: the health signal that completed the request to activate it, if one did.
    var signal: [FailoverModel.Signal?] = []

    init(plan: FailoverModel.Plan, streams: [RandomStream]) {
        self.plan = plan
        self.streams = streams
    }

    mutating func start() {
        requested = plan.regions.map { $0.activationDelay == nil }
        signal = Array(repeating: nil, count: plan.regions.count)
    }

    /// Requests the standby regions' activation if every active region is now seen unhealthy, after
    /// `signal` has just taken effect: `dnsHealthy` is each check's status in the DNS answers, and
    /// `routing` the load balancer's routing view.
    mutating func check(
        _ signal: FailoverModel.Signal, dnsHealthy: [Bool], routing: [Bool],
        scheduler: inout Scheduler<Event>
    ) throws(KernelError) {
        guard requested.contains(false) else { return }
        for (r, region) in plan.regions.enumerated() where region.role == .active {
            var signals = 0
            var unhealthy = 0
            for rec in plan.records {
                if rec.target == .region(r), let c = rec.healthCheck {
                    signals += 1
                    if !dnsHealthy[c] { unhealthy += 1 }
                }
            }
            if let lb = plan.loadBalancer, lb.backends.contains(r) {
                signals += 1
                if !routing[r] { unhealthy += 1 }
            }
            if signals == 0 || unhealthy < signals { return }
        }
        for (r, region) in plan.regions.enumerated() where !requested[r] {
            requested[r] = true
            self.signal[r] = signal
            let delay = region.activationDelay!.sample(streams[r])
            try scheduler.schedule(.activate(region: Int32(r)), after: SimTime(seconds: delay))
        }
    }
}
