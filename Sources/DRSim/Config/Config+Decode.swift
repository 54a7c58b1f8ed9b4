import Foundation

/// What planned capabilities a key belongs to, for "not modelled yet" errors.
private let planned = "not modelled in this version of drsim (planned: the whole-architecture issue)"

extension Config {
    /// A decoded config and the warnings about settings that defeat failover.
    public struct Loaded: Sendable {
        public var config: Config
        public var warnings: [ConfigIssue]
    }

    /// Reads a config file's bytes, applies `--set` overrides, and decodes and checks it.
    /// - Parameter defaultName: the name used when the file has none (the file's base name).
    public static func load(data: Data, overrides: [Override] = [], defaultName: String) throws(ConfigError) -> Loaded {
        var json = try JSON.parse(data)
        var errors: [ConfigIssue] = []
        for o in overrides {
            do { try json.set(o) } catch { errors.append(error) }
        }
        if !errors.isEmpty { throw ConfigError(issues: errors) }
        return try decode(json, defaultName: defaultName)
    }

    /// Decodes and checks a config; throws every error found, or returns the config and its warnings.
    public static func decode(_ json: JSON, defaultName: String = "scenario") throws(ConfigError) -> Loaded {
        let log = IssueLog()
        guard var top = ObjectReader(json, path: "", log: log) else { throw ConfigError(issues: log.errors) }

        let name = top.string("name", default: defaultName) ?? defaultName
        if name.isEmpty || name.contains("/") || name.hasPrefix(".") || name.contains("\\") {
            log.error("name", "found \"\(name)\", expected a non-empty name without '/', '\\' or a leading '.' (it names the output folder)")
        }
        let description = top.string("description", default: "") ?? ""
        let seed = top.number("seed", default: 1, 0...9_007_199_254_740_992, allowed: "a whole number from 0 to 2^53")
        if let s = seed, s != s.rounded() { log.error("seed", "found \(formatNumber(s)), expected a whole number from 0 to 2^53") }
        let replications = top.int("replications", default: 1000, 1...10_000_000)
        let horizon = top.number("horizon_s", default: 3600, 1...31_536_000)
        let timelineStep = top.number("timeline_step_s", default: 1, 0.001...86_400)
        if let h = horizon, let s = timelineStep, h / s > 20_000 {
            log.error("timeline_step_s", "found \(formatNumber(s)): horizon_s / timeline_step_s = \(formatNumber((h / s).rounded())) rows, allowed at most 20000; raise timeline_step_s")
        }

        var successTarget = 0.99, stableFor = 60.0
        if var slo = top.object("slo") {
            successTarget = slo.number("success_target", default: 0.99, 0...1, openLow: true) ?? 0.99
            stableFor = slo.number("stable_for_s", default: 60, 0...31_536_000) ?? 60
            slo.finish()
        }

        // Regions first: everything else refers to them by name.
        var regions: [Region] = []
        if let list = top.array("regions") {
            for (path, item) in list {
                guard var r = ObjectReader(item, path: path, log: log) else { continue }
                let rname = r.string("name") ?? ""
                let role = r.choice("role", ["active", "passive"], default: "active").flatMap(Region.Role.init) ?? .active
                let share = r.number("load_share", default: role == .active ? .nan : 0, 0...1)
                if let db = r.string("db_endpoint", default: "local"), db != "local" {
                    log.error(r.child("db_endpoint"), "found \"\(db)\"; only \"local\" is modelled in this version (another region's endpoint is planned)")
                }
                for key in ["capacity_rps", "standby"] where r.raw(key) != nil {
                    log.error(r.child(key), "capacity and standby scaling are \(planned); remove the key: every region now serves all the traffic it receives")
                }
                if regions.contains(where: { $0.name == rname }) { log.error(r.child("name"), "found \"\(rname)\" twice; region names must be unique") }
                r.finish()
                regions.append(Region(name: rname, role: role, loadShare: share ?? 0))
            }
        } else {
            log.error("regions", "missing; it is required (a list of regions, at least two)")
        }
        if !regions.isEmpty && regions.count != 2 {
            log.error("regions", "found \(regions.count) regions; this version models exactly two (a third, passive region is planned)")
        }
        let actives = regions.indices.filter { regions[$0].role == .active }
        if !regions.isEmpty && actives.isEmpty { log.error("regions", "no region has role \"active\"; at least one must serve traffic") }
        for i in actives where regions[i].loadShare.isNaN { regions[i].loadShare = 1 / Double(actives.count) }
        let shareSum = actives.reduce(0) { $0 + regions[$1].loadShare }
        if !actives.isEmpty, abs(shareSum - 1) > 1e-6 {
            log.error("regions", "the active regions' load_share values sum to \(formatNumber(shareSum)); they must sum to 1")
        }
        let regionNames = regions.map(\.name)
        func regionIndex(_ r: inout ObjectReader, _ key: String) -> Int? {
            guard let n = r.string(key) else { return nil }
            if let i = regionNames.firstIndex(of: n) { return i }
            log.error(r.child(key), "found \"\(n)\", which names no region" + suggestion(n, regionNames) + "; regions: " + regionNames.joined(separator: ", "))
            return nil
        }

        var traffic = Traffic(requestsPerSecond: 1000, writeShare: 0.1)
        if var t = top.object("traffic") {
            traffic.requestsPerSecond = t.number("requests_per_s", default: 1000, 0...1e12, openLow: true) ?? 1000
            traffic.writeShare = t.number("write_share", default: 0.1, 0...1) ?? 0.1
            t.finish()
        }

        var checks: [HealthCheck] = []
        for (path, item) in top.array("health_checks") ?? [] {
            guard var h = ObjectReader(item, path: path, log: log) else { continue }
            let id = h.string("id") ?? ""
            let target = regionIndex(&h, "target")
            let interval = h.number("interval_s", default: 30, 10...30, allowed: "10 or 30 (Route 53 RequestInterval)")
            if let i = interval, i != 10, i != 30 { log.error(h.child("interval_s"), "found \(formatNumber(i)), allowed: 10 or 30 (Route 53 RequestInterval)") }
            let threshold = h.int("failure_threshold", default: 3, 1...10)
            let checkers = h.int("checkers", default: 15, 1...64)
            let above = h.number("healthy_above", default: 0.18, 0...1, allowed: "a share from 0 to 1 (Route 53: 0.18)")
            let proto = h.choice("protocol", ["http", "https", "tcp"], default: "https").flatMap(HealthCheck.ProbeProtocol.init) ?? .https
            let rtt = h.distribution("probe_rtt_s", default: .fixed(0.1))
            let toDNS = h.distribution("status_to_dns_s", default: defaultStatusToDNS)
            let transient = h.number("transient_failure_prob", default: 0, 0...0.999_999, allowed: "a probability from 0 up to (not including) 1")
            let disabled = h.bool("disabled", default: false)
            let inverted = h.bool("inverted", default: false)
            if h.raw("checker_regions") != nil { log.error(h.child("checker_regions"), "checker regions (and the checker_blocked fault) are \(planned)") }
            if checks.contains(where: { $0.id == id }) { log.error(h.child("id"), "found \"\(id)\" twice; health check ids must be unique") }
            h.finish()
            checks.append(HealthCheck(id: id, target: target ?? 0, interval: interval ?? 30, failureThreshold: threshold ?? 3,
                                      checkers: checkers ?? 15, healthyAbove: above ?? 0.18, protocol: proto,
                                      probeRTT: rtt ?? .fixed(0.1), statusToDNS: toDNS ?? defaultStatusToDNS,
                                      transientFailureProbability: transient ?? 0, disabled: disabled, inverted: inverted))
        }
        let checkIDs = checks.map(\.id)

        var dns = DNS(policy: .failover, ttl: 60, records: [])
        if var d = top.object("dns") {
            let policy = d.string("policy", default: "failover") ?? "failover"
            if policy != "failover" {
                let known = ["weighted", "latency"].contains(policy)
                log.error(d.child("policy"), "found \"\(policy)\"" + (known ? "; weighted and latency routing are \(planned)" : ", allowed: \"failover\"" + suggestion(policy, ["failover", "weighted", "latency"])))
            }
            dns.ttl = d.number("ttl_s", default: 60, 0...2_147_483_647) ?? 60
            for (path, item) in d.array("records") ?? [] {
                guard var r = ObjectReader(item, path: path, log: log) else { continue }
                let id = r.string("id", default: "record\(dns.records.count)") ?? ""
                let role = r.choice("role", ["primary", "secondary"]).flatMap(DNS.Record.Role.init)
                let target = regionIndex(&r, "target")
                var hc: Int?
                if let h = r.string("health_check", default: "") , !h.isEmpty {
                    hc = checkIDs.firstIndex(of: h)
                    if hc == nil { log.error(r.child("health_check"), "found \"\(h)\", which names no health check" + suggestion(h, checkIDs) + (checkIDs.isEmpty ? "; none is defined" : "; health checks: " + checkIDs.joined(separator: ", "))) }
                }
                r.finish()
                if let role { dns.records.append(DNS.Record(id: id, role: role, target: target ?? 0, healthCheck: hc)) }
            }
            d.finish()
        }
        let roles = dns.records.map(\.role)
        if roles.filter({ $0 == .primary }).count != 1 || roles.filter({ $0 == .secondary }).count != 1 {
            log.error("dns.records", "found \(roles.filter { $0 == .primary }.count) primary and \(roles.filter { $0 == .secondary }.count) secondary records; a failover record set needs exactly one of each")
        }

        var clients = Clients(resolvers: 1000, zipfExponent: 1, dnsQueriesPerSecond: 500,
                              resolverMix: defaultResolverMix, clientMix: defaultClientMix)
        if var c = top.object("clients") {
            clients.resolvers = c.int("resolvers", default: 1000, 1...100_000) ?? 1000
            clients.zipfExponent = c.number("resolver_zipf_exponent", default: 1, 0...5) ?? 1
            clients.dnsQueriesPerSecond = c.number("dns_queries_per_s", default: 500, 0...1e12, openLow: true) ?? 500
            if let list = c.array("resolver_mix") {
                clients.resolverMix = []
                for (path, item) in list {
                    guard var r = ObjectReader(item, path: path, log: log) else { continue }
                    let share = r.number("share", default: nil, 0...1)
                    let behaviour = r.choice("behaviour", ["honour", "floor", "extend"])
                    var b = Clients.ResolverClass.Behaviour.honour
                    if behaviour == "floor" {
                        b = .floor(r.number("floor_s", default: 60, 0...31_536_000) ?? 60)
                    } else if behaviour == "extend" {
                        b = .extend(r.distribution("extra_s", default: .lognormal(median: 600, p99: 21_600)) ?? .fixed(0))
                    }
                    r.finish()
                    clients.resolverMix.append(.init(share: share ?? 0, behaviour: b))
                }
                checkShares(clients.resolverMix.map(\.share), path: c.child("resolver_mix"), log: log)
            }
            if let list = c.array("client_mix") {
                clients.clientMix = []
                for (path, item) in list {
                    guard var r = ObjectReader(item, path: path, log: log) else { continue }
                    let share = r.number("share", default: nil, 0...1)
                    let kind = r.choice("kind", ["browser", "stub", "jvm"]).flatMap(Clients.ClientKind.Kind.init)
                    var cache = Clients.ClientKind.Cache.none
                    switch kind {
                    case .browser?: cache = .floor(r.number("min_cache_s", default: 60, 0...31_536_000) ?? 60)
                    case .jvm?: cache = .fixed(r.number("cache_s", default: 30, 0...31_536_000) ?? 30)
                    default: break
                    }
                    r.finish()
                    clients.clientMix.append(.init(share: share ?? 0, kind: kind ?? .stub, cache: cache))
                }
                checkShares(clients.clientMix.map(\.share), path: c.child("client_mix"), log: log)
            }
            c.finish()
        }

        var database = Database(mode: .mrec, replicationLag: defaultReplicationLag)
        if var d = top.object("database") {
            let mode = d.string("mode", default: "mrec") ?? "mrec"
            if mode != "mrec" {
                log.error(d.child("mode"), mode == "mrsc" ? "found \"mrsc\"; MRSC is \(planned)" : "found \"\(mode)\", allowed: \"mrec\"" + suggestion(mode, ["mrec", "mrsc"]))
            }
            database.replicationLag = d.distribution("replication_lag_s", default: defaultReplicationLag) ?? defaultReplicationLag
            if d.raw("failover") != nil { log.error(d.child("failover"), "write repointing after failover (write_rto_s) is \(planned)") }
            d.finish()
        }

        var faults: [Fault] = []
        let kinds = ["region_outage", "app_unresponsive", "partial", "checker_blocked", "health_check_disabled", "replication_impaired"]
        for (path, item) in top.array("faults") ?? [] {
            guard var f = ObjectReader(item, path: path, log: log) else { continue }
            let kind = f.choice("kind", kinds)
            if let k = kind, k != "region_outage" { log.error(f.child("kind"), "found \"\(k)\": this fault kind is \(planned); this version models \"region_outage\"") }
            let region = regionIndex(&f, "region")
            _ = f.number("start_s", default: 0, 0...0, allowed: "0 (faults start at t = 0 in this version)")
            var duration: Distribution?
            if case .string(let s)? = f.raw("duration_s") {
                if s != "permanent" { log.error(f.child("duration_s"), "found \"\(s)\", expected \"permanent\" or a distribution") }
            } else {
                duration = f.distribution("duration_s", default: .fixed(.infinity))
                if case .fixed(let x)? = duration, x == .infinity { duration = nil }
            }
            let mode = f.choice("mode", ["blackhole", "refused"], default: "blackhole").flatMap(Fault.Mode.init) ?? .blackhole
            f.finish()
            faults.append(Fault(kind: .regionOutage, region: region ?? 0, duration: duration, mode: mode))
        }
        if faults.count > 1 { log.error("faults", "found \(faults.count) faults; this version models at most one (several faults in one config are planned)") }
        top.finish()

        if !log.errors.isEmpty { throw ConfigError(issues: log.errors) }

        let config = Config(name: name, description: description, seed: UInt64(seed ?? 1), replications: replications ?? 1000,
                            horizon: horizon ?? 3600, timelineStep: timelineStep ?? 1, successTarget: successTarget,
                            stableFor: stableFor, regions: regions, traffic: traffic, healthChecks: checks, dns: dns,
                            clients: clients, database: database, faults: faults)
        config.addWarnings(to: log)
        return Loaded(config: config, warnings: log.warnings)
    }

