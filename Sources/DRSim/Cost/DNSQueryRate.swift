import Foundation

/// How often the resolvers ask Route 53 for the name (docs/model.md, "Cost"), from the model of resolvers
/// (docs/model.md, "Resolvers").
///
/// A resolver that keeps an answer for L and then waits for its next client query (exponential, rate λ)
/// fetches once per renewal cycle of mean length L + 1/λ, so it asks the authority at rate 1 / (L + 1/λ)
/// (λ itself when L is 0). L is the TTL for an honouring or serve-stale resolver (a serve-stale one
/// refreshes at the first query after the expiry), max(TTL, floor) for a flooring one and TTL + its extra
/// for an extending one. The large resolvers that carry `honouring_top_share` honour; each small one is of a
/// flooring or extending class with the probability the class's count gives among the small ones, as in
/// an incident. Every term falls as the TTL rises, so a shorter TTL never asks less.
public enum DNSQueryRate {
    /// Quantiles of an extension distribution, at the midpoints of this many equal slices of probability,
    /// that stand for it in E[1 / (TTL + X + 1/λ)].
    static let extensionNodes = 32

    /// Queries per second [1/s] over `cost.route53.querying_resolvers` resolvers (by default
    /// `clients.resolvers`), with the Zipf shares, classes and client query rate of `clients`.
    public static func perSecond(_ c: Config) -> Double {
        var population = c.clients
        if let n = c.cost?.route53.queryingResolvers { population.resolvers = n }
        let shares = population.resolverShares
        let counts = population.resolverClassCounts
        let small = population.smallResolvers
        let ttl = c.dns.ttl
        // The small resolvers' classes other than honouring: each its probability and its holding times.
        var others: [(probability: Double, holds: [Double])] = []
        for (k, cls) in population.resolverMix.enumerated() where cls.behaviour != .honour && counts[k] > 0 {
            let probability = Double(counts[k]) / Double(max(1, small))
            switch cls.behaviour {
            case .honour, .serveStale: others.append((probability, [ttl]))
            case .floor(let f): others.append((probability, [max(ttl, f)]))
            case .extend(let d): others.append((probability, quantileNodes(d).map { ttl + $0 }))
            }
        }
        let honouringSmall = max(0, 1 - others.reduce(0) { $0 + $1.probability })
        var total = 0.0
        for (i, share) in shares.enumerated() {
            let lambda = share * population.dnsQueriesPerSecond
            guard i >= shares.count - small else {
                total += rate(hold: ttl, lambda: lambda)
                continue
            }
            var r = honouringSmall * rate(hold: ttl, lambda: lambda)
            for o in others {
                let mean = o.holds.reduce(0) { $0 + rate(hold: $1, lambda: lambda) } / Double(o.holds.count)
                r += o.probability * mean
            }
            total += r
        }
        return total
    }

    /// A resolver's queries to the authority [1/s]: one per cycle of holding an answer for `hold` [s] and
    /// then waiting for the next client query (rate `lambda` [1/s]).
    @inline(__always) public static func rate(hold: Double, lambda: Double) -> Double {
        lambda > 0 ? 1 / (hold + 1 / lambda) : 0
    }

    /// The quantiles of `d` at the midpoints (k + ½) / n of `extensionNodes` slices, by bisection on its CDF.
    static func quantileNodes(_ d: Distribution) -> [Double] {
        let n = extensionNodes
        return (0..<n).map { k in
            let p = (Double(k) + 0.5) / Double(n)
            var hi = max(1, d.mean)
            while d.cdf(hi) < p && hi < 1e300 { hi *= 2 }
            var lo = 0.0
            var steps = 0
            while hi - lo > 1e-9 * hi && steps < 200 {
                let mid = (lo + hi) / 2
                if d.cdf(mid) < p { lo = mid } else { hi = mid }
                steps += 1
            }
            return hi
        }
    }
}
