import DRSimResults
import Foundation

// A config file and `Config`, both ways: `decode` reads the JSON, checking every key, and `resolved`
// writes it back with every default filled in (`run.json`). This file holds the top level and how
// sections refer to one another. Each section has a decode beside its encoded() (Config+Regions.swift,
// Config+Traffic.swift, Config+HealthChecks.swift, Config+DNS.swift, Config+Clients.swift,
// Config+Database.swift, Config+Faults.swift, Config+Cost.swift); its decode shows its keys, ranges, errors
// and defaults, each default written once, there or as a named constant beside it.

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
        // A result folder's run.json holds the resolved config: it runs as it is, so any result can be re-run.
        if case .object(let top) = json, top["config_hash"] != nil, top["drsim_version"] != nil,
            case .object? = top["config"]
        {
            json = top["config"]!
        }
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

        // The run settings: drsim's own defaults.
        let name = top.string("name", default: defaultName)
        checkName(name, log: log)
        let description = top.string("description", default: "")
        // 2^53 itself is refused: a JSON number above it reads as 2^53, so it may not be what was written.
        let seed = top.number(
            "seed", default: 1, 0...9_007_199_254_740_991, allowed: "a whole number from 0 to 2^53 − 1")
        if seed != seed.rounded() {
            log.error("seed", "found \(formatNumber(seed)), expected a whole number from 0 to 2^53 − 1")
        }
        let replications = top.int("replications", default: 1000, Config.replicationRange)
        let horizon = top.number("horizon_s", default: 3600, 1...31_536_000)
        let timelineStep = top.number("timeline_step_s", default: 1, 0.001...86_400)
        checkTimelineRows(horizon: horizon, step: timelineStep, log: log)
        let (successTarget, stableFor) = decodeSLO(top.section("slo"), horizon: horizon, log: log)

        // The sections, each read by its own decode; regions first, as the others refer to them by name.
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
        let database = Database.decode(top.section("database"), regionNames: refs.regionNames)
        let faults = Fault.decodeList(top.array("faults") ?? [], refs)
        let (year, noise) = readYear(&top, log: log)
        let cost = top.object("cost").map { Cost.decode($0, dns: dns, clients: clients) }
        let expect = Expectation.decodeList(
            top.array("expect") ?? [], absence: { $0.absence(traffic: traffic, database: database, year: year) },
            log: log)
        top.finish()
        checkWriteCounts(traffic: traffic, database: database, faults: faults, horizon: horizon, log: log)

        if !log.errors.isEmpty { throw ConfigError(issues: log.errors) }

        let config = Config(
            name: name, description: description, seed: UInt64(seed), replications: replications,
            horizon: horizon, timelineStep: timelineStep, successTarget: successTarget,
            stableFor: stableFor, regions: regions, traffic: traffic, healthChecks: checks, dns: dns,
            clients: clients, database: database, faults: faults, loadBalancer: loadBalancer, expect: expect,
            year: year, noise: noise, cost: cost)
        config.addWarnings(to: log)
        config.checkYear(log)
        if !log.errors.isEmpty { throw ConfigError(issues: log.errors) }
        return Loaded(config: config, warnings: log.warnings)
    }

    /// A config's name names its output folder: 1 to 100 bytes, no '/', '\\', control character or leading '.'.
    static func checkName(_ name: String, log: IssueLog) {
        guard
            name.isEmpty || name.contains("/") || name.hasPrefix(".") || name.contains("\\") || name.utf8.count > 100
                || name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control })
        else { return }
        log.error(
            "name",
            "found \(jsonQuote(String(name.prefix(40))))\(name.count > 40 ? "…" : ""), "
                + "expected a name of 1 to 100 bytes without '/', '\\', control characters or a leading '.' (it "
                + "names the output folder)")
    }

    /// The timeline has one row per step over the horizon: at most 20,000 of them.
    /// Reads `slo`: the success target and the stability window, which must be shorter than the horizon
    /// (no recovery could be held for it otherwise).
    static func decodeSLO(_ section: ObjectReader, horizon: Double, log: IssueLog) -> (Double, Double) {
        var slo = section
        let given = section.fields["stable_for_s"] != nil
        let successTarget = slo.number("success_target", default: 0.99, 0...1, openLow: true)
        let stableFor = slo.number("stable_for_s", default: 60, 0...31_536_000)
        slo.finish()
        if stableFor >= horizon {
            log.error(
                "slo.stable_for_s",
                "\(formatNumber(stableFor)) s\(given ? "" : " (the default)") is not shorter than horizon_s "
                    + "(\(formatNumber(horizon)) s): no "
                    + "recovery could be held that long before the horizon, so every recovery would be censored; "
                    + "give a window shorter than the horizon")
        }
        return (successTarget, stableFor)
    }

    static func checkTimelineRows(horizon: Double, step: Double, log: IssueLog) {
        guard horizon / step > 20_000 else { return }
        log.error(
            "timeline_step_s",
            "found \(formatNumber(step)): horizon_s / timeline_step_s "
                + "= \(formatNumber((horizon / step).rounded())) rows, allowed at most 20000; raise timeline_step_s")
    }

    /// The most unreplicated writes one failure may hold, in expectation: counts stay exact in 64 bits
    /// and each is drawn in bounded time (docs/config.md, "traffic").
    public static let maxExpectedWrites = 1e15

    /// Writes in flight (rate × mean lag, slowed by the largest lag multiplier) and writes of a stall
    /// as long as the horizon must stay below `maxExpectedWrites`.
    static func checkWriteCounts(traffic: Traffic, database: Database, faults: [Fault], horizon: Double, log: IssueLog)
    {
        let rate = traffic.requestsPerSecond * traffic.writeShare
        guard rate > 0, log.errors.isEmpty else { return }
        let slowest = faults.filter { $0.kind == .replicationImpaired }.reduce(1.0) { $0 * max(1, $1.lagMultiplier) }
        let inFlight = rate * database.replicationLag.mean * slowest
        let stalled = rate * horizon
        let most = max(inFlight, stalled)
        guard most > maxExpectedWrites || !most.isFinite else { return }
        let what =
            inFlight >= stalled
            ? "writes per second (\(formatNumber(rate))) × mean replication lag "
                + "(\(formatNumber(database.replicationLag.mean)) "
                + "s)\(slowest > 1 ? " × lag multipliers (\(formatNumber(slowest)))" : "")"
            : "writes per second (\(formatNumber(rate))) × horizon_s (\(formatNumber(horizon)))"
        log.error(
            inFlight >= stalled ? "database.replication_lag_s" : "traffic.requests_per_s",
            "\(what) = \(formatNumber(most)) unreplicated writes a failure may hold; "
                + "allowed at most 1e15: lower the request rate, the write share or the lag")
    }

    /// `year` and `noise` (docs/config.md, "Top level"); a `noise` with no `year` is read, with a warning.
    private static func readYear(_ top: inout ObjectReader, log: IssueLog) -> (Year?, Noise) {
        let year = top.object("year").map { Year.decode($0) }
        if top.raw("noise") != nil && year == nil {
            log.warn("noise", "it is read only with a year of operation: add \"year\": {} or run with --year")
        }
        return (year, Noise.decode(top.section("noise")))
    }

    /// The config with every default filled in, as written to `run.json`: what was really simulated.
    /// It decodes to the same config.
    public var resolved: JSON {
        var top: [String: JSON] = [
            "name": .string(name), "description": .string(description), "seed": .number(Double(seed)),
            "replications": .number(Double(replications)), "horizon_s": .number(horizon),
            "timeline_step_s": .number(timelineStep),
            "slo": .object(["success_target": .number(successTarget), "stable_for_s": .number(stableFor)]),
            "regions": .array(regions.indices.map { regions[$0].encoded(at: $0, in: self) }),
            "traffic": traffic.encoded(),
            "health_checks": .array(healthChecks.map { $0.encoded(in: self) }),
            "dns": dns.encoded(in: self),
            "clients": clients.encoded(in: self),
            "database": database.encoded(),
            "faults": .array(faults.map { $0.encoded(in: self) }),
        ]
        if let loadBalancer { top["load_balancer"] = loadBalancer.encoded(in: self) }
        // Written only when a year is simulated, so that other configs keep their run.json and hash.
        if let year {
            top["year"] = year.encoded()
            top["noise"] = noise.encoded()
        }
        // Written only when the config gives prices, so that other configs keep their run.json and hash.
        if let cost { top["cost"] = cost.encoded() }
        // Written only when there are targets, so that configs without them keep their run.json and hash.
        if !expect.isEmpty { top["expect"] = .array(expect.map { .string($0.description) }) }
        return .object(top)
    }

    /// Settings that are valid but defeat failover or go against AWS's advice.
    func addWarnings(to log: IssueLog) {
        warnAboutFrontDoors(log)
        guard dns.policy == .failover else {
            warnAboutUncheckedRecords(log)
            return
        }
        warnAboutFailoverRecords(log)
        warnAboutLaterFailover(log)
    }

    /// What a warning calls a record's target.
    private func targetName(_ t: Target) -> String {
        switch t {
        case .region(let i): regions[i].name
        case .loadBalancer: "the load balancer"
        }
    }

    /// Connections that never end keep clients on a region after DNS has moved.
    private func warnAboutFrontDoors(_ log: IssueLog) {
        for (i, r) in regions.enumerated() where r.frontDoor.idleTimeout == nil && r.frontDoor.maxAge == nil {
            log.warn(
                "regions[\(i)].front_door",
                "no idle timeout and no maximum age: a client's open connection to \(r.name) "
                    + "ends only when the region stops answering, so after DNS moves away from a working \(r.name) "
                    + "its clients never follow"
            )
        }
    }

    /// Outside failover routing, a record without a health check is answered even when its region is down.
    private func warnAboutUncheckedRecords(_ log: IssueLog) {
        for (k, rec) in dns.records.enumerated() where rec.healthCheck == nil {
            log.warn(
                "dns.records[\(k)]",
                "the record has no health check, so Route 53 keeps answering it even when its region is down")
        }
    }

    /// A primary and secondary that cannot move clients, or a primary whose check cannot see its region fail.
    private func warnAboutFailoverRecords(_ log: IssueLog) {
        let p = dns.primary
        let s = dns.secondary
        if p.target == s.target {
            log.warn(
                "dns.records",
                "the primary and secondary records lead to the same place (\(targetName(p.target))): DNS failover "
                    + "cannot change where clients go"
            )
        }
        if p.healthCheck == nil {
            log.warn(
                "dns.records",
                "the primary record has no health check, so Route 53 always answers it: DNS never fails over")
        } else if let h = p.healthCheck {
            let hc = healthChecks[h]
            if hc.disabled {
                log.warn(
                    "health_checks[\(h)].disabled",
                    "the primary's health check is disabled, so it always reports healthy: DNS never fails over")
            }
            if hc.inverted {
                log.warn(
                    "health_checks[\(h)].inverted",
                    "the primary's health check is inverted: it reports healthy while the endpoint fails")
            }
            switch p.target {
            case .region where hc.targetsLoadBalancer:
                log.warn(
                    "health_checks[\(h)].target",
                    "the primary record's health check probes the load balancer's address, not the record's region")
            case .loadBalancer where hc.targetsLoadBalancer:
                log.warn(
                    "health_checks[\(h)].target",
                    "the primary's health check probes the global load balancer's address, "
                        + "which stays up while a region is down (the load balancer routes around it): this check "
                        + "cannot see a regional outage"
                )
            case .region(let t) where hc.target != t:
                log.warn(
                    "health_checks[\(h)].target",
                    "the primary record's health check "
                        + "probes \(regions[hc.target].name), not the record's target \(regions[t].name)")
            case .loadBalancer:
                log.warn(
                    "health_checks[\(h)].target",
                    "the primary record leads to the global load balancer, whose address stays up while one region is "
                        + "down: a check aimed at that address does not see the region fail (here it probes "
                        + "\(regions[hc.target].name) directly)"
                )
            default: break
            }
        }
    }

    /// What slows the failover down once it has happened: a long TTL, writes to another region's database, a
    /// standby too small for the traffic.
    private func warnAboutLaterFailover(_ log: IssueLog) {
        if dns.ttl > 60 {
            log.warn(
                "dns.ttl_s",
                "TTL \(formatNumber(dns.ttl)) s: AWS recommends 60 s or less for failover records; "
                    + "every resolver may keep the dead region's address up to this long")
        }
        for (i, r) in regions.enumerated() where r.dbEndpoint != i {
            log.warn(
                "regions[\(i)].db_endpoint",
                "the app in \(r.name) writes to \(regions[r.dbEndpoint].name)'s database: "
                    + "its writes fail (and in-flight ones are lost) when \(regions[r.dbEndpoint].name) fails, "
                    + "wherever the app runs"
            )
        }
        for rec in dns.records.dropFirst() {
            if case .region(let t) = rec.target, let c = regions[t].capacityRPS,
                c * (regions[t].standby?.initialCapacity ?? 1) < traffic.requestsPerSecond
            {
                log.warn(
                    "regions[\(t)]",
                    "\(regions[t].name) starts with capacity for "
                        + "\(formatNumber(c * (regions[t].standby?.initialCapacity ?? 1))) "
                        + "requests/s of \(formatNumber(traffic.requestsPerSecond)): after failover it sheds load "
                        + "until it has scaled"
                )
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
        guard !regions.isEmpty else { return nil }  // the regions' own error says what is wrong
        log.error(
            path,
            "found \"\(name)\", which names no region" + suggestion(name, regionNames) + "; regions: "
                + regionNames.joined(separator: ", "))
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
            guard case .string(let name) = v else {
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
