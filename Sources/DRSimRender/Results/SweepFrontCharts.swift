import DRSimResults
import Foundation

/// A sweep's trade-off (docs/config.md, "Reports and charts"): the Pareto front over the sweep's
/// objectives drawn as scatters of the first objective against each other, and what one more nine of
/// availability costs. Drawn from sweep.csv and sweep.json only.
extension SweepCharts {
    /// One scatter per objective after the first, against the first; none, with the reason in `skipped`,
    /// when the sweep has fewer than two objectives. `onFront`: per point, whether it is on the front.
    public static func front(_ f: SweepFolder) throws(ResultFolderError) -> (
        charts: [Chart], skipped: [String], onFront: [Bool]
    ) {
        let objectives = f.objectives
        var cells: [String: [Double?]] = [:]
        for o in objectives {
            for c in [o.column, o.column + "_ci_low", o.column + "_ci_high"] { cells[c] = try f.numbers(c) }
        }
        let n = f.values.count
        func value(_ k: Int, _ column: String) -> Double? { (cells[column] ?? nil)?[k] ?? nil }
        let standings = SweepTable.front(objectives: objectives, count: n, value: value)
        let onFront = objectives.isEmpty ? [] : standings.map(\.onFront)
        guard objectives.count >= 2 else {
            let which = objectives.first.map { "one objective (\($0.label))" } ?? "no objective"
            return ([], ["the Pareto front's scatter: this sweep's front is over \(which); it needs two"], onFront)
        }
        let x = objectives[0]
        let over = objectives.map(\.named).joined(separator: ", ")
        let charts = objectives.dropFirst().map { y in
            FrontChart.draw(
                FrontChartData(
                    name: "front-\(x.column)-\(y.column)", title: "\(f.name): the Pareto front",
                    subtitle: "\(y.label) against \(x.label); \(f.replicationsText) incidents per point, seed "
                        + f.document.seed, over: over,
                    xLabel: x.label, xQuantity: quantity(x), yLabel: y.label, yQuantity: quantity(y),
                    points: (0..<n).map { k in
                        FrontChartData.Point(
                            label: String(k + 1), x: x.estimate { value(k, $0) }, y: y.estimate { value(k, $0) },
                            onFront: standings[k].onFront, chosen: f.chosen == k)
                    }, joined: objectives.count == 2))
        }
        return (charts, [], onFront)
    }

    /// A share is drawn in percent, seconds in their scale, anything else in its unit.
    static func quantity(_ o: Objective) -> Quantity {
        o.metric.unit == "share" ? .fraction : Quantity.of(unit: o.metric.unit)
    }

    /// The availability levels of the "cost of one more nine" table.
    static let nines = [0.99, 0.999, 0.9999, 0.99999]

    /// For each availability level, the cheapest point (by `cost_per_month` mean) whose `availability` mean
    /// reaches it, its cost and the increase from the level before; when availability or cost has no
    /// values, the table says which, and why where sweep.json says.
    public static func ninesTable(_ f: SweepFolder) throws(ResultFolderError) -> ReportPage.Table {
        let availability = try f.numbers(Metric.availability.rawValue + "_mean") ?? []
        let cost = try f.numbers(Metric.costPerMonth.rawValue + "_mean") ?? []
        let header = ["availability", "cheapest point", "cost_per_month (USD/mo)", "more than the nine before"]
        let missing = [Metric.availability, .costPerMonth].filter { m in
            !(m == .availability ? availability : cost).contains { $0 != nil }
        }
        guard missing.isEmpty else {
            let why = missing.map {
                f.metricsWithoutValues[$0.rawValue] ?? "\($0.rawValue) has no values in this sweep"
            }
            return ReportPage.Table(
                id: "nines-table",
                before: "The cost of one more nine: " + why.joined(separator: "; ") + ", so it cannot be given.",
                header: header, rows: nines.map { [percent($0), "-", "-", "-"] }, numericFrom: 2)
        }
        var rows: [[String]] = []
        var before: Double?
        for level in nines {
            let reaching = f.values.indices.filter { k in
                (availability[k].map { $0 >= level } ?? false) && cost[k] != nil
            }
            guard let k = reaching.min(by: { (cost[$0]!, $0) < (cost[$1]!, $1) }) else {
                rows.append([percent(level), "none reaches it", "-", "-"])
                before = nil
                continue
            }
            let c = cost[k]!
            rows.append([
                percent(level), "\(k + 1) (\(SweepTable.label(paths: f.paths, values: f.values[k])))",
                SummaryFormat.short(c), before.map { CompareTable.signed(c - $0) } ?? "-",
            ])
            before = c
        }
        return ReportPage.Table(
            id: "nines-table",
            before: "The cost of one more nine: at each level of availability (its mean over the replication-years), "
                + "the cheapest point that reaches it, by cost_per_month's mean.",
            header: header, rows: rows, numericFrom: 2,
            after: [
                "A point reaches a level when its mean availability does; the intervals are in sweep.csv "
                    + "(availability_mean_ci_low, cost_per_month_mean_ci_high)."
            ])
    }

    /// 0.999 → "99.9%".
    static func percent(_ level: Double) -> String {
        var s = String(format: "%.3f", 100 * level)
        while s.hasSuffix("0") { s.removeLast() }
        if s.hasSuffix(".") { s.removeLast() }
        return s + "%"
    }
}
