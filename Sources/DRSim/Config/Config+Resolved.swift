/// The config with every default filled in, as written to `run.json`: what was really simulated.
extension Config {
    public var resolved: JSON {
        func n(_ x: Double) -> JSON { .number(x) }
        func s(_ x: String) -> JSON { .string(x) }
        func region(_ i: Int) -> JSON { .string(regions[i].name) }
        var top: [String: JSON] = [
            "name": s(name), "description": s(description), "seed": n(Double(seed)),
            "replications": n(Double(replications)), "horizon_s": n(horizon), "timeline_step_s": n(timelineStep),
            "slo": .object(["success_target": n(successTarget), "stable_for_s": n(stableFor)]),
            "traffic": traffic.encoded(),
        ]
        top["regions"] = .array(regions.indices.map { regions[$0].encoded(at: $0, in: self) })
        if let l = loadBalancer { top["load_balancer"] = l.encoded(in: self) }
        top["health_checks"] = .array(healthChecks.map { $0.encoded(in: self) })
        top["dns"] = dns.encoded(in: self)
        top["clients"] = clients.encoded(in: self)
        var db: [String: JSON] = ["mode": s(database.mode.rawValue), "replication_lag_s": database.replicationLag.json,
                                  "writes": s(database.writes.rawValue), "failover": .object(["delay_s": database.writeFailoverDelay.json])]
        if let w = database.witness { db["witness"] = s(w) }
        top["database"] = .object(db)
        top["faults"] = .array(faults.map { f in
            var o: [String: JSON] = ["kind": s(f.kind.rawValue), "start_s": f.start.json, "duration_s": f.duration?.json ?? s("permanent")]
            if let r = f.region { o["region"] = region(r) }
            if let h = f.healthCheck { o["health_check"] = s(healthChecks[h].id) }
            switch f.kind {
            case .regionOutage:
                o["mode"] = s(f.mode.rawValue)
                o["scope"] = s(f.scope.rawValue)
            case .partial: o["share"] = n(f.share)
            case .replicationImpaired:
                o["mode"] = s(f.impairment.rawValue)
                if f.impairment == .slowed { o["lag_multiplier"] = n(f.lagMultiplier) }
            case .checkerBlocked: o["checker_regions"] = .array(f.checkerRegions.map(s))
            default: break
            }
            return .object(o)
        })
        return .object(top)
    }
}

extension Distribution {
    /// The config form of the distribution (log-normals as mu and sigma, which is exact).
    public var json: JSON {
        switch self {
        case let .fixed(x): .number(x)
        case let .uniform(a, b): .object(["uniform": .array([.number(a), .number(b)])])
        case let .exponential(m): .object(["exponential": .object(["mean": .number(m)])])
        case let .lognormal(mu, s): .object(["lognormal": .object(["mu": .number(mu), "sigma": .number(s)])])
        case let .normal(m, s): .object(["normal": .object(["mean": .number(m), "sd": .number(s)])])
        case let .weibull(k, l): .object(["weibull": .object(["shape": .number(k), "scale": .number(l)])])
        case let .gamma(k, t): .object(["gamma": .object(["shape": .number(k), "scale": .number(t)])])
        case let .empirical(v): .object(["empirical": .array(v.map { .number($0) })])
        }
    }
}
