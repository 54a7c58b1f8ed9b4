import DRSimResults
import Foundation

/// A scenario: the topology, the mechanisms' settings and the fault, with every default filled in.
///
/// Built only by `Config.decode`, which checks every key (each section's keys, ranges and defaults are
/// in its own file, Config+Regions.swift and the others); docs/model.md defines what each value means.
public struct Config: Sendable, Equatable {
    public var name: String
    public var description: String
    public var seed: UInt64
    public var replications: Int
    /// The replications a config (or `--replications`) may ask for.
    public static let replicationRange = 1...10_000_000
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
    /// The global load balancer, if the design has one (docs/model.md, "Global load balancer").
    public var loadBalancer: LoadBalancer?
    /// Targets on the results, judged by `drsim check` (docs/config.md, "expect"); the run ignores them.
    public var expect: [Expectation] = []
    /// A year of operation to simulate beside each incident (docs/model.md, "A year of operation"); nil: none.
    public var year: Year? = nil
    /// What a year of operation is made of; used only with a `year` (docs/model.md, "A year of operation").
    public var noise: Noise = .standard
    /// The prices of the cost per month (docs/model.md, "Cost"); nil: the list prices (`Cost.listPrices`).
    public var cost: Cost? = nil

    /// The `year` section: each replication also simulates one year of the noise and the outages.
    public struct Year: Sendable, Equatable {
        /// The length of a replication-year [days]: 365, or shorter for checks that step through it.
        public var lengthDays: Double
        public static let standard = Year(lengthDays: 365)
    }

    public struct Region: Sendable, Equatable {
        public enum Role: String, Sendable, CaseIterable { case active, passive }
        public var name: String
        public var role: Role
        /// Share of client traffic the region carries in normal operation.
        public var loadShare: Double
        /// Requests per second the region serves at full scale; nil = unlimited.
        public var capacityRPS: Double?
        public var standby: Standby?
        /// Index into `regions` of the region whose database the app writes to (itself by default).
        public var dbEndpoint: Int
        /// A region that serves only after every active region is unhealthy, and this long after [s].
        public var activationDelay: Distribution?
        /// What a client's connection to the region's endpoint ends at (docs/model.md, "Connections").
        public var frontDoor: FrontDoor

        public struct Standby: Sendable, Equatable {
            public enum Trigger: String, Sendable, CaseIterable { case load, failover }
            /// Starting capacity as a share of full (0 pilot light, 1 hot).
            public var initialCapacity: Double
            /// From the trigger until full capacity [s].
            public var scaleUp: Distribution
            /// Scale-up starts when the region first receives more than its normal load, or when
            /// failover is first detected (automation told by the failover signal).
            public var trigger: Trigger
        }
    }

    /// The global load balancer (Google Cloud external Application Load Balancer semantics).
    public struct LoadBalancer: Sendable, Equatable {
        /// Indices into `regions`, nearest first: traffic goes to the first healthy backend with
        /// capacity and spills over to the next (WATERFALL_BY_REGION).
        public var backends: [Int]
        /// Probe start to probe start [s].
        public var checkInterval: Double
        /// A probe that gets no answer fails after this long [s].
        public var timeout: Double
        public var unhealthyThreshold: Int
        public var healthyThreshold: Int
        /// From a backend's status change until routing follows it [s].
        public var reprogramming: Distribution
        /// Probe round trip to a healthy backend [s].
        public var probeRTT: Distribution
        /// With no healthy backend, send traffic to all backends (true) or fail it (false).
        public var failOpen: Bool
        /// The anycast address's proxies (Google Cloud's global external Application Load Balancer).
        public var frontDoor: FrontDoor
    }

    /// The first proxy a client's connection reaches, and when it closes an open connection
    /// (docs/model.md, "Connections"; vendors' defaults in `defaults(_:)`).
    public struct FrontDoor: Sendable, Equatable {
        public enum Kind: String, Sendable, CaseIterable {
            case gcpRegionalALB = "gcp_regional_alb"
            case gcpGlobalALB = "gcp_global_alb"
            case awsALB = "aws_alb"
            case custom
        }
        public var kind: Kind
        /// A connection with no request for this long is closed; traffic resets it [s]. nil = never.
        public var idleTimeout: Double?
        /// A connection this old is closed, whatever its traffic [s]. nil = no maximum.
        public var maxAge: Double?
    }

    public struct Traffic: Sendable, Equatable {
        public var requestsPerSecond: Double
        public var writeShare: Double
        /// How clients retry failed requests (docs/model.md, "Retries").
        public var retries: Retries
        public struct Retries: Sendable, Equatable {
            /// Attempts per request, the first included (1: no retries).
            public var maxAttempts: Int
        }
    }

