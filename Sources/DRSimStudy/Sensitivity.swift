import DRSim
import DRSimResults
import Foundation

/// A statistic of a metric, as `drsim sensitivity --statistic rto_s:p99` names it.
public struct Measure: Sendable, Equatable, CustomStringConvertible {
    public var metric: Metric
    public var statistic: Expectation.Statistic

    public init(parsing text: String) throws(ExpectationError) { (metric, statistic) = try Expectation.measure(text) }

    /// What the settings move first, then `rto_s` beside its value without the TTL-violating resolvers.
    public static let defaults = [
        "recovered_90_s:p50", "failed_requests:mean", "rto_s:p50", "rto_honouring_s:p50", "lost_writes:mean",
    ]
    public var description: String { "\(metric.rawValue):\(statistic.name)" }

    /// Its value in a run; `atLeast` when it lies among censored values (the horizon, a lower bound).
    public func value(_ run: RunOutput) -> (value: Double, atLeast: Bool)? {
        let s = metric.sample(run.results, config: run.config)
        guard !s.values.isEmpty else { return nil }
        // No estimate: every value (mean) or the quantile lies among the censored ones, at the horizon.
        guard let estimate = statistic.interval(of: s).estimate else { return (run.config.horizon, true) }
        return (estimate, statistic == .mean && s.censored.contains(true))
    }
}

/// `drsim sensitivity`: each assumption moved one at a time to each end of its plausible range, on
/// the same incidents as the base run (same seed and replication numbers), and ranked by how far it
/// moves each statistic: a tornado table (docs/config.md, "sensitivity").
public struct Sensitivity: Sendable {
    public struct Row: Sendable {
        public var assumption: Assumption
        /// The statistic with the assumption at its low and high end (nil: the config already sits there).
        public var low: (value: Double, atLeast: Bool)?
        public var high: (value: Double, atLeast: Bool)?
        /// The largest distance between the base value and the two ends.
        public var swing: Double
    }

    public struct Table: Sendable {
        public var measure: Measure
        public var base: (value: Double, atLeast: Bool)?
        /// Most influential first; ties keep the list's order.
        public var rows: [Row]
    }

    public var config: Config
    public var tables: [Table]
    /// Assumptions the config has no setting for, and the runs that were made.
    public var notApplicable: [Assumption]
    /// Assumptions with a range end the config refuses (that end is shown as the base).
    public var refused: [String]
    public var runs: Int

    /// The configs `init` runs: the base, then every end of every assumption that applies and that the
    /// config accepts (for a progress display's total, before anything runs).
    public static func plannedRuns(_ config: Config, assumptions: [Assumption] = Assumption.all) -> Int {
        let resolved = config.resolved
        return 1
            + assumptions.reduce(0) { n, a in
                n
                    + [false, true].filter { high in
                        a.applied(to: resolved, high: high).flatMap { try? Config.decode($0, defaultName: config.name) }
                            != nil
                    }.count
            }
    }

    /// Runs the base and every applicable end. `run` simulates one config (its replications, at its seed).
    public init(
        _ config: Config, measures: [Measure], assumptions: [Assumption] = Assumption.all,
        run: (Config) throws -> RunOutput
    ) throws {
        self.config = config
        let base = try run(config)
        let resolved = config.resolved
        var ends: [(Assumption, RunOutput?, RunOutput?)] = []
        var skipped: [Assumption] = []
        var refusedEnds: [String] = []
        var count = 1
        for a in assumptions {
            let variants = [false, true].map { a.applied(to: resolved, high: $0) }
            guard variants.contains(where: { $0 != nil }) else {
                skipped.append(a)
                continue
            }
            let outputs = try variants.map { v -> RunOutput? in
                guard let v else { return nil }
                // A range end this config refuses (it breaks a rule between its settings) is left out.
                guard let c = try? Config.decode(v, defaultName: config.name).config else {
                    refusedEnds.append(a.name)
                    return nil
                }
                count += 1
                return try run(c)
            }
            ends.append((a, outputs[0], outputs[1]))
        }
        tables = measures.map { m in
            let b = m.value(base)
            let rows = ends.map { a, lo, hi -> Row in
                let l = lo.flatMap(m.value)
                let h = hi.flatMap(m.value)
                let values = [b, l, h].compactMap { $0?.value }
                return Row(assumption: a, low: l, high: h, swing: (values.max() ?? 0) - (values.min() ?? 0))
            }
            let order = rows.indices.sorted {
                rows[$0].swing != rows[$1].swing ? rows[$0].swing > rows[$1].swing : $0 < $1
            }
            return Table(measure: m, base: b, rows: order.map { rows[$0] })
        }
        notApplicable = skipped
        refused = refusedEnds
        runs = count
    }

