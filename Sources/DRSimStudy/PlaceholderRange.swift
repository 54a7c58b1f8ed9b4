import DRSim
import DRSimResults
import Foundation

/// How far `rto_s` moves over the TTL-extension shapes that fit the calibration as well as the default
/// does (docs/model.md, "Calibration"; `Config.Clients.ResolverClass.plausibleExtensions`). How long
/// extending resolvers keep answers is a *placeholder*, so the numbers that rest on it are given as a
/// range: each shape runs the same incidents (the same seed and replication numbers), on the run's first
/// `maxReplications` replications at most (the default shape's are the run's own), so that the range
/// costs at most 750 replications' time.
public struct PlaceholderRange: Sendable {
    public struct Row: Sendable {
        public var shape: String
        /// The median `rto_s` [s]; nil when it lies among the incidents that never recovered.
        public var rtoP50: Double?
        /// The share of incidents whose `rto_s` is censored at the horizon.
        public var censoredShare: Double
        /// The median `rto_honouring_s` [s], which the extension should not move; nil as `rtoP50`.
        public var rtoHonouringP50: Double?
    }

    /// The replications each shape ran: the run's first ones.
    public var replications: Int
    public var rows: [Row]

    /// Replications per shape, at most.
    public static let maxReplications = 250

    /// The config with each class that extends TTLs by the default placeholder given each plausible
    /// shape instead, on at most `maxReplications` replications; nil when no class uses the placeholder
    /// (a config's own extension is the user's figure, not the placeholder's).
    public static func configs(_ config: Config) -> [(name: String, config: Config)]? {
        typealias Class = Config.Clients.ResolverClass
        let placeholder = Class.Behaviour.extend(Class.defaultExtension)
        guard config.clients.resolverMix.contains(where: { $0.behaviour == placeholder && $0.share > 0 }) else {
            return nil
        }
        return Class.plausibleExtensions.map { shape in
            var c = config
            c.replications = min(config.replications, maxReplications)
            c.year = nil  // the range reads the incidents only
            for k in c.clients.resolverMix.indices where c.clients.resolverMix[k].behaviour == placeholder {
                c.clients.resolverMix[k].behaviour = .extend(shape.extension)
            }
            return (shape.name, c)
        }
    }

    /// The range over the shapes of `configs(run.config)`: the default's from `run`'s own first
    /// replications, each other shape run on `threads` workers; nil when the config does not use the
    /// placeholder.
    public static func run(_ run: RunOutput, threads: Int) throws -> PlaceholderRange? {
        guard let shapes = configs(run.config) else { return nil }
        let n = shapes[0].config.replications
        let others = try Runner.run(shapes.dropFirst().map(\.config), threads: threads)
        let samples = [Array(run.results.prefix(n))] + others.map(\.results)
        let rows = zip(shapes, samples).map { shape, results in
            func summary(_ m: Metric) -> MetricSummary {
                MetricSummary(metric: m.rawValue, sample: m.sample(results, config: shape.config))
            }
            let rto = summary(.rto)
            return Row(
                shape: shape.name, rtoP50: rto.p50.value,
                censoredShare: Double(rto.censored) / Double(max(1, rto.count)),
                rtoHonouringP50: summary(.rtoHonouring).p50.value)
        }
        return PlaceholderRange(replications: n, rows: rows)
    }

    /// The line under the summary table: the range of the median `rto_s` and of its censored share.
    public var text: String {
        PlaceholderRangeLine.text(
            rtoP50: rows.map(\.rtoP50), censoredShare: rows.map(\.censoredShare), replications: replications) + "\n"
    }

    /// The rows as `--json` gives them (`placeholder_range`): `placeholder_ranges.csv`'s columns as keys.
    public var json: JSON {
        func number(_ x: Double?) -> JSON { x.map { .number($0) } ?? .null }
        return .object([
            "replications": .number(Double(replications)),
            "shapes": .array(
                rows.map { r in
                    .object([
                        "extension_shape": .string(r.shape), "rto_s_p50": number(r.rtoP50),
                        "rto_s_censored_share": .number(r.censoredShare),
                        "rto_honouring_s_p50": number(r.rtoHonouringP50),
                    ])
                }),
        ])
    }

    /// `placeholder_ranges.csv`: one row per shape.
    public var csv: String {
        var out = "extension_shape,replications,rto_s_p50,rto_s_censored_share,rto_honouring_s_p50\r\n"
        for r in rows {
            out +=
                "\"\(r.shape)\",\(replications),\(ResultFiles.cell(r.rtoP50)),"
                + "\(formatNumber(r.censoredShare)),\(ResultFiles.cell(r.rtoHonouringP50))\r\n"
        }
        return out
    }
}
