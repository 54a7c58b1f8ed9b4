import Foundation

/// `drsim advise`'s answer as advise.json gives it (docs/config.md, "advise"): read beside the sweep of
/// its grid, so that a report can say which point was advised, the runner-up, and why each cheaper
/// point is not the answer.
public struct AdviceDocument: Sendable {
    /// One target's verdict at a point: the target as written, met / failed / undecided, the estimate.
    public struct Verdict: Sendable {
        public var target: String
        public var verdict: String
        public var estimate: Estimate
    }

    /// One point of the grid as the search ended it.
    public struct Point: Sendable {
        public var replications: Int
        /// The minimized statistic, with its 95% interval.
        public var objective: Estimate
        /// met, failed or undecided: the verdict on every target at once.
        public var verdict: String
        public var targets: [Verdict]
    }

    /// What was minimized (`cost_per_month:mean`) and the targets, as written.
    public let minimize: String
    public let targets: [String]
    /// passed, failed or undecided, as `drsim check` says it.
    public let outcome: String
    /// The answer and the runner-up (0-based; nil: none), and the points cheaper than the answer.
    public let chosen: Int?
    public let runnerUp: Int?
    public let cheaper: [Int]
    /// Every point, in grid order.
    public let points: [Point]

    /// - Throws: `ResultFolderError` when the file cannot be read or is not advise.json's shape.
    public init(file: URL) throws(ResultFolderError) {
        let text = try ResultFolder.read(file)
        // Numbers as Double and null as a string that is no number (`ResultFolder.sendable`).
        guard let parsed = try? JSONSerialization.jsonObject(with: Data(text.utf8)),
            let doc = ResultFolder.sendable(parsed) as? [String: any Sendable],
            let minimize = doc["minimize"] as? String, let raw = doc["points"] as? [any Sendable]
        else {
            throw .damaged(file: file.path, line: 1, problem: "not advise.json: no \"minimize\" and \"points\"")
        }
        self.minimize = minimize
        targets = (doc["targets"] as? [any Sendable] ?? []).compactMap { $0 as? String }
        outcome = doc["outcome"] as? String ?? ""
        points = raw.compactMap { $0 as? [String: any Sendable] }.map { p in
            Point(
                replications: (p["replications"] as? Double).map { Int($0) } ?? 0,
                objective: Self.estimate(p["objective"] as? [String: any Sendable] ?? [:], "value", "low", "high"),
                verdict: p["verdict"] as? String ?? "",
                targets: (p["targets"] as? [any Sendable] ?? []).compactMap { $0 as? [String: any Sendable] }.map { t in
                    Verdict(
                        target: t["target"] as? String ?? "", verdict: t["verdict"] as? String ?? "",
                        estimate: Self.estimate(t, "estimate", "ci_low", "ci_high"))
                })
        }
        let count = points.count
        func index(_ v: (any Sendable)?) -> Int? {
            (v as? Double).map { Int($0) - 1 }.flatMap { (0..<count).contains($0) ? $0 : nil }
        }
        chosen = index(doc["chosen"])
        runnerUp = index(doc["runner_up"])
        cheaper = (doc["cheaper"] as? [any Sendable] ?? []).compactMap(index)
    }

    static func estimate(_ o: [String: any Sendable], _ value: String, _ low: String, _ high: String) -> Estimate {
        Estimate(value: o[value] as? Double, low: o[low] as? Double, high: o[high] as? Double)
    }
}
