/// Which points of a run of several configs share each part of the work (`SharedWork`): per point,
/// the first point with equal inputs to that part, itself if there is none before it.
public struct WorkSharing: Sendable, Equatable {
    /// The faults and the failover simulation: equal `SharedWork.FailoverInputs`.
    public var failover: [Int]
    /// Which resolvers floor or extend the TTL, and their extensions: the same seed and clients.
    public var resolverClasses: [Int]
    /// The resolvers' numbers at each answer change: the same seed and clients, and weighted routing or not.
    public var resolverDraws: [Int]

    /// For each group of `groups` (one of the lists above), by its index (that of its first point):
    /// whether it has more than one point.
    static func sharedWithOthers(_ groups: [Int]) -> [Bool] {
        var size: [Int: Int] = [:]
        for g in groups { size[g, default: 0] += 1 }
        return groups.indices.map { size[$0, default: 0] > 1 }
    }

    public init(_ configs: [Config]) {
        func groups<K: Equatable>(_ key: (Config) -> K) -> [Int] {
            let keys = configs.map(key)
            return keys.indices.map { k in keys.firstIndex(of: keys[k])! }
        }
        failover = groups(SharedWork.FailoverInputs.init)
        resolverClasses = groups { SharedWork.ClientInputs(seed: $0.seed, clients: $0.clients, weighted: false) }
        resolverDraws = groups {
            SharedWork.ClientInputs(seed: $0.seed, clients: $0.clients, weighted: $0.dns.policy == .weighted)
        }
    }
}

/// What the points of a sweep (or the two sides of a comparison) share when one worker runs the same
/// replications of each in turn (docs/model.md, "Sweeps share work"). Every point draws its numbers
/// from streams keyed by (seed, replication, component), so two points whose inputs to a part of the
/// model are equal compute that part identically; the first point to reach it in a replication
/// computes it, and the others take its result:
///
/// - the faults and the failover simulation (health checks, DNS answers, the load balancer's routing,
///   activations), for points equal in `FailoverInputs`: a TTL sweep simulates them once per incident;
/// - which resolvers floor or extend the TTL, and their extensions, for points with the same seed and
///   client population (the TTL itself is applied by each point);
/// - the numbers each resolver draws at each answer change (`ClientPopulation.draws(forChange:)`),
///   for points with the same seed, client population and whether routing is weighted.
///
/// A point's results are byte for byte those of a run of it alone, however the points are grouped.
/// One per worker; not thread-safe.
final class SharedWork {
    /// What the faults and the failover simulation read from a config: equal inputs, equal results.
    struct FailoverInputs: Equatable {
        var seed: UInt64
        var horizon: Double
        var regions: [Config.Region]
        var healthChecks: [Config.HealthCheck]
        var records: [Config.DNS.Record]
        var policy: Config.DNS.Policy
        var loadBalancer: Config.LoadBalancer?
        var faults: [Config.Fault]

        init(_ c: Config) {
            seed = c.seed
            horizon = c.horizon
            regions = c.regions
            healthChecks = c.healthChecks
            records = c.dns.records
            policy = c.dns.policy
            loadBalancer = c.loadBalancer
            faults = c.faults
        }
    }

    /// What the resolvers' classes and draws read from a config.
    struct ClientInputs: Equatable {
        var seed: UInt64
        var clients: Config.Clients
        var weighted: Bool
    }

    /// A failover simulation's outcome: the model's state at the horizon, the DNS answer before the
    /// fault, and the faults it ran on.
    struct Failover {
        var model: FailoverModel
        var initialAnswer: Config.Target
        var faults: FaultTimeline
        var spans: [(from: Double, until: Double)]
    }

    /// Per point, the first point with equal inputs to each part (itself if none before it).
    let failoverGroup: [Int]
    let classGroup: [Int]
    let drawGroup: [Int]
    /// Per group, whether another point takes the failover simulation from it: only then is its
    /// result kept (a copy kept would make the next replication's simulation copy its state first).
    let failoverShared: [Bool]
    /// Per group, whether another point takes the resolvers' numbers from it.
    let drawsShared: [Bool]
    /// The most numbers one replication's table of a group may hold (`drawBudget` over the slots of
    /// a chunk and the groups that share): a point whose answer changes need more draws its own,
    /// one change at a time, as a point that shares with none does.
    let drawLimit: Int
    /// The memory a worker may give to the tables of resolvers' numbers it keeps for other points.
    static let drawBudget = 64e6
    /// The replications whose results are held.
    private(set) var replications = 0..<0
    /// Per group and replication (`slot`), the result once a point has computed it.
    var failover: [[Failover?]]
    var classes: [[[ClientPopulation.ClassDraw]]]
    var classesDrawn: [[Bool]]
    /// Per group and replication, the draws of the answer changes drawn so far (change j's at
    /// (j − 1) · count).
    private var draws: [[[Double]]]
    private var drawnChanges: [[Int]]

    /// `slots`: the most replications started at once (`start(replications:)`).
    init(_ configs: [Config], slots: Int = 1) {
        let sharing = WorkSharing(configs)
        failoverGroup = sharing.failover
        classGroup = sharing.resolverClasses
        drawGroup = sharing.resolverDraws
        failoverShared = WorkSharing.sharedWithOthers(sharing.failover)
        drawsShared = WorkSharing.sharedWithOthers(sharing.resolverDraws)
        drawLimit = Int(Self.drawBudget / 8 / Double(max(1, slots) * max(1, drawsShared.filter { $0 }.count)))
        failover = Array(repeating: [], count: configs.count)
        classes = Array(repeating: [], count: configs.count)
        classesDrawn = Array(repeating: [], count: configs.count)
        draws = Array(repeating: [], count: configs.count)
        drawnChanges = Array(repeating: [], count: configs.count)
    }

    /// Forgets the results held and starts replications `r` (each point then runs them in any order).
    func start(replications r: Range<Int>) {
        replications = r
        for g in failover.indices {
            failover[g].removeAll(keepingCapacity: true)
            failover[g].append(contentsOf: repeatElement(nil, count: r.count))
            classesDrawn[g].removeAll(keepingCapacity: true)
            classesDrawn[g].append(contentsOf: repeatElement(false, count: r.count))
            drawnChanges[g].removeAll(keepingCapacity: true)
            drawnChanges[g].append(contentsOf: repeatElement(0, count: r.count))
            while classes[g].count < r.count { classes[g].append([]) }
            while draws[g].count < r.count { draws[g].append([]) }
        }
    }

    /// Replication `i`'s place among those held.
    func slot(_ i: Int) -> Int {
        precondition(replications.contains(i), "replication \(i) is not among the shared work's \(replications)")
        return i - replications.lowerBound
    }

    /// Group `g`'s draws in slot `s` for answer changes 1...`changes`, `count` numbers each;
    /// `draw(change, buffer)` draws those of a change not drawn yet.
    func draws(
        group g: Int, slot s: Int, changes: Int, count: Int, _ draw: (Int, UnsafeMutableBufferPointer<Double>) -> Void
    ) -> [Double] {
        if drawnChanges[g][s] < changes {
            if draws[g][s].count < changes * count {
                draws[g][s].append(contentsOf: repeatElement(0, count: changes * count - draws[g][s].count))
            }
            draws[g][s].withUnsafeMutableBufferPointer { all in
                for j in drawnChanges[g][s]..<changes {
                    draw(j + 1, UnsafeMutableBufferPointer(rebasing: all[j * count..<(j + 1) * count]))
                }
            }
            drawnChanges[g][s] = changes
        }
        return draws[g][s]
    }
}
