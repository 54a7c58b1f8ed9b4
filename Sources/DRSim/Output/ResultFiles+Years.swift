import DRSimResults

extension ResultFiles {
    /// The header of `years.csv` (docs/config.md, "Result files"): each replication-year's events by
    /// class, the groups simulated, then the metrics of the year.
    public static let yearsHeader =
        "replication,blips,checker_path_problems,outages,probe_loss_spells,groups,failovers,"
        + Metric.allCases.filter { Metric.perYear.contains($0) && $0 != .costDowntime }.map(\.rawValue)
        .joined(separator: ",") + "\r\n"

    static func yearsCSV(_ results: [ReplicationResult], _ emit: (String) -> Void) {
        let metrics = Metric.allCases.filter { Metric.perYear.contains($0) && $0 != .costDowntime }
        var out = yearsHeader
        for (i, r) in results.enumerated() {
            guard let y = r.year else { continue }
            let counts = [i + 1, y.blips, y.checkerPathProblems, y.outages, y.probeLossSpells, y.groups, y.failovers]
            out += counts.map(String.init).joined(separator: ",")
            for m in metrics { out += "," + cell(m.value(r)) }
            out += "\r\n"
            if out.utf8.count >= 65_536 {
                emit(out)
                out.removeAll(keepingCapacity: true)
            }
        }
        emit(out)
    }
}
