// The `faults` section: read and written.

extension Config.Fault {
    /// Reads `faults`. Which keys a fault has depends on its kind (docs/config.md).
    static func decodeList(_ list: [(String, JSON)], _ refs: References) -> [Self] {
        let log = refs.log
        var faults: [Self] = []
        var given: [(id: String?, path: String)] = []
        for (path, item) in list {
            guard var f = ObjectReader(item, path: path, log: log) else { continue }
            let raw = f.raw("id"), id = raw == nil ? nil : f.string("id", default: "")
            if case let .string(given)? = raw, given.trimmingCharacters(in: .whitespaces).isEmpty {
                log.error(f.child("id"), "empty; give the fault an id, or leave id out for one made of its kind and target")
            }
            let kind: Kind? = f.choice("kind")
            var healthCheck: Int?
            if kind == .healthCheckDisabled || kind == .checkerBlocked {
                // Required for the check to disable; optional for the check whose checkers are blocked.
                if let h = kind == .checkerBlocked ? f.string("health_check", default: "") : f.string("health_check"), !h.isEmpty {
                    healthCheck = refs.checkIDs.firstIndex(of: h)
                    if healthCheck == nil { log.error(f.child("health_check"), "found \"\(h)\", which names no health check" + suggestion(h, refs.checkIDs)) }
                }
            }
            var region: Int?
            if kind != .healthCheckDisabled && !(kind == .checkerBlocked && healthCheck != nil) {
                region = refs.region(&f, "region")
            }
            let start = f.distribution("start_s", default: .fixed(0))
            var duration: Distribution?   // nil: permanent, the default
            switch f.raw("duration_s") {
            case nil, .string("permanent")?: break
            case let .string(s)?: log.error(f.child("duration_s"), "found \"\(s)\", expected \"permanent\" or a distribution")
            default: duration = f.distribution("duration_s")
            }
            // The settings of one kind, at their defaults; the other kinds keep them, unused.
            var mode = Mode.blackhole, scope = Scope.both, impairment = Impairment.slowed
            var share = 0.0, lagMultiplier = 1.0, checkerRegions: [String] = []
            switch kind {
            case .regionOutage?:
                mode = f.choice("mode", default: mode)
                scope = f.choice("scope", default: scope)
            case .partial?:
                share = f.number("share", 0...1, openLow: true) ?? share
            case .replicationImpaired?:
                impairment = f.choice("mode", default: impairment)
                if impairment == .slowed {
                    lagMultiplier = f.number("lag_multiplier", 1...1e6) ?? lagMultiplier
                } else if f.raw("lag_multiplier") != nil {
                    log.error(f.child("lag_multiplier"), "a stalled replication has no lag: "
                        + "nothing leaves the region; remove lag_multiplier or set mode to \"slowed\"")
                }
            case .checkerBlocked?:
                checkerRegions = checkerRegionNames(f.array("checker_regions") ?? [], log: log)
                if checkerRegions.isEmpty { log.error(f.child("checker_regions"), "missing or empty; list the checker regions whose traffic is dropped") }
            default: break
            }
            f.finish()
            given.append((id, id == nil ? path : f.child("id")))
            faults.append(Self(id: id ?? "", kind: kind ?? .regionOutage, region: region, healthCheck: healthCheck,
                               checkerRegions: checkerRegions, start: start, duration: duration, mode: mode, scope: scope,
                               impairment: impairment, share: share, lagMultiplier: lagMultiplier))
        }
        // Faults without an id are named by what they are, not where they sit in the list.
        var seen: [String: Int] = [:]
        for i in faults.indices where given[i].id == nil {
            let base = faults[i].kind.rawValue + "/" + (faults[i].healthCheck.map { refs.checkIDs[$0] }
                ?? faults[i].region.map { refs.regionNames[$0] } ?? "")
            seen[base, default: 0] += 1
            faults[i].id = seen[base]! == 1 ? base : base + "#\(seen[base]!)"
        }
        for i in faults.indices {
            guard let j = faults[..<i].firstIndex(where: { $0.id == faults[i].id }) else { continue }
            let made = given[i].id == nil ? " (made of its kind and target)" : ""
            log.error(given[i].path, "the fault id \"\(faults[i].id)\"\(made) is taken by \(given[j].path); "
                + "fault ids must be unique: give this fault an id of its own")
        }
        return faults
    }

    /// A fault is written with the keys of its kind only.
    func encoded(in c: Config) -> JSON {
        var o: [String: JSON] = ["id": .string(id), "kind": .string(kind.rawValue), "start_s": start.json,
                                 "duration_s": duration?.json ?? .string("permanent")]
        if let region { o["region"] = c.encodedRegion(region) }
        if let healthCheck { o["health_check"] = .string(c.healthChecks[healthCheck].id) }
        switch kind {
        case .regionOutage:
            o["mode"] = .string(mode.rawValue)
            o["scope"] = .string(scope.rawValue)
        case .partial: o["share"] = .number(share)
        case .replicationImpaired:
            o["mode"] = .string(impairment.rawValue)
            if impairment == .slowed { o["lag_multiplier"] = .number(lagMultiplier) }
        case .checkerBlocked: o["checker_regions"] = .array(checkerRegions.map(JSON.string))
        default: break
        }
        return .object(o)
    }
}
