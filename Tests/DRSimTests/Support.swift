import CGSL
import DRSim
import Foundation

/// A small two-region failover scenario for model tests; `sets` override it as `--set` would.
/// One resolver and stub clients unless a test asks for more, so that debug builds run it fast.
func scenario(_ sets: [String] = []) throws -> Config {
    let base = """
    {
      "name": "test", "seed": 7, "replications": 1000, "horizon_s": 600,
      "regions": [ { "name": "a", "role": "active" }, { "name": "b", "role": "passive" } ],
      "traffic": { "requests_per_s": 100, "write_share": 0.2 },
      "health_checks": [ { "id": "hc-a", "target": "a", "probe_rtt_s": 0, "status_to_dns_s": 0 } ],
      "dns": { "ttl_s": 60, "records": [
        { "id": "p", "role": "primary", "target": "a", "health_check": "hc-a" },
        { "id": "s", "role": "secondary", "target": "b" } ] },
      "clients": { "resolvers": 1, "dns_queries_per_s": 1000000,
                   "resolver_mix": [ { "share": 1, "behaviour": "honour" } ],
                   "client_mix": [ { "share": 1, "kind": "stub" } ] },
      "faults": [ { "kind": "region_outage", "region": "a", "mode": "blackhole" } ]
    }
    """
    let overrides = try sets.map { s throws(ConfigIssue) in try Override(parsing: s) }
    return try Config.load(data: Data(base.utf8), overrides: overrides, defaultName: "test").config
}

/// Runs every replication of `config` on one thread and returns the results.
func replications(_ config: Config) throws -> [ReplicationResult] {
    let sim = IncidentSimulator(config: config)
    return try (0..<config.replications).map { i in try sim.run(replication: i) }
}

/// Kolmogorov–Smirnov statistic of a sample against a CDF, correct for ties and atoms: the empirical
/// CDF is compared at each distinct value x (with F(x)) and just below it (with `left`, F's left limit,
/// which differs from F only at an atom).
func ksStatistic(_ sample: [Double], cdf: (Double) -> Double, left: ((Double) -> Double)? = nil) -> Double {
    let xs = sample.sorted()
    let n = Double(xs.count)
    var d = 0.0
    var i = 0
    while i < xs.count {
        var j = i
        while j + 1 < xs.count && xs[j + 1] == xs[i] { j += 1 }
        let x = xs[i]
        let above: Double = abs(cdf(x) - Double(j + 1) / n)
        let fLeft: Double = left.map { $0(x) } ?? cdf(x)
        let below: Double = abs(fLeft - Double(i) / n)
        d = max(d, above, below)
        i = j + 1
    }
    return d
}

/// Two-sample Kolmogorov–Smirnov statistic.
func ksStatistic(_ a: [Double], _ b: [Double]) -> Double {
    let xa = a.sorted(), xb = b.sorted()
    var i = 0, j = 0, d = 0.0
    while i < xa.count && j < xb.count {
        let x = min(xa[i], xb[j])
        while i < xa.count && xa[i] <= x { i += 1 }
        while j < xb.count && xb[j] <= x { j += 1 }
        d = max(d, abs(Double(i) / Double(xa.count) - Double(j) / Double(xb.count)))
    }
    return d
}

/// The KS critical value at significance 0.001 (asymptotic): a correct model fails such a test in one
/// seed out of a thousand. Every test here runs at a fixed seed, so its outcome never changes by chance.
func ksCritical(n: Int, m: Int? = nil) -> Double {
    let c = (-log(0.001 / 2) / 2).squareRoot()
    guard let m else { return c / Double(n).squareRoot() }
    return c * (Double(n + m) / Double(n * m)).squareRoot()
}

/// Tolerance for a sample mean or proportion: 4.5 standard errors (a correct model misses it with
/// probability below 1e-5).
func tolerance(sd: Double, n: Int) -> Double { 4.5 * sd / Double(n).squareRoot() }

func mean(_ xs: [Double]) -> Double { xs.reduce(0, +) / Double(xs.count) }
func sd(_ xs: [Double]) -> Double {
    let m = mean(xs)
    return (xs.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(xs.count - 1)).squareRoot()
}
