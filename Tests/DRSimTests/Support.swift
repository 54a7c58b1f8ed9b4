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

/// Kolmogorov–Smirnov statistics (the library's, see `KolmogorovSmirnov`).
func ksStatistic(_ sample: [Double], cdf: (Double) -> Double, left: ((Double) -> Double)? = nil) -> Double {
    KolmogorovSmirnov.statistic(sample, cdf: cdf, left: left)
}
func ksStatistic(_ a: [Double], _ b: [Double]) -> Double { KolmogorovSmirnov.statistic(a, b) }

/// The KS critical value at significance 0.001 (asymptotic): a correct model fails such a test in one
/// seed out of a thousand. Every test here runs at a fixed seed, so its outcome never changes by chance.
func ksCritical(n: Int, m: Int? = nil) -> Double { KolmogorovSmirnov.critical(alpha: 0.001, n: n, m: m) }

/// Tolerance for a sample mean or proportion: 4.5 standard errors (a correct model misses it with
/// probability below 1e-5).
func tolerance(sd: Double, n: Int) -> Double { 4.5 * sd / Double(n).squareRoot() }

func mean(_ xs: [Double]) -> Double { xs.reduce(0, +) / Double(xs.count) }
func sd(_ xs: [Double]) -> Double {
    let m = mean(xs)
    return (xs.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(xs.count - 1)).squareRoot()
}

/// The repository's root folder.
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

/// A bundled model from `models/`, with `sets` applied as `--set` would.
func model(_ name: String, _ sets: [String] = []) throws -> Config {
    let data = try Data(contentsOf: repositoryRoot.appendingPathComponent("models/\(name).json"))
    let overrides = try sets.map { s throws(ConfigIssue) in try Override(parsing: s) }
    return try Config.load(data: data, overrides: overrides, defaultName: name).config
}

/// Front doors that close every connection within a second: clients follow DNS as soon as their caches
/// let go, whatever the state of the region they were on.
let shortConnections = ["regions[0].front_door={\"max_age_s\": 1}", "regions[1].front_door={\"max_age_s\": 1}"]

/// A resolver simulated query by query, for the brute-force checks of the caches (ClientCacheWarmUpTests,
/// BrowserStateTests): it fetches at `from`, holds the answer on [current, current + L), then its cache is
/// empty until the next query of its Poisson flow at `rate` [1/s] fetches again; drawn as the clients'
/// lookups reach it.
struct BruteForceResolver {
    let L: Double
    let rate: Double
    let r: RandomStream
    var current: Double
    var next: Double

    init(L: Double, rate: Double, from t: Double = 0, _ r: RandomStream) {
        self.L = L
        self.rate = rate
        self.r = r
        current = t
        next = t + L + r.exponential(mean: 1 / rate)
    }

    /// A lookup at t: when it is answered and the fetch time of the answer it gets.
    mutating func lookup(_ t: Double) -> (at: Double, fetch: Double) {
        while next <= t { advance() }
        if t < current + L { return (t, current) }
        advance()
        return (current, current)
    }

    mutating func advance() {
        current = next
        next = current + L + r.exponential(mean: 1 / rate)
    }
}
