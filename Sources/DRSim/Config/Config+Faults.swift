// The `faults` section: read and written.

extension Config.Fault {
    /// Reads `faults`. Which keys a fault has depends on its kind (docs/config.md).
    static func decodeList(_ list: [(String, JSON)], _ refs: References) -> [Self] {
        var faults: [Self] = []
        // Each fault's id as written (nil: left out), and the path an error about its id names.
        var given: [(id: String?, path: String)] = []
        for (path, item) in list {
            guard var f = ObjectReader(item, path: path, log: refs.log) else { continue }
            let id = readID(&f)
            faults.append(decode(&f, id: id, refs))
            given.append((id, id == nil ? path : f.child("id")))
        }
        nameByKindAndTarget(&faults, given: given, refs)
        requireUniqueIDs(faults, given: given, log: refs.log)
        return faults
    }

    /// The `id` as written, nil if it is left out; an empty one is an error.
    private static func readID(_ f: inout ObjectReader) -> String? {
        let raw = f.raw("id")
        let id = raw == nil ? nil : f.string("id", default: "")
        if case .string(let given)? = raw, given.trimmingCharacters(in: .whitespaces).isEmpty {
            f.log.error(
                f.child("id"),
                "empty; give the fault an id, or leave id out for one made of its kind and target")
        }
        return id
    }

    /// One fault's keys after its `id`; a fault without an id has "" until one is made for it.
    private static func decode(_ f: inout ObjectReader, id: String?, _ refs: References) -> Self {
        let kind: Kind? = f.choice("kind")
        let healthCheck = readHealthCheck(&f, of: kind, refs)
        // A fault on a health check has no region; nor has one blocking the checkers of one check only.
        let onRegion = kind != .healthCheckDisabled && !(kind == .checkerBlocked && healthCheck != nil)
        let region = onRegion ? refs.region(&f, "region") : nil
        let start = f.distribution("start_s", default: .fixed(0))
        let duration = readDuration(&f)
        // Every kind's settings at their defaults; `readSettings` reads those of this fault's kind.
        var fault = Self(
            id: id ?? "", kind: kind ?? .regionOutage, region: region, healthCheck: healthCheck,
            checkerRegions: [], start: start, duration: duration, mode: .blackhole, scope: .both,
            impairment: .slowed, share: 0, lagMultiplier: 1)
        fault.readSettings(&f, of: kind)
        f.finish()
        return fault
    }

    /// The health check a fault names: required for `health_check_disabled` (the check to disable),
    /// optional for `checker_blocked` (the one check whose checkers are blocked); other kinds name none.
    private static func readHealthCheck(_ f: inout ObjectReader, of kind: Kind?, _ refs: References) -> Int? {
        guard kind == .healthCheckDisabled || kind == .checkerBlocked else { return nil }
        let name = kind == .checkerBlocked ? f.string("health_check", default: "") : f.string("health_check")
        guard let name, !name.isEmpty else { return nil }
        guard let i = refs.checkIDs.firstIndex(of: name) else {
            f.log.error(
                f.child("health_check"),
                "found \"\(name)\", which names no health check"
                    + suggestion(name, refs.checkIDs))
            return nil
        }
        return i
    }

    /// `duration_s`: a distribution, or "permanent" (the default), which reads as nil.
    private static func readDuration(_ f: inout ObjectReader) -> Distribution? {
        switch f.raw("duration_s") {
        case nil, .string("permanent")?: return nil
        case .string(let s)?:
            f.log.error(f.child("duration_s"), "found \"\(s)\", expected \"permanent\" or a distribution")
            return nil
        default: return f.distribution("duration_s")
        }
    }

    /// Reads the settings of the fault's kind over their defaults; the other kinds' settings keep theirs, unused.
    private mutating func readSettings(_ f: inout ObjectReader, of kind: Kind?) {
        let log = f.log
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
                log.error(
                    f.child("lag_multiplier"),
                    "a stalled replication has no lag: "
                        + "nothing leaves the region; remove lag_multiplier or set mode to \"slowed\"")
            }
        case .checkerBlocked?:
            checkerRegions = checkerRegionNames(f.array("checker_regions") ?? [], log: log)
            if checkerRegions.isEmpty {
                log.error(
                    f.child("checker_regions"),
                    "missing or empty; list the checker regions whose traffic is dropped")
            }
        default: break
        }
    }

    /// Names the faults written without an id by their kind and target (`#2`, `#3` for later ones of the
    /// same), not by where they sit in the list, so that a fault's draws do not depend on its place.
    private static func nameByKindAndTarget(
        _ faults: inout [Self], given: [(id: String?, path: String)],
        _ refs: References
    ) {
        var seen: [String: Int] = [:]
        for i in faults.indices where given[i].id == nil {
            let target =
                faults[i].healthCheck.map { refs.checkIDs[$0] }
                ?? faults[i].region.map { refs.regionNames[$0] }
            let base = faults[i].kind.rawValue + "/" + (target ?? "")
            seen[base, default: 0] += 1
            faults[i].id = seen[base]! == 1 ? base : base + "#\(seen[base]!)"
        }
    }

    /// Fault ids name random streams: each must be unique, whether written or made.
    private static func requireUniqueIDs(_ faults: [Self], given: [(id: String?, path: String)], log: IssueLog) {
        for i in faults.indices {
            guard let j = faults[..<i].firstIndex(where: { $0.id == faults[i].id }) else { continue }
            let made = given[i].id == nil ? " (made of its kind and target)" : ""
            log.error(
                given[i].path,
                "the fault id \"\(faults[i].id)\"\(made) is taken by \(given[j].path); "
                    + "fault ids must be unique: give this fault an id of its own")
        }
    }

    /// A fault is written with the keys of its kind only.
    func encoded(in c: Config) -> JSON {
        var o: [String: JSON] = [
            "id": .string(id), "kind": .string(kind.rawValue), "start_s": start.json,
            "duration_s": duration?.json ?? .string("permanent"),
        ]
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
