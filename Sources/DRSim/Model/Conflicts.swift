import Foundation

/// The items of a table and how writes spread over them: the k-th most popular of N gets the share
/// p_k = k^(−s) / Σⱼ j^(−s) (Zipf with exponent s; s = 0 spreads writes evenly). Sums over the items are
/// exact for the `head` most popular and an integral over the rest (the terms there change slowly in
/// k, so the midpoint rule Σₖ g(k) ≈ ∫ g(x) dx over [k − ½, k + ½] errs by about g″/24 per term),
/// so a million items cost a few hundred terms (docs/model.md, "Replication").
struct ZipfKeys: Sendable {
    let keys: Int
    let exponent: Double
    /// Σ k^(−s) over every item.
    let normaliser: Double
    /// Σ p_k²: the chance that two writes go to the same item.
    let sumOfSquares: Double

    /// Items summed term by term; the rest by the integral.
    static let head = 2000
    /// Simpson intervals over log k for the integral.
    static let intervals = 400

    init(_ k: Config.Database.KeySpace) {
        keys = k.keys
        exponent = k.zipfExponent
        normaliser = Self.sum(keys: keys) { x in pow(x, -k.zipfExponent) }
        let h = normaliser
        sumOfSquares = Self.sum(keys: keys) { x in pow(pow(x, -k.zipfExponent) / h, 2) }
    }

    /// Σ p_k · (1 − mean over a write's window of e^(−λ p_k w)): the chance that a write is overwritten
    /// unseen by one of the other regions' writes (rate λ [1/s] in all) to its item, when it stays
    /// hidden from them for a window w that is uniform on [g, g + T] [s] (T = 0: exactly g). For one
    /// item the window average is 1 − e^(−cg)(1 − e^(−cT))/(cT), c = λ p_k.
    func overwriteChance(rate: Double, gap g: Double, spread T: Double) -> Double {
        guard rate > 0 else { return 0 }
        let h = normaliser
        let s = exponent
        return Self.sum(keys: keys) { x in
            let p = pow(x, -s) / h
            let c = rate * p
            let spread = T > 0 && c * T > 1e-12 ? -expm1(-c * T) / (c * T) : 1
            return p * (1 - exp(-c * g) * spread)
        }
    }

    /// Σₖ g(k) for k = 1…N: term by term over the head, then ∫ g over [head + ½, N + ½] by Simpson's
    /// rule in log x.
    static func sum(keys n: Int, _ g: (Double) -> Double) -> Double {
        var total = 0.0
        for k in 1...min(n, head) { total += g(Double(k)) }
        guard n > head else { return total }
        let a = log(Double(head) + 0.5)
        let b = log(Double(n) + 0.5)
        let step = (b - a) / Double(intervals)
        var integral = 0.0
        for i in 0...intervals {
            let y = a + Double(i) * step
            let weight: Double = i == 0 || i == intervals ? 1 : (i % 2 == 1 ? 4 : 2)
            integral += weight * g(exp(y)) * exp(y)
        }
        return total + integral * step / 3
    }
}

/// What a curve's build learns for the writes lost to last-writer-wins (docs/model.md, "Replication"):
/// the traffic writing into each table over each stretch between breakpoints, and from it
/// ∫ Σ_a λ_a F(λ_o m_a) dt over the horizon for each region a whose writes replicate (λ_o the other
/// regions' writes, m_a the lag multiplier of a slowed replication, F the chance that another region
/// overwrites a write unseen: `OverwriteTable`), and for each watch, the other tables' writes while
/// its writes are hidden from them.
struct ConflictLog {
    /// Counting is on for this build.
    var active = false
    /// Whether this log ever counts (false for a build that must learn nothing about writes).
    var enabled = true
    /// Traffic writing into each table over the current stretch [weight units]; 0 for a table that is down.
    var rate: [Int64]
    /// Whether each region's replication is stalled over the current stretch (its writes are then hidden:
    /// the watches count them).
    var stalled: [Bool]
    /// ∫ Σ_a λ_a F(λ_o m_a) dt over the build so far: the mean count of writes lost in normal replication.
    var lostWrites = 0.0
    /// F, tabulated for the config; nil when no write is counted.
    var overwrites: OverwriteTable?
    /// Some watch's writes arrive before the horizon: the others' writes meanwhile are needed.
    var delayedWatches = false
    /// From the last stretch read until the next change of the regions' conditions, at most one table
    /// can take writes and no watch needs the others' writes: cohorts' moves change nothing here.
    var idle = false

