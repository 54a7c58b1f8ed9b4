import DRSimKernel

/// Route 53 health checks and the DNS answers (`Route53Checks`), the global load balancer's probers
/// (`LoadBalancerProbers`) and the activation of standby regions (`StandbyActivation`), driven by the
/// kernel on one fault timeline (docs/model.md: Topology, Health checks, DNS records, Global load
/// balancer). Each health signal that takes effect, in the DNS answers or in routing, may complete the
/// request to activate the standbys; an activation resumes the region's stopped checkers and prober.
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
            chains = checks.map {
                CheckerChain(threshold: $0.failureThreshold, failureProbability: $0.transientFailureProbability)
            }
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
    var route53: Route53Checks
    var probers: LoadBalancerProbers
    var standby: StandbyActivation

    /// A health signal as it reached what acts on it: when the status change or the load balancer's
    /// verdict happened, when it took effect (in DNS answers or routing) [µs], and which path it took.
    struct Signal: Equatable {
        var detected: Int64
        var arrived: Int64
        var viaLoadBalancer: Bool
    }

    /// A model drawing from the health checks', the load balancer's and the activations' streams.
    init(plan: Plan, streams: IncidentStreams) {
        self.plan = plan
        route53 = Route53Checks(plan: plan, streams: streams.healthChecks)
        probers = LoadBalancerProbers(plan: plan, stream: streams.loadBalancer)
        standby = StandbyActivation(plan: plan, streams: streams.activations)
        faults = FaultTimeline(regions: 0)
    }

    /// The failover answer in the DNS records now.
    var answer: Config.Target { route53.answer }

    mutating func start(faults f: FaultTimeline, scheduler: inout Scheduler<Event>) throws(KernelError) {
        faults = f
        standby.start()
        // The probers first: a check on the load balancer's address probes where it routes.
        try probers.start(faults, scheduler: &scheduler)
        try route53.start(faults, routing: probers.view, scheduler: &scheduler)
    }

    mutating func handle(_ event: Event, scheduler: inout Scheduler<Event>) throws(KernelError) {
        switch event {
        case .probeSend(let checker):
            try route53.sendProbe(checker, faults, routing: probers.view, scheduler: &scheduler)
        case .probeDone(let checker, let ok): try route53.finishProbe(checker, ok: ok, faults, scheduler: &scheduler)
        case .settingChanged(let check): try route53.report(Int(check), faults, scheduler: &scheduler)
        case .statusReachesDNS(let check, let healthy):
            let signal = route53.updateDNS(check, healthy: healthy, now: scheduler.now)
            try standby.check(signal, dnsHealthy: route53.dnsHealthy, routing: probers.view, scheduler: &scheduler)
        case .lbProbeSend(let backend): try probers.sendProbe(backend, faults, scheduler: &scheduler)
        case .lbProbeDone(let backend, let ok): try probers.finishProbe(backend, ok: ok, scheduler: &scheduler)
        case .lbReachesRouting(let backend, let healthy):
            let signal = probers.updateRouting(backend, healthy: healthy, now: scheduler.now)
            try standby.check(signal, dnsHealthy: route53.dnsHealthy, routing: probers.view, scheduler: &scheduler)
        case .activate(let region): try activate(Int(region), &scheduler)
        }
    }

    /// A standby region is activated: it serves from now on, and its checks' and prober's stopped
    /// probes resume at a random phase.
    mutating func activate(_ region: Int, _ scheduler: inout Scheduler<Event>) throws(KernelError) {
        faults.activatedAt[region] = scheduler.now.seconds
        try route53.resume(region: region, scheduler: &scheduler)
        try probers.resume(region: region, scheduler: &scheduler)
    }

    /// Failovers with nothing wrong behind them among this replication's answer changes
    /// (`Route53Checks.falseFailovers`).
    func falseFailovers(initialAnswer: Config.Target) -> Int {
        route53.falseFailovers(initialAnswer: initialAnswer, faults)
    }
}
