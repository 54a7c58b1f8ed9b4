import DRSim
import DRSimResults

/// A comparison's two sides on the objectives (`--objective`; docs/config.md, "Objectives and the
/// Pareto front"): the objectives with values on both sides, and the verdict on them (`PairVerdict`).
public struct ComparisonFront: Sendable {
    /// What the verdict is over, and what was left out.
    public var objectives: ObjectiveChoice
    public var pair: PairVerdict

    public init(a: RunOutput, b: RunOutput, objectives: [Objective] = Objective.defaults) {
        let choice = ObjectiveChoice(
            objectives, configs: [a.config, b.config], summaries: [a.summaries, b.summaries],
            name: { $0 == 0 ? "side A" : "side B" })
        self.objectives = choice
        pair = PairVerdict(
            objectives: choice.used, a: choice.used.map { ObjectiveChoice.estimate($0, a.summaries) },
            b: choice.used.map { ObjectiveChoice.estimate($0, b.summaries) })
    }

    /// "b_dominates", "a_dominates", "both_on_front" or "equal"; nil without objectives.
    public var verdict: String? { pair.verdict }

    /// The lines under the comparison's table: the verdict on the objectives, then the objectives left out.
    public var lines: [String] { [pair.line] + objectives.notes }

    /// The verdict as the comparison's JSON gives it.
    public var json: JSON {
        .object([
            "objectives": .array(objectives.used.map { .string($0.description) }),
            "objectives_left_out": objectives.leftOutJSON,
            "pareto": verdict.map { .string($0) } ?? .null,
        ])
    }
}
