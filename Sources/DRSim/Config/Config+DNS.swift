// The `dns` section (Route 53 records) and where a record leads: read and written.

extension Config.DNS {
    /// Reads `dns`, and checks that its records make a record set of its routing policy.
    static func decode(_ reader: ObjectReader, _ refs: References) -> Self {
        var d = reader
        let log = refs.log
        // 60 s: AWS's advice for failover records (Route 53 Developer Guide and FAQ).
        var dns = Self(
            policy: d.choice("policy", default: .failover), ttl: d.number("ttl_s", default: 60, 0...2_147_483_647),
            records: [])
        for (path, item) in d.array("records") ?? [] {
            guard var r = ObjectReader(item, path: path, log: log) else { continue }
            let id = r.string("id", default: "record\(dns.records.count)")
            let role: Record.Role? = dns.policy == .failover ? r.choice("role") : .primary
            let weight = dns.policy == .weighted ? r.number("weight", 0...255) ?? 1 : 1
            let target = refs.target(&r, "target") ?? .region(0)
            if dns.policy == .latency && target == .loadBalancer {
                log.error(
                    r.child("target"), "a latency record answers for its region; give a region, not the load balancer")
            }
            var check: Int?
            let checkID = r.string("health_check", default: "")
            if !checkID.isEmpty {
                let ids = refs.checkIDs
                check = ids.firstIndex(of: checkID)
                if check == nil {
                    log.error(
                        r.child("health_check"),
                        "found \"\(checkID)\", which names no health check" + suggestion(checkID, ids)
                            + (ids.isEmpty ? "; none is defined" : "; health checks: " + ids.joined(separator: ", ")))
                }
            }
            r.finish()
            if let role {
                dns.records.append(Record(id: id, role: role, target: target, healthCheck: check, weight: weight))
            }
        }
        d.finish()
        if dns.policy == .failover {
            let roles = dns.records.map(\.role)
            let counts = Record.Role.allCases.map { role in roles.filter { $0 == role }.count }
            if counts[0] != 1 || counts[1] != 1 || counts[2] > 1 {
                log.error(
                    "dns.records",
                    "found \(counts[0]) primary, \(counts[1]) secondary and \(counts[2]) tertiary records; "
                        + "a failover record set needs exactly one primary and one secondary, and at most one tertiary")
            }
            dns.records.sort {
                Record.Role.allCases.firstIndex(of: $0.role)! < Record.Role.allCases.firstIndex(of: $1.role)!
            }
        } else if dns.records.count < 2 {
            log.error(
                "dns.records",
                "found \(dns.records.count) record\(dns.records.count == 1 ? "" : "s"); \(dns.policy.rawValue) "
                    + "routing needs at least two"
            )
        } else if dns.policy == .weighted && !dns.records.contains(where: { $0.weight > 0 }) {
            log.error("dns.records", "every weight is 0; give at least one record a weight above 0")
        }
        return dns
    }

    /// The records carry a role only under failover routing, and a weight only under weighted routing.
    func encoded(in c: Config) -> JSON {
        .object([
            "policy": .string(policy.rawValue), "ttl_s": .number(ttl),
            "records": .array(
                records.map { r in
                    var o: [String: JSON] = ["id": .string(r.id), "target": r.target.encoded(in: c)]
                    if policy == .failover { o["role"] = .string(r.role.rawValue) }
                    if let h = r.healthCheck { o["health_check"] = .string(c.healthChecks[h].id) }
                    if policy == .weighted { o["weight"] = .number(r.weight) }
                    return .object(o)
                }),
        ])
    }
}

extension Config.Target {
    /// What the config calls the global load balancer's address, where it names a region otherwise.
    static let loadBalancerName = "load_balancer"

    func encoded(in c: Config) -> JSON {
        switch self {
        case .region(let i): c.encodedRegion(i)
        case .loadBalancer: .string(Self.loadBalancerName)
        }
    }
}
