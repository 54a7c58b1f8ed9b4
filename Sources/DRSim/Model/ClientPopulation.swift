import Foundation

/// The resolvers and client kinds between Route 53 and the users (docs/model.md, "Resolvers", "Client caches",
/// "Connections"), and when each
/// slice of traffic moves to a new DNS answer.
///
/// Traffic is split into cohorts: for each resolver, one cohort per client kind, and for client kinds
/// with a cache of their own several cohorts (up to `maxCohorts`, about one per 0.5% of traffic) with
/// stratified cache phases, so that no cohort carries much traffic and the success curve is close to
/// the fluid limit. Each cohort moves to a new answer at one instant:
///
/// - the resolver's copy of the old answer expires at R after the change: at the first change, with
///   probability L / (L + 1/λ) the resolver holds an answer (L its effective TTL, λ its query rate) and
///   its remaining life is uniform on [0, L]; otherwise its cache is empty and R = 0. At a later change R
///   follows from the resolver's state since the last one (`carriedLetGo`);
/// - a stub client (no cache) moves at R;
/// - a client with a fixed cache `h` (the JVM) refreshes every h seconds at a uniform phase, kept for
///   the whole replication, and moves at its first refresh at or after R;
/// - a client with a floor `f` (Chrome) keeps what it gets for max(remaining, f) and looks up again at
///   its user's next request after that: it moves at R + g, g from its stationary state against its
///   resolver at the first change (`BrowserCache`; a warm-up simulates it: ClientCacheWarmUpTests), from
///   its lookups since the last change at a later one (`carriedBrowser`).
/// - behind a serve-stale resolver, the cohort with a cache that looks up first after R, before any
///   other query reaches the resolver, is served the expired answer and keeps it for its cache time
///   (`staleCohort`).
///
/// Weights are integers (units of 2⁻³² of all traffic), so sums are exact and order-free.
struct ClientPopulation {
    static let maxCohorts = 16
    static let cohortWeightTarget = 0.005

    struct Plan {
        /// Traffic share of each resolver (Zipf), and its DNS query rate [1/s].
        var share: [Double]
        var queryRate: [Double]
        /// How many resolvers each class has (`Config.Clients.resolverClassCounts`: flooring and
        /// extending classes their rounded share, honouring ones the rest), and how many resolvers are
        /// small enough to be drawn into the flooring and extending classes: the last `smallResolvers` by size.
        var classCount: [Int]
        var smallResolvers: Int
        var classes: [Config.Clients.ResolverClass]
        var kinds: [Config.Clients.ClientKind]
        /// Cohorts per resolver for client kinds with a cache.
        var cohorts: [Int]
        /// First cohort index of each resolver, and weight of each cohort [2⁻³² units].
        var firstCohort: [Int]
        var weight: [Int64]
        var totalWeight: Int64
        var ttl: Double
        /// The client group (geography) of each resolver, and of each cohort.
        var group: [Int]
        var resolverOfCohort: [Int32]
        let policy: DNSPolicy

        init(_ c: Config) {
            let n = c.clients.resolvers
            share = c.clients.resolverShares
            queryRate = share.map { $0 * c.clients.dnsQueriesPerSecond }
            classes = c.clients.resolverMix
            classCount = c.clients.resolverClassCounts
            smallResolvers = c.clients.smallResolvers
            kinds = c.clients.clientMix
            cohorts = share.map {
                min(ClientPopulation.maxCohorts, max(1, Int(($0 / ClientPopulation.cohortWeightTarget).rounded(.up))))
            }
            firstCohort = []
            weight = []
            for r in 0..<n {
                firstCohort.append(weight.count)
                for k in kinds {
                    let m = k.cache == .none ? 1 : cohorts[r]
                    let w = Int64((share[r] * k.share * 4_294_967_296 / Double(m)).rounded())
                    weight += Array(repeating: w, count: m)
                }
            }
            totalWeight = weight.reduce(0, +)
            ttl = c.dns.ttl
            // Resolvers join the group furthest below its traffic share, largest resolvers first, so
            // that the groups carry their shares without chance (each resolver serves one place).
            let shares = c.clients.geography.map(\.share)
            var carried = [Double](repeating: 0, count: max(1, shares.count))
            group = share.map { w in
                guard shares.count > 1 else { return 0 }
                let g = shares.indices.max { shares[$0] - carried[$0] < shares[$1] - carried[$1] }!
                carried[g] += w
                return g
            }
            resolverOfCohort = []
            for r in 0..<n {
                let count =
                    firstCohort.count > r + 1 ? firstCohort[r + 1] - firstCohort[r] : weight.count - firstCohort[r]
                resolverOfCohort += Array(repeating: Int32(r), count: count)
            }
            policy = DNSPolicy(c)
            browsers = kinds.map { BrowserCache($0, ttl: c.dns.ttl) }
            servesStale = classes.contains { if case .serveStale = $0.behaviour { true } else { false } }
            drawOffset = [0]
            let weighted = policy.policy == .weighted
            let cached = kinds.filter { $0.cache != .none }.count
            for r in 0..<n { drawOffset.append(drawOffset[r] + (weighted ? 1 : 0) + 2 + cached * cohorts[r]) }
        }

