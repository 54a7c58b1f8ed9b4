// The `noise` section: what a year of operation is made of (docs/model.md, "A year of operation").

extension Config {
    /// Background noise and real outages, as Poisson processes (docs/model.md, "A year of operation").
    /// Per-probe transient loss is each health check's `transient_failure_prob`. Every default is a
    /// *placeholder* (docs/model.md says why each is where it is).
    public struct Noise: Sendable, Equatable {
        /// Short failures of one region's endpoint: a deploy, a GC pause, a load balancer's hiccup.
        public var blips: EventClass
        /// Paths from some Route 53 checker regions to one region's endpoint that drop the probes.
        public var checkerPaths: EventClass
        /// How many checker regions one path problem cuts off.
        public var checkerRegionsPerProblem: Int
        /// Real regional outages: the region's app and database down.
        public var outages: EventClass

        /// One class of events: how often, per region and year, for how long, and how the endpoint fails.
        public struct EventClass: Sendable, Equatable {
            public var ratePerYear: Double
            public var duration: Distribution
            public var mode: Mode
        }

        /// How the endpoint fails during an event.
        public enum Mode: String, Sendable, CaseIterable {
            /// Nothing answers: probes and requests time out.
            case blackhole
            /// Connections are refused at once.
            case refused
            /// Every request and probe gets an error (5xx) at once; the database is fine.
            case error5xx = "error_5xx"
            /// The app accepts connections and never answers; the database is fine.
            case hang
        }

        public static let standard = Noise(
            blips: EventClass(ratePerYear: 12, duration: .lognormal(median: 20, p99: 300), mode: .error5xx),
            checkerPaths: EventClass(ratePerYear: 4, duration: .lognormal(median: 300, p99: 3600), mode: .blackhole),
            checkerRegionsPerProblem: 1,
            outages: EventClass(ratePerYear: 0.3, duration: .lognormal(median: 7200, p99: 86400), mode: .blackhole))
    }
}

extension Config.Noise {
    /// Reads `noise` over the standard noise; `{}` keeps every default.
    static func decode(_ reader: ObjectReader) -> Self {
        var n = reader
        var noise = Self.standard
        var blips = n.section("blips")
        noise.blips = EventClass.decode(&blips, default: noise.blips, modes: Mode.allCases)
        var paths = n.section("checker_paths")
        noise.checkerPaths = EventClass.decode(&paths, default: noise.checkerPaths, modes: [])
        noise.checkerRegionsPerProblem = paths.int(
            "checker_regions", default: noise.checkerRegionsPerProblem,
            1...Config.HealthCheck.route53CheckerRegions.count)
        var outages = n.section("outages")
        noise.outages = EventClass.decode(&outages, default: noise.outages, modes: [.blackhole, .refused])
        for section in [blips, paths, outages] { section.finish() }
        n.finish()
        return noise
    }

    func encoded() -> JSON {
        var paths = ["rate_per_year": JSON.number(checkerPaths.ratePerYear), "duration_s": checkerPaths.duration.json]
        paths["checker_regions"] = .number(Double(checkerRegionsPerProblem))
        return .object(["blips": blips.encoded(), "checker_paths": .object(paths), "outages": outages.encoded()])
    }
}

extension Config.Noise.EventClass {
    /// Reads one class's keys over its defaults; `modes` are the failures it may name (none: a checker
    /// path drops probes, nothing else).
    static func decode(_ c: inout ObjectReader, default def: Self, modes: [Config.Noise.Mode]) -> Self {
        var e = def
        e.ratePerYear = c.number("rate_per_year", default: def.ratePerYear, 0...1e6)
        e.duration = c.distribution("duration_s", default: def.duration)
        guard !modes.isEmpty else { return e }
        e.mode = c.choice("mode", default: def.mode)
        if !modes.contains(e.mode) {
            c.log.error(
                c.child("mode"),
                "found \"\(e.mode.rawValue)\", allowed here: " + modes.map(\.rawValue).joined(separator: ", "))
        }
        return e
    }

    func encoded() -> JSON {
        .object(["rate_per_year": .number(ratePerYear), "duration_s": duration.json, "mode": .string(mode.rawValue)])
    }
}
