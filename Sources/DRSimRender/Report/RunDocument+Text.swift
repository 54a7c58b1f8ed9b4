import DRSimResults

/// A run's facts in words, as the report's tables show them.
extension RunDocument {
    /// The horizon as text, "3600 s", or "unknown".
    public var horizonText: String { horizon.map { Axis.compact($0) + " s" } ?? "unknown" }

    /// The SLO in words.
    public var sloText: String {
        successTarget.map { t in
            "\(Axis.compact(t * 100))% of requests succeed, held for \(stableFor.map(Axis.compact) ?? "?") s"
        } ?? "unknown"
    }
}
