import DRSim
import DRSimResults
import Foundation

/// A run's outcomes as `drsim diff` compares them: each metric's values over the replications, and
/// what the run was (its resolved config, seed and drsim version). Built from a run in memory or read
/// back from a result folder; both give the same values, since result files hold numbers exactly.
public struct ResultSet: Sendable {
    /// Where it came from, for messages: a folder's path, or "this run".
    public var label: String
    public var version: String
    public var configHash: String
    /// The resolved config, as in run.json.
    public var config: JSON
    public var seed: Double?
    public var replications: Int
    /// The metrics that have values in this run (censored ones stand for the horizon).
    public var samples: [Metric: Sample]
    /// The metrics the drsim that wrote a result folder did not know (no row in its summary.csv).
    public var unknown: Set<Metric> = []

    public init(_ run: RunOutput, label: String) {
        self.label = label
        version = DRSimInfo.version
        config = run.config.resolved
        configHash = ResultFiles.configHash(config)
        seed = Double(run.config.seed)
        replications = run.results.count
        var samples: [Metric: Sample] = [:]
        for m in Metric.allCases where m.applies(to: run.config) {
            samples[m] = m.sample(run.results, config: run.config)
        }
        self.samples = samples
    }

    /// Reads a result folder (summary.csv says which metrics have values; replications.csv holds them,
    /// an empty cell being a value censored at the config's horizon).
    public init(folder path: String) throws(ResultFolderError) {
        let folder = try ResultFolder(path: path)
        label = path
        version = folder.version
        configHash = folder.configHash
        let runFile = folder.url.appendingPathComponent(ResultFileNames.run)
        guard let data = try? Data(contentsOf: runFile), case .object(let top)? = try? JSON.parse(data),
            let config = top["config"]
        else {
            throw .damaged(file: runFile.path, line: 1, problem: "no \"config\" object")
        }
        self.config = config
        seed = folder.document.seedValue
        guard let horizon = folder.horizon else {
            throw .damaged(file: runFile.path, line: 1, problem: "the config has no horizon_s")
        }
        let table = folder.replications
        replications = table.rowCount
        let rtoCensored = try table.numbers("rto_censored")
        var samples: [Metric: Sample] = [:]
        for m in Metric.allCases {
            if folder.summary(m.rawValue) == nil { unknown.insert(m) }
            guard let count = folder.summary(m.rawValue)?("count"), count > 0,
                let column = try table.numbers(m.rawValue)
            else { continue }
            var s = Sample()
            for (i, v) in column.enumerated() {
                if m == .rto, let flags = rtoCensored {
                    s.append(v ?? horizon, censored: flags[i] == 1 || v == nil)
                } else {
                    s.append(v ?? horizon, censored: v == nil)
                }
            }
            samples[m] = s
        }
        self.samples = samples
    }

    public var name: String { if case .object(let o) = config, case .string(let n)? = o["name"] { n } else { label } }
}

/// Whether a new run's distributions moved from a baseline's, metric by metric (docs/config.md,
/// "diff: did the distribution move").
///
/// When both runs have the same seed and replication count, incident i is the same incident on both
/// sides (common random numbers), and each metric gets the sign test on its per-incident differences
/// and, where either side has censored values, McNemar's exact test of the censored share; the mean
/// shift's interval is on the differences. Otherwise each metric gets one test of its distribution
/// (Kolmogorov–Smirnov for durations and other continuous metrics; chi-square for counts: lost and
/// delayed writes, false failovers) and Fisher's exact test of the censored share.
/// The p-values are adjusted together by Holm's method, so that "changed" is said of two runs of one
/// model with probability at most `alpha`, however many metrics are tested. The shifts (new − baseline:
/// mean, p50, p99, each with a 95% interval) say how large a change is.
public struct BaselineDiff: Sendable {
    public struct MetricResult: Sendable {
        public var metric: Metric
        /// The tests and their Holm-adjusted p-values.
        public var tests: [(test: TwoSample.Test, adjusted: Double)]
        public var mean: Estimate
        public var p50: Estimate
        public var p99: Estimate
        public var baselineCount: Int
        public var newCount: Int
        /// Set when the metric has values on one side only.
        public var onlyIn: String?
        public var changed: Bool
    }

    public var alpha: Double
    public var baseline: ResultSet
    public var new: ResultSet
    public var metrics: [MetricResult]
    /// The config settings that differ: `dns.ttl_s: 60 → 300`.
    public var configChanges: [String]
    /// Whether incident i of each run is the same incident (same seed and replication count: drsim's
    /// common random numbers), so that the tests are on the per-incident differences.
    public var paired: Bool
    public var changed: Bool { metrics.contains(where: \.changed) }

    /// The default significance: a CI guard should cry wolf rarely.
    public static let defaultAlpha = 0.01

