import DRSim
import DRSimResults

/// The objectives a comparison of runs is judged on (`--objective`; docs/config.md, "sweep"): those
/// asked for whose metric has values in every run. An objective whose metric has none at some run, or
/// whose estimate is unknown at every run, is left out with the reason, and the front is over the rest.
public struct ObjectiveChoice: Sendable {
    /// The objectives the front is over, in the order asked.
    public var used: [Objective] = []
    /// The objectives left out, each with why.
    public var leftOut: [(objective: Objective, reason: String)] = []

    /// - Parameters:
    ///   - asked: the objectives named (`Objective.defaults` when none is).
    ///   - configs: each run's config.
    ///   - summaries: each run's statistics.
    ///   - name: how a message names run k ("point 3", "side B").
    public init(
        _ asked: [Objective], configs: [Config], summaries: [[MetricSummary]], name: (Int) -> String
    ) {
        for o in asked {
            if let reason = Self.absence(o, configs: configs, name: name) {
                leftOut.append((o, reason))
            } else if summaries.allSatisfy({ Self.estimate(o, $0).value == nil }) {
                leftOut.append((o, "\(o.label) has no value in any of the \(configs.count) runs"))
            } else {
                used.append(o)
            }
        }
    }

    /// `o`'s estimate among a run's statistics (unknown when the run has no such metric).
    public static func estimate(_ o: Objective, _ summaries: [MetricSummary]) -> Estimate {
        summaries.first { $0.metric == o.metric.rawValue }.map(o.estimate) ?? Estimate(value: nil)
    }

    /// Why `o`'s metric has no values in some run; nil when it has in every one.
    static func absence(_ o: Objective, configs: [Config], name: (Int) -> String) -> String? {
        let reasons = configs.map { o.metric.absence(in: $0) }
        guard let k = reasons.firstIndex(where: { $0 != nil }), let why = reasons[k] else { return nil }
        let everywhere = reasons.allSatisfy { $0 == why }
        return "\(o.metric.rawValue) has no values\(everywhere ? "" : " at \(name(k))") (\(why))"
    }

    /// One line per objective left out: "objective cost_per_month:mean left out: …".
    public var notes: [String] { leftOut.map { "objective \($0.objective) left out: \($0.reason)" } }

    /// The left-out objectives as sweep.json and the comparisons' JSON give them.
    public var leftOutJSON: JSON {
        .array(leftOut.map { .object(["objective": .string($0.objective.description), "reason": .string($0.reason)]) })
    }
}
