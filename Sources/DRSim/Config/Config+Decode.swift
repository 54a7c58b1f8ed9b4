import Foundation

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

        let name = top.string("name", default: defaultName)
        if name.isEmpty || name.contains("/") || name.hasPrefix(".") || name.contains("\\") {
            log.error("name", "found \"\(name)\", expected a non-empty name without '/', '\\' or a leading '.' (it names the output folder)")
        }
        let description = top.string("description", default: "")
        let seed = top.number("seed", default: 1, 0...9_007_199_254_740_992, allowed: "a whole number from 0 to 2^53")
        if seed != seed.rounded() { log.error("seed", "found \(formatNumber(seed)), expected a whole number from 0 to 2^53") }
        let replications = top.int("replications", default: 1000, 1...10_000_000)
        let horizon = top.number("horizon_s", default: 3600, 1...31_536_000)
        let timelineStep = top.number("timeline_step_s", default: 1, 0.001...86_400)
        if horizon / timelineStep > 20_000 {
            log.error("timeline_step_s", "found \(formatNumber(timelineStep)): horizon_s / timeline_step_s = \(formatNumber((horizon / timelineStep).rounded())) rows, allowed at most 20000; raise timeline_step_s")
        }

        var successTarget = 0.99, stableFor = 60.0
        if var slo = top.object("slo") {
            successTarget = slo.number("success_target", default: 0.99, 0...1, openLow: true)
            stableFor = slo.number("stable_for_s", default: 60, 0...31_536_000)
            slo.finish()
        }

        // Regions first: the other sections refer to them by name.
        let regions = Region.decodeList(top.array("regions"), log: log)
        var refs = References(regions: regions, log: log)
        let traffic = Traffic.decode(top.section("traffic"))
        var checks = HealthCheck.decodeList(top.array("health_checks") ?? [], refs)
        refs.checkIDs = checks.map(\.id)
        let dns = DNS.decode(top.section("dns"), refs)
        let loadBalancer = top.object("load_balancer").map { LoadBalancer.decode($0, refs) }
        if let lb = loadBalancer {
            for i in checks.indices where checks[i].targetsLoadBalancer { checks[i].target = lb.backends.first ?? 0 }
        } else if let i = checks.firstIndex(where: \.targetsLoadBalancer) {
            log.error("health_checks[\(i)].target", "found \"load_balancer\" but the config has no load_balancer")
        }
        if dns.records.contains(where: { $0.target == .loadBalancer }) && loadBalancer == nil {
            log.error("dns.records", "a record targets \"load_balancer\" but the config has no load_balancer")
        }

        let clients = Clients.decode(top.section("clients"), refs)
        var database = Database(mode: .mrec, replicationLag: defaultReplicationLag, writes: .local,
                                writeFailoverDelay: .uniform(30, 120), witness: nil)
        if var d = top.object("database") {
            database.mode = d.choice("mode", default: Database.Mode.mrec)
            database.replicationLag = d.distribution("replication_lag_s", default: defaultReplicationLag)
            database.writes = d.choice("writes", default: Database.Writes.local)
            if var f = d.object("failover") {
                database.writeFailoverDelay = f.distribution("delay_s", default: .uniform(30, 120))
                f.finish()
            }
            database.witness = d.string("witness", default: "")
            if database.witness == "" { database.witness = nil }
            if let w = database.witness, refs.regionNames.contains(w) {
                log.error(d.child("witness"), "found \"\(w)\", a serving region; a witness is a third location that holds no table")
            }
            d.finish()
        }
        if database.mode == .mrsc {
            let replicas = regions.count + (database.witness == nil ? 0 : 1)
            if replicas != 3 {
                log.error("database.mode", "MRSC needs exactly three regions, or two and a witness; found \(regions.count) region\(regions.count == 1 ? "" : "s")\(database.witness == nil ? "" : " and a witness")")
            }
        } else if database.witness != nil {
            log.error("database.witness", "a witness belongs to MRSC; set database.mode to \"mrsc\" or remove it")
        }

        var faults: [Fault] = []
        for (path, item) in top.array("faults") ?? [] {
            guard var f = ObjectReader(item, path: path, log: log) else { continue }
            let kind = f.choice("kind") as Fault.Kind?
            var fault = Fault(kind: kind ?? .regionOutage, region: nil, healthCheck: nil, checkerRegions: [], start: .fixed(0),
                              duration: nil, mode: .blackhole, share: 0, lagMultiplier: 1)
            if kind == .healthCheckDisabled || kind == .checkerBlocked {
                if let h = kind == .checkerBlocked ? f.string("health_check", default: "") : f.string("health_check"), !h.isEmpty {
                    fault.healthCheck = refs.checkIDs.firstIndex(of: h)
                    if fault.healthCheck == nil { log.error(f.child("health_check"), "found \"\(h)\", which names no health check" + suggestion(h, refs.checkIDs)) }
                }
            }
            if kind != .healthCheckDisabled && !(kind == .checkerBlocked && fault.healthCheck != nil) {
                fault.region = refs.region(&f, "region")
            }
            fault.start = f.distribution("start_s", default: .fixed(0))
            if case .string(let s)? = f.raw("duration_s") {
                if s != "permanent" { log.error(f.child("duration_s"), "found \"\(s)\", expected \"permanent\" or a distribution") }
            } else {
                fault.duration = f.distribution("duration_s", default: .fixed(.infinity))
                if case .fixed(let x)? = fault.duration, x == .infinity { fault.duration = nil }
            }
            switch kind {
            case .regionOutage?:
                fault.mode = f.choice("mode", default: Fault.Mode.blackhole)
                fault.scope = f.choice("scope", default: Fault.Scope.both)
            case .partial?:
                fault.share = f.number("share", 0...1, openLow: true) ?? 0
            case .replicationImpaired?:
                fault.impairment = f.choice("mode", default: Fault.Impairment.slowed)
                if fault.impairment == .slowed {
                    fault.lagMultiplier = f.number("lag_multiplier", 1...1e6) ?? 1
                } else if f.raw("lag_multiplier") != nil {
                    log.error(f.child("lag_multiplier"), "a stalled replication has no lag: nothing leaves the region; remove lag_multiplier or set mode to \"slowed\"")
                }
            case .checkerBlocked?:
                fault.checkerRegions = checkerRegionNames(f.array("checker_regions") ?? [], log: log)
                if fault.checkerRegions.isEmpty { log.error(f.child("checker_regions"), "missing or empty; list the checker regions whose traffic is dropped") }
            default: break
            }
            f.finish()
            faults.append(fault)
        }
        top.finish()

        if !log.errors.isEmpty { throw ConfigError(issues: log.errors) }

        let config = Config(name: name, description: description, seed: UInt64(seed), replications: replications,
                            horizon: horizon, timelineStep: timelineStep, successTarget: successTarget,
                            stableFor: stableFor, regions: regions, traffic: traffic, healthChecks: checks, dns: dns,
                            clients: clients, database: database, faults: faults, loadBalancer: loadBalancer)
        config.addWarnings(to: log)
        return Loaded(config: config, warnings: log.warnings)
    }

    /// Settings that are valid but defeat failover or go against AWS's advice.
    func addWarnings(to log: IssueLog) {
        func name(_ t: Target) -> String {
            switch t { case let .region(i): regions[i].name; case .loadBalancer: "the load balancer" }
        }
        for (i, r) in regions.enumerated() where r.frontDoor.idleTimeout == nil && r.frontDoor.maxAge == nil {
            log.warn("regions[\(i)].front_door", "no idle timeout and no maximum age: a client's open connection to \(r.name) ends only when the region stops answering, so after DNS moves away from a working \(r.name) its clients never follow")
        }
        guard dns.policy == .failover else {
            for (k, rec) in dns.records.enumerated() where rec.healthCheck == nil {
                log.warn("dns.records[\(k)]", "the record has no health check, so Route 53 keeps answering it even when its region is down")
            }
            return
        }
        let p = dns.primary, s = dns.secondary
        if p.target == s.target {
            log.warn("dns.records", "the primary and secondary records lead to the same place (\(name(p.target))): DNS failover cannot change where clients go")
        }
        if p.healthCheck == nil {
            log.warn("dns.records", "the primary record has no health check, so Route 53 always answers it: DNS never fails over")
        } else if let h = p.healthCheck {
            let hc = healthChecks[h]
            if hc.disabled { log.warn("health_checks[\(h)].disabled", "the primary's health check is disabled, so it always reports healthy: DNS never fails over") }
            if hc.inverted { log.warn("health_checks[\(h)].inverted", "the primary's health check is inverted: it reports healthy while the endpoint fails") }
            switch p.target {
            case .region where hc.targetsLoadBalancer:
                log.warn("health_checks[\(h)].target", "the primary record's health check probes the load balancer's address, not the record's region")
            case .loadBalancer where hc.targetsLoadBalancer:
                log.warn("health_checks[\(h)].target", "the primary's health check probes the global load balancer's address, which stays up while a region is down (the load balancer routes around it): this check cannot see a regional outage")
            case let .region(t) where hc.target != t:
                log.warn("health_checks[\(h)].target", "the primary record's health check probes \(regions[hc.target].name), not the record's target \(regions[t].name)")
            case .loadBalancer:
                log.warn("health_checks[\(h)].target", "the primary record leads to the global load balancer, whose address stays up while one region is down: a check aimed at that address does not see the region fail (here it probes \(regions[hc.target].name) directly)")
            default: break
            }
        }
        if dns.ttl > 60 {
            log.warn("dns.ttl_s", "TTL \(formatNumber(dns.ttl)) s: AWS recommends 60 s or less for failover records; every resolver may keep the dead region's address up to this long")
        }
        for (i, r) in regions.enumerated() where r.dbEndpoint != i {
            log.warn("regions[\(i)].db_endpoint", "the app in \(r.name) writes to \(regions[r.dbEndpoint].name)'s database: its writes fail (and in-flight ones are lost) when \(regions[r.dbEndpoint].name) fails, wherever the app runs")
        }
        for rec in dns.records.dropFirst() {
            if case let .region(t) = rec.target, let c = regions[t].capacityRPS, c * (regions[t].standby?.initialCapacity ?? 1) < traffic.requestsPerSecond {
                log.warn("regions[\(t)]", "\(regions[t].name) starts with capacity for \(formatNumber(c * (regions[t].standby?.initialCapacity ?? 1))) requests/s of \(formatNumber(traffic.requestsPerSecond)): after failover it sheds load until it has scaled")
            }
        }
    }
}