    // MARK: Output

    public static let csvColumns = [
        "statistic", "rank", "assumption", "path", "range", "base", "at_low", "at_high", "swing", "lower_bound", "why",
    ]

    /// One row per statistic and assumption, most influential first; `lower_bound` is 1 where a value
    /// lies among censored replications (it is the horizon, a lower bound).
    public var csv: String {
        var out = Self.csvColumns.joined(separator: ",") + "\r\n"
        for t in tables {
            for (i, r) in t.rows.enumerated() {
                let bound = [t.base, r.low, r.high].contains { $0?.atLeast == true }
                let cells = [
                    t.measure.description, String(i + 1), r.assumption.name, r.assumption.path, r.assumption.rangeText,
                    t.base.map { formatNumber($0.value) } ?? "", r.low.map { formatNumber($0.value) } ?? "",
                    r.high.map { formatNumber($0.value) } ?? "", formatNumber(r.swing), bound ? "1" : "0",
                    r.assumption.why,
                ]
                out += cells.map(csvCell).joined(separator: ",") + "\r\n"
            }
        }
        return out
    }

    /// The tables as JSON (`--json`).
    public var json: String {
        func value(_ v: (value: Double, atLeast: Bool)?) -> JSON {
            v.map { .object(["value": .number($0.value), "lower_bound": .bool($0.atLeast)]) } ?? .null
        }
        let doc: JSON = .object([
            "name": .string(config.name), "seed": .number(Double(config.seed)),
            "replications": .number(Double(config.replications)),
            "runs": .number(Double(runs)),
            "not_applicable": .array(notApplicable.map { .string($0.name) }),
            "refused_ends": .array(refused.map(JSON.string)),
            "statistics": .array(
                tables.map { t in
                    .object([
                        "statistic": .string(t.measure.description), "base": value(t.base),
                        "assumptions": .array(
                            t.rows.map { r in
                                .object([
                                    "assumption": .string(r.assumption.name), "path": .string(r.assumption.path),
                                    "range": .string(r.assumption.rangeText), "at_low": value(r.low),
                                    "at_high": value(r.high),
                                    "swing": .number(r.swing), "why": .string(r.assumption.why),
                                ])
                            }),
                    ])
                }),
        ])
        return doc.serialized() + "\n"
    }

    static func show(_ v: (value: Double, atLeast: Bool)?) -> String {
        guard let v else { return "(as base)" }
        return (v.atLeast ? "≥" : "") + SummaryFormat.short(v.value)
    }

    /// The tornado tables for the terminal: one per statistic, a bar per assumption.
    public var text: String {
        var lines = [
            "sensitivity of \(config.name): \(tables.first?.rows.count ?? 0) assumptions one at a time over their "
                + "plausible ranges, "
                + "\(runs) runs of \(config.replications) replications on the same incidents (seed \(config.seed))"
        ]
        for t in tables {
            lines.append("")
            lines.append("\(t.measure) (base \(Self.show(t.base))):")
            let top = t.rows.first?.swing ?? 0
            let header = ["rank", "assumption", "range", "at low", "at high", "swing", ""]
            let rows = t.rows.enumerated().map { i, r in
                [
                    String(i + 1), r.assumption.name, r.assumption.rangeText, Self.show(r.low), Self.show(r.high),
                    SummaryFormat.short(r.swing),
                    String(repeating: "█", count: top > 0 ? Int((r.swing / top * 30).rounded()) : 0),
                ]
            }
            let widths = header.indices.map { j in ([header] + rows).map { $0[j].count }.max()! }
            for r in [header] + rows {
                lines.append(
                    r.indices.map { j in
                        j == 0
                            ? String(repeating: " ", count: widths[j] - r[j].count) + r[j]
                            : r[j].padding(toLength: widths[j], withPad: " ", startingAt: 0)
                    }.joined(separator: "  ")
                        .replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression))
            }
        }
        if !notApplicable.isEmpty {
            lines.append("")
            lines.append("not in this config: " + notApplicable.map(\.name).joined(separator: ", "))
        }
        if !refused.isEmpty {
            lines.append("range ends this config refuses (shown as the base): " + refused.joined(separator: ", "))
        }
        lines.append(
            "(≥: among replications censored at the horizon, a lower bound; ranges and their reasons in "
                + "sensitivity.csv)"
        )
        return lines.joined(separator: "\n") + "\n"
    }
}
