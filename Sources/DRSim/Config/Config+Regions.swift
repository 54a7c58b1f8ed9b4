import DRSimResults
import Foundation

// The `regions` and `load_balancer` sections, and the `front_door` key of both: read and written.

extension Config.Region {
    /// Reads `regions` (required: 2 to 8). A `db_endpoint` names a region, so it is looked up once
    /// every region is known.
    static func decodeList(_ list: [(String, JSON)]?, log: IssueLog) -> [Self] {
        guard let list else {
            log.error("regions", "missing; it is required (a list of regions, at least two)")
            return []
        }
        // Counted before anything is read: a list of thousands is refused at once, not after reading it.
        guard (2...8).contains(list.count) else {
            log.error("regions", "found \(list.count) regions; allowed: 2 to 8")
            return []
        }
        var regions: [Self] = []
        // The `db_endpoint`s that name another region: the region's index, the key's path, the name.
        var dbEndpoints: [(region: Int, path: String, name: String)] = []
        for (path, item) in list {
            guard var r = ObjectReader(item, path: path, log: log) else { continue }
            let (region, db) = decode(&r, after: regions)
            if db != "local" { dbEndpoints.append((regions.count, r.child("db_endpoint"), db)) }
            regions.append(region)
        }
        if !regions.isEmpty && !(2...8).contains(regions.count) {
            log.error("regions", "found \(regions.count) regions; allowed: 2 to 8")
        }
        splitLoad(&regions, log: log)
        let refs = References(regions: regions, log: log)
        for (i, path, name) in dbEndpoints {
            if let d = refs.region(name, at: path) { regions[i].dbEndpoint = d }
        }
        return regions
    }

    /// One region, its database endpoint its own; the `db_endpoint` it names, as written, is returned
    /// with it. `earlier` are the regions before it in the list.
    private static func decode(_ r: inout ObjectReader, after earlier: [Self]) -> (region: Self, dbEndpoint: String) {
        let log = r.log
        let name = r.string("name") ?? ""
        if r.raw("name") != nil && name.trimmingCharacters(in: .whitespaces).isEmpty {
            log.error(r.child("name"), "empty; give the region a name (records, checks and faults name it)")
        }
        let role = r.choice("role", default: Role.active)
        // NaN stands for an active region's default, an even split, set once every region is known.
        let share = r.number("load_share", default: role == .active ? .nan : 0, 0...1)
        let capacity = r.number("capacity_rps", default: .infinity, 0...1e12, openLow: true)
        let standby = Standby.decode(&r)
        let db = r.string("db_endpoint", default: "local")
        let activation = readActivation(&r, role: role)
        let frontDoor = Config.FrontDoor.decode(&r, default: .gcpRegionalALB)
        if earlier.contains(where: { $0.name == name }) {
            log.error(r.child("name"), "found \"\(name)\" twice; region names must be unique")
        }
        if standby != nil && capacity == .infinity {
            log.error(r.child("standby"), "a standby scales up to capacity_rps; give the region a capacity_rps")
        }
        r.finish()
        let region = Self(
            name: name, role: role, loadShare: share,
            capacityRPS: capacity == .infinity ? nil : capacity, standby: standby,
            dbEndpoint: earlier.count, activationDelay: activation, frontDoor: frontDoor)
        return (region, db)
    }

    /// The `activation` key: how long a passive region waits to be activated [s]. Only a passive region has one.
    private static func readActivation(_ r: inout ObjectReader, role: Role) -> Distribution? {
        guard var a = r.object("activation") else { return nil }
        let delay = a.distribution("delay_s", default: .fixed(0))
        a.finish()
        if role != .passive { r.log.error(r.child("activation"), "only a passive region can wait for activation") }
        return delay
    }

    /// At least one region must be active, and the active regions share the load: those without a
    /// `load_share` get an even split, and the shares must sum to 1.
    private static func splitLoad(_ regions: inout [Self], log: IssueLog) {
        let actives = regions.indices.filter { regions[$0].role == .active }
        if !regions.isEmpty && actives.isEmpty {
            log.error("regions", "no region has role \"active\"; at least one must serve traffic")
        }
        for i in actives where regions[i].loadShare.isNaN { regions[i].loadShare = 1 / Double(actives.count) }
        let shareSum = actives.reduce(0) { $0 + regions[$1].loadShare }
        if !actives.isEmpty, abs(shareSum - 1) > 1e-6 {
            log.error(
                "regions",
                "the active regions' load_share values sum to \(formatNumber(shareSum)); they must sum to 1")
        }
    }

    /// The region as entry `i` of `regions`.
    func encoded(at i: Int, in c: Config) -> JSON {
        var o: [String: JSON] = [
            "name": .string(name), "role": .string(role.rawValue), "load_share": .number(loadShare),
            "db_endpoint": dbEndpoint == i ? .string("local") : c.encodedRegion(dbEndpoint),
            "front_door": frontDoor.encoded(),
        ]
        if let capacityRPS { o["capacity_rps"] = .number(capacityRPS) }
        if let standby {
            o["standby"] = .object([
                "initial_capacity": .number(standby.initialCapacity), "scale_up_s": standby.scaleUp.json,
                "trigger": .string(standby.trigger.rawValue),
            ])
        }
        if let activationDelay { o["activation"] = .object(["delay_s": activationDelay.json]) }
        return .object(o)
    }
}

