/// A scenario: the topology, the mechanisms' settings and the fault, with every default filled in.
///
/// Built only by `Config.decode`, which checks every key; MODEL.md defines what each value means.
public struct Config: Sendable, Equatable {
    public var name: String
    public var description: String
    public var seed: UInt64
    public var replications: Int
    /// Simulated time after the fault [s].
    public var horizon: Double
    /// Spacing of `timeline.csv` rows [s].
    public var timelineStep: Double
    /// Share of requests that must succeed for the system to count as recovered.
    public var successTarget: Double
    /// How long the success target must hold [s].
    public var stableFor: Double
    public var regions: [Region]
    public var traffic: Traffic
    public var healthChecks: [HealthCheck]
    public var dns: DNS
    public var clients: Clients
    public var database: Database
    public var faults: [Fault]

    public struct Region: Sendable, Equatable {
        public enum Role: String, Sendable { case active, passive }
        public var name: String
        public var role: Role
        /// Share of client traffic the region carries in normal operation.
        public var loadShare: Double
    }

    public struct Traffic: Sendable, Equatable {
        public var requestsPerSecond: Double
        public var writeShare: Double
    }

    public struct HealthCheck: Sendable, Equatable {
        public enum ProbeProtocol: String, Sendable { case http, https, tcp }
        public var id: String
        /// Index into `regions` of the endpoint probed.
        public var target: Int
        /// Route 53 RequestInterval [s]: 10 or 30.
        public var interval: Double
        public var failureThreshold: Int
        public var checkers: Int
        /// The endpoint is healthy while more than this share of checkers report healthy.
        public var healthyAbove: Double
        public var `protocol`: ProbeProtocol
        /// Probe round trip to a healthy endpoint [s].
        public var probeRTT: Distribution
        /// Delay from a change of the aggregate status to the DNS answers [s].
        public var statusToDNS: Distribution
        public var transientFailureProbability: Double
        public var disabled: Bool
        public var inverted: Bool

        /// The fewest healthy checkers for which the endpoint is healthy (the 18% rule).
        public var minimumHealthy: Int {
            var h = 0
            while h <= checkers, !(Double(h) / Double(checkers) > healthyAbove) { h += 1 }
            return h
        }
    }

    public struct DNS: Sendable, Equatable {
        public enum Policy: String, Sendable { case failover }
        public var policy: Policy
        /// TTL of the records [s].
        public var ttl: Double
        public var records: [Record]
        public struct Record: Sendable, Equatable {
            public enum Role: String, Sendable { case primary, secondary }
            public var id: String
            public var role: Role
            /// Index into `regions`.
            public var target: Int
            /// Index into `healthChecks`; nil = always healthy.
            public var healthCheck: Int?
        }
        public var primary: Record { records.first { $0.role == .primary }! }
        public var secondary: Record { records.first { $0.role == .secondary }! }
    }

    public struct Clients: Sendable, Equatable {
        public var resolvers: Int
        public var zipfExponent: Double
        /// DNS queries that clients send to all resolvers together [1/s].
        public var dnsQueriesPerSecond: Double
        public var resolverMix: [ResolverClass]
        public var clientMix: [ClientKind]

        public struct ResolverClass: Sendable, Equatable {
            public enum Behaviour: Sendable, Equatable {
                case honour
                /// Holds answers for at least `floor` seconds.
                case floor(Double)
                /// Holds answers for the TTL plus a per-resolver extra [s].
                case extend(Distribution)
            }
            public var share: Double
            public var behaviour: Behaviour
        }

        public struct ClientKind: Sendable, Equatable {
            public enum Cache: Sendable, Equatable {
                /// No cache of its own (every lookup reaches the resolver).
                case none
                /// Keeps an answer for max(remaining TTL, `s`) (Chrome: 60 s).
                case floor(Double)
                /// Keeps an answer for exactly `s`, whatever the TTL (the JVM: 30 s).
                case fixed(Double)
            }
            public enum Kind: String, Sendable { case browser, stub, jvm }
            public var share: Double
            public var kind: Kind
            public var cache: Cache
        }
    }

    public struct Database: Sendable, Equatable {
        public enum Mode: String, Sendable { case mrec }
        public var mode: Mode
        /// Replication lag of one write to the other replica [s].
        public var replicationLag: Distribution
    }

    public struct Fault: Sendable, Equatable {
        public enum Kind: String, Sendable { case regionOutage = "region_outage" }
        /// How a dead endpoint answers a probe: not at all (connect timeout) or with a refusal.
        public enum Mode: String, Sendable { case blackhole, refused }
        public var kind: Kind
        /// Index into `regions`.
        public var region: Int
        /// nil = permanent (beyond the horizon).
        public var duration: Distribution?
        public var mode: Mode
    }
}

// MARK: - Defaults (MODEL.md, FACTS.md)

extension Config {
    /// The default resolver population: 8.74% of resolvers extend TTLs (PAM 2023); the size of the
    /// extension is a placeholder calibrated to Flavel et al. 2014 (see README, "Calibration").
    public static let defaultResolverMix: [Clients.ResolverClass] = [
        .init(share: 0.9126, behaviour: .honour),
        .init(share: 0.0874, behaviour: .extend(.lognormal(median: 600, p99: 21_600))),
    ]
    /// The default client kinds (shares are placeholders calibrated to Flavel et al. 2014;
    /// Chrome's 60 s floor and the JVM's 30 s cache are published defaults).
    public static let defaultClientMix: [Clients.ClientKind] = [
        .init(share: 0.2, kind: .browser, cache: .floor(60)),
        .init(share: 0.6, kind: .stub, cache: .none),
        .init(share: 0.2, kind: .jvm, cache: .fixed(30)),
    ]
    public static let defaultReplicationLag = Distribution.lognormal(median: 0.5, p99: 2.5)
    public static let defaultStatusToDNS = Distribution.uniform(2, 10)
}