    public struct HealthCheck: Sendable, Equatable {
        public enum ProbeProtocol: String, Sendable, CaseIterable { case http, https, tcp }
        public var id: String
        /// Index into `regions` of the endpoint probed (when `targetsLoadBalancer`, the load balancer's
        /// first backend, for faults that name a region).
        public var target: Int
        /// The check probes the global load balancer's address: its probes go wherever the load
        /// balancer routes them, so it sees a region fail only until the load balancer routes around it.
        public var targetsLoadBalancer: Bool
        /// The checker regions, checker j probing from `checkerRegions[j % count]`.
        public var checkerRegions: [String]
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
        public enum Policy: String, Sendable, CaseIterable { case failover, weighted, latency }
        public var policy: Policy
        /// TTL of the records [s].
        public var ttl: Double
        /// In failover order: primary, secondary, then tertiary (a nested failover alias).
        public var records: [Record]
        public struct Record: Sendable, Equatable {
            public enum Role: String, Sendable, CaseIterable { case primary, secondary, tertiary }
            public var id: String
            public var role: Role
            /// Where the record's address leads.
            public var target: Target
            /// Index into `healthChecks`; nil = always healthy.
            public var healthCheck: Int?
            /// Weighted routing: relative weight (0–255); a weight-0 record answers only when every
            /// other record is unhealthy.
            public var weight: Double
        }
        public var primary: Record { records[0] }
        public var secondary: Record { records[1] }
    }

    /// Where an address leads: a region's own endpoint, or the global load balancer's anycast address.
    public enum Target: Sendable, Equatable, Hashable {
        case region(Int)
        case loadBalancer
    }

    public struct Clients: Sendable, Equatable {
        public var resolvers: Int
        public var zipfExponent: Double
        /// DNS queries that clients send to all resolvers together [1/s].
        public var dnsQueriesPerSecond: Double
        public var resolverMix: [ResolverClass]
        public var clientMix: [ClientKind]
        /// Where clients are: groups with a traffic share and the regions nearest them, nearest first.
        /// Latency routing answers each group with its nearest healthy record.
        public var geography: [Group]
        public struct Group: Sendable, Equatable {
            public var region: Int
            public var share: Double
            public var nearest: [Int]
        }
        /// The largest resolvers that together carry this share of traffic always honour TTLs; the
        /// flooring and extending classes are drawn among the others (docs/model.md, "Resolvers").
        public var honouringTopShare: Double
        /// A client gives up on a request that got no answer after this long, and drops its
        /// connection [s] (*placeholder*).
        public var requestTimeout: Double
        /// Time between one user's requests [s] (*placeholder*): a gap longer than the front door's
        /// idle timeout closes the connection.
        public var thinkTime: Distribution
        /// Users' sessions (docs/model.md, "Sessions"): a connection also ends when its user's session does.
        public var sessions: Sessions
        public struct Sessions: Sendable, Equatable {
            public var enabled: Bool
            /// How long a user stays [s] (*placeholder*).
            public var length: Distribution
        }

        public struct ResolverClass: Sendable, Equatable {
            public enum Behaviour: Sendable, Equatable {
                case honour
                /// Holds answers for at least `floor` seconds.
                case floor(Double)
                /// Holds answers for the TTL plus a per-resolver extra [s].
                case extend(Distribution)
                /// Honours the TTL, but answers the first query after an expiry with the expired answer,
                /// given this reply TTL [s], and refreshes it in the background (serve-stale "immediate").
                case serveStale(replyTTL: Double)
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
            public enum Kind: String, Sendable, CaseIterable { case browser, stub, jvm }
            public var share: Double
            public var kind: Kind
            public var cache: Cache
            /// A browser's mean wait from its cache's expiry to its next lookup, its user's next request [s]
            /// (*placeholder*): it decides how often a browser falls into step with its resolver.
            public var lookupDelay: Double = ClientKind.defaultLookupDelay
        }
    }

    public struct Database: Sendable, Equatable {
        public enum Mode: String, Sendable, CaseIterable { case mrec, mrsc }
        public enum Writes: String, Sendable, CaseIterable { case local, primary }
        public var mode: Mode
        /// Replication lag of one write to the other replica [s].
        public var replicationLag: Distribution
        /// `local`: each region's app writes to its `db_endpoint` (multi-active). `primary`: the app
        /// writes only to the primary region's table, and after failover to the next region's once it
        /// has been reconfigured.
        public var writes: Writes
        /// Reconfiguration delay of the writes after failover is detected [s] (`writes: primary`).
        public var writeFailoverDelay: Distribution
        /// MRSC's witness (a third location that holds no table and serves nothing), if any.
        public var witness: String?
        /// The items writes go to, for the writes lost to last-writer-wins (`conflict_overwrites`); nil
        /// turns the count off (docs/model.md, "Replication").
        public var keySpace: KeySpace? = .placeholder