        /// The stationary state of each client kind's cache behind a resolver that keeps answers for the
        /// TTL (the browsers'; a placeholder for the other kinds).
        var browsers: [BrowserCache]
        /// Whether any resolver class serves stale answers.
        var servesStale: Bool

        /// Where each resolver's numbers start among an answer change's draws (`draws(forChange:)`), and
        /// their total at the end.
        var drawOffset: [Int]
        var drawCount: Int { drawOffset[drawOffset.count - 1] }
    }

    /// One cohort's move to `target` (regions, then the load balancer), the answer of change
    /// `change`, at `time` [µs].
    struct Move {
        var time: Int64
        var cohort: Int32
        var change: Int16
        var target: Int16

        /// t [s] (0 ≤ t < 2⁵² µs) in whole microseconds, rounded half away from zero: the same as
        /// `Int64((t * 1e6).rounded())`, without a call to libm (x − trunc(x) is exact).
        @inline(__always) static func microseconds(_ t: Double) -> Int64 {
            let x = t * 1_000_000
            let whole = Int64(x)
            return x - Double(whole) >= 0.5 ? whole + 1 : whole
        }
    }

    let plan: Plan
    /// Effective TTL of each resolver in this replication [s].
    var effectiveTTL: [Double] = []
    /// The reply TTL [s] each resolver gives the expired answer it serves, −1 for one that does not
    /// serve stale answers (docs/model.md, "Resolvers").
    var staleReplyTTL: [Double] = []
    /// The client kinds' stationary states behind the resolvers whose effective TTL is not the TTL,
    /// worked out once a replication: `caches[index[res] · kinds + k]`, index −1 for the others.
    var memberBrowsers: (index: [Int32], caches: [BrowserCache]) = ([], [])
    /// Scratch: the small resolvers not yet drawn into a class.
    var pool: [Int32] = []
    /// The caches' state carried from one answer change to the next in a replication (docs/model.md,
    /// "Cache state carries across answer changes"): when each resolver lets go of the answer it held
    /// at the last change, and when it let go at the one before (`heldBefore`); when each JVM cohort
    /// refreshes (one of its refresh times); when each browser cohort's last copy of the old answer
    /// expired and the time from which it waits for its user's next request, which gets it the new
    /// answer (`carriedBrowser`) [s].
    final class CarriedState {
        let letGoAt: UnsafeMutableBufferPointer<Double>
        let heldBefore: UnsafeMutableBufferPointer<Double>
        let refreshAt: UnsafeMutableBufferPointer<Double>
        let expiredAt: UnsafeMutableBufferPointer<Double>
        let waitsFrom: UnsafeMutableBufferPointer<Double>

        init(resolvers: Int, cohorts: Int) {
            letGoAt = .allocate(capacity: resolvers)
            letGoAt.initialize(repeating: 0)
            heldBefore = .allocate(capacity: resolvers)
            heldBefore.initialize(repeating: 0)
            refreshAt = .allocate(capacity: cohorts)
            refreshAt.initialize(repeating: 0)
            expiredAt = .allocate(capacity: cohorts)
            expiredAt.initialize(repeating: 0)
            waitsFrom = .allocate(capacity: cohorts)
            waitsFrom.initialize(repeating: 0)
        }

