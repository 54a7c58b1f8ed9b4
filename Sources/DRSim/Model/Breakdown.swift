import DRSimKernel

/// An incident's `rto_s` split into the stages along the path that decided it (docs/model.md, "RTO
/// by stage").
///
/// The RTO is the start of the step at which s(t) reached the success target for good; something
/// happened at that instant: a cohort of clients moved to a new DNS answer, the load balancer's
/// routing changed, a standby region was activated or finished scaling up, writes were repointed, or a
/// fault ended. That event is the end of a chain that starts at the fault, and each link of the chain
/// is a stage. For a cohort's move: Route 53 saw the failure (detection), the status reached the DNS
/// answers (propagation), the cohort's resolver let go of the old answer (resolver cache), then the
/// client's own cache (client cache), then the open connection ended (connection). The stages are laid
/// end to end from t = 0; what lies before the last drop of s(t) below the target (earlier faults, and
/// the recoveries between them) is a stage of its own (before the last drop), 0 in an incident with one
/// drop, and the chain's stages count only their part after it. Times are whole microseconds, so the
/// stages sum to the RTO exactly.
public struct RTOBreakdown: Sendable, Equatable {
    public enum Stage: Int, CaseIterable, Sendable {
        case detection, propagation, resolverCache, clientCache, connection, lbReprogramming, activation, scaleUp,
            repointing, outage, beforeLastDrop

        /// The column of `breakdown.csv`.
        public var column: String {
            switch self {
            case .detection: "detection_s"
            case .propagation: "propagation_s"
            case .resolverCache: "resolver_cache_s"
            case .clientCache: "client_cache_s"
            case .connection: "connection_s"
            case .lbReprogramming: "lb_reprogramming_s"
            case .activation: "activation_s"
            case .scaleUp: "scale_up_s"
            case .repointing: "repointing_s"
            case .outage: "outage_s"
            case .beforeLastDrop: "before_last_drop_s"
            }
        }

        /// In words, for the summary.
        public var label: String {
            switch self {
            case .detection: "detection (health checks)"
            case .propagation: "status to DNS"
            case .resolverCache: "resolver caches"
            case .clientCache: "client caches"
            case .connection: "open connections"
            case .lbReprogramming: "load balancer reprogramming"
            case .activation: "standby activation"
            case .scaleUp: "capacity scale-up"
            case .repointing: "write repointing"
            case .outage: "waiting for the fault to end"
            case .beforeLastDrop: "before the last drop"
            }
        }
    }

    /// What happened at the RTO instant.
    public enum Decider: String, Sendable {
        case dnsMove = "dns_answer"
        case loadBalancer = "load_balancer"
        case activation
        case scaleUp = "scale_up"
        case repointing
        case faultEnd = "fault_end"
        /// s(t) never fell below the target: the RTO is 0 and every stage is 0.
        case none
    }

    public var decidedBy: Decider
    /// Microseconds in each stage, indexed by `Stage.rawValue` (inline: a result allocates nothing).
    var microseconds = InlineArray<11, Int64>(repeating: 0)

    /// Where the stages added so far end [µs], and where the last drop below the target began [µs]:
    /// `add` gives the part of a stage before it to `beforeLastDrop`.
    var elapsed: Int64 = 0
    var dropStart: Int64 = 0

    public init(decidedBy: Decider) { self.decidedBy = decidedBy }

    public func seconds(_ s: Stage) -> Double { ModelTime.seconds(microseconds[s.rawValue]) }

    /// The sum of the stages [s]: the RTO.
    public var total: Double {
        var sum: Int64 = 0
        for i in microseconds.indices { sum += microseconds[i] }
        return ModelTime.seconds(sum)
    }

    /// Adds the next stage of the chain, `us` long, after the ones added so far.
    mutating func add(_ s: Stage, _ us: Int64) {
        let before = max(0, min(us, dropStart - elapsed))
        microseconds[Stage.beforeLastDrop.rawValue] += before
        microseconds[s.rawValue] += us - before
        elapsed += us
    }