    /// Settings that are valid but defeat failover or go against AWS's advice.
    func addWarnings(to log: IssueLog) {
        let p = dns.primary, s = dns.secondary
        if p.target == s.target {
            log.warn("dns.records", "the primary and secondary records lead to the same place (\(regions[p.target].name)): DNS failover cannot change where clients go")
        }
        if p.healthCheck == nil {
            log.warn("dns.records", "the primary record has no health check, so Route 53 always answers it: DNS never fails over")
        } else if let h = p.healthCheck {
            let hc = healthChecks[h]
            if hc.disabled { log.warn("health_checks[\(h)].disabled", "the primary's health check is disabled, so it always reports healthy: DNS never fails over") }
            if hc.inverted { log.warn("health_checks[\(h)].inverted", "the primary's health check is inverted: it reports healthy while the endpoint fails") }
            if hc.target != p.target {
                log.warn("health_checks[\(h)].target", "the primary record's health check probes \(regions[hc.target].name), not the record's target \(regions[p.target].name)")
            }
        }
        if dns.ttl > 60 {
            log.warn("dns.ttl_s", "TTL \(formatNumber(dns.ttl)) s: AWS recommends 60 s or less for failover records; every resolver may keep the dead region's address up to this long")
        }
        for (i, f) in faults.enumerated() where f.region != p.target {
            log.warn("faults[\(i)].region", "the fault hits \(regions[f.region].name), which is not the primary record's target: no failover is expected")
        }
    }
}

private func checkShares(_ shares: [Double], path: String, log: IssueLog) {
    if shares.isEmpty { log.error(path, "the list is empty; give at least one entry") ; return }
    let sum = shares.reduce(0, +)
    if abs(sum - 1) > 1e-6 { log.error(path, "the shares sum to \(formatNumber(sum)); they must sum to 1") }
}
