import DRSimResults

extension ReportSource {
    /// The "Advice" table of an advise folder (docs/config.md, "Reports and charts"), from advise.json:
    /// the answer, the runner-up, and each point cheaper than the answer with the targets it fails or
    /// leaves undecided.
    static func adviceTable(_ f: SweepFolder, _ a: AdviceDocument) -> ReportPage.Table {
        func row(_ k: Int, _ role: String) -> [String] {
            let p = a.points[k]
            let open = p.targets.filter { $0.verdict != "met" }.map {
                "\($0.verdict == "failed" ? "FAILED" : $0.verdict) \($0.target): \(estimate($0.estimate))"
            }
            let why = p.verdict == "met" ? "every target met" : open.joined(separator: "; ")
            let settings = k < f.values.count ? SweepTable.label(paths: f.paths, values: f.values[k]) : ""
            return [role, String(k + 1), settings, why, estimate(p.objective), String(p.replications)]
        }
        var rows: [[String]] = []
        if let c = a.chosen { rows.append(row(c, "chosen")) }
        if let r = a.runnerUp { rows.append(row(r, "runner-up")) }
        rows += a.cheaper.map { row($0, a.chosen == nil ? "no answer" : "cheaper") }
        let answer =
            a.chosen.map { "the answer is point \($0 + 1), ringed on the front's scatters" }
            ?? (a.outcome == "failed"
                ? "no point meets every target: every point fails one"
                : "no point meets every target with confidence, and some are undecided at the most replications")
        return ReportPage.Table(
            id: "advice-table",
            before: "Advice, as drsim advise gave it (advise.json): the lowest \(a.minimize) among the points whose "
                + "targets are all met with 95% confidence (\(a.targets.joined(separator: "; "))); \(answer). "
                + "Below it the runner-up and every point with a lower \(a.minimize), with why it is not the answer.",
            header: ["advice", "point", "settings", "why", "\(a.minimize) [95%]", "replications"], rows: rows,
            numericFrom: 4,
            after: [
                "A verdict is on the statistic's 95% interval, as drsim check gives it; a point left undecided got "
                    + "more replications on the same incidents, so the points' counts may differ (sweep.json, "
                    + "each point's run.json)."
            ])
    }

    /// An estimate with its interval: `183 [181, 185]`.
    static func estimate(_ e: Estimate) -> String {
        guard e.value != nil else { return "-" }
        return "\(SummaryFormat.short(e.value)) [\(e.low.map(SummaryFormat.short) ?? "−∞"), "
            + "\(e.high.map(SummaryFormat.short) ?? "+∞")]"
    }
}