        deinit {
            letGoAt.deallocate()
            heldBefore.deallocate()
            refreshAt.deallocate()
            expiredAt.deallocate()
            waitsFrom.deallocate()
        }
    }
    let carried: CarriedState
    /// Most holding cycles a resolver's state is carried through between two changes; past that its
    /// state is drawn afresh, as at the first change.
    static let maxCarriedCycles = 1000

    init(plan: Plan) {
        self.plan = plan
        carried = CarriedState(resolvers: plan.share.count, cohorts: plan.weight.count)
    }

    /// One member of a flooring or extending class in one replication: which resolver, the class's
    /// index in `plan.classes`, and the extension drawn for it (`extra`, 0 for a flooring class).
    struct ClassDraw {
        var resolver: Int32
        var klass: Int32
        var extra: Double
    }

    /// Each resolver's class in the last draw: its index in `plan.classes`, or −1 for one that honours
    /// TTLs. Kept only when `recordsClasses` (the incident trace sets it; a run has no use for it).
    private(set) var resolverClass: [Int8] = []
    var recordsClasses = false

    /// Draws the members of each flooring or extending class for a replication into `out`. Every such
    /// class gets exactly its count of resolvers, drawn without replacement among the small ones, in the
    /// order of the mix; every other resolver, the large ones included, honours the TTL (docs/model.md,
    /// "Resolvers"). Each member draws from its own stream (`r` keyed by an item of `key`): which small
    /// resolver it is, then its extension, so a setting that changes how many numbers one extension
    /// takes (its distribution) leaves the others' draws as they were. The TTL plays no part, so the
    /// points of a sweep over it share these draws (`SharedWork`).
    mutating func drawClasses(_ r: RandomStream, key: StreamKey, into out: inout [ClassDraw]) {
        let n = plan.share.count
        out.removeAll(keepingCapacity: true)
        pool.removeAll(keepingCapacity: true)
        pool.append(contentsOf: (Int32(n - plan.smallResolvers)..<Int32(n)))
        var left = pool.count
        // Streams are numbered by the class's place among those that draw, so honouring classes
        // anywhere in the mix change nothing.
        var drawing = 0
        for k in plan.classes.indices where plan.classes[k].behaviour != .honour {
            defer { drawing += 1 }
            for member in 0..<plan.classCount[k] where left > 0 {
                r.rekey(key, item: Streams.item(drawing, member))
                let j = Int(r.uniform() * Double(left))
                let res = pool[j]
                pool.swapAt(j, left - 1)
                left -= 1
                var ext = 0.0
                if case .extend(let d) = plan.classes[k].behaviour { ext = d.sample(r) }
                out.append(ClassDraw(resolver: res, klass: Int32(k), extra: ext))
            }
        }
    }

    /// Sets each resolver's effective TTL for this replication from its class (`drawClasses`).
    mutating func setClasses(_ draws: [ClassDraw]) {
        let n = plan.share.count
        effectiveTTL.removeAll(keepingCapacity: true)
        effectiveTTL.append(contentsOf: repeatElement(plan.ttl, count: n))
        staleReplyTTL.removeAll(keepingCapacity: true)
        staleReplyTTL.append(contentsOf: repeatElement(-1, count: n))
        memberBrowsers.index.removeAll(keepingCapacity: true)
        memberBrowsers.index.append(contentsOf: repeatElement(-1, count: n))
        memberBrowsers.caches.removeAll(keepingCapacity: true)
        if recordsClasses {
            resolverClass.removeAll(keepingCapacity: true)
            resolverClass.append(contentsOf: repeatElement(-1, count: n))
        }
        for d in draws {
            let res = Int(d.resolver)
            switch plan.classes[Int(d.klass)].behaviour {
            case .honour: break
            case .floor(let f): effectiveTTL[res] = max(plan.ttl, f)
            case .extend: effectiveTTL[res] = plan.ttl + d.extra
            case .serveStale(let t): staleReplyTTL[res] = t
            }
            if effectiveTTL[res] != plan.ttl {
                memberBrowsers.index[res] = Int32(memberBrowsers.caches.count / plan.kinds.count)
                for kind in plan.kinds { memberBrowsers.caches.append(BrowserCache(kind, ttl: effectiveTTL[res])) }
            }
            if recordsClasses { resolverClass[res] = Int8(d.klass) }
        }
    }

