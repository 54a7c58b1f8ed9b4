/// The latency MRSC adds to a write (docs/model.md, "Replication"): a write returns only once a second
/// member of the table (another region's replica, or the witness) has it, so it waits for the fastest
/// of its replications to the members that are up, each after its own lag L. With all three members up
/// that is the smaller of two lags, P(X > x) = P(L > x)²; with one down, one lag.
///
/// One write per replication, taken at random from the writes that succeeded (uniform over the written
/// traffic), so that across replications its distribution is that of a write's added latency over the
/// incident, and the run's percentiles are the write latency's.
enum WriteLatency {
    /// The added latency of one write [s], its time drawn from `curve`'s written traffic and its lags
    /// from `r` (the `write_latency` stream); nil if no write succeeded.
    static func sample(
        _ curve: SuccessCurve, _ faults: FaultTimeline, witness: Bool, lag: Distribution, _ r: RandomStream
    ) -> Double? {
        guard let t = curve.writeTime(share: r.uniform()) else { return nil }
        var members = witness ? 1 : 0
        for region in 0..<faults.regions where !faults.databaseDown(region, at: t) { members += 1 }
        // The writing region is one of the members up; the write waits for the fastest of the others.
        var fastest = Double.infinity
        for _ in 0..<max(1, members - 1) { fastest = min(fastest, lag.sample(r)) }
        return fastest
    }
}

extension SuccessCurve {
    /// The time [s] by which a share `u` of the replication's successful writes (∫ written traffic dt)
    /// had been made; nil if none succeeded.
    func writeTime(share u: Double) -> Double? {
        var total = 0.0
        for k in writeWeight.indices { total += Double(writeWeight[k]) * Double(end(k) - start[k]) }
        guard total > 0 else { return nil }
        var left = u * total
        for k in writeWeight.indices where writeWeight[k] > 0 {
            let piece = Double(writeWeight[k]) * Double(end(k) - start[k])
            if left < piece || k == writeWeight.count - 1 {
                return ModelTime.seconds(start[k]) + left / Double(writeWeight[k]) / 1_000_000
            }
            left -= piece
        }
        return ModelTime.seconds(horizon)
    }
}
