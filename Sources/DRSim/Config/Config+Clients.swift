import DRSimResults

// The `clients` section (resolvers and client caches) and its lists `geography`, `resolver_mix` and
// `client_mix`: read and written.

extension Config.Clients {
    /// *Placeholder*: the resolvers carrying the larger half of traffic honour TTLs (Moura et al.).
    public static let defaultHonouringTopShare = 0.5
    /// *Placeholder*: a typical client-side request timeout.
    public static let defaultRequestTimeout = 30.0
    /// *Placeholder*: users pause a median 10 s between requests, 1% of pauses last over 5 minutes.
    public static let defaultThinkTime = Distribution.lognormal(median: 10, p99: 300)
    /// The default resolver population: 8.74% of resolvers extend TTLs (PAM 2023), drawn among the
    /// small ones.
    public static let defaultResolverMix: [ResolverClass] = [
        .init(share: 0.9126, behaviour: .honour),
        .init(share: 0.0874, behaviour: .extend(ResolverClass.defaultExtension)),
    ]
    /// The default client kinds (shares are placeholders calibrated to Flavel et al. 2014).
    public static let defaultClientMix: [ClientKind] = [
        .init(share: 0.39, kind: .browser, cache: .floor(ClientKind.browserMinCache)),
        .init(share: 0.41, kind: .stub, cache: .none),
        .init(share: 0.2, kind: .jvm, cache: .fixed(ClientKind.jvmCache)),
    ]

    /// Reads `clients`, and checks that the resolvers outside the honouring top share are enough for
    /// the flooring and extending classes. The size of the resolver population and its traffic are
    /// *placeholders*.
    static func decode(_ reader: ObjectReader, _ refs: References) -> Self {
        var c = reader
        let log = refs.log
        let resolvers = c.int("resolvers", default: 1000, 1...100_000)
        let zipfExponent = c.number("resolver_zipf_exponent", default: 1, 0...5)
        let queries = c.number("dns_queries_per_s", default: 500, 0...1e12, openLow: true)
        if c.raw("keepalive_s") != nil {
            log.error(
                c.child("keepalive_s"),
                "was removed in drsim 0.2: a connection now ends on its front door's idle timeout or maximum age, "
                    + "or when the client gives up on it; set regions[].front_door (and load_balancer.front_door), "
                    + "clients.think_time_s and clients.request_timeout_s instead (docs/config.md)")
        }
        var clients = Self(
            resolvers: resolvers, zipfExponent: zipfExponent, dnsQueriesPerSecond: queries,
            resolverMix: defaultResolverMix, clientMix: defaultClientMix, geography: Group.defaults(refs.regions),
            honouringTopShare: c.number("honouring_top_share", default: defaultHonouringTopShare, 0...1),
            requestTimeout: c.number("request_timeout_s", default: defaultRequestTimeout, 0...86_400),
            thinkTime: c.distribution("think_time_s", default: defaultThinkTime),
            sessions: Sessions.decode(c.section("sessions")))
        if let list = c.array("geography") {
            clients.geography = Group.decodeList(list, path: c.child("geography"), refs)
        }
        if let list = c.array("resolver_mix") {
            clients.resolverMix = ResolverClass.decodeList(list, path: c.child("resolver_mix"), log: log)
        }
        let wanted = clients.misbehavingResolvers
        let small = clients.smallResolvers
        if wanted > small {
            log.error(
                c.child("resolver_mix"),
                "the flooring and extending classes need \(wanted) of the \(clients.resolvers) "
                    + "resolvers, but only \(small) lie outside the largest ones that carry honouring_top_share "
                    + "(\(formatNumber(clients.honouringTopShare))) of the traffic; lower honouring_top_share or "
                    + "those classes' shares"
            )
        }
        if let list = c.array("client_mix") {
            clients.clientMix = ClientKind.decodeList(list, path: c.child("client_mix"), log: log)
        }
        c.finish()
        return clients
    }

    func encoded(in c: Config) -> JSON {
        .object([
            "resolvers": .number(Double(resolvers)), "resolver_zipf_exponent": .number(zipfExponent),
            "dns_queries_per_s": .number(dnsQueriesPerSecond), "honouring_top_share": .number(honouringTopShare),
            "request_timeout_s": .number(requestTimeout), "think_time_s": thinkTime.json,
            "sessions": .object(["enabled": .bool(sessions.enabled), "length_s": sessions.length.json]),
            "geography": .array(geography.map { $0.encoded(in: c) }),
            "resolver_mix": .array(resolverMix.map { $0.encoded() }),
            "client_mix": .array(clientMix.map { $0.encoded() }),
        ])
    }
}