    /// Each cohort's answer before any change, with record health `health` (weighted routing draws
    /// each resolver's answer).
    func initialTargets(health: [Bool], _ r: RandomStream, into targets: inout [Int16]) {
        if targets.count != plan.weight.count { targets = [Int16](repeating: 0, count: plan.weight.count) }
        // Under failover routing every resolver gets the same answer.
        let common: Int16? = plan.policy.policy == .failover ? plan.policy.answer(healthy: health, group: 0, u: 0) : nil
        targets.withUnsafeMutableBufferPointer { out in
            for res in plan.share.indices {
                let u = plan.policy.policy == .weighted ? r.uniform() : 0
                let t = common ?? plan.policy.answer(healthy: health, group: plan.group[res], u: u)
                let end = res + 1 < plan.firstCohort.count ? plan.firstCohort[res + 1] : plan.weight.count
                for c in plan.firstCohort[res]..<end { out[c] = t }
            }
        }
    }

    /// The numbers the resolvers draw at answer change `change` (1-based), into `out` in
    /// `plan.drawOffset`'s layout. Each resolver draws from its own stream (the item (change, resolver)
    /// of `key`) the same count of numbers whatever they decide: its weighted answer
    /// (under weighted routing), whether it holds the old answer and how long it has left, then a cache
    /// phase for each cohort of each client kind with a cache. They depend on neither the TTL nor the
    /// change's time, so the points of a sweep that share a client population share them (`SharedWork`).
    func draws(forChange change: Int, key: StreamKey, into out: UnsafeMutableBufferPointer<Double>) {
        let offset = plan.drawOffset
        for res in 0..<offset.count - 1 {
            RandomStream.uniforms(
                key, item: Streams.item(change, res),
                into: UnsafeMutableBufferPointer(rebasing: out[offset[res]..<offset[res + 1]]))
        }
    }

    /// The streams an answer change draws from: each resolver's (`draws(forChange:)`), and each cohort's
    /// connection from another of its own (how many numbers that takes depends on the endpoints' state).
    /// So a setting that changes one resolver's or connection's path leaves every other one's draws as
    /// they were: common random numbers between configs (docs/model.md, "Common random numbers").
    final class Streams {
        let connection: RandomStream
        /// A serve-stale resolver's wait for the first query after an expiry, at each answer change: items
        /// `firstQueryItems` + resolver of `resolverKey`, so resolvers of other classes draw as before.
        let firstQuery: RandomStream
        static let firstQueryItems = 1 << 31
        /// A resolver's waits for its next query between two answer changes (`carriedLetGo`): items
        /// `renewalItems` + resolver of `resolverKey` at each change after the first.
        let renewal: RandomStream
        static let renewalItems = 1 << 30
        /// A browser cohort's waits for its user's next request between two answer changes
        /// (`carriedBrowser`): items `browserItems` + cohort of `resolverKey` at each change after the first.
        let browser: RandomStream
        static let browserItems = 3 << 29
        private(set) var resolverKey: StreamKey
        private(set) var connectionKey: StreamKey

        init(_ key: StreamKey) {
            connection = RandomStream(key: key)
            firstQuery = RandomStream(key: key)
            renewal = RandomStream(key: key)
            browser = RandomStream(key: key)
            resolverKey = key
            connectionKey = key
        }

        /// Starts a replication: `clients` and `connections` are its components' keys.
        func rekey(clients: StreamKey, connections: StreamKey) {
            resolverKey = clients
            connectionKey = connections
        }

        /// Item `index` (a resolver or a cohort) at answer change `change`.
        @inline(__always) static func item(_ change: Int, _ index: Int) -> UInt64 {
            UInt64(change) << 32 | UInt64(index)
        }
    }

    /// What decides, besides the caches, when a cohort that has picked up a new answer moves: the rules
    /// that end its open connection to the old address (docs/model.md, "Connections"), the replication's
    /// faults and the connections' streams. Moves later than `cap` [µs] are recorded at `cap` (after the
    /// horizon, where their exact time does not matter).
    struct Departures {
        let connections: ConnectionRules
        let faults: FaultTimeline
        let streams: Streams
        let cap: Int64
    }