    /// Metrics compared by a chi-square test (whole counts); the others by Kolmogorov–Smirnov.
    static let counts: Set<Metric> = [.lostWrites, .delayedWrites, .falseFailovers, .conflictOverwrites, .relapses]

    public init(baseline: ResultSet, new: ResultSet, alpha: Double = defaultAlpha) {
        self.alpha = alpha
        self.baseline = baseline
        self.new = new
        // Targets change no number, so they are left out of what changed in the model.
        configChanges = Self.changes(baseline.config, new.config, path: "").filter { !$0.hasPrefix("expect") }
        let paired = baseline.seed != nil && baseline.seed == new.seed && baseline.replications == new.replications
        self.paired = paired
        var results: [MetricResult] = []
        var pValues: [Double] = []
        for m in Metric.allCases {
            let a = baseline.samples[m]
            let b = new.samples[m]
            // A metric newer than the baseline's drsim is not a distribution that moved.
            guard a != nil || b != nil, !baseline.unknown.contains(m), !new.unknown.contains(m) else { continue }
            let none = Estimate(value: nil, low: nil, high: nil)
            guard let a, let b else {
                results.append(
                    MetricResult(
                        metric: m, tests: [], mean: none, p50: none, p99: none,
                        baselineCount: a?.values.count ?? 0, newCount: b?.values.count ?? 0,
                        onlyIn: a == nil ? "new" : "baseline", changed: true))
                continue
            }
            let tests = paired && a.values.count == b.values.count ? Self.pairedTests(a, b) : Self.tests(m, a, b)
            pValues += tests.map(\.p)
            results.append(
                MetricResult(
                    metric: m, tests: tests.map { ($0, 1) },
                    mean: paired && a.values.count == b.values.count
                        ? TwoSample.pairedMeanDifference(a.values, b.values)
                        : TwoSample.meanDifference(a.values, b.values),
                    p50: TwoSample.quantileDifference(a, b, p: 0.5),
                    p99: TwoSample.quantileDifference(a, b, p: 0.99),
                    baselineCount: a.values.count, newCount: b.values.count, onlyIn: nil, changed: false))
        }
        var adjusted = TwoSample.holm(pValues)[...]
        for i in results.indices where results[i].onlyIn == nil {
            for j in results[i].tests.indices { results[i].tests[j].adjusted = adjusted.removeFirst() }
            results[i].changed = results[i].tests.contains { $0.adjusted < alpha }
        }
        metrics = results
    }

    /// Unpaired: one test of the distribution (chi-square for counts, Kolmogorov–Smirnov otherwise), and
    /// Fisher's exact test of the censored share where either side has censored values.
    static func tests(_ m: Metric, _ a: Sample, _ b: Sample) -> [TwoSample.Test] {
        var tests = [
            counts.contains(m)
                ? TwoSample.chiSquare(a.values, b.values) : TwoSample.kolmogorovSmirnov(a.values, b.values)
        ]
        let ka = a.censored.lazy.filter { $0 }.count
        let kb = b.censored.lazy.filter { $0 }.count
        if ka + kb > 0 { tests.append(TwoSample.fisher(ka, of: a.values.count, kb, of: b.values.count)) }
        return tests
    }

    /// Paired: the sign test on each incident's difference (a censored value standing at the horizon),
    /// and McNemar's exact test of the censored share where either side has censored values.
    static func pairedTests(_ a: Sample, _ b: Sample) -> [TwoSample.Test] {
        var tests = [TwoSample.signTest(a.values, b.values)]
        if a.censored.contains(true) || b.censored.contains(true) {
            tests.append(TwoSample.mcNemar(a.censored, b.censored))
        }
        return tests
    }

    /// The leaves of two resolved configs that differ, by path (`health_checks[0].interval_s: 30 → 10`).
    public static func changes(_ a: JSON, _ b: JSON, path: String = "") -> [String] {
        switch (a, b) {
        case (.object(let x), .object(let y)):
            return Set(x.keys).union(y.keys).sorted().flatMap { k -> [String] in
                let p = path.isEmpty ? k : "\(path).\(k)"
                switch (x[k], y[k]) {
                case (let u?, let v?): return changes(u, v, path: p)
                case (let u?, nil): return ["\(p): \(u.brief) → (absent)"]
                case (nil, let v?): return ["\(p): (absent) → \(v.brief)"]
                default: return []
                }
            }
        case (.array(let x), .array(let y)) where x.count == y.count:
            return x.indices.flatMap { changes(x[$0], y[$0], path: "\(path)[\($0)]") }
        default:
            return a == b ? [] : ["\(path): \(a.compactText) → \(b.compactText)"]
        }
    }
}

extension JSON {
    /// A value as one short line: a number or string as written, a short list of them in full.
    var compactText: String {
        if case .array(let a) = self, a.count <= 4, a.allSatisfy({ $0.serialized() == $0.brief }) {
            return "[" + a.map(\.brief).joined(separator: ", ") + "]"
        }
        return brief
    }
}