extension Config.Clients.Sessions {
    /// *Placeholder*: log-normal with a median of 3 minutes and a 99th percentile of 30 minutes. No
    /// distribution of web session lengths is published; web analytics report average visits of a few
    /// minutes and end a session after 30 minutes without activity (Google Analytics).
    public static let defaultLength = Distribution.lognormal(median: 180, p99: 1800)

    /// Reads `clients.sessions`: whether sessions end connections, and their length, restricted to the
    /// kinds whose residual life drsim samples exactly (`Distribution.hasExactResidualSampler`).
    static func decode(_ reader: ObjectReader) -> Self {
        var s = reader
        let enabled = s.bool("enabled", default: true)
        var length = s.distribution("length_s", default: defaultLength)
        if !length.hasExactResidualSampler {
            s.log.error(
                s.child("length_s"),
                "a session length cannot be a truncated normal (its residual life has no exact sampler); "
                    + "use fixed, uniform, exponential, lognormal, weibull, gamma or empirical")
            length = defaultLength
        }
        s.finish()
        return Self(enabled: enabled, length: length)
    }
}

extension Config.Clients.Group {
    /// Clients near each active region, in proportion to its load share.
    static func defaults(_ regions: [Config.Region]) -> [Self] {
        regions.indices.filter { regions[$0].role == .active && regions[$0].loadShare > 0 }.map { g in
            Self(region: g, share: regions[g].loadShare, nearest: [g] + regions.indices.filter { $0 != g })
        }
    }

    /// Reads `clients.geography`: groups whose shares sum to 1. A group's `nearest` regions are its own
    /// if none is given, and the regions left out follow in the config's order.
    static func decodeList(_ list: [(String, JSON)], path: String, _ refs: References) -> [Self] {
        var groups: [Self] = []
        for (p, item) in list {
            guard var g = ObjectReader(item, path: p, log: refs.log) else { continue }
            let region = refs.region(&g, "region")
            let share = g.number("share", 0...1) ?? 0
            var nearest = refs.regions(g.array("nearest") ?? [])
            g.finish()
            guard let region else { continue }
            if nearest.isEmpty { nearest = [region] }
            nearest += refs.regions.indices.filter { !nearest.contains($0) }
            groups.append(Self(region: region, share: share, nearest: nearest))
        }
        checkShares(groups.map(\.share), path: path, log: refs.log)
        return groups
    }

    func encoded(in c: Config) -> JSON {
        .object([
            "region": c.encodedRegion(region), "share": .number(share), "nearest": .array(nearest.map(c.encodedRegion)),
        ])
    }
}

extension Config.Clients.ResolverClass {
    /// *Placeholder*: how much longer than the TTL an extending resolver keeps an answer, calibrated
    /// to Flavel et al. 2014 (docs/model.md, "Calibration").
    public static let defaultExtension = Distribution.lognormal(median: 1800, p99: 21_600)

    /// Extension shapes that fit Flavel et al. 2014 with the default population as well as
    /// `defaultExtension` does (90% moved within 60 s, 2% stale after 15 minutes at TTL 20 s; a full-lane
    /// test checks each with the calibration's tolerance). Only the share of extenders' traffic still
    /// stale at 15 minutes is pinned by that figure, not how the rest of the tail falls, so each of these
    /// is as plausible as the default; `drsim run` reports the range of `rto_s` over them
    /// (docs/model.md, "Calibration"). The default first; each fitted to the same
    /// E[max(0, 1 − 900 s / (20 s + extension))] as the default's (0.447).
    public static let plausibleExtensions: [(name: String, extension: Distribution)] = [
        ("lognormal median 1800 s, p99 21600 s (default)", defaultExtension),
        ("lognormal median 1750 s, p99 86400 s (wider)", .lognormal(median: 1750, p99: 86_400)),
        ("lognormal median 1730 s, p99 5190 s (shorter tail)", .lognormal(median: 1730, p99: 5190)),
        ("uniform 0 to 4050 s (capped)", .uniform(0, 4050)),
    ]

    /// The TTL a serve-stale resolver gives the expired answer it serves: BIND `stale-answer-ttl` and
    /// Unbound `serve-expired-reply-ttl`, both 30 s by default.
    public static let staleReplyTTL = 30.0

    /// Why RFC 8767 serve-stale is not a class (docs/model.md, "Resolvers").
    static let rfc8767Refusal =
        "RFC 8767 serve-stale is not a resolver class: it serves expired answers only while the authority "
        + "cannot be reached, and Route 53 answers throughout a failover, so it never fires; "
        + "for resolvers that serve the expired answer first and refresh after (BIND stale-answer-client-timeout 0, "
        + "Unbound serve-expired-client-timeout 0, CoreDNS serve_stale immediate) use \"serve_stale\""