    /// Appends every cohort's move at answer change `change`, the `number`th (1-based), to `out`. A
    /// cohort whose latest target in `out` is the new answer does not move.
    ///
    /// A cohort picks the new answer up when its caches let go of the old one (see the type's
    /// discussion), and moves when its open connection to the old address ends (`departures`).
    /// `draws` are the resolvers' numbers for this change (`draws(forChange:)`).
    func moves(
        at change: AnswerChange, number: Int, draws: UnsafeBufferPointer<Double>, _ departures: Departures,
        into out: inout MoveList
    ) {
        out.reserve(cohorts: plan.weight.count)
        let moving = ChangeMoves(number: number, at: change.time, cohorts: plan.weight.count, departures)
        let policy = plan.policy
        let health = change.health
        let weighted = policy.policy == .weighted
        // Under failover routing every resolver gets the same answer.
        let common: Int16? = policy.policy == .failover ? policy.answer(healthy: health, group: 0, u: 0) : nil
        for res in plan.share.indices {
            var next = ResolverDraws(draws: draws, at: plan.drawOffset[res])
            let target = common ?? policy.answer(healthy: health, group: plan.group[res], u: weighted ? next() : 0)
            let letGo = resolverLetGo(res, &next, moving)
            moveClients(of: res, to: target, resolverLetGo: letGo, &next, moving, into: &out)
        }
    }

    /// When resolver `res` lets go of the old answer, R [s] after the change (docs/model.md,
    /// "Resolvers"). At the first change, from the stationary state: with probability L / (L + 1/λ) it
    /// holds an answer, for a time uniform on [0, L]; else 0. At a later one, from its state: still
    /// holding what it held at the last change until then, or refetched since (`carriedLetGo`).
    @inline(__always) private func resolverLetGo(
        _ res: Int, _ next: inout ResolverDraws, _ moving: borrowing ChangeMoves
    ) -> Double {
        let L = effectiveTTL[res]
        let lam = plan.queryRate[res]
        // Both numbers are drawn whatever they decide, so that the phases after them stay paired.
        let holds = next()
        let left = next()
        var R = L > 0 && holds < lam * L / (lam * L + 1) ? left * L : 0
        if moving.change > 1, let carried = carriedLetGo(res, ttl: L, rate: lam, moving) { R = carried }
        carried.heldBefore[res] = carried.letGoAt[res]
        carried.letGoAt[res] = moving.t0 + R
        return R
    }

    /// Resolver `res`'s let-go at a later change, from the renewal process since the last one: it held
    /// an answer until `letGoAt`, then fetches at the next query (an exponential wait, rate λ), holds
    /// that answer for L, and so on. R is what is left of the answer it holds at the change, 0 if it
    /// is empty then. The waits come from the resolver's own stream for this change (their count
    /// depends on L, so no other number moves with it); nil past `maxCarriedCycles` cycles.
    @inline(__always) private func carriedLetGo(
        _ res: Int, ttl L: Double, rate lam: Double, _ moving: borrowing ChangeMoves
    ) -> Double? {
        let t = moving.t0
        let held = carried.letGoAt[res]
        if held > t { return held - t }
        guard L > 0 else { return 0 }
        let r = moving.renewalStream(res)
        var fetch = held + r.exponential(mean: 1 / lam)
        for _ in 0..<Self.maxCarriedCycles {
            if fetch > t { return 0 }
            if fetch + L > t { return fetch + L - t }
            fetch += L + r.exponential(mean: 1 / lam)
        }
        return nil
    }

