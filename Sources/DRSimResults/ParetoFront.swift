/// The Pareto front of points (settings) over objectives (docs/config.md, "sweep", Objectives).
///
/// Point a dominates point b when, by the point estimates, a is at least as good as b on every objective
/// and better on one. An unknown estimate (a percentile among censored values) is worse than any known
/// one and equal to another unknown. Points equal on every objective do not dominate each other, so
/// identical points are on the front together, or off it together. A point no other point dominates is
/// on the front.
///
/// A domination is *clear* when, on at least one objective where a is better, the 95% intervals do not
/// overlap (a's whole interval is on the better side of b's); otherwise it is *within noise*: the order
/// of the estimates could be the replications' chance. The intervals are each point's own, so this is
/// conservative where points run the same incidents (a paired `drsim compare` can separate more).
public enum ParetoFront {
    /// One point's place.
    public struct Standing: Sendable, Equatable {
        /// The points (indices, ascending) that dominate this one; empty on the front.
        public var dominatedBy: [Int]
        /// The part of `dominatedBy` whose domination is clear.
        public var clearlyDominatedBy: [Int]

        public init(dominatedBy: [Int] = [], clearlyDominatedBy: [Int] = []) {
            self.dominatedBy = dominatedBy
            self.clearlyDominatedBy = clearlyDominatedBy
        }

        public var onFront: Bool { dominatedBy.isEmpty }
    }

    /// Every point's standing.
    /// - Parameters:
    ///   - points: per point, its estimate of each objective (every point has one per objective).
    ///   - maximise: per objective, whether more is better.
    public static func standings(_ points: [[Estimate]], maximise: [Bool]) -> [Standing] {
        precondition(points.allSatisfy { $0.count == maximise.count }, "one estimate per objective")
        return points.indices.map { b in
            var s = Standing()
            for a in points.indices where a != b && dominates(points[a], points[b], maximise: maximise) {
                s.dominatedBy.append(a)
                if clearlyBetter(points[a], points[b], maximise: maximise) { s.clearlyDominatedBy.append(a) }
            }
            return s
        }
    }

    /// Whether `a` dominates `b` by the point estimates.
    public static func dominates(_ a: [Estimate], _ b: [Estimate], maximise: [Bool]) -> Bool {
        var better = false
        for j in maximise.indices {
            let order = compare(a[j].value, b[j].value, maximise: maximise[j])
            if order > 0 { return false }
            if order < 0 { better = true }
        }
        return better
    }

    /// Whether, on some objective where `a` is better, `a`'s interval lies wholly on the better side of `b`'s.
    static func clearlyBetter(_ a: [Estimate], _ b: [Estimate], maximise: [Bool]) -> Bool {
        !clearlyBetterOn(a, b, maximise: maximise).isEmpty
    }

    /// The objectives on which `a` is better than `b` by the estimates and `a`'s interval lies wholly on
    /// the better side of `b`'s.
    public static func clearlyBetterOn(_ a: Estimate, _ b: Estimate, maximise: Bool) -> Bool {
        guard compare(a.value, b.value, maximise: maximise) < 0 else { return false }
        // a's worse end, b's better end; b's unknown value with no better end is beyond every known one.
        let (aEnd, bEnd) = maximise ? (a.low, b.high) : (a.high, b.low)
        guard let aEnd else { return false }
        guard let bEnd else { return b.value == nil }
        return maximise ? aEnd > bEnd : aEnd < bEnd
    }

    static func clearlyBetterOn(_ a: [Estimate], _ b: [Estimate], maximise: [Bool]) -> [Int] {
        maximise.indices.filter { clearlyBetterOn(a[$0], b[$0], maximise: maximise[$0]) }
    }

    /// −1 when `x` is better than `y`, 0 when as good, +1 when worse; unknown is worse than any known.
    public static func compare(_ x: Double?, _ y: Double?, maximise: Bool) -> Int {
        switch (x, y) {
        case (nil, nil): return 0
        case (nil, _): return 1
        case (_, nil): return -1
        case (let x?, let y?):
            if x == y { return 0 }
            return (x < y) != maximise ? -1 : 1
        }
    }
}
