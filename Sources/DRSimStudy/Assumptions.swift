import DRSim
import DRSimResults
import Foundation

/// One setting drsim cannot pin down (a placeholder, or a measured figure with a spread), with the
/// range it plausibly takes and why: what `drsim sensitivity` varies (docs/config.md, "sensitivity").
///
/// A range is either two values the setting takes, or two factors its distribution is scaled by (the
/// distribution of f·X: every duration in it f times as long), so that it fits any config, not only
/// the defaults.
public struct Assumption: Sendable {
    public enum Range: Sendable {
        /// The setting is set to each end.
        case values(Double, Double)
        /// The setting's distribution (or number) is scaled by each factor.
        case factors(Double, Double)
        /// The share of resolvers in the `extend` class (the first class gives or takes the difference).
        case extendingShare(Double, Double)
        /// The share of browser clients (stub clients give or take the difference).
        case browserShare(Double, Double)
    }

    public var name: String
    /// Where it is in the config; `*` stands for every element of a list.
    public var path: String
    public var range: Range
    /// The range's source, or the reason for it.
    public var why: String

    /// The range as shown: `10 … 300`, `×0.5 … ×2`.
    public var rangeText: String {
        switch range {
        case .values(let a, let b), .extendingShare(let a, let b), .browserShare(let a, let b):
            "\(formatNumber(a)) … \(formatNumber(b))"
        case .factors(let a, let b): "×\(formatNumber(a)) … ×\(formatNumber(b))"
        }
    }

    /// The resolved config with the setting at the low (`high` false) or high end; nil where the config
    /// has no such setting, or already sits at that end (the run would be the base run).
    public func applied(to config: JSON, high: Bool) -> JSON? {
        var json = config
        let changed: Int
        switch range {
        case .values(let a, let b):
            let v = JSON.number(high ? b : a)
            changed = json.update(path.split(separator: ".").map(String.init)[...]) { $0 == v ? nil : v }
        case .factors(let a, let b):
            changed = json.update(path.split(separator: ".").map(String.init)[...]) {
                Self.scaled($0, by: high ? b : a)
            }
        case .extendingShare(let a, let b):
            changed = json.update(["clients", "resolver_mix"]) {
                Self.reshare($0, key: "behaviour", value: "extend", to: high ? b : a)
            }
        case .browserShare(let a, let b):
            changed = json.update(["clients", "client_mix"]) {
                Self.reshare($0, key: "kind", value: "browser", to: high ? b : a, from: ("kind", "stub"))
            }
        }
        return changed > 0 && json != config ? json : nil
    }

    /// A distribution as written in a resolved config, scaled by `f` (nil if it is not one).
    static func scaled(_ d: JSON, by f: Double) -> JSON? {
        func times(_ x: JSON) -> JSON? { if case .number(let v) = x { .number(v * f) } else { nil } }
        switch d {
        case .number: return times(d)
        case .object(let o) where o.count == 1:
            let (kind, p) = o.first!
            switch (kind, p) {
            case ("fixed", _): return times(p).map { .object([kind: $0]) }
            case ("uniform", .array(let ab)), ("empirical", .array(let ab)):
                let xs = ab.compactMap(times)
                return xs.count == ab.count ? .object([kind: .array(xs)]) : nil
            case ("lognormal", .object(let q)):
                if case .number(let mu)? = q["mu"] {
                    var r = q
                    r["mu"] = .number(mu + log(f))
                    return .object([kind: .object(r)])
                }
                return scaleKeys(kind, q, ["median", "p99"])
            case ("exponential", .object(let q)): return scaleKeys(kind, q, ["mean"])
            case ("normal", .object(let q)): return scaleKeys(kind, q, ["mean", "sd"])
            case ("weibull", .object(let q)), ("gamma", .object(let q)): return scaleKeys(kind, q, ["scale"])
            default: return nil
            }
        default: return nil
        }
        func scaleKeys(_ kind: String, _ q: [String: JSON], _ keys: [String]) -> JSON? {
            var r = q
            for k in keys {
                guard let v = q[k].flatMap(times) else { return nil }
                r[k] = v
            }
            return .object([kind: .object(r)])
        }
    }

