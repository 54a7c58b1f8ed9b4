import DRSim
import DRSimResults
import Foundation

/// What `drsim check` and `drsim diff` found, as a table for people, JSON for scripts and JUnit XML
/// for CI systems (docs/config.md, "Guarding a model in CI").
public struct CheckReport: Sendable {
    public enum Outcome: String, Sendable {
        /// Every target met and no distribution moved.
        case passed
        /// A target failed, or a distribution moved from the baseline.
        case failed
        /// Nothing failed, but a target's interval straddles its bound.
        case undecided
    }

    /// The config's name.
    public var name: String
    public var replications: Int
    public var targets: [TargetJudgement]
    public var diff: BaselineDiff?
    /// False when the baseline is being rewritten: its changes are reported, not held against the run.
    public var diffCounts = true
    /// "check" or "diff": the verdict line's word.
    public var command: String

    public init(
        _ command: String, name: String, replications: Int, targets: [TargetJudgement], diff: BaselineDiff?,
        diffCounts: Bool = true
    ) {
        self.command = command
        self.name = name
        self.replications = replications
        self.targets = targets
        self.diff = diff
        self.diffCounts = diffCounts
    }

    public var outcome: Outcome {
        if targets.contains(where: { $0.verdict == .failed }) || (diffCounts && diff?.changed == true) {
            return .failed
        }
        return targets.contains(where: { $0.verdict == .undecided }) ? .undecided : .passed
    }

    // MARK: Text

    static func number(_ x: Double) -> String {
        x == .infinity ? "∞" : x == -.infinity ? "−∞" : SummaryFormat.short(x)
    }

    static func signed(_ x: Double?) -> String {
        guard let x else { return "-" }
        return (x > 0 ? "+" : "") + SummaryFormat.short(x)
    }

    static func interval(_ e: Estimate) -> String {
        "\(e.value == nil ? "n/a" : signed(e.value)) [\(e.low.map(signed) ?? "−∞"), \(e.high.map(signed) ?? "+∞")]"
    }

    /// One line per target (with its note and how many replications would decide it).
    func targetLines() -> [String] {
        guard !targets.isEmpty else { return [] }
        var lines = ["targets (\(replications) replications; 95% intervals):"]
        let width = targets.map { $0.expectation.description.count }.max() ?? 0
        for t in targets { lines += Self.lines(t, width: width, indent: "  ", growing: "--until-decided") }
        return lines
    }

    /// A target's verdict, estimate and interval on one line (the target padded to `width`), with how
    /// many replications would decide it (which `growing` option adds them) and its note on the next.
    static func lines(_ t: TargetJudgement, width: Int, indent: String, growing: String?) -> [String] {
        let what = t.expectation.description.padding(toLength: width, withPad: " ", startingAt: 0)
        let verdict = (t.verdict == .met ? "met" : t.verdict.rawValue.uppercased()).padding(
            toLength: 10, withPad: " ", startingAt: 0)
        var line =
            "\(indent)\(verdict) \(what)   \(t.expectation.statistic.name) \(t.estimateText) [\(Self.number(t.low)), "
            + "\(Self.number(t.high))]"
        if let n = t.toDecide, let growing { line += "; about \(n) replications would decide it (\(growing))" }
        return [line] + (t.note.map { [indent + String(repeating: " ", count: 11) + $0] } ?? [])
    }

    /// The baseline comparison: what differs in the runs, then one row per metric.
    func diffLines() -> [String] {
        guard let d = diff else { return [] }
        func side(_ r: ResultSet) -> String {
            "drsim \(r.version), seed \(r.seed.map(formatNumber) ?? "?"), \(r.replications) replications"
        }
        var lines = ["baseline \(d.baseline.label) (\(side(d.baseline))) against \(d.new.label) (\(side(d.new))):"]
        if d.baseline.version != d.new.version {
            lines.append("  drsim version changed: \(d.baseline.version) → \(d.new.version)")
        }
        if d.configChanges.isEmpty {
            lines.append(
                d.baseline.configHash == d.new.configHash
                    ? "  config: the same (\(d.new.configHash))"
                    : "  config: the same model settings (the targets differ)")
        } else {
            lines.append("  config changed (\(d.configChanges.count) setting\(d.configChanges.count == 1 ? "" : "s")):")
            lines += d.configChanges.prefix(20).map { "    \($0)" }
            if d.configChanges.count > 20 { lines.append("    … and \(d.configChanges.count - 20) more") }
        }
        let rows: [[String]] = d.metrics.map { m in
            guard m.onlyIn == nil else {
                return [m.metric.rawValue, "CHANGED", "has values in the \(m.onlyIn!) run only", "", "", ""]
            }
            let tests = m.tests.map {
                "\(Self.short($0.test.name)) p\(Self.p($0.adjusted))"
            }
            return [
                m.metric.rawValue, m.changed ? "CHANGED" : "same", tests.joined(separator: ", "),
                Self.interval(m.mean), Self.interval(m.p50), Self.interval(m.p99),
            ]
        }
        let header = ["metric", "verdict", "test (Holm-adjusted p)", "mean Δ [95%]", "p50 Δ [95%]", "p99 Δ [95%]"]
        let widths = header.indices.map { j in ([header] + rows).map { $0[j].count }.max()! }
        for r in [header] + rows {
            lines.append(
                "  "
                    + r.indices.map { r[$0].padding(toLength: widths[$0], withPad: " ", startingAt: 0) }.joined(
                        separator: "  "
                    )
                    .trimmingCharacters(in: .whitespaces))
        }
        let moved = d.metrics.filter(\.changed).count
        lines.append(
            d.paired
                ? "  paired: the same seed and replications, so incident i is the same incident in both runs; each "
                    + "metric is tested on its per-incident differences (sign test; McNemar for the censored share)"
                : "  unpaired: the runs' seeds or replication counts differ, so the distributions are compared "
                    + "(Kolmogorov–Smirnov or χ²; Fisher for the censored share)")
        lines.append(
            "  \(moved == 0 ? "no change" : "\(moved) of \(d.metrics.count) metrics moved") "
                + "at α = \(formatNumber(d.alpha)) for all \(d.metrics.count) metrics together (Holm); Δ = new − "
                + "baseline"
        )
        return lines
    }

