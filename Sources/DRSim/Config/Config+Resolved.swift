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
            "traffic": .object(["requests_per_s": n(traffic.requestsPerSecond), "write_share": n(traffic.writeShare)]),
        ]
        top["regions"] = .array(regions.map {
            .object(["name": s($0.name), "role": s($0.role.rawValue), "load_share": n($0.loadShare), "db_endpoint": s("local")])
        })
        top["health_checks"] = .array(healthChecks.map {
            .object(["id": s($0.id), "target": region($0.target), "interval_s": n($0.interval),
                     "failure_threshold": n(Double($0.failureThreshold)), "checkers": n(Double($0.checkers)),
                     "healthy_above": n($0.healthyAbove), "protocol": s($0.protocol.rawValue),
                     "probe_rtt_s": $0.probeRTT.json, "status_to_dns_s": $0.statusToDNS.json,
                     "transient_failure_prob": n($0.transientFailureProbability),
                     "disabled": .bool($0.disabled), "inverted": .bool($0.inverted)])
        })
        top["dns"] = .object([
            "policy": s(dns.policy.rawValue), "ttl_s": n(dns.ttl),
            "records": .array(dns.records.map {
                var r: [String: JSON] = ["id": s($0.id), "role": s($0.role.rawValue), "target": region($0.target)]
                if let h = $0.healthCheck { r["health_check"] = s(healthChecks[h].id) }
                return .object(r)
            }),
        ])
        top["clients"] = .object([
            "resolvers": n(Double(clients.resolvers)), "resolver_zipf_exponent": n(clients.zipfExponent),
            "dns_queries_per_s": n(clients.dnsQueriesPerSecond),
            "resolver_mix": .array(clients.resolverMix.map {
                switch $0.behaviour {
                case .honour: .object(["share": n($0.share), "behaviour": s("honour")])
                case let .floor(f): .object(["share": n($0.share), "behaviour": s("floor"), "floor_s": n(f)])
                case let .extend(d): .object(["share": n($0.share), "behaviour": s("extend"), "extra_s": d.json])
                }
            }),
            "client_mix": .array(clients.clientMix.map {
                switch $0.cache {
                case .none: .object(["share": n($0.share), "kind": s($0.kind.rawValue)])
                case let .floor(f): .object(["share": n($0.share), "kind": s($0.kind.rawValue), "min_cache_s": n(f)])
                case let .fixed(f): .object(["share": n($0.share), "kind": s($0.kind.rawValue), "cache_s": n(f)])
                }
            }),
        ])
        top["database"] = .object(["mode": s(database.mode.rawValue), "replication_lag_s": database.replicationLag.json])
        top["faults"] = .array(faults.map {
            .object(["kind": s($0.kind.rawValue), "region": region($0.region), "start_s": n(0),
                     "duration_s": $0.duration?.json ?? s("permanent"), "mode": s($0.mode.rawValue)])
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