/// How sections refer to one another: regions by name, health checks by id. A name that is not there
/// is an error at the key that gives it.
struct References {
    let regions: [Config.Region]
    let log: IssueLog
    /// The ids of `health_checks`, once they are read.
    var checkIDs: [String] = []
    var regionNames: [String] { regions.map(\.name) }

    /// The index of the region named `name`; nil, with an error at `path`, if there is none.
    func region(_ name: String, at path: String) -> Int? {
        if let i = regionNames.firstIndex(of: name) { return i }
        log.error(path, "found \"\(name)\", which names no region" + suggestion(name, regionNames) + "; regions: " + regionNames.joined(separator: ", "))
        return nil
    }

    /// The region named by the (required) string at `key`.
    func region(_ r: inout ObjectReader, _ key: String) -> Int? {
        guard let name = r.string(key) else { return nil }
        return region(name, at: r.child(key))
    }

    /// The region or the load balancer's address named by the (required) string at `key`.
    func target(_ r: inout ObjectReader, _ key: String) -> Config.Target? {
        guard let name = r.string(key) else { return nil }
        if name == Config.Target.loadBalancerName { return .loadBalancer }
        return region(name, at: r.child(key)).map(Config.Target.region)
    }

    /// The regions named in a list (`backends`, `nearest`); each entry that names none is an error.
    func regions(_ list: [(String, JSON)]) -> [Int] {
        list.compactMap { p, v in
            guard case let .string(name) = v else {
                log.error(p, "found \(v.brief), expected a region name")
                return nil
            }
            return region(name, at: p)
        }
    }
}

extension Config {
    /// A region as the config names it.
    func encodedRegion(_ i: Int) -> JSON { .string(regions[i].name) }
}
