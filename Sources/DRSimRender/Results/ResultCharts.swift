import DRSimResults
import Foundation

/// The standard charts of one result folder: the empirical CDFs of `recovered_90_s`, `rto_s`,
/// `rto_honouring_s` and `rpo_s`, the success-fraction timeline, and the RTO's stages. Each is drawn
/// only from the folder's files.
public enum ResultCharts {
    /// A metric drawn as a CDF: its column, its name on the axis, and what it means in one line.
    struct CDFMetric: Sendable {
        var column: String
        var axis: String
        var title: String
        /// Newer than some result folders: where the column is missing, or has no value (a metric of a
        /// year, in a run without one), it is left out without a note.
        var newer = false
        var quantity = Quantity.seconds
        var meaning: @Sendable (ResultFolder) -> String
    }

    /// What the settings move first (`recovered_90_s`), then `rto_s` beside its value without the
    /// resolvers that do not honour TTLs (docs/model.md, "The stale-DNS tail").
    static let cdfMetrics = [
        CDFMetric(column: "recovered_90_s", axis: "time until 90% of requests succeed", title: "90% of traffic back") {
            _ in
            "until 90% of requests succeed again for good"
        },
        CDFMetric(column: "rto_s", axis: "RTO: fault start until service is back for good", title: "RTO") { f in
            let target = f.successTarget.map { Axis.compact($0 * 100) + "%" } ?? "the SLO target"
            return "until \(target) of requests succeed until the horizon"
        },
        CDFMetric(
            column: "rto_honouring_s", axis: "RTO without the resolvers that do not honour TTLs",
            title: "RTO, TTL-honouring traffic", newer: true
        ) { f in
            let target = f.successTarget.map { Axis.compact($0 * 100) + "%" } ?? "the SLO target"
            return "until \(target) of the TTL-honouring traffic's requests succeed until the horizon"
        },
        CDFMetric(column: "rpo_s", axis: "RPO: age of the oldest lost write", title: "RPO") { _ in
            "age of the oldest lost write"
        },
        CDFMetric(
            column: "downtime_min_per_year", axis: "downtime in a year: traffic-weighted minutes of failed requests",
            title: "downtime per year", newer: true, quantity: .plain("min")
        ) { _ in
            "each replication's year of blips, checker-path problems, probe loss and outages"
        },
    ]

    /// Every standard chart; a metric whose column the folder lacks is left out and named in `skipped`.
    public static func all(_ f: ResultFolder, targets: [Expectation] = []) throws(ResultFolderError) -> (
        charts: [Chart], skipped: [String]
    ) {
        var charts: [Chart] = []
        var skipped: [String] = []
        for m in cdfMetrics {
            if let c = try cdf(f, m, targets: targets) {
                charts.append(c)
            } else if !m.newer {
                skipped.append("\(m.column) (no such column in replications.csv)")
            }
        }
        charts.append(try timeline(f))
        if let end = earlyWindow(f) { charts.append(try timeline(f, until: end)) }
        if let c = try stages(f) {
            charts.append(c)
        } else {
            skipped.append("the RTO by stage (no breakdown.csv in this folder: drsim 0.1 did not write it)")
        }
        return (charts, skipped)
    }

    static func subtitle(_ f: ResultFolder) -> String {
        "\(f.replicationCount) incidents, seed \(f.seed)"
            + (f.horizon.map { ", horizon \(Axis(label: "", quantity: .seconds, lo: 0, hi: $0).valueText($0))" } ?? "")
    }

    static func cdf(_ f: ResultFolder, _ m: CDFMetric, targets: [Expectation]) throws(ResultFolderError) -> Chart? {
        guard let column = try f.replications.numbers(m.column) else { return nil }
        // rto_s writes the horizon for an incident that never recovered, and says so in rto_censored;
        // every other metric leaves the cell empty.
        let flags = try f.replications.numbers(
            "\(m.column.hasSuffix("_s") ? String(m.column.dropLast(2)) : m.column)_censored")
        var values: [Double] = []
        var censored = 0
        for (i, v) in column.enumerated() {
            if let flags, let flag = flags[i], flag != 0 {
                censored += 1
                continue
            }
            if let v { values.append(v) } else { censored += 1 }
        }
        if m.newer && values.isEmpty { return nil }
        // A percentile's target is a point on the CDF; a mean's or a censored share's is not.
        let chartTargets = (targets + f.expectations.compactMap { try? Expectation(parsing: $0) })
            .filter { $0.metric.rawValue == m.column && $0.level != nil }
            .map { t -> CDFTarget in
                let x = Axis(label: "", quantity: .seconds, lo: 0, hi: t.bound)
                let op = t.comparison.rawValue
                let label = "target \(t.statistic.name) \(["<=": "≤", ">=": "≥"][op] ?? op) \(x.valueText(t.bound))"
                return CDFTarget(value: t.bound, level: t.level, label: label)
            }
        let data = CDFChartData(
            name: "cdf-\(m.column)", title: "\(f.name): \(m.title), empirical CDF",
            subtitle: subtitle(f) + "; " + m.meaning(f),
            xLabel: m.axis, quantity: m.quantity,
            series: [CDFSeries(label: m.column, values: values, censored: censored)],
            horizon: f.horizon, targets: chartTargets)
        return CDFChart.draw(data)
    }