extension Config.Region.Standby {
    /// The `standby` key of a region, if it has one: the capacity it starts from and how it scales up.
    static func decode(_ r: inout ObjectReader) -> Self? {
        guard var sb = r.object("standby") else { return nil }
        let standby = Self(
            initialCapacity: sb.number("initial_capacity", 0...1) ?? 0,
            scaleUp: sb.distribution("scale_up_s") ?? .fixed(0),
            trigger: sb.choice("trigger", default: .load))
        sb.finish()
        return standby
    }
}

extension Config.FrontDoor {
    /// The vendors' defaults: Google Cloud global external ALB keeps an idle client connection 610 s,
    /// the regional one 600 s, neither has a maximum age; AWS ALB closes after 60 s idle and at
    /// 3600 s of age (client keep-alive). `custom` starts from no limits at all.
    public static func defaults(_ k: Kind) -> Self {
        switch k {
        case .gcpGlobalALB: Self(kind: k, idleTimeout: 610, maxAge: nil)
        case .gcpRegionalALB: Self(kind: k, idleTimeout: 600, maxAge: nil)
        case .awsALB: Self(kind: k, idleTimeout: 60, maxAge: 3600)
        case .custom: Self(kind: k, idleTimeout: nil, maxAge: nil)
        }
    }

    /// Reads the `front_door` key of `r`: a kind's name, or an object with a `kind` (`custom` if left
    /// out) and either limit overridden (`idle_timeout_s`, `max_age_s`: seconds, or "none").
    /// Left out, the front door is `kind`'s.
    static func decode(_ r: inout ObjectReader, default kind: Kind) -> Self {
        let kinds = Kind.allCases.map(\.rawValue)
        guard let v = r.raw("front_door") else { return .defaults(kind) }
        let path = r.child("front_door")
        let log = r.log
        if case .string(let name) = v {
            guard let k = Kind(rawValue: name) else {
                log.error(
                    path,
                    "found \"\(name)\", allowed: " + kinds.map { "\"\($0)\"" }.joined(separator: ", ")
                        + suggestion(name, kinds))
                return .defaults(kind)
            }
            return .defaults(k)
        }
        guard case .object = v, var o = ObjectReader(v, path: path, log: log) else {
            log.error(
                path,
                "found \(v.brief), expected a kind (" + kinds.map { "\"\($0)\"" }.joined(separator: ", ")
                    + ") or an object {\"kind\", \"idle_timeout_s\", \"max_age_s\"}")
            return .defaults(kind)
        }
        var door = Self.defaults(o.choice("kind", default: .custom))
        func limit(_ key: String, _ current: Double?) -> Double? {
            guard let raw = o.raw(key) else { return current }
            switch raw {
            case .string("none"): return nil
            case .number(let x) where x >= 1 && x <= 604_800: return x
            default:
                log.error(o.child(key), "found \(raw.brief), allowed: seconds from 1 to 604800, or \"none\"")
                return current
            }
        }
        door.idleTimeout = limit("idle_timeout_s", door.idleTimeout)
        door.maxAge = limit("max_age_s", door.maxAge)
        o.finish()
        return door
    }

    /// The config form: the kind and both limits ("none" where there is none).
    func encoded() -> JSON {
        func limit(_ x: Double?) -> JSON { x.map { .number($0) } ?? .string("none") }
        return .object([
            "kind": .string(kind.rawValue), "idle_timeout_s": limit(idleTimeout), "max_age_s": limit(maxAge),
        ])
    }
}

extension Config.LoadBalancer {
    /// Reads `load_balancer`. The defaults are Google Cloud's (Compute Engine API, health check) but
    /// for the *placeholders* `reprogramming_s`, `probe_rtt_s` and `fail_open` (docs/config.md).
    static func decode(_ reader: ObjectReader, _ refs: References) -> Self {
        var l = reader
        let backends = refs.regions(l.array("backends") ?? [])
        if backends.isEmpty {
            l.log.error(l.child("backends"), "missing or empty; list the backend regions, nearest first")
        }
        let interval = l.number("check_interval_s", default: 5, 1...300)
        let timeout = l.number("timeout_s", default: 5, 1...300)
        if timeout > interval {
            l.log.error(
                l.child("timeout_s"),
                "found \(formatNumber(timeout)), more than check_interval_s \(formatNumber(interval)); Google Cloud "
                    + "refuses that"
            )
        }
        let lb = Self(
            backends: backends, checkInterval: interval, timeout: timeout,
            unhealthyThreshold: l.int("unhealthy_threshold", default: 2, 1...10),
            healthyThreshold: l.int("healthy_threshold", default: 2, 1...10),
            reprogramming: l.distribution("reprogramming_s", default: .uniform(1, 5)),
            probeRTT: l.distribution("probe_rtt_s", default: .fixed(0.1)),
            failOpen: l.bool("fail_open", default: true),
            frontDoor: .decode(&l, default: .gcpGlobalALB))
        l.finish()
        return lb
    }

    func encoded(in c: Config) -> JSON {
        .object([
            "backends": .array(backends.map(c.encodedRegion)), "check_interval_s": .number(checkInterval),
            "timeout_s": .number(timeout),
            "unhealthy_threshold": .number(Double(unhealthyThreshold)),
            "healthy_threshold": .number(Double(healthyThreshold)),
            "reprogramming_s": reprogramming.json, "probe_rtt_s": probeRTT.json, "fail_open": .bool(failOpen),
            "front_door": frontDoor.encoded(),
        ])
    }
}
