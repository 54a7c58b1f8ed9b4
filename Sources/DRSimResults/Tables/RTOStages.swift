import Foundation

/// The RTO split into its stages at chosen ranks of `rto_s` (docs/model.md, "RTO by stage"): at each
/// rank, the mean stages of the incidents around it, within half a percent of the incidents either
/// side, so that one odd incident does not speak for its rank.
///
/// The same computation serves `drsim run`'s lines (from the run in memory) and the report's stacked
/// bars (from `breakdown.csv`), so the two always agree.
public struct RTOStages: Sendable {
    /// One incident's row of `breakdown.csv`.
    public struct Incident: Sendable {
        public var rto: Double
        public var censored: Bool
        /// What happened at the RTO instant (`dns_answer`, …); nil when there is no breakdown.
        public var decidedBy: String?
        /// Seconds per stage, in `RTOStages.stages`' order; nil when the incident has no breakdown.
        public var stages: [Double]?
        public init(rto: Double, censored: Bool, decidedBy: String?, stages: [Double]?) {
            self.rto = rto
            self.censored = censored
            self.decidedBy = decidedBy
            self.stages = stages
        }
    }

    /// The stages at one rank.
    public struct AtRank: Sendable {
        public var label: String
        /// The RTO of the incident at that rank; nil when it never recovered by the horizon.
        public var rto: Double?
        /// Mean seconds per stage over `count` incidents around the rank; nil when the rank's incident
        /// never recovered, or its RTO is 0 (service never fell below the target).
        public var stages: [Double]?
        /// The most common last event among them (ties: the first by name).
        public var decidedBy: String
        public var count: Int
    }

    /// `breakdown.csv`'s stage columns and what each is in words, in the file's order.
    public static let stages: [(column: String, label: String)] = [
        ("detection_s", "detection (health checks)"), ("propagation_s", "status to DNS"),
        ("resolver_cache_s", "resolver caches"),
        ("client_cache_s", "client caches"), ("connection_s", "open connections"),
        ("lb_reprogramming_s", "load balancer reprogramming"),
        ("activation_s", "standby activation"), ("scale_up_s", "capacity scale-up"),
        ("repointing_s", "write repointing"),
        ("outage_s", "waiting for the fault to end"),
        ("before_last_drop_s", "before the last drop"),
    ]

    public let incidents: [Incident]
    /// Incident indices by RTO, the ones that never recovered last (ties by index).
    let order: [Int]

    public init(_ incidents: [Incident]) {
        self.incidents = incidents
        order = incidents.indices.sorted { a, b in
            let (x, y) = (incidents[a], incidents[b])
            if x.censored != y.censored { return !x.censored }
            return x.rto != y.rto ? x.rto < y.rto : a < b
        }
    }

    /// The stages at quantile `q` of `rto_s` (0.5: the median), named `label`; nil with no incident.
    public func at(_ q: Double, label: String) -> AtRank? {
        let n = incidents.count
        guard n > 0 else { return nil }
        let k = max(1, Int((q * Double(n)).rounded(.up))) - 1
        let w = n / 200
        let near = order[max(0, k - w)...min(n - 1, k + w)].map { incidents[$0] }.filter { !$0.censored }
        let incident = incidents[order[k]]
        guard !incident.censored else { return AtRank(label: label, rto: nil, stages: nil, decidedBy: "", count: 0) }
        guard !near.isEmpty, incident.rto > 0 else {
            return AtRank(label: label, rto: incident.rto, stages: nil, decidedBy: "", count: 0)
        }
        var mean = [Double](repeating: 0, count: Self.stages.count)
        var decided: [String: Int] = [:]
        for r in near {
            guard let s = r.stages else { continue }
            for j in mean.indices where j < s.count { mean[j] += s[j] / Double(near.count) }
            decided[r.decidedBy ?? "none", default: 0] += 1
        }
        let by = decided.max { $0.value != $1.value ? $0.value < $1.value : $0.key > $1.key }?.key ?? "none"
        return AtRank(label: label, rto: incident.rto, stages: mean, decidedBy: by, count: near.count)
    }

    /// The lines `drsim run` prints after its table: the median's and the p99's stages, largest first.
    public var text: String {
        guard !incidents.isEmpty else { return "" }
        let short = SummaryFormat.short
        var lines = ["RTO by stage (breakdown.csv):"]
        for (label, q) in [("median", 0.5), ("p99", 0.99)] {
            guard let r = at(q, label: label) else { continue }
            guard let rto = r.rto else {
                lines.append("  \(label) rto_s: not recovered by the horizon")
                continue
            }
            guard let mean = r.stages else {
                lines.append("  \(label) rto_s \(short(rto)) s")
                continue
            }
            let total = mean.reduce(0, +)
            let parts = mean.indices.filter { mean[$0] > 0 }.sorted { mean[$0] > mean[$1] }
                .map {
                    "\(Self.stages[$0].label) \(short(mean[$0])) s "
                        + "(\(String(format: "%.0f%%", 100 * mean[$0] / max(total, 1e-12))))"
                }
            lines.append(
                "  \(label) rto_s \(short(rto)) s: " + parts.joined(separator: ", ")
                    + "; last event: \(r.decidedBy) (mean of \(r.count) incident\(r.count == 1 ? "" : "s") around "
                        + "that rank)"
            )
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