    /// The cohort behind serve-stale resolver `res` that gets the expired answer, and how much longer it
    /// keeps it [s]; cohort −1 behind any other resolver, or when no cohort gets it (docs/model.md,
    /// "Resolvers"). The resolver lets go of the old answer at R and answers the first query after that
    /// with it; the rest of its clients' queries first reach it X ~ Exp(λ) after R (its own stream). The
    /// stale reply goes to the cohort with a cache whose first lookup at or after R is the earliest, if
    /// it comes before R + X: a browser keeps it for max(reply TTL, floor), a JVM for its cache time. A
    /// stub keeps nothing, so the one stale lookup among its own is no share of its traffic.
    @inline(__always) private func staleCohort(
        of res: Int, resolverLetGo R: Double, _ draws: ResolverDraws, _ moving: borrowing ChangeMoves
    ) -> (cohort: Int, keep: Double) {
        guard plan.servesStale else { return (-1, 0) }
        let replyTTL = staleReplyTTL[res]
        guard replyTTL >= 0 else { return (-1, 0) }
        var next = draws
        var cohort = plan.firstCohort[res]
        var first = (cohort: -1, at: R + moving.firstQueryGap(res, rate: plan.queryRate[res]), keep: 0.0)
        for k in plan.kinds.indices {
            let m = plan.kinds[k].cache == .none ? 1 : plan.cohorts[res]
            let browser = browserCache(k, behind: res)
            for i in 0..<m {
                var letGo = clientLetGo(plan.kinds[k].cache, browser, i, of: m, resolverLetGo: R, &next)
                letGo = carriedRefresh(letGo, plan.kinds[k].cache, cohort, resolverLetGo: R, moving)
                // A browser that expired before R, waiting for its user's next request, looks up after
                // R by as long again (the wait left has the law of the wait so far); at a later change,
                // its carried state gives that lookup.
                var at = max(letGo, 2 * R - letGo)
                if moving.change > 1, case .floor = plan.kinds[k].cache {
                    at = carriedBrowser(cohort, browser, behind: res, resolverLetGo: R, moving).lookup
                }
                switch plan.kinds[k].cache {
                case .none: break
                case .fixed(let h): if at < first.at { first = (cohort, at, h) }
                case .floor(let f): if at < first.at { first = (cohort, at, max(replyTTL, f)) }
                }
                cohort += 1
            }
        }
        return (first.cohort, first.keep)
    }

    /// Moves resolver `res`'s cohorts, client kind by client kind, to `target`, when their own caches
    /// let go of the old answer (docs/model.md, "Client caches"); the resolver lets go at R [s]. A
    /// cohort served the expired answer (`staleCohort`) keeps it longer.
    @inline(__always) private func moveClients(
        of res: Int, to target: Int16, resolverLetGo R: Double,
        _ next: inout ResolverDraws, _ moving: borrowing ChangeMoves,
        into out: inout MoveList
    ) {
        let stale = staleCohort(of: res, resolverLetGo: R, next, moving)
        let first = moving.change == 1
        var cohort = plan.firstCohort[res]
        for k in plan.kinds.indices {
            let cache = plan.kinds[k].cache
            let m = cache == .none ? 1 : plan.cohorts[res]
            let browser = browserCache(k, behind: res)
            for i in 0..<m {
                var client = clientLetGo(cache, browser, i, of: m, resolverLetGo: R, &next)
                switch cache {
                case .none: break
                case .fixed:
                    if first {
                        carried.refreshAt[cohort] = moving.t0 + client
                    } else {
                        client = carriedRefresh(client, cache, cohort, resolverLetGo: R, moving)
                    }
                case .floor:
                    if !first { client = carriedBrowser(cohort, browser, behind: res, resolverLetGo: R, moving).letGo }
                }
                if cohort == stale.cohort { client = max(client, 2 * R - client) + stale.keep }
                if case .floor = cache {
                    // Its next lookup, an exponential wait from here, gets the new answer.
                    carried.expiredAt[cohort] = moving.t0 + client
                    carried.waitsFrom[cohort] = moving.t0 + max(client, R)
                }
                moving.move(cohort, to: target, resolver: R, client: client, into: &out)
                cohort += 1
            }
        }
    }

    /// A JVM cohort keeps its refresh phase for the whole replication: after the first change it moves
    /// at its first refresh at or after R, on its own grid of refreshes every h seconds; `letGo` [s] is
    /// kept for every other cohort and at the first change.
    @inline(__always) private func carriedRefresh(
        _ letGo: Double, _ cache: Config.Clients.ClientKind.Cache, _ cohort: Int, resolverLetGo R: Double,
        _ moving: borrowing ChangeMoves
    ) -> Double {
        guard moving.change > 1, case .fixed(let h) = cache, h > 0 else { return letGo }
        let phase = carried.refreshAt[cohort]
        let due = moving.t0 + R
        return phase + ((due - phase) / h).rounded(.up) * h - moving.t0
    }

