// The `database` section (DynamoDB global tables): read and written.

extension Config.Database {
    /// Reads `database`, and checks that an MRSC table has its three replicas (a witness counts as one).
    static func decode(_ reader: ObjectReader, regionNames: [String]) -> Self {
        var d = reader
        let log = d.log
        let mode = d.choice("mode", default: Mode.mrec)
        // *Placeholder*: AWS says "usually within a second" and publishes no percentiles.
        let lag = d.distribution("replication_lag_s", default: .lognormal(median: 0.5, p99: 2.5))
        let writes = d.choice("writes", default: Writes.local)
        var failover = d.section("failover")
        let delay = failover.distribution("delay_s", default: .uniform(30, 120))  // *placeholder*
        failover.finish()
        let keySpace = readKeySpace(&d)
        let name = d.string("witness", default: "")
        let witness = name.isEmpty ? nil : name
        if let witness, regionNames.contains(witness) {
            log.error(
                d.child("witness"),
                "found \"\(witness)\", a serving region; a witness is a third location that holds no table")
        }
        d.finish()
        if mode == .mrsc {
            let regions = regionNames.count
            if regions + (witness == nil ? 0 : 1) != 3 {
                log.error(
                    d.child("mode"),
                    "MRSC needs exactly three regions, or two and a witness; "
                        + "found \(regions) region\(regions == 1 ? "" : "s")\(witness == nil ? "" : " and a witness")")
            }
        } else if witness != nil {
            log.error(d.child("witness"), "a witness belongs to MRSC; set database.mode to \"mrsc\" or remove it")
        }
        return Self(
            mode: mode, replicationLag: lag, writes: writes, writeFailoverDelay: delay, witness: witness,
            keySpace: keySpace)
    }

    /// Reads `key_space`: an object (each key at its *placeholder* default when left out), or `false`
    /// to count no conflicts.
    private static func readKeySpace(_ d: inout ObjectReader) -> KeySpace? {
        let def = KeySpace.placeholder
        guard let v = d.raw("key_space") else { return def }
        if case .bool(false) = v { return nil }
        guard case .object = v, var k = d.object("key_space") else {
            d.log.error(d.child("key_space"), "found \(v.brief), expected an object or false")
            return def
        }
        let keys = k.int("keys", default: def.keys, 1...1_000_000_000_000)
        let s = k.number("zipf_exponent", default: def.zipfExponent, 0...10)
        k.finish()
        return KeySpace(keys: keys, zipfExponent: s)
    }

    func encoded() -> JSON {
        var o: [String: JSON] = [
            "mode": .string(mode.rawValue), "replication_lag_s": replicationLag.json,
            "writes": .string(writes.rawValue), "failover": .object(["delay_s": writeFailoverDelay.json]),
        ]
        if let witness { o["witness"] = .string(witness) }
        o["key_space"] =
            keySpace.map {
                .object(["keys": .number(Double($0.keys)), "zipf_exponent": .number($0.zipfExponent)])
            } ?? .bool(false)
        return .object(o)
    }
}
