import DRSim
import DRSimResults
import Foundation

/// The two configs of `drsim compare`: A with the overrides both sides share, B with those and its own
/// (`--vs-set`), run at A's seed and replication count, so that incident i is the same incident on
/// both sides wherever the setting does not change what is drawn.
public struct ComparisonSides: Sendable {
    /// A side whose config is bad, with every problem in it.
    public struct SideError: Error, Sendable {
        /// "A" or "B".
        public var side: String
        public var error: ConfigError
    }

    public var a: Config.Loaded
    /// B, at A's seed and replication count.
    public var b: Config.Loaded
    /// B's own seed and replication count, before it took A's.
    public var ownSeed: UInt64
    public var ownReplications: Int

    /// Decodes A from `fileA` with `common` and B from `fileB` with `common`, then `vs`, then A's seed
    /// and count; `year` gives each side that has no `year` section one of its defaults (`--year`). A bad
    /// config throws a `SideError` for the first side that has one.
    public init(a fileA: ConfigFile, b fileB: ConfigFile, common: [Override], vs: [Override], year: Bool) throws {
        func load(_ file: ConfigFile, _ overrides: [Override], _ side: String) throws(SideError) -> Config.Loaded {
            do { return try file.load(overrides) } catch { throw SideError(side: side, error: error) }
        }
        a = try load(fileA, common + fileA.yearOverride(year), "A")
        let common = common + fileB.yearOverride(year)
        let own = try load(fileB, common + vs, "B").config
        let same = [
            try Override(parsing: "replications=\(a.config.replications)"),
            try Override(parsing: "seed=\(a.config.seed)"),
        ]
        b = try load(fileB, common + vs + same, "B")
        (ownSeed, ownReplications) = (own.seed, own.replications)
    }

    /// The default output folder's name: `<name>-compare`, or `<A>-vs-<B>` when the names differ.
    public var folderName: String {
        a.config.name == b.config.name ? "\(a.config.name)-compare" : "\(a.config.name)-vs-\(b.config.name)"
    }

    /// A warning when the sides' horizons differ: the draws depend on the horizon, so the incidents
    /// are not paired draw for draw.
    public var horizonWarning: String? {
        let (a, b) = (a.config, b.config)
        guard a.horizon != b.horizon else { return nil }
        return "A's horizon_s is \(formatNumber(a.horizon)) and B's \(formatNumber(b.horizon)): "
            + "the draws depend on the horizon, so the incidents are not paired draw for draw, and censored metrics "
            + "are cut at different times; give both sides one horizon_s (--set horizon_s=…) for a paired comparison"
    }

    /// A note when B's own seed or count was replaced by A's.
    public var incidentsNote: String? {
        let a = a.config
        guard ownSeed != a.seed || ownReplications != a.replications else { return nil }
        return "B runs A's seed \(a.seed) and \(a.replications) replications (its own: "
            + "seed \(ownSeed), \(ownReplications)), so that both sides run the same incidents"
    }
}