        /// Items written with a Zipf popularity skew: the k-th most popular of `keys` gets a share
        /// proportional to k^(−`zipfExponent`) of the writes (0: every item alike).
        public struct KeySpace: Sendable, Equatable {
            public var keys: Int
            public var zipfExponent: Double

            public init(keys: Int, zipfExponent: Double) {
                self.keys = keys
                self.zipfExponent = zipfExponent
            }

            /// *Placeholder*: AWS publishes no figures on how writes spread over items.
            public static let placeholder = KeySpace(keys: 1_000_000, zipfExponent: 1)
        }
    }

    public struct Fault: Sendable, Equatable {
        public enum Kind: String, Sendable, CaseIterable {
            case regionOutage = "region_outage"
            case appUnresponsive = "app_unresponsive"
            case partial
            case checkerBlocked = "checker_blocked"
            case healthCheckDisabled = "health_check_disabled"
            case replicationImpaired = "replication_impaired"
        }
        /// How a dead endpoint answers a probe: not at all (connect timeout) or with a refusal.
        public enum Mode: String, Sendable, CaseIterable { case blackhole, refused }
        /// What a region outage takes down: the app and its database replica, or only one of them
        /// (they run at different providers in the seed architecture).
        public enum Scope: String, Sendable, CaseIterable { case both, app, database }
        /// How replication is impaired: slower (lag multiplied) or not at all (nothing leaves the region).
        public enum Impairment: String, Sendable, CaseIterable { case slowed, stalled }
        /// Names the fault's random stream (`fault/<id>`): given in the config, or made of its kind and
        /// target (`region_outage/us-east-1`, with `#2`, `#3` for later faults of the same kind and
        /// target), so that a fault's draws do not depend on where it sits in `faults`.
        public var id: String
        public var kind: Kind
        /// Index into `regions` (every kind but `health_check_disabled`).
        public var region: Int?
        /// Index into `healthChecks` (`health_check_disabled`; optional for `checker_blocked`).
        public var healthCheck: Int?
        /// Checker regions whose traffic is dropped (`checker_blocked`).
        public var checkerRegions: [String]
        public var start: Distribution
        /// nil = permanent (beyond the horizon).
        public var duration: Distribution?
        public var mode: Mode
        /// `region_outage`: what fails.
        public var scope: Scope
        /// `replication_impaired`: slowed or stalled.
        public var impairment: Impairment
        /// Share of requests and probes that fail (`partial`).
        public var share: Double
        /// Replication lag multiplier (`replication_impaired`, slowed).
        public var lagMultiplier: Double
    }
}

extension Config.Clients {
    /// Traffic share of each resolver: a Zipf law over their rank, largest first.
    public var resolverShares: [Double] {
        let raw = (1...resolvers).map { 1 / pow(Double($0), zipfExponent) }
        let sum = raw.reduce(0, +)
        return raw.map { $0 / sum }
    }

    /// How many of the resolvers are small: outside the largest ones that together carry
    /// `honouringTopShare` of the traffic (those always honour TTLs).
    public var smallResolvers: Int {
        var acc = 0.0
        var large = 0
        for s in resolverShares where acc < honouringTopShare - 1e-12 {
            acc += s
            large += 1
        }
        return resolvers - large
    }

    /// How many resolvers each class of `resolverMix` has in every incident: a flooring or extending
    /// class its share of the count, rounded (drawn among the small resolvers); the honouring classes
    /// share the rest, the large resolvers among them, in proportion to their shares.
    public var resolverClassCounts: [Int] {
        var counts = resolverMix.map { $0.behaviour == .honour ? 0 : Int(($0.share * Double(resolvers)).rounded()) }
        let rest = max(0, resolvers - counts.reduce(0, +))
        let honour = resolverMix.indices.filter { resolverMix[$0].behaviour == .honour }
        let honourShare = honour.reduce(0.0) { $0 + resolverMix[$1].share }
        var given = 0
        for (k, i) in honour.enumerated() {
            counts[i] =
                k == honour.count - 1
                ? rest - given : Int((Double(rest) * resolverMix[i].share / honourShare).rounded())
            given += counts[i]
        }
        return counts
    }

    /// How many resolvers the flooring and extending classes take.
    public var misbehavingResolvers: Int {
        zip(resolverMix, resolverClassCounts).reduce(0) { $0 + ($1.0.behaviour == .honour ? 0 : $1.1) }
    }
}
