import DRSim
import DRSimResults

/// A comparison's two sides on the objectives (`--objective`; docs/config.md, "Objectives and the
/// Pareto front"): whether one dominates the other (`ParetoFront`), or both are on the front.
public struct ComparisonFront: Sendable {
    /// What the front is over, and what was left out.
    public var objectives: ObjectiveChoice
    /// Per objective used, A's and B's estimates.
    public var a: [Estimate]
    public var b: [Estimate]

    public init(a: RunOutput, b: RunOutput, objectives: [Objective] = Objective.defaults) {
        let choice = ObjectiveChoice(
            objectives, configs: [a.config, b.config], summaries: [a.summaries, b.summaries],
            name: { $0 == 0 ? "side A" : "side B" })
        self.objectives = choice
        self.a = choice.used.map { ObjectiveChoice.estimate($0, a.summaries) }
        self.b = choice.used.map { ObjectiveChoice.estimate($0, b.summaries) }
    }

    var maximise: [Bool] { objectives.used.map(\.maximise) }

    /// "b_dominates", "a_dominates", "both_on_front" or "equal"; nil without objectives.
    public var verdict: String? {
        guard !objectives.used.isEmpty else { return nil }
        if ParetoFront.dominates(b, a, maximise: maximise) { return "b_dominates" }
        if ParetoFront.dominates(a, b, maximise: maximise) { return "a_dominates" }
        return better(a, b).isEmpty ? "equal" : "both_on_front"
    }

    /// The labels of the objectives on which `x` is better than `y` by the estimates.
    func better(_ x: [Estimate], _ y: [Estimate]) -> [String] {
        objectives.used.indices.filter { ParetoFront.compare(x[$0].value, y[$0].value, maximise: maximise[$0]) < 0 }
            .map { objectives.used[$0].label }
    }

    /// The lines under the comparison's table: the verdict on the objectives, then the objectives left out.
    public var lines: [String] {
        let over = "On " + objectives.used.map(\.named).joined(separator: ", ") + ": "
        var line: String
        switch verdict {
        case nil: line = "Pareto front: no objective has values on both sides, so neither side dominates."
        case "equal"?: line = over + "A and B are equal by the estimates; both are on the Pareto front."
        case "both_on_front"?:
            line =
                over + "both are on the Pareto front: A is better on \(better(a, b).joined(separator: ", ")), "
                + "B on \(better(b, a).joined(separator: ", "))."
        default:
            let (w, l, x, y) = verdict == "b_dominates" ? ("B", "A", b, a) : ("A", "B", a, b)
            let clear = objectives.used.indices.filter {
                ParetoFront.clearlyBetterOn(x[$0], y[$0], maximise: maximise[$0])
            }.map { objectives.used[$0].label }
            line =
                over + "\(w) dominates \(l) (as good on every objective, better on "
                + "\(better(x, y).joined(separator: ", "))), "
                + (clear.isEmpty
                    ? "within noise: the 95% intervals overlap wherever \(w) is better."
                    : "clearly: the 95% intervals do not overlap on \(clear.joined(separator: ", ")).")
        }
        return [line] + objectives.notes
    }

    /// The verdict as the comparison's JSON gives it.
    public var json: JSON {
        .object([
            "objectives": .array(objectives.used.map { .string($0.description) }),
            "objectives_left_out": objectives.leftOutJSON,
            "pareto": verdict.map { .string($0) } ?? .null,
        ])
    }
}
