/// Two settings, A and B, on objectives (docs/config.md, "Objectives and the Pareto front"): whether
/// one dominates the other (`ParetoFront`), or both are on the front. `drsim compare` prints it, and a
/// comparison's report shows it.
public struct PairVerdict: Sendable {
    /// The objectives with values on both sides, and each side's estimate of each.
    public var objectives: [Objective]
    public var a: [Estimate]
    public var b: [Estimate]

    public init(objectives: [Objective], a: [Estimate], b: [Estimate]) {
        precondition(a.count == objectives.count && b.count == objectives.count, "one estimate per objective")
        self.objectives = objectives
        self.a = a
        self.b = b
    }

    var maximise: [Bool] { objectives.map(\.maximise) }

    /// "b_dominates", "a_dominates", "both_on_front" or "equal"; nil without objectives.
    public var verdict: String? {
        guard !objectives.isEmpty else { return nil }
        if ParetoFront.dominates(b, a, maximise: maximise) { return "b_dominates" }
        if ParetoFront.dominates(a, b, maximise: maximise) { return "a_dominates" }
        return better(a, b).isEmpty ? "equal" : "both_on_front"
    }

    /// The labels of the objectives on which `x` is better than `y` by the estimates.
    func better(_ x: [Estimate], _ y: [Estimate]) -> [String] {
        objectives.indices.filter { ParetoFront.compare(x[$0].value, y[$0].value, maximise: maximise[$0]) < 0 }
            .map { objectives[$0].label }
    }

    /// The verdict in a sentence.
    public var line: String {
        let over = "On " + objectives.map(\.named).joined(separator: ", ") + ": "
        switch verdict {
        case nil: return "Pareto front: no objective has values on both sides, so neither side dominates."
        case "equal"?: return over + "A and B are equal by the estimates; both are on the Pareto front."
        case "both_on_front"?:
            return over + "both are on the Pareto front: A is better on \(better(a, b).joined(separator: ", ")), "
                + "B on \(better(b, a).joined(separator: ", "))."
        default:
            let (w, l, x, y) = verdict == "b_dominates" ? ("B", "A", b, a) : ("A", "B", a, b)
            let clear = objectives.indices.filter {
                ParetoFront.clearlyBetterOn(x[$0], y[$0], maximise: maximise[$0])
            }.map { objectives[$0].label }
            return over + "\(w) dominates \(l) (as good on every objective, better on "
                + "\(better(x, y).joined(separator: ", "))), "
                + (clear.isEmpty
                    ? "within noise: the 95% intervals overlap wherever \(w) is better."
                    : "clearly: the 95% intervals do not overlap on \(clear.joined(separator: ", ")).")
        }
    }
}
