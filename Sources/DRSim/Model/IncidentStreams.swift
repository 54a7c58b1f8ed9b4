/// The random streams of one incident, one field per row of docs/model.md's table of streams ("Keyed
/// random streams"), in its order. Each is keyed by (seed, replication, component name), so a
/// component's numbers never depend on which other components exist.
///
/// Made once per simulator and rekeyed for each replication (`rekey(replication:)`): nothing is
/// allocated per replication. Not thread-safe: one per worker.
final class IncidentStreams {
    /// `healthcheck/<id>`, one per health check: checker phases and stationary states, probe outcomes
    /// and round trips, status-to-DNS delays.
    let healthChecks: [RandomStream]
    /// `loadbalancer`: prober phases, probe round trips and outcomes, reprogramming delays.
    let loadBalancer: RandomStream
    /// `fault/<id>`, one per fault: its start, then its duration.
    let faults: [RandomStream]
    /// `scaleup/<region>`, one per region: its scale-up time.
    let scaleUps: [RandomStream]
    /// `activation/<region>`, one per region: its activation delay.
    let activations: [RandomStream]
    /// `repoint/<k>`, one per repointing of the writes: its reconfiguration delay (`repoint(_:)`).
    private let repointStream: RandomStream
    /// `resolvers`: one stream per member of a flooring or extending class, items of `resolverKey`.
    let resolvers: RandomStream
    private(set) var resolverKey: StreamKey
    /// `clients`: the first answers' weighted-routing draws.
    let clients: RandomStream
    /// `clients` and `connections` at each answer change: each resolver's and each cohort's own stream.
    let connections: ClientPopulation.Streams
    /// `writes`: unreplicated writes and their ages.
    let writes: RandomStream
    /// `conflicts`: the writes lost to last-writer-wins.
    let conflicts: RandomStream
    /// `write_latency`: MRSC's sampled write, when it was made and its lags.
    let writeLatency: RandomStream

    /// The component names of the streams that come one per part, built once.
    private let healthCheckNames: [String]
    private let faultNames: [String]
    private let scaleUpNames: [String]
    private let activationNames: [String]
    private let seed: UInt64
    private var replication: UInt64 = 0

    init(_ config: Config) {
        seed = config.seed
        let key = StreamKey(seed: config.seed, replication: 0, component: "")
        healthChecks = config.healthChecks.map { _ in RandomStream(key: key) }
        loadBalancer = RandomStream(key: key)
        faults = config.faults.map { _ in RandomStream(key: key) }
        scaleUps = config.regions.map { _ in RandomStream(key: key) }
        activations = config.regions.map { _ in RandomStream(key: key) }
        repointStream = RandomStream(key: key)
        resolvers = RandomStream(key: key)
        resolverKey = key
        clients = RandomStream(key: key)
        connections = ClientPopulation.Streams(key)
        writes = RandomStream(key: key)
        conflicts = RandomStream(key: key)
        writeLatency = RandomStream(key: key)
        healthCheckNames = config.healthChecks.map { "healthcheck/" + $0.id }
        faultNames = config.faults.map { "fault/" + $0.id }
        scaleUpNames = config.regions.map { "scaleup/" + $0.name }
        activationNames = config.regions.map { "activation/" + $0.name }
    }

    /// The key of `component`'s stream in the current replication.
    private func key(_ component: String) -> StreamKey {
        StreamKey(seed: seed, replication: replication, component: component)
    }

    /// Starts every stream of replication `i` (0-based) from its key.
    func rekey(replication i: Int) {
        replication = UInt64(i)
        for (k, name) in healthCheckNames.enumerated() { healthChecks[k].rekey(key(name)) }
        loadBalancer.rekey(key("loadbalancer"))
        for (k, name) in faultNames.enumerated() { faults[k].rekey(key(name)) }
        for (r, name) in scaleUpNames.enumerated() { scaleUps[r].rekey(key(name)) }
        for (r, name) in activationNames.enumerated() { activations[r].rekey(key(name)) }
        resolverKey = key("resolvers")
        let clientKey = key("clients")
        clients.rekey(clientKey)
        connections.rekey(clients: clientKey, connections: key("connections"))
        writes.rekey(key("writes"))
        conflicts.rekey(key("conflicts"))
        writeLatency.rekey(key("write_latency"))
    }

    /// The stream of the current replication's repointing `k` (0-based), started from its key.
    func repoint(_ k: Int) -> RandomStream {
        repointStream.rekey(key("repoint/\(k)"))
        return repointStream
    }
}