    /// A mix (a list of classes with `share`) with the class whose `key` is `value` set to `share`,
    /// the difference taken from or given to the class named by `from` (else the first other class).
    /// nil if the mix has no such class, or the other class cannot give that much.
    static func reshare(_ mix: JSON, key: String, value: String, to share: Double, from: (String, String)? = nil)
        -> JSON?
    {
        guard case .array(var classes) = mix else { return nil }
        func field(_ i: Int, _ k: String) -> JSON? { if case .object(let o) = classes[i] { o[k] } else { nil } }
        guard let target = classes.indices.first(where: { field($0, key) == .string(value) }),
            let other = classes.indices.first(where: { i in
                i != target && (from.map { field(i, $0.0) == .string($0.1) } ?? true)
            }),
            case .number(let now)? = field(target, "share"), case .number(let rest)? = field(other, "share")
        else { return nil }
        let left = rest - (share - now)
        guard left >= 0 else { return nil }
        func set(_ i: Int, _ v: Double) {
            if case .object(var o) = classes[i] {
                o["share"] = .number(v)
                classes[i] = .object(o)
            }
        }
        set(target, share)
        set(other, left)
        return .array(classes)
    }
}

extension JSON {
    /// Applies `f` to every value at `path` (`*` = every element of an array); a nil from `f` leaves
    /// the value as it is. Returns how many values `f` changed.
    mutating func update(_ path: ArraySlice<String>, _ f: (JSON) -> JSON?) -> Int {
        guard let step = path.first else {
            guard let v = f(self) else { return 0 }
            self = v
            return 1
        }
        switch self {
        case .object(var o):
            guard var child = o[step] else { return 0 }
            let n = child.update(path.dropFirst(), f)
            o[step] = child
            self = .object(o)
            return n
        case .array(var a) where step == "*":
            var n = 0
            for i in a.indices { n += a[i].update(path.dropFirst(), f) }
            self = .array(a)
            return n
        default:
            return 0
        }
    }
}