    init(regions: Int, overwrites: OverwriteTable? = nil) {
        self.overwrites = overwrites
        rate = [Int64](repeating: 0, count: regions)
        stalled = [Bool](repeating: false, count: regions)
    }

    /// Starts a build: on when some pair of tables can take writes at once, or some watch's writes
    /// arrive before the horizon (then others' writes meanwhile can overwrite them).
    mutating func start(counting: Bool, plan: ServicePlan, watches: [WriteWatch]) {
        lostWrites = 0
        delayedWatches = watches.contains { $0.arriveAt != Int64.max }
        active = enabled && counting && (plan.severalWriters || delayedWatches)
        idle = false
    }

    /// The stretch that starts at t.
    mutating func read(_ sw: ServiceState, _ t: Int64) {
        var table = -1
        var several = false
        for x in rate.indices {
            rate[x] = sw.writesKept(x, t)
            stalled[x] = sw.stalled[x]
            let d = sw.writeRegion(x)
            guard !sw.cond[x].isDown && sw.cond[x] != .unresponsive && sw.writable(d) else { continue }
            if table < 0 { table = d } else if d != table { several = true }
        }
        idle = !several && !delayedWatches && !sw.plan.hasLoadBalancer
    }

    /// Adds the stretch [from, to) [µs].
    mutating func accumulate(from: Int64, to: Int64, _ faults: FaultTimeline, watches: inout [WriteWatch]) {
        guard to > from else { return }
        var total: Int64 = 0
        for x in rate.indices { total += rate[x] }
        let a0 = ModelTime.seconds(from)
        let a1 = ModelTime.seconds(to)
        for a in rate.indices where rate[a] > 0 && !stalled[a] && rate[a] < total {
            guard let table = builtTable() else { break }
            lostWrites += faults.lostWrites(a, from: a0, to: a1, own: rate[a], others: total - rate[a], table)
        }
        for i in watches.indices where watches[i].arriveAt != Int64.max {
            let lo = max(from, watches[i].hiddenFrom)
            let hi = min(to, watches[i].arriveAt)
            guard hi > lo else { continue }
            watches[i].othersWeightSeconds += Double(total - rate[watches[i].region]) * Double(hi - lo) / 1_000_000
        }
    }
}

extension ConflictLog {
    /// F's table, its grid filled on first use (and kept for the config's later builds).
    fileprivate mutating func builtTable() -> OverwriteTable? {
        if overwrites?.built == false { overwrites?.build() }
        return overwrites
    }
}

extension FaultTimeline {
    /// ∫ λ_a F(λ_o m(t)) dt over [from, to) [s]: the writes of region r lost in normal replication while
    /// it writes `own` units of weight and the others `others` (m the product of the slowdowns of r's
    /// replication in force; 1 outside them).
    func lostWrites(_ r: Int, from: Double, to: Double, own: Int64, others: Int64, _ table: OverwriteTable)
        -> Double
    {
        guard !lag[r].isEmpty else { return table.lostRate(own: own, others: others, multiplier: 1) * (to - from) }
        var cuts = [from, to]
        for (s, _) in lag[r] {
            if s.from > from && s.from < to { cuts.append(s.from) }
            if s.until > from && s.until < to { cuts.append(s.until) }
        }
        cuts.sort()
        var sum = 0.0
        for i in 0..<(cuts.count - 1) where cuts[i + 1] > cuts[i] {
            let mid = (cuts[i] + cuts[i + 1]) / 2
            let m = lag[r].reduce(1.0) { $1.0.contains(mid) ? $0 * $1.1 : $0 }
            sum += table.lostRate(own: own, others: others, multiplier: m) * (cuts[i + 1] - cuts[i])
        }
        return sum
    }
}
