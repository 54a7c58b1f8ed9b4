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
        return Self(mode: mode, replicationLag: lag, writes: writes, writeFailoverDelay: delay, witness: witness)
    }

    func encoded() -> JSON {
        var o: [String: JSON] = [
            "mode": .string(mode.rawValue), "replication_lag_s": replicationLag.json,
            "writes": .string(writes.rawValue), "failover": .object(["delay_s": writeFailoverDelay.json]),
        ]
        if let witness { o["witness"] = .string(witness) }
        return .object(o)
    }
}
