import ArgumentParser
import DRSimResults

/// `--objective`: what a sweep's or a comparison's Pareto front is over.
struct ObjectiveOptions: ParsableArguments {
    @Option(
        name: .customLong("objective"),
        help: ArgumentHelp(
            "An objective of the Pareto front: METRIC:STAT (STAT mean, p50, p90 or p99), a bare METRIC for its mean, "
                + "max:METRIC:STAT where more is better (repeatable; default "
                + "\(Objective.defaults.map(\.description).joined(separator: ", "))).",
            valueName: "METRIC:STAT"))
    var objective: [String] = []

    func validate() throws {
        var seen: [Objective] = []
        for text in objective {
            let o: Objective
            do { o = try Objective(parsing: text) } catch { throw ValidationError("--objective \(error.message)") }
            if seen.contains(where: { $0.metric == o.metric && $0.statistic == o.statistic }) {
                throw ValidationError("--objective \(text): \(o.label) is given twice; give each objective once")
            }
            seen.append(o)
        }
    }

    /// The objectives named, or the defaults (`validate()` has refused any that cannot be read).
    var objectives: [Objective] { named ?? Objective.defaults }

    /// The objectives named; nil when none is.
    var named: [Objective]? { objective.isEmpty ? nil : objective.compactMap { try? Objective(parsing: $0) } }
}
