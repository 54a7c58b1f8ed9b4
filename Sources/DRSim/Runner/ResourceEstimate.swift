import Foundation

/// The peak memory of a run, estimated from its configs before anything is simulated, so that a run
/// that would not fit this machine is refused at once (with the setting to change) instead of being
/// killed after hours, or thrashing.
///
/// The terms, measured on the release build (peak resident memory, seed-active-passive):
/// - a fixed 25 MB (the program, the config, the summary);
/// - the timeline accumulators, (rows + 1) × 4,012 bytes each (a 1,001-bin histogram and a sum per
///   timeline row: 14 MB at the default 3,601 rows, 80 MB at the limit of 20,000): `Runner.stripes`
///   per point of a pass (`Runner.passSize`), which is one per worker for a single run and one per
///   point for a sweep of at least as many points as workers; a run that grows (`--precision`) also
///   keeps each point's merged accumulator;
/// - each worker's client population for each point of the pass, about 460 bytes per resolver (46 MB
///   at 100,000);
/// - every run's timeline until the files are written, 40 bytes a row (a sweep of 1,000 points at the
///   default 3,601 rows: 144 MB);
/// - the resolvers' numbers a worker keeps for other points of a pass, at most `SharedWork.drawBudget`
///   (64 MB), about 1.5 MB at the defaults;
/// - every replication's results that are held until the files are written, about 220 bytes each
///   (161–217 measured between 300,000 and 1,000,000 replications), for every run held at once (a
///   sweep's points, a comparison's two sides).
/// Measured: 39 MB for 1,000 replications on one worker (estimate 40), 104 and 184 MB at 20,000 rows
/// on one and two workers (105, 186), 133 MB for 300,000 replications on two (134), 167 MB for a
/// 3 × 3 sweep at 2,000 replications on two (163).
public struct ResourceEstimate: Sendable {
    public static let fixedBytes = 25e6
    public static let bytesPerReplication = 220.0
    public static let bytesPerResolver = 460.0
    /// A timeline row of a run's output: its time, mean and three percentiles.
    public static let bytesPerTimelineRow = 40.0

    /// What the memory goes to: a name, bytes, and the setting that changes it.
    public struct Term: Sendable {
        public var what: String
        public var bytes: Double
        public var lever: String
    }

    public var terms: [Term]
    public var bytes: Double { Self.fixedBytes + terms.reduce(0) { $0 + $1.bytes } }

    /// - Parameters:
    ///   - configs: the runs held at once (a sweep's points, a comparison's sides).
    ///   - replications: each run's replications at the most (a `--precision` or `--until-decided` cap).
    ///   - growing: the runs grow in batches, each keeping its merged timeline accumulator.
    public init(_ configs: [Config], replications: Int, workers: Int, growing: Bool = false) {
        let rows = Self.rows(configs)
        let accumulator = Self.accumulatorBytes(rows: rows)
        let resolvers = Double(configs.map(\.clients.resolvers).max() ?? 0)
        let runs = Double(configs.count)
        // Points run together in passes (`Runner.passSize`) with `Runner.stripes` accumulators each,
        // and each worker holds a client population per point of the pass.
        let size = Runner.passSize(configs, threads: workers)
        let pass = Double(size)
        let stripes = Double(Runner.stripes(points: size, workers: workers))
        // Groups of points in the first pass that share the resolvers' numbers.
        let sharing = WorkSharing.sharedWithOthers(WorkSharing(Array(configs.prefix(size))).resolverDraws).filter { $0 }
            .count
        terms = [
            Term(
                what: "\(configs.count == 1 ? "" : "\(configs.count) runs × ")\(replications) replications' results",
                bytes: runs * Double(replications) * Self.bytesPerReplication,
                lever: configs.count == 1
                    ? "fewer replications (replications, --replications or --max-replications)"
                    : "fewer replications (replications, --replications or --max-replications) or fewer points"),
            Term(
                what: "timeline accumulators (\(Int(rows)) rows)",
                bytes: (pass * stripes + (growing ? runs : 0)) * accumulator,
                lever: "fewer timeline rows (a larger timeline_step_s)"
                    + (workers > 1 ? " or fewer workers (--threads)" : "")),
            Term(
                what: "client populations (\(Int(resolvers)) resolvers\(pass > 1 ? " per point" : "") per worker)",
                bytes: pass * Double(workers) * resolvers * Self.bytesPerResolver,
                lever: "fewer resolvers (clients.resolvers) or fewer workers (--threads)"),
            Term(
                what: "\(configs.count == 1 ? "the timeline" : "\(configs.count) runs' timelines") (\(Int(rows)) rows)",
                bytes: runs * rows * Self.bytesPerTimelineRow,
                lever: "fewer timeline rows (a larger timeline_step_s)" + (configs.count == 1 ? "" : " or fewer points")
            ),
            // Resolvers' numbers kept for other points: about six per resolver and answer change, two
            // changes, for each replication of a chunk and each group of points that share them, within
            // their budget.
            Term(
                what: "resolvers' numbers shared between points",
                bytes: Double(workers)
                    * min(SharedWork.drawBudget, Double(Runner.chunk) * 2 * 6 * resolvers * 8 * Double(sharing)),
                lever: "fewer resolvers (clients.resolvers) or fewer workers (--threads)"),
        ]
    }

    static func rows(_ configs: [Config]) -> Double {
        configs.map { Double(Int(($0.horizon / $0.timelineStep).rounded(.down)) + 1) }.max() ?? 1
    }

    /// A timeline accumulator of `rows` rows: a 1,001-bin histogram and a sum per row, and one more row.
    static func accumulatorBytes(rows: Double) -> Double { (rows + 1) * Double(8 + 4 * 1001) }

    /// A timeline accumulator, and a client population, of the largest of `configs`.
    static func bytesPerPoint(_ configs: [Config]) -> (accumulator: Double, population: Double) {
        (accumulatorBytes(rows: rows(configs)), Double(configs.map(\.clients.resolvers).max() ?? 0) * bytesPerResolver)
    }

    /// The memory this process may use: the machine's, or its control group's limit when lower.
    public static var available: Double {
        var bytes = Double(ProcessInfo.processInfo.physicalMemory)
        for file in ["/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"] {
            if let text = try? String(contentsOfFile: file, encoding: .utf8),
                let limit = Double(text.trimmingCharacters(in: .whitespacesAndNewlines)), limit > 0
            {
                bytes = min(bytes, limit)
            }
        }
        return bytes
    }

    /// Why the run cannot be made here, or nil: it would need more than 80% of `available` (the
    /// rest is the system's and the page cache's).
    public func refusal(available: Double = Self.available) -> String? {
        guard bytes > 0.8 * available else { return nil }
        let largest = terms.max { $0.bytes < $1.bytes }!
        return
            "this run would need about \(Self.text(bytes)) of memory, mostly for \(largest.what) "
                + "(\(Self.text(largest.bytes))), "
            + "and this machine has \(Self.text(available)); to fit in \(Self.text(0.8 * available)), ask for "
                + "\(largest.lever)"
    }

    public static func text(_ bytes: Double) -> String {
        bytes >= 1e9 ? String(format: "%.1f GB", bytes / 1e9) : String(format: "%.0f MB", bytes / 1e6)
    }
}