    public static func == (a: Self, b: Self) -> Bool {
        a.decidedBy == b.decidedBy
            && Stage.allCases.allSatisfy { a.microseconds[$0.rawValue] == b.microseconds[$0.rawValue] }
    }
}

extension IncidentSimulator {
    /// The last replication's RTO by stage; nil when it never recovered (censored), or when nothing
    /// that drsim models happened at the RTO instant (which a test shows never happens in the bundled
    /// models).
    func rtoBreakdown(rto: Double?, model: FailoverModel) -> RTOBreakdown? {
        guard let rto else { return nil }
        let t = ModelTime.microseconds(rto)
        guard t > 0 else { return RTOBreakdown(decidedBy: .none) }
        var b = RTOBreakdown(decidedBy: .none)
        b.dropStart = curve.dropStart(before: t, level: config.successTarget)
        guard let decider = explain(t, into: &b, depth: 0, model) else { return nil }
        b.decidedBy = decider
        return b
    }

    /// Adds the stages of the chain that ends with what happened at `t` [µs]; returns what that was.
    private func explain(_ t: Int64, into b: inout RTOBreakdown, depth: Int, _ model: FailoverModel) -> RTOBreakdown
        .Decider?
    {
        // A fault ending (a region, its app or its database coming back, a stall or slowdown ending).
        if faults.ends(atMicroseconds: t) {
            b.add(.outage, t)
            return .faultEnd
        }
        for r in config.regions.indices
        where faults.activatedAt[r].isFinite && ModelTime.microseconds(faults.activatedAt[r]) == t {
            guard let s = model.standby.signal[r] else { return nil }
            add(s, into: &b)
            b.add(.activation, t - s.arrived)
            return .activation
        }
        for r in config.regions.indices where builder.scaledAt.count > r && builder.scaledAt[r] == t {
            let trigger = builder.scaleTriggeredAt[r]
            if servicePlan.scalesOnFailover[r] {
                guard let s = firstSignal(model) else { return nil }
                add(s, into: &b)
            } else {
                guard depth < 8, trigger > 0, explain(trigger, into: &b, depth: depth + 1, model) != nil else {
                    return nil
                }
            }
            b.add(.scaleUp, t - trigger)
            return .scaleUp
        }
        if let change = model.probers.changes.first(where: { $0.time == t }) {
            add(change.signal, into: &b)
            return .loadBalancer
        }
        if let repointing = repoints.first(where: { ModelTime.microseconds($0.time) == t }) {
            let s = repointing.signal
            add(s, into: &b)
            b.add(.repointing, t - s.arrived)
            return .repointing
        }
        if let m = builder.lastMove(at: t) {
            let j = Int(m.change)
            let s = model.route53.changes[j - 1].signal
            add(s, into: &b)
            let letGo = moves.letGo(change: j, cohort: Int(m.cohort), cohorts: populationPlan.weight.count)
            let (a, r, c) = (s.arrived, ModelTime.microseconds(letGo.resolver), ModelTime.microseconds(letGo.client))
            b.add(.resolverCache, r - a)
            b.add(.clientCache, c - r)
            b.add(.connection, t - c)
            return .dnsMove
        }
        return nil
    }

    /// The stages of a health signal: detection, then status-to-DNS propagation or load-balancer
    /// reprogramming.
    private func add(_ s: FailoverModel.Signal, into b: inout RTOBreakdown) {
        b.add(.detection, s.detected)
        b.add(s.viaLoadBalancer ? .lbReprogramming : .propagation, s.arrived - s.detected)
    }

    /// The first failover signal: the first DNS answer change or load-balancer routing change.
    private func firstSignal(_ m: FailoverModel) -> FailoverModel.Signal? {
        let dns = m.route53.changes.first?.signal
        let lb = m.probers.changes.first?.signal
        switch (dns, lb) {
        case (let d?, let l?): return l.arrived < d.arrived ? l : d
        default: return dns ?? lb
        }
    }
}
