import DRSim
import DRSimResults

extension RTOStages {
    /// A run's incidents with their RTO stages, as `breakdown.csv` holds them.
    public init(_ run: RunOutput) {
        self.init(
            run.results.map { r in
                Incident(
                    rto: r.rto, censored: r.rtoCensored, decidedBy: r.breakdown?.decidedBy.rawValue,
                    stages: r.breakdown.map { b in RTOBreakdown.Stage.allCases.map(b.seconds) })
            })
    }
}