    /// A browser cohort's let-go at a later change and the lookup that gets it the new answer [s after
    /// the change], from its state since the last one (docs/model.md, "Cache state carries across answer
    /// changes"): its last copy of the old answer expired at `expiredAt`; its user's next request, an
    /// exponential wait of mean θ from `waitsFrom`, looks the name up. Each lookup before the resolver
    /// lets go of this change's old answer (at R) gets the answer the resolver then holds
    /// (`ResolverWalk`), kept for max(its life left, f); the first that gets the new one ends the walk,
    /// and the let-go is the expiry of the last copy before it, not before the change. The waits come
    /// from the cohort's own stream for this change. `browser` gives f and θ. Past `maxCarriedCycles`
    /// lookups the stationary state stands.
    @inline(never) private func carriedBrowser(
        _ cohort: Int, _ browser: BrowserCache, behind res: Int, resolverLetGo R: Double,
        _ moving: borrowing ChangeMoves
    ) -> (letGo: Double, lookup: Double) {
        let f = browser.floor
        let theta = browser.lookupDelay
        let r = moving.browserStream(cohort)
        var walk = ResolverWalk(
            heldUntil: carried.heldBefore[res], ttl: effectiveTTL[res], rate: plan.queryRate[res], change: moving.t0,
            moving.renewalStream(res))
        let letGoAt = moving.t0 + R
        var expired = carried.expiredAt[cohort]
        var lookup = carried.waitsFrom[cohort] + (theta > 0 ? r.exponential(mean: theta) : 0)
        for _ in 0..<Self.maxCarriedCycles {
            guard lookup < letGoAt,
                let got = lookup < moving.t0 ? walk.answer(at: lookup) : (lookup, letGoAt - lookup)
            else { return (max(expired - moving.t0, 0), max(lookup - moving.t0, R)) }
            expired = got.at + max(got.left, f)
            lookup = expired + (theta > 0 ? r.exponential(mean: theta) : 0)
        }
        return (max(expired - moving.t0, 0), max(lookup - moving.t0, R))
    }

    /// Client kind `k`'s stationary state behind resolver `res`: the plan's for a resolver that keeps
    /// answers for the TTL, else worked out for its effective TTL.
    @inline(__always) private func browserCache(_ k: Int, behind res: Int) -> BrowserCache {
        let member = Int(memberBrowsers.index[res])
        return member < 0 ? plan.browsers[k] : memberBrowsers.caches[member * plan.kinds.count + k]
    }

    /// When cohort `i` of `m` of a client kind with cache `cache` lets go of the old answer [s], its
    /// resolver letting go at R: its traffic uses the new answer from then on (unless it is served a
    /// stale one, `staleCohort`). Takes the cohort's phase from `next` (none for a stub).
    ///
    /// A stub moves at R; a JVM at its first refresh at or after R, R + u·h; a browser by its
    /// stationary state (`browser`).
    @inline(__always) private func clientLetGo(
        _ cache: Config.Clients.ClientKind.Cache, _ browser: BrowserCache, _ i: Int, of m: Int,
        resolverLetGo R: Double, _ next: inout ResolverDraws
    ) -> Double {
        switch cache {
        case .none: return R
        case .fixed(let h): return R + (Double(i) + next()) / Double(m) * h
        case .floor: return browser.letGo(phase: (Double(i) + next()) / Double(m), resolverLetGo: R)
        }
    }
}

/// A resolver's answers between two changes, as its renewal process since the last one gives them
/// (`ClientPopulation.carriedLetGo`, whose waits it draws again, in order, from the same stream):
/// it holds an answer until `heldUntil`, fetches at the next query, holds that for L, and so on.
private struct ResolverWalk {
    var heldUntil: Double
    var nextFetch: Double
    let ttl: Double
    let mean: Double
    let change: Double
    let stream: RandomStream

    init(heldUntil: Double, ttl L: Double, rate lam: Double, change t: Double, _ stream: RandomStream) {
        self.heldUntil = heldUntil
        ttl = L
        mean = 1 / lam
        change = t
        self.stream = stream
        nextFetch = L > 0 && heldUntil <= t ? heldUntil + stream.exponential(mean: mean) : .infinity
    }