extension Assumption {
    /// Every assumption `drsim sensitivity` varies, with its plausible range and the reason for it
    /// (docs/model.md, "Defaults and their sources", gives the defaults these ranges surround). TTL is
    /// a setting, not an assumption; it is listed so that the assumptions can be weighed against it.
    public static let all: [Assumption] = [
        Assumption(
            name: "TTL", path: "dns.ttl_s", range: .values(10, 300),
            why:
                "a design setting, for scale: from a short 10 s to the common 300 s (AWS advises 60 s or less for "
                    + "failover records)"
        ),
        Assumption(
            name: "checkers per health check", path: "health_checks.*.checkers", range: .values(10, 16),
            why:
                "AWS's request-rate statements imply roughly 10 to 16 checkers (AWS News Blog 2014, Route 53 FAQ, "
                    + "Developer Guide)"
        ),
        Assumption(
            name: "probe round trip", path: "health_checks.*.probe_rtt_s", range: .factors(0.2, 3),
            why: "placeholder 0.1 s: from 20 ms (a checker near the endpoint) to 300 ms (the far side of the world)"),
        Assumption(
            name: "status-to-DNS delay", path: "health_checks.*.status_to_dns_s", range: .factors(0.5, 2),
            why:
                "AWS publishes no figure (a practitioner's analysis assumes about 5-10 s): half to twice the "
                    + "placeholder"
        ),
        Assumption(
            name: "resolvers that extend TTLs", path: "clients.resolver_mix[extend].share",
            range: .extendingShare(0.04, 0.15),
            why:
                "8.74% measured over 8,524 resolvers (Bhowmick et al., PAM 2023); resolver populations differ by "
                    + "network and country"
        ),
        Assumption(
            name: "TTL extension", path: "clients.resolver_mix.*.extra_s", range: .factors(0.33, 3),
            why: "placeholder calibrated to Flavel et al. 2014, which pins only the stale share at 15 minutes"),
        Assumption(
            name: "resolver floor", path: "clients.resolver_mix.*.floor_s", range: .values(30, 300),
            why:
                "placeholder 60 s (Cloudflare DNS Firewall's default minimum TTL); floors of 30 s to 5 minutes are in "
                    + "use"
        ),
        Assumption(
            name: "TTL-honouring large resolvers", path: "clients.honouring_top_share", range: .values(0.3, 0.7),
            why: "placeholder 0.5 for 'the large public resolvers follow the TTL' (Moura 2017; "
                + "Moura et al. 2019), whose traffic share varies by client population"),
        Assumption(
            name: "resolver population", path: "clients.resolvers", range: .values(200, 5000),
            why: "placeholder 1000: a few hundred resolvers for a regional service to thousands for a global one"),
        Assumption(
            name: "resolver skew (Zipf exponent)", path: "clients.resolver_zipf_exponent", range: .values(0.7, 1.3),
            why: "placeholder 1: a flatter or a steeper concentration of traffic on the large resolvers"),
        Assumption(
            name: "DNS query rate", path: "clients.dns_queries_per_s", range: .factors(0.2, 5),
            why: "placeholder 500/s: how often caches refill, a fifth to five times"),
        Assumption(
            name: "browser share of clients", path: "clients.client_mix[browser].share", range: .browserShare(0.2, 0.6),
            why: "placeholder 0.39 calibrated to Flavel et al. 2014; stub clients take the difference"),
        Assumption(
            name: "JVM DNS cache", path: "clients.client_mix.*.cache_s", range: .values(5, 60),
            why: "JDK default 30 s; AWS recommends 5 s; applications set their own"),
        Assumption(
            name: "browser lookup wait", path: "clients.client_mix.*.lookup_delay_s", range: .values(2, 60),
            why: "placeholder 10 s (the median think time): how soon after its cache expires a browser looks up "
                + "again, from a busy user's 2 s to a minute"),
        Assumption(
            name: "session length", path: "clients.sessions.length_s", range: .factors(0.33, 3),
            why: "placeholder (median 180 s, p99 1800 s): analytics report visits of a few minutes; a third to "
                + "three times"),
        Assumption(
            name: "request timeout", path: "clients.request_timeout_s", range: .values(10, 60),
            why: "placeholder 30 s: common client and SDK timeouts"),
        Assumption(
            name: "think time", path: "clients.think_time_s", range: .factors(0.3, 3),
            why: "placeholder (median 10 s, p99 300 s): busier or idler users"),
        Assumption(
            name: "load-balancer reprogramming", path: "load_balancer.reprogramming_s", range: .factors(0.5, 3),
            why: "placeholder 1-5 s: Google publishes no figure"),
        Assumption(
            name: "passive-region activation", path: "regions.*.activation.delay_s", range: .factors(0.5, 2),
            why: "the config's own estimate of a runbook or automation: half to twice it"),
        Assumption(
            name: "standby scale-up", path: "regions.*.standby.scale_up_s", range: .factors(0.5, 2),
            why: "the config's own estimate of scaling (instance start, warm-up): half to twice it"),
        Assumption(
            name: "key popularity (Zipf exponent)", path: "database.key_space.zipf_exponent",
            range: .values(0.5, 1.2),
            why: "placeholder 1: AWS publishes no figures on how writes spread over items; from mild to steep skew"),
        Assumption(
            name: "replication lag", path: "database.replication_lag_s", range: .factors(0.4, 3),
            why:
                "placeholder (median 0.5 s, p99 2.5 s) on AWS's 'usually within a second'; AWS publishes no percentiles"
        ),
        Assumption(
            name: "write repointing delay", path: "database.failover.delay_s", range: .factors(0.33, 2.5),
            why: "placeholder 30-120 s: automation in seconds to a runbook in minutes"),
        // A year of operation's noise (docs/model.md, "A year of operation"): only with a year.
        Assumption(
            name: "blip rate", path: "noise.blips.rate_per_year", range: .factors(0.25, 4),
            why: "placeholder 12 a year per region (a deploy, a GC pause, a hiccup about monthly): a quarter to four "
                + "times"),
        Assumption(
            name: "blip length", path: "noise.blips.duration_s", range: .factors(0.5, 3),
            why: "placeholder (median 20 s, p99 300 s): half to three times"),
        Assumption(
            name: "checker-path problem rate", path: "noise.checker_paths.rate_per_year", range: .factors(0.25, 4),
            why: "placeholder 4 a year per region: Route 53 publishes no rate; a quarter to four times"),
        Assumption(
            name: "regional outage rate", path: "noise.outages.rate_per_year", range: .factors(0.33, 3),
            why: "placeholder 0.3 a year per region, on AWS's post-event summaries: a third to three times"),
        Assumption(
            name: "regional outage length", path: "noise.outages.duration_s", range: .factors(0.25, 4),
            why: "placeholder (median 2 h, p99 24 h): a quarter to four times"),
    ]
}