    /// Reads `clients.resolver_mix`: behaviour classes whose shares sum to 1.
    static func decodeList(_ list: [(String, JSON)], path: String, log: IssueLog) -> [Self] {
        var mix: [Self] = []
        for (p, item) in list {
            guard var r = ObjectReader(item, path: p, log: log) else { continue }
            let share = r.number("share", 0...1)
            var behaviour = Behaviour.honour
            var rfc8767 = false
            if case .string(let s)? = r.raw("behaviour"), s.lowercased().contains("8767") {
                log.error(r.child("behaviour"), rfc8767Refusal)
                rfc8767 = true
            }
            switch rfc8767 ? nil : r.choice("behaviour", ["honour", "floor", "extend", "serve_stale"]) {
            // *Placeholder*: a common floor (Cloudflare DNS Firewall's default minimum cache TTL).
            case "floor"?: behaviour = .floor(r.number("floor_s", default: 60, 0...31_536_000))
            case "extend"?: behaviour = .extend(r.distribution("extra_s", default: defaultExtension))
            case "serve_stale"?:
                behaviour = .serveStale(replyTTL: r.number("reply_ttl_s", default: staleReplyTTL, 0...86_400))
            default: break
            }
            r.finish()
            mix.append(Self(share: share ?? 0, behaviour: behaviour))
        }
        checkShares(mix.map(\.share), path: path, log: log)
        return mix
    }

    func encoded() -> JSON {
        switch behaviour {
        case .honour: .object(["share": .number(share), "behaviour": .string("honour")])
        case .floor(let f): .object(["share": .number(share), "behaviour": .string("floor"), "floor_s": .number(f)])
        case .extend(let d): .object(["share": .number(share), "behaviour": .string("extend"), "extra_s": d.json])
        case .serveStale(let t):
            .object(["share": .number(share), "behaviour": .string("serve_stale"), "reply_ttl_s": .number(t)])
        }
    }
}

extension Config.Clients.ClientKind {
    /// A browser keeps an answer at least this long (Chromium source: 60 s).
    static let browserMinCache = 60.0
    /// A JVM keeps an answer this long whatever its TTL (JDK `java.security`: 30 s).
    static let jvmCache = 30.0
    /// *Placeholder*: a browser looks a name up again at its user's next request, the median think time
    /// (`defaultThinkTime`) after its cache expires, on average.
    public static let defaultLookupDelay = 10.0

    /// Reads `clients.client_mix`: client kinds whose shares sum to 1.
    static func decodeList(_ list: [(String, JSON)], path: String, log: IssueLog) -> [Self] {
        var mix: [Self] = []
        for (p, item) in list {
            guard var r = ObjectReader(item, path: p, log: log) else { continue }
            let share = r.number("share", 0...1)
            let kind: Kind? = r.choice("kind")
            var cache = Cache.none
            var delay = defaultLookupDelay
            switch kind {
            case .browser?:
                cache = .floor(r.number("min_cache_s", default: browserMinCache, 0...31_536_000))
                delay = r.number("lookup_delay_s", default: defaultLookupDelay, 0...86_400)
            case .jvm?: cache = .fixed(r.number("cache_s", default: jvmCache, 0...31_536_000))
            default: break
            }
            r.finish()
            mix.append(Self(share: share ?? 0, kind: kind ?? .stub, cache: cache, lookupDelay: delay))
        }
        checkShares(mix.map(\.share), path: path, log: log)
        return mix
    }

    /// A kind's cache setting is written only for the kinds that have one.
    func encoded() -> JSON {
        var o: [String: JSON] = ["share": .number(share), "kind": .string(kind.rawValue)]
        switch cache {
        case .none: break
        case .floor(let s):
            o["min_cache_s"] = .number(s)
            o["lookup_delay_s"] = .number(lookupDelay)
        case .fixed(let s): o["cache_s"] = .number(s)
        }
        return .object(o)
    }
}

/// A list of shares must not be empty and must sum to 1.
private func checkShares(_ shares: [Double], path: String, log: IssueLog) {
    if shares.isEmpty {
        log.error(path, "the list is empty; give at least one entry")
        return
    }
    let sum = shares.reduce(0, +)
    if abs(sum - 1) > 1e-6 { log.error(path, "the shares sum to \(formatNumber(sum)); they must sum to 1") }
}