    /// Where most traffic is back: twice the p90 of `recovered_90_s`, when that is under a third of the
    /// horizon (so the whole-horizon timeline squeezes the recovery into its left edge); else nil.
    static func earlyWindow(_ f: ResultFolder) -> Double? {
        guard let horizon = f.horizon, let p90 = f.summary("recovered_90_s")?("p90"), p90 > 0, 2 * p90 < horizon / 3
        else { return nil }
        let axis = Axis(label: "", quantity: .seconds, lo: 0, hi: 2 * p90)
        return axis.hi
    }

    /// The success timeline, over the whole horizon or up to `until` [s].
    static func timeline(_ f: ResultFolder, until: Double? = nil) throws(ResultFolderError) -> Chart {
        let t = f.timeline
        let times = (try t.numbers("t_s") ?? []).map { $0 ?? .nan }
        let keep = times.indices.filter { until == nil || times[$0] <= until! }
        func column(_ name: String) throws(ResultFolderError) -> [Double] {
            let all = (try t.numbers(name) ?? []).map { $0 ?? .nan }
            return keep.map { all[$0] }
        }
        let x = try column("t_s")
        let p05 = try column("success_p05")
        let p50 = try column("success_p50")
        let p95 = try column("success_p95")
        var lines = [TimelineChartData.Line(label: "median", y: p50)]
        if t.index("success_mean") != nil { lines.append(.init(label: "mean", y: try column("success_mean"))) }
        var markers = [Marker(x: 0, label: "fault starts")]
        if let detection = f.summary("detection_s")?("p50") {
            let axis = Axis(label: "", quantity: .seconds, lo: 0, hi: detection)
            markers.append(
                Marker(
                    x: detection,
                    label: "DNS answer changes: median detection_s, \(axis.valueText(detection)) (summary.csv)"))
            if let ttl = f.ttl, ttl > 0 {
                markers.append(
                    Marker(
                        x: detection + ttl, label: "+ TTL \(Axis.compact(ttl)) s: honouring caches have the new answer")
                )
            }
        }
        let levels =
            f.successTarget.map { [Level(y: $0, label: "SLO success target \(Axis.compact($0 * 100))%")] } ?? []
        let window = until.map { Axis(label: "", quantity: .seconds, lo: 0, hi: $0).valueText($0) }
        let data = TimelineChartData(
            name: until == nil ? "timeline-success" : "timeline-success-early",
            title: "\(f.name): share of requests succeeding "
                + (window.map { "in the first \($0)" } ?? "after the fault"),
            subtitle: subtitle(f) + "; across incidents at each moment",
            xLabel: "time since the fault started", xQuantity: .seconds, yLabel: "requests succeeding",
            yQuantity: .fraction,
            x: x, lines: lines, bandLabel: "5th–95th percentile", bandLow: p05, bandHigh: p95, markers: markers,
            levels: levels)
        return TimelineChart.draw(data)
    }

    /// The ranks at which the RTO's stages are drawn.
    static let stageRanks = [("median", 0.5), ("p90", 0.9), ("p99", 0.99)]

    /// The RTO at the median, p90 and p99 split into its stages (breakdown.csv): stacked bars, one
    /// colour per stage, in the order they happen; nil without breakdown.csv.
    static func stages(_ f: ResultFolder) throws(ResultFolderError) -> Chart? {
        guard let t = f.breakdown else { return nil }
        let rto = try t.numbers("rto_s") ?? []
        let censored = try t.numbers("rto_censored") ?? []
        var columns: [[Double?]?] = []
        for s in RTOStages.stages { columns.append(try t.numbers(s.column)) }
        let decided = t.index("decided_by")
        let incidents = (0..<t.rowCount).map { i -> RTOStages.Incident in
            let cells = columns.map { $0?[i] ?? nil }
            let stages = cells.contains { $0 != nil } ? cells.map { $0 ?? 0 } : nil
            let by = decided.map { t.cell(row: i, column: $0) }.flatMap {
                $0.isEmpty ? (stages == nil ? nil : "none") : $0
            }
            return RTOStages.Incident(
                rto: rto[i] ?? f.horizon ?? 0, censored: (censored[i] ?? 0) != 0 || rto[i] == nil, decidedBy: by,
                stages: stages)
        }
        let all = RTOStages(incidents)
        let ranks = stageRanks.compactMap { all.at($0.1, label: $0.0) }
        let short = SummaryFormat.short
        var used: [Int] = []
        let rows = ranks.map { r -> BarChartData.Row in
            guard let rto = r.rto else {
                return .init(
                    label: "\(r.label): never", segments: [],
                    note: "not recovered by the horizon" + (f.horizon.map { " (\(short($0)) s)" } ?? ""))
            }
            let label = "\(r.label): \(short(rto)) s"
            guard let mean = r.stages else {
                return .init(label: label, segments: [], note: "service never fell below the target")
            }
            var at = 0.0
            var segments: [BarChartData.Segment] = []
            for (j, v) in mean.enumerated() where v > 0 {
                segments.append(.init(from: at, to: at + v, series: j, label: short(v) + " s"))
                at += v
                if !used.contains(j) { used.append(j) }
            }
            return .init(
                label: label, segments: segments,
                note: "last event: \(r.decidedBy), \(r.count) incident\(r.count == 1 ? "" : "s")")
        }
        let data = BarChartData(
            name: "stages-rto_s", title: "\(f.name): RTO by stage at the median, p90 and p99",
            subtitle: subtitle(f) + "; mean of the incidents near each rank",
            xLabel: "time since the fault started", quantity: .seconds, yLabel: "rank of rto_s",
            series: RTOStages.stages.enumerated().map { .init(label: $1.label, colour: Palette.fill($0)) }, rows: rows)
        return BarChart.draw(data)
    }
}
