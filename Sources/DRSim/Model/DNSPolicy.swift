/// Route 53's answer for a record set (docs/model.md, "DNS records"), given which records are healthy.
struct DNSPolicy {
    let policy: Config.DNS.Policy
    let records: [Config.DNS.Record]
    let geography: [Config.Clients.Group]
    let regions: Int

    init(_ c: Config) {
        policy = c.dns.policy
        records = c.dns.records
        geography = c.clients.geography
        regions = c.regions.count
    }

    func index(_ t: Config.Target) -> Int16 {
        switch t {
        case .region(let i): Int16(i)
        case .loadBalancer: Int16(regions)
        }
    }

    /// The target (regions, then the load balancer) answered to clients of `group`; `u` in [0, 1)
    /// picks among weighted records.
    ///
    /// - failover: the first healthy record in order (records without a check are healthy); the
    ///   primary if none is.
    /// - weighted: a record with probability weight / total among healthy records; weight-0 records
    ///   only when no other is healthy; all of them when none is healthy (fail open).
    /// - latency: the healthy record nearest the group; all of them when none is healthy (fail open).
    func answer(healthy: [Bool], group: Int, u: Double) -> Int16 {
        switch policy {
        case .failover:
            for (k, r) in records.enumerated() where healthy[k] { return index(r.target) }
            return index(records[0].target)
        case .weighted:
            var eligible = records.indices.filter { healthy[$0] && records[$0].weight > 0 }
            if eligible.isEmpty { eligible = records.indices.filter { healthy[$0] } }
            if eligible.isEmpty { eligible = records.indices.filter { records[$0].weight > 0 } }
            let total = eligible.reduce(0.0) { $0 + max(records[$1].weight, 0) }
            guard total > 0 else {
                return index(records[eligible[min(Int(u * Double(eligible.count)), eligible.count - 1)]].target)
            }
            var acc = 0.0
            for k in eligible {
                acc += records[k].weight / total
                if u < acc { return index(records[k].target) }
            }
            return index(records[eligible.last!].target)
        case .latency:
            var eligible = records.indices.filter { healthy[$0] }
            if eligible.isEmpty { eligible = Array(records.indices) }
            let nearest = geography.isEmpty ? Array(0..<regions) : geography[group].nearest
            for r in nearest {
                if let k = eligible.first(where: { records[$0].target == .region(r) }) {
                    return index(records[k].target)
                }
            }
            return index(records[eligible[0]].target)
        }
    }
}