    /// A test's name in the table: `χ²`, `KS`, `sign`, `censored`.
    static func short(_ name: String) -> String {
        if name == "chi-square" { return "χ²" }
        if name.hasPrefix("Fisher") || name.hasPrefix("McNemar") { return "censored" }
        return name.hasPrefix("sign") ? "sign" : "KS"
    }

    /// A p-value with its relation: `=0.0123`, or `<0.0001` below what four decimals show.
    static func p(_ x: Double) -> String { x < 0.0001 ? "<0.0001" : String(format: "=%.4f", x) }

    /// The verdict line: what failed, what is undecided.
    func verdictLine() -> String {
        let failed = targets.filter { $0.verdict == .failed }.count
        let undecided = targets.filter { $0.verdict == .undecided }.count
        var parts: [String] = []
        if !targets.isEmpty {
            parts.append(
                "\(targets.count - failed - undecided) of \(targets.count) "
                    + "target\(targets.count == 1 ? "" : "s") met, \(failed) failed, \(undecided) undecided")
        }
        if let d = diff {
            let moved = d.metrics.filter(\.changed).count
            parts.append(
                moved == 0
                    ? "no distribution moved from the baseline"
                    : "\(moved) distribution\(moved == 1 ? "" : "s") moved from the "
                        + "baseline\(diffCounts ? "" : " (baseline rewritten)")"
            )
        }
        if command == "diff", let d = diff {
            return "diff: \(d.changed ? "CHANGED" : "no change"): " + parts.joined(separator: "; ")
        }
        return "\(command): \(outcome.rawValue.uppercased()): " + parts.joined(separator: "; ")
    }

    public var text: String { (targetLines() + diffLines() + [verdictLine()]).joined(separator: "\n") + "\n" }

    // MARK: JSON

    static func json(_ x: Double?) -> JSON { x.flatMap { $0.isFinite ? JSON.number($0) : nil } ?? .null }
    static func json(_ e: Estimate) -> JSON {
        .object(["value": json(e.value), "low": json(e.low), "high": json(e.high)])
    }

    /// A target's verdict as JSON: the target and its parts, the verdict, the estimate and interval
    /// (null where open), the replications that would decide it and the note.
    static func json(_ t: TargetJudgement) -> JSON {
        .object([
            "target": .string(t.expectation.description), "metric": .string(t.expectation.metric.rawValue),
            "statistic": .string(t.expectation.statistic.name),
            "comparison": .string(t.expectation.comparison.rawValue),
            "bound": .number(t.expectation.bound), "verdict": .string(t.verdict.rawValue),
            "estimate": Self.json(t.estimate), "ci_low": Self.json(t.low), "ci_high": Self.json(t.high),
            "replications_to_decide": Self.json(t.toDecide.map(Double.init)),
            "note": t.note.map(JSON.string) ?? .null,
        ])
    }

    public var json: String {
        var doc: [String: JSON] = [
            "name": .string(name), "outcome": .string(outcome.rawValue), "replications": .number(Double(replications)),
            "targets": .array(targets.map(Self.json)),
        ]
        if let d = diff {
            func side(_ r: ResultSet) -> JSON {
                .object([
                    "source": .string(r.label), "drsim_version": .string(r.version),
                    "config_hash": .string(r.configHash),
                    "seed": Self.json(r.seed), "replications": .number(Double(r.replications)),
                ])
            }
            doc["baseline"] = .object([
                "baseline": side(d.baseline), "new": side(d.new), "alpha": .number(d.alpha),
                "changed": .bool(d.changed), "paired": .bool(d.paired),
                "counts_against_run": .bool(diffCounts),
                "config_changes": .array(d.configChanges.map(JSON.string)),
                "metrics": .array(
                    d.metrics.map { m in
                        .object([
                            "metric": .string(m.metric.rawValue), "changed": .bool(m.changed),
                            "only_in": m.onlyIn.map(JSON.string) ?? .null,
                            "baseline_count": .number(Double(m.baselineCount)),
                            "new_count": .number(Double(m.newCount)),
                            "tests": .array(
                                m.tests.map {
                                    .object([
                                        "test": .string($0.test.name), "statistic": .number($0.test.statistic),
                                        "p": .number($0.test.p), "p_adjusted": .number($0.adjusted),
                                    ])
                                }),
                            "mean_difference": Self.json(m.mean), "p50_difference": Self.json(m.p50),
                            "p99_difference": Self.json(m.p99),
                        ])
                    }),
            ])
        }
        return JSON.object(doc).serialized() + "\n"
    }

