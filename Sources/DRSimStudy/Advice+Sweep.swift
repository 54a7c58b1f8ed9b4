import DRSim
import DRSimResults

extension Advice {
    /// The objectives the advice weighs, over which its sweep.json's front is drawn: the minimized
    /// statistic, then each target's statistic (less is better under `<=` and `<`, more under `>=` and
    /// `>`), each statistic once. One that sweep.csv does not give with an interval (a censored share, a
    /// percentile other than p50, p90, p99) is left out, with the reason.
    public var frontObjectives: (asked: [Objective], leftOut: [(objective: Objective, reason: String)]) {
        var asked: [Objective] = []
        var leftOut: [(objective: Objective, reason: String)] = []
        var seen: Set<String> = []
        let measures =
            [(objective.metric, objective.statistic.name, false)]
            + targets.map { t in
                (t.metric, t.statistic.name, t.comparison == .atLeast || t.comparison == .above)
            }
        for (metric, statistic, maximise) in measures where seen.insert("\(metric.rawValue):\(statistic)").inserted {
            let o = Objective(metric: metric, statistic: statistic, maximise: maximise)
            if Objective.statistics.contains(statistic) {
                asked.append(o)
            } else {
                leftOut.append(
                    (
                        o,
                        "sweep.csv gives \(metric.rawValue) with intervals as "
                            + Objective.statistics.joined(separator: ", ") + ", not as \(statistic)"
                    ))
            }
        }
        return (asked, leftOut)
    }

    /// The points as a sweep of the grid (docs/config.md, "advise"): each point's run as the search
    /// ended it (the replications it grew to), the front over `frontObjectives`, and the answer as the
    /// sweep's chosen point, so that sweep.csv, sweep.json and the points' folders are a sweep's and
    /// `drsim report` draws them.
    /// - Parameter runs: the runs `Advice.search` judged, in grid order.
    public func sweep(_ runs: [RunOutput]) -> Sweep {
        let (asked, leftOut) = frontObjectives
        var sweep = Sweep(base: base, grid: grid, points: runs, objectives: asked)
        sweep.objectives.leftOut += leftOut
        sweep.chosen = chosen
        return sweep
    }
}
