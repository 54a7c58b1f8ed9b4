import CGSL
import Foundation

/// Per-probe transient loss between a year's events (docs/model.md, "A year of operation"): the spells
/// in which a health check's checkers' aggregate turns unhealthy with the endpoint healthy, drawn
/// without stepping through the probes.
///
/// Each checker probes every `interval` from a uniform phase, each probe failing on its own with
/// probability p; it starts in its stationary state (`CheckerChain`). Between failures it jumps over
/// the successes (a geometric count), so a year costs one draw per failed probe, not one per probe.
/// A checker turns unhealthy at its N-th failure in a row and healthy at its N-th success in a row
/// (`CheckerChain.next`); the check is unhealthy while fewer than `minimumHealthy` checkers are healthy.
struct QuietProbeLoss {
    /// The check's spells of aggregate unhealth over [0, `seconds`) [s], in time order.
    static func spells(_ h: Config.HealthCheck, seconds: Double, _ r: RandomStream) -> [(from: Double, until: Double)] {
        let p = h.transientFailureProbability
        guard p > 0 else { return [] }
        let chain = CheckerChain(threshold: h.failureThreshold, failureProbability: p)
        var edges: [(time: Double, unhealthy: Int)] = []
        for _ in 0..<h.checkers {
            checkerSpells(chain, interval: h.interval, seconds: seconds, r) { from, until in
                edges.append((from, 1))
                edges.append((until, -1))
            }
        }
        return aggregate(edges, checkers: h.checkers, minimumHealthy: h.minimumHealthy)
    }

    /// How often the check turns unhealthy from per-probe loss alone [1/s], exactly, in the steady state:
    /// a checker turns unhealthy once every c = (1 − pᴺ)/(q pᴺ) + (1 − qᴺ)/(p qᴺ) probes (N failures in
    /// a row, then N successes; q = 1 − p) and is unhealthy a share u = ((1 − qᴺ)/(p qᴺ))/c of the time;
    /// the check turns unhealthy when one of its K checkers does while exactly K − h of the others are
    /// already unhealthy (h = `minimumHealthy`), the checkers being independent.
    static func onsetRate(_ h: Config.HealthCheck) -> Double {
        let p = h.transientFailureProbability
        guard p > 0 else { return 0 }
        let q = 1 - p
        let n = Double(h.failureThreshold)
        let unhealthyProbes = (1 - pow(q, n)) / (p * pow(q, n))
        let cycle = (1 - pow(p, n)) / (q * pow(p, n)) + unhealthyProbes
        let others = h.checkers - h.minimumHealthy
        guard others >= 0 else { return 0 }
        let share = gsl_ran_binomial_pdf(UInt32(others), unhealthyProbes / cycle, UInt32(h.checkers - 1))
        return Double(h.checkers) / (cycle * h.interval) * share
    }

    /// The spells in which fewer than `minimumHealthy` of `checkers` are healthy, from the checkers'
    /// edges (+1 at each unhealthy spell's start, −1 at its end [s]); at one instant ends come first.
    static func aggregate(
        _ edges: [(time: Double, unhealthy: Int)], checkers: Int, minimumHealthy: Int
    ) -> [(from: Double, until: Double)] {
        var out: [(from: Double, until: Double)] = []
        var down = 0
        var since = 0.0
        for e in edges.sorted(by: { ($0.time, $0.unhealthy) < ($1.time, $1.unhealthy) }) {
            let was = checkers - down < minimumHealthy
            down += e.unhealthy
            let now = checkers - down < minimumHealthy
            if !was && now { since = e.time }
            if was && !now && e.time > since { out.append((since, e.time)) }
        }
        return out
    }

    /// One checker's unhealthy spells [s], each given to `spell` as it ends (one still open at `seconds`
    /// ends there).
    static func checkerSpells(
        _ chain: CheckerChain, interval: Double, seconds: Double, _ r: RandomStream,
        spell: (Double, Double) -> Void
    ) {
        let n = chain.threshold
        let phase = r.uniform() * interval
        var state = chain.state(forUniform: r.uniform())
        var unhealthySince: Double? = CheckerChain.isHealthy(state, threshold: n) ? nil : 0
        var k = -1  // the last probe taken into account
        while true {
            // Successes before the next failure; then the failure itself at probe k + g + 1.
            let g = Int(gsl_ran_geometric(r.rng, chain.failureProbability)) - 1
            if let since = unhealthySince, state - n + g >= n {
                // The (N − s)-th success in a row turns the checker healthy.
                let at = phase + Double(k + (2 * n - state)) * interval
                guard at < seconds else { break }
                spell(since, at)
                unhealthySince = nil
                state = 0
            }
            if g > 0 { state = CheckerChain.isHealthy(state, threshold: n) ? 0 : n }
            k += g + 1
            let at = phase + Double(k) * interval
            guard at < seconds else { break }
            state = chain.next(state, success: false)
            if unhealthySince == nil && !CheckerChain.isHealthy(state, threshold: n) { unhealthySince = at }
        }
        if let since = unhealthySince { spell(since, seconds) }
    }
}