    // MARK: JUnit XML

    /// JUnit XML as GitHub Actions, GitLab and Jenkins read it: one `testsuite` for the targets and one
    /// for the baseline, one `testcase` per target and per metric. A failed target or a moved metric
    /// is a `failure` (type "failed" or "changed"); an undecided target too (type "undecided"), since
    /// the check does not pass. No times or host names, so the same results give the same bytes.
    public var junit: String {
        var suites:
            [(
                name: String,
                cases: [(name: String, failure: (type: String, message: String, body: String)?, output: String?)]
            )] = []
        if !targets.isEmpty {
            suites.append(
                (
                    "targets",
                    targets.map { t in
                        let numbers =
                            "\(t.expectation.statistic.name) \(t.estimateText), "
                            + "95% interval [\(Self.number(t.low)), \(Self.number(t.high))], \(t.replications) "
                            + "replications"
                        guard t.verdict != .met else { return (t.expectation.description, nil, nil) }
                        let message =
                            "\(t.verdict.rawValue): \(t.expectation.description): \(numbers)"
                            + (t.toDecide.map { "; about \($0) replications would decide it" } ?? "")
                        return (
                            t.expectation.description,
                            (
                                t.verdict.rawValue, message,
                                ([message] + (t.note.map { [$0] } ?? [])).joined(separator: "\n")
                            ), nil
                        )
                    }
                ))
        }
        if let d = diff {
            suites.append(
                (
                    "baseline",
                    d.metrics.map { m in
                        let name = "\(m.metric.rawValue) distribution"
                        let tests = m.tests.map {
                            "\($0.test.name) p\(Self.p($0.test.p)) (Holm-adjusted p\(Self.p($0.adjusted)))"
                        }.joined(separator: "; ")
                        let detail =
                            m.onlyIn.map { "\(m.metric.rawValue) has values in the \($0) run only" }
                            ?? "\(m.metric.rawValue): \(tests); mean Δ \(Self.interval(m.mean)), "
                            + "p50 Δ \(Self.interval(m.p50)), p99 Δ \(Self.interval(m.p99)) (new − baseline, 95%)"
                        let message = "changed at α = \(formatNumber(d.alpha)): \(detail)"
                        let body = ([message] + d.configChanges.prefix(20).map { "config: \($0)" }).joined(
                            separator: "\n")
                        // A change accepted by --update-baseline passes, its numbers kept in the case's output.
                        guard m.changed else { return (name, nil, nil) }
                        return diffCounts
                            ? (name, ("changed", message, body), nil)
                            : (name, nil, "accepted (baseline rewritten): " + body)
                    }
                ))
        }
        let total = suites.reduce(0) { $0 + $1.cases.count }
        let failures = suites.reduce(0) { $0 + $1.cases.filter { $0.failure != nil }.count }
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        xml +=
            "<testsuites name=\"\(xmlEscaped("drsim \(command) \(name)"))\" tests=\"\(total)\" "
            + "failures=\"\(failures)\" errors=\"0\">\n"
        for s in suites {
            let f = s.cases.filter { $0.failure != nil }.count
            xml +=
                "  <testsuite name=\"\(xmlEscaped("\(name) \(s.name)"))\" tests=\"\(s.cases.count)\" "
                + "failures=\"\(f)\" errors=\"0\" skipped=\"0\">\n"
            for c in s.cases {
                let open =
                    "    <testcase classname=\"\(xmlEscaped("drsim.\(name).\(s.name)"))\" "
                    + "name=\"\(xmlEscaped(c.name))\""
                guard c.failure != nil || c.output != nil else {
                    xml += open + "/>\n"
                    continue
                }
                xml += open + ">\n"
                if let failure = c.failure {
                    xml +=
                        "      <failure type=\"\(failure.type)\" "
                        + "message=\"\(xmlEscaped(failure.message))\">\(xmlEscaped(failure.body))</failure>\n"
                }
                if let output = c.output { xml += "      <system-out>\(xmlEscaped(output))</system-out>\n" }
                xml += "    </testcase>\n"
            }
            xml += "  </testsuite>\n"
        }
        return xml + "</testsuites>\n"
    }
}