    /// The answer a lookup at `t` (not before the last lookup, before the change) gets: when it comes
    /// and its life left [s], what is left of the answer the resolver holds; an empty resolver answers
    /// with its next fetch (one client is a negligible part of its flow of queries). nil if that fetch
    /// comes at or after the change: the lookup gets the new answer. A resolver that keeps nothing
    /// (L = 0) fetches the answer of the moment for each lookup.
    mutating func answer(at t: Double) -> (at: Double, left: Double)? {
        guard ttl > 0 else { return (t, 0) }
        while nextFetch <= t && nextFetch < change {
            heldUntil = nextFetch + ttl
            nextFetch = heldUntil <= change ? heldUntil + stream.exponential(mean: mean) : .infinity
        }
        if t < heldUntil { return (t, heldUntil - t) }
        return nextFetch < change ? (nextFetch, ttl) : nil
    }
}

/// One resolver's numbers at an answer change (`ClientPopulation.draws(forChange:)`), taken in order.
private struct ResolverDraws {
    let draws: UnsafeBufferPointer<Double>
    var at: Int

    /// The resolver's next number.
    @inline(__always) mutating func callAsFunction() -> Double {
        defer { at &+= 1 }
        return draws[at]
    }
}

/// One answer change as its cohorts move: its number, when it happened and the horizon [s], each
/// target's settled state from then on (`ConnectionRules.settled`), what ends the connections, and the
/// connections' stream with its key.
private struct ChangeMoves {
    let change: Int
    let changeTag: Int16
    let cohorts: Int
    let t0: Double
    let horizon: Double
    let settled: [ConnectionRules.Settled?]
    let departures: ClientPopulation.Departures
    let connection: RandomStream
    let connectionKey: StreamKey

    init(number: Int, at t: Int64, cohorts: Int, _ departures: ClientPopulation.Departures) {
        change = number
        changeTag = Int16(number)
        self.cohorts = cohorts
        t0 = ModelTime.seconds(t)
        horizon = ModelTime.seconds(departures.cap)
        settled = departures.connections.settled(from: t0, departures.faults)
        self.departures = departures
        connection = departures.streams.connection
        connectionKey = departures.streams.connectionKey
    }

    /// Resolver `res`'s stream of waits between this change and the last (`ClientPopulation.carriedLetGo`).
    @inline(__always) func renewalStream(_ res: Int) -> RandomStream {
        let r = departures.streams.renewal
        r.rekey(
            departures.streams.resolverKey,
            item: ClientPopulation.Streams.item(change, ClientPopulation.Streams.renewalItems + res))
        return r
    }

    /// Browser cohort `cohort`'s stream of waits between this change and the last
    /// (`ClientPopulation.carriedBrowser`).
    @inline(__always) func browserStream(_ cohort: Int) -> RandomStream {
        let r = departures.streams.browser
        r.rekey(
            departures.streams.resolverKey,
            item: ClientPopulation.Streams.item(change, ClientPopulation.Streams.browserItems + cohort))
        return r
    }

    /// Serve-stale resolver `res`'s wait [s] from its expiry to the first query of its flow (rate
    /// `rate` [1/s]) at this change, from its own stream.
    @inline(__always) func firstQueryGap(_ res: Int, rate: Double) -> Double {
        let r = departures.streams.firstQuery
        r.rekey(
            departures.streams.resolverKey,
            item: ClientPopulation.Streams.item(change, ClientPopulation.Streams.firstQueryItems + res))
        return r.exponential(mean: 1 / rate)
    }

    /// Moves `cohort` to `target` unless it is there already: its resolver lets go of the old answer
    /// `resolver` [s] after the change, its own cache `client` [s] after it, and it leaves when its
    /// connection to the old address ends.
    @inline(__always) func move(
        _ cohort: Int, to target: Int16, resolver: Double, client: Double,
        into out: inout MoveList
    ) {
        let old = out.latestTarget(cohort)
        guard old != target else { return }
        out.recordLetGo(change: change, cohort: cohort, cohorts: cohorts, resolver: t0 + resolver, client: t0 + client)
        var at = t0 + client
        if at < horizon {
            connection.rekey(connectionKey, item: ClientPopulation.Streams.item(change, cohort))
            at = departures.connections.release(
                from: Int(old), at: at, faults: departures.faults,
                settled: settled[Int(old)], connection)
        }
        let time = at >= horizon ? departures.cap : ClientPopulation.Move.microseconds(at)
        out.append(ClientPopulation.Move(time: time, cohort: Int32(cohort), change: changeTag, target: target))
    }
}
