import DRSim
import DRSimResults
import DRSimStudy
import DRSimTestSupport
import Foundation
import Testing

/// Sweep grids and the common random numbers a sweep relies on.
@Suite struct SweepTests {
    @Test func aTwoByThreeGridHasSixPointsFirstAxisSlowest() throws {
        let grid = try SweepGrid([
            try SweepGrid.Axis(parsing: "dns.ttl_s=60,300"),
            try SweepGrid.Axis(parsing: "health_checks[0].failure_threshold=1..3:1"),
        ])
        #expect(grid.count == 6)
        let points = (0..<6).map { grid.point($0) }
        #expect(
            points
                == [[60, 1], [60, 2], [60, 3], [300, 1], [300, 2], [300, 3]].map { $0.map { JSON.number(Double($0)) } })
        #expect(grid.label(4) == "dns.ttl_s=300, health_checks[0].failure_threshold=2")
        #expect(try grid.overrides(4).map(\.text) == ["dns.ttl_s=300", "health_checks[0].failure_threshold=2"])
        #expect((0..<6).map(grid.folder) == (1...6).map { "point-\($0)" })
        let ten = try SweepGrid([try SweepGrid.Axis(parsing: "horizon_s=1..10:1")])
        #expect(ten.folder(0) == "point-01" && ten.folder(9) == "point-10")
    }

    struct AxisCase: CustomTestStringConvertible, Sendable {
        var text: String
        var values: [JSON]
        var testDescription: String { text }
    }

    @Test(arguments: [
        AxisCase(text: "dns.ttl_s=0..300:60", values: [0, 60, 120, 180, 240, 300].map { .number($0) }),
        AxisCase(text: "traffic.write_share=0.1..0.3:0.1", values: [0.1, 0.2, 0.3].map { .number($0) }),
        AxisCase(text: "dns.ttl_s=0..100:40", values: [0, 40, 80].map { .number($0) }),
        // Written with an exponent: rounded to the decimals it means (1e-4 has 4), not to whole numbers.
        AxisCase(text: "traffic.write_share=1e-4..3e-4:1e-4", values: [0.0001, 0.0002, 0.0003].map { .number($0) }),
        AxisCase(text: "database.mode=mrec,\"mrsc\"", values: [.string("mrec"), .string("mrsc")]),
        AxisCase(
            text: "health_checks[0].status_to_dns_s=0,{\"uniform\": [2, 10]}",
            values: [.number(0), .object(["uniform": .array([.number(2), .number(10)])])]),
    ])
    func axesParse(_ c: AxisCase) throws {
        #expect(try SweepGrid.Axis(parsing: c.text).values == c.values)
    }

    @Test(arguments: [
        ("dns.ttl_s", "expected PATH=V1,V2,… or PATH=A..B:STEP"),
        ("dns.ttl_s=", "the list of values is empty"),
        ("dns.ttl_s=1,,2", "an empty value in the list"),
        ("dns.ttl_s=10..0:5", "the range runs backwards"),
        ("dns.ttl_s=0..10:-1", "the step must be above 0"),
        ("dns.ttl_s=0..3600:1", "3601 values, more than the limit of 1000 points"),
        ("dns.ttl_s=0..1e8:1", "100000001 values, more than the limit of 1000 points"),
        ("traffic.write_share=0..1e-19:1e-20", "the step 1e-20 is finer than the 15 decimals values are rounded to"),
        ("dns[x]=1", "bad index"),
        // Looks like JSON, so it must be JSON (as with --set), not the string "[1,2".
        ("dns.ttl_s=[1,2", "--vary dns.ttl_s=[1,2: the value is not valid JSON"),
    ])
    func badAxesSayWhatIsWrong(_ text: String, _ message: String) {
        #expect { try SweepGrid.Axis(parsing: text) } throws: { ($0 as? UsageError)?.message.contains(message) == true }
    }

    @Test func gridLimitsAndDuplicates() throws {
        let a = try SweepGrid.Axis(parsing: "dns.ttl_s=1..40:1")
        let b = try SweepGrid.Axis(parsing: "horizon_s=1..30:1")
        #expect { try SweepGrid([a, b]) } throws: {
            ($0 as? UsageError)?.message.contains("the grid has 1200 points (dns.ttl_s: 40 × horizon_s: 30)") == true
        }
        #expect(try SweepGrid([a, b], maxPoints: 1200).count == 1200)
        #expect { try SweepGrid([a, a]) } throws: {
            ($0 as? UsageError)?.message.contains("dns.ttl_s is varied twice") == true
        }
        #expect { try SweepGrid([]) } throws: { ($0 as? UsageError)?.message.contains("nothing to vary") == true }
        // --vary replaces the section's axis of the same path, in its place.
        let grid = try SweepGrid(section: [a, b], vary: [try SweepGrid.Axis(parsing: "dns.ttl_s=5")])
        #expect(grid.axes.map(\.path) == ["dns.ttl_s", "horizon_s"] && grid.count == 30)
        // Every point runs the same incidents: the seed and the count are not for varying.
        for path in ["seed", "replications"] {
            let axis = try SweepGrid.Axis(parsing: "\(path)=10,20")
            #expect { try SweepGrid([a, axis]) } throws: {
                ($0 as? UsageError)?.message.contains("\(path) cannot be varied") == true
            }
            #expect { try SweepGrid(section: [axis], vary: [a]) } throws: {
                ($0 as? UsageError)?.message.contains("\(path) cannot be varied") == true
            }
        }
    }

    @Test func theSweepSectionIsReadWithItsPathsNamed() throws {
        let good = try JSON.parse(
            Data(
                (#"{"vary": [{"path": "dns.ttl_s", "values": [60, 300]}, "#
                    + #"{"path": "horizon_s", "from": 1, "to": 3, "step": 1}], "max_points": 10}"#).utf8))
        let s = try SweepSection(good)
        #expect(
            s.axes == [
                SweepGrid.Axis(path: "dns.ttl_s", values: [60, 300].map { .number($0) }),
                SweepGrid.Axis(path: "horizon_s", values: [1, 2, 3].map { .number($0) }),
            ])
        #expect(s.maxPoints == 10)
        // The command line's --max-points replaces max_points, also for a range's count.
        let long = try JSON.parse(
            Data(#"{"vary": [{"path": "horizon_s", "from": 1, "to": 20, "step": 1}], "max_points": 10}"#.utf8))
        #expect(try SweepSection(long, maxPoints: 20).axes[0].values.count == 20)
        #expect { try SweepSection(long) } throws: { e in
            (e as! ConfigError).issues.map(\.description)
                .contains {
                    $0.hasPrefix("sweep.vary[0]: ") && $0.contains("20 values, more than the limit of 10 points")
                }
        }
        let bad = try JSON.parse(
            Data(
                (#"{"vary": [{"path": "dns.ttl_s", "values": []}, "#
                    + #"{"path": "horizon_s", "from": 3, "to": 1, "step": 1}, "#
                    + #"{"values": [1]}, {"path": "x", "valus": [1]}, "#
                    + #"{"path": "dns.ttl_s", "values": [60, 300, 60]}], "max": 1}"#)
                    .utf8))
        #expect { try SweepSection(bad) } throws: { e in
            let text = (e as! ConfigError).issues.map(\.description)
            return text.contains { $0.hasPrefix("sweep.max: unknown key") }
                && text.contains {
                    $0.hasPrefix("sweep.vary[0].values: found an array of 0, expected a non-empty array")
                }
                && text.contains { $0.hasPrefix("sweep.vary[1]: ") && $0.contains("the range runs backwards") }
                && text.contains { $0.hasPrefix("sweep.vary[2].path: expected a config path") }
                && text.contains { $0.hasPrefix("sweep.vary[3].valus: unknown key") }
                && text.contains { $0.hasPrefix("sweep.vary[4].values[2]: 60 is in the list twice") }
                && text.contains {
                    $0.hasPrefix("sweep.vary[4].path: \"dns.ttl_s\" is varied twice (also sweep.vary[0])")
                }
        }
        // The seed and the replication count are the sweep's own: refused from the file as from --vary.
        let seeds = try JSON.parse(
            Data(
                (#"{"vary": [{"path": "seed", "values": [1, 2]}, "#
                    + #"{"path": "replications", "from": 10, "to": 20, "step": 10}]}"#).utf8))
        #expect { try SweepSection(seeds) } throws: { e in
            let text = (e as! ConfigError).issues.map(\.description)
            return text.contains { $0.hasPrefix("sweep.vary[0].path: seed cannot be varied") }
                && text.contains { $0.hasPrefix("sweep.vary[1].path: replications cannot be varied") }
        }
    }

    /// The issue's checks of common random numbers on the seed model: over TTLs 0, 30, 60, 120 and
    /// 300 s, `recovered_50_s` never decreases with the TTL in any incident; a health-check interval of
    /// 10 s detects earlier than 30 s in every incident.
    @Test(.slow) func commonRandomNumbersOnTheSeedModel() throws {
        let n = ["replications=40"]
        let ttl = try [0, 30, 60, 120, 300].map { t in
            try Runner.run(try model("seed-active-passive", n + ["dns.ttl_s=\(t)"]), threads: 2).results
        }
        for i in 0..<40 {
            let r50 = ttl.map { $0[i].recovered50! }
            #expect(zip(r50, r50.dropFirst()).allSatisfy { $0 <= $1 }, "incident \(i + 1): \(r50)")
        }
        let ten = try Runner.run(try model("seed-active-passive", n + ["health_checks[0].interval_s=10"]), threads: 2)
            .results
        let thirty = try Runner.run(
            try model("seed-active-passive", n + ["health_checks[0].interval_s=30"]), threads: 2
        ).results
        for (a, b) in zip(ten, thirty) { #expect(a.detection! < b.detection!) }
    }

    /// The front of a sweep over two objectives is what a brute force over all pairs of points says, in
    /// memory and in sweep.csv. The second objective is maximised so that it pulls against the first
    /// (a longer detection goes with a slower recovery) and the front has more than one point.
    @Test(.slow) func theFrontOfTwoObjectivesIsWhatAllPairsSay() throws {
        let grid = try SweepGrid([
            try SweepGrid.Axis(parsing: "dns.ttl_s=0,60,300"),
            try SweepGrid.Axis(parsing: "health_checks[0].failure_threshold=1,3"),
        ])
        let base = try model("seed-active-passive", ["replications=10"])
        let runs = try (0..<grid.count).map { k in
            let sets = ["replications=10"] + grid.label(k).components(separatedBy: ", ")
            return try Runner.run(try model("seed-active-passive", sets), threads: 2)
        }
        let objectives = [try Objective(parsing: "recovered_90_s:p90"), try Objective(parsing: "max:detection_s:mean")]
        let sweep = Sweep(base: base, grid: grid, points: runs, objectives: objectives)
        #expect(sweep.objectives.used == objectives && sweep.objectives.leftOut.isEmpty)
        let v = runs.map { r in
            objectives.map { o in r.summaries.first { $0.metric == o.metric.rawValue }!.value(o.statistic)! }
        }
        // a dominates b: no more recovery time, no less detection time, and one of them strictly.
        func dominates(_ a: Int, _ b: Int) -> Bool {
            v[a][0] <= v[b][0] && v[a][1] >= v[b][1] && (v[a][0] < v[b][0] || v[a][1] > v[b][1])
        }
        let brute = v.indices.map { b in v.indices.filter { a in a != b && dominates(a, b) } }
        #expect(sweep.standings.map(\.dominatedBy) == brute)
        #expect(brute.contains { $0.isEmpty } && brute.contains { !$0.isEmpty }, "a front and points off it")
        let rows = sweep.csv.components(separatedBy: "\r\n").dropFirst().filter { !$0.isEmpty }
        #expect(
            rows.map { Array($0.split(separator: ",", omittingEmptySubsequences: false).suffix(3))[0] }
                == brute.map { $0.isEmpty ? "1" : "0" })
        #expect(sweep.text().contains("Pareto front over recovered_90_s p90, detection_s mean (more is better)"))
    }

    /// An objective whose metric has no values at some point is left out, naming the point and the reason;
    /// one that applies but is unknown at every point is left out too; the rest are kept in order.
    @Test func objectivesWithoutValuesAreLeftOutWithTheReason() throws {
        let configs = [try model("seed-active-passive"), try model("seed-active-passive", ["traffic.write_share=0"])]
        let asked = try ["write_rto_s:p90", "recovered_90_s:p90", "availability", "rto_s"].map {
            try Objective(parsing: $0)
        }
        let summaries = [MetricSummary](repeating: MetricSummary(
            metric: "rto_s", count: 1, censored: 0, mean: Estimate(value: 5), sd: nil, p50: Estimate(value: nil),
            p90: Estimate(value: nil), p99: Estimate(value: nil), p999: Estimate(value: nil), max: nil), count: 1)
        let choice = ObjectiveChoice(asked, configs: configs, summaries: [summaries, summaries]) { "point \($0 + 1)" }
        #expect(choice.used.map(\.description) == ["rto_s:mean"])
        #expect(
            choice.notes == [
                "objective write_rto_s:p90 left out: write_rto_s has no values at point 2 (it has no writes: "
                    + "traffic.write_share is 0)",
                "objective recovered_90_s:p90 left out: recovered_90_s p90 has no value in any of the 2 runs",
                "objective availability:mean left out: availability has no values (it is a metric of a year of "
                    + "operation, and none is simulated: add a \"year\" section to the config or run with --year)",
            ])
    }

    /// Every point is decoded before anything runs: warnings that differ only in a value are folded into
    /// one line, and a value the config refuses is named with its point.
    @Test func sweepPointsFoldWarningsAndNameTheirProblems() throws {
        let file = ConfigFile(
            data: try Data(contentsOf: repositoryRoot.appendingPathComponent("models/seed-active-passive.json")),
            defaultName: "x")
        let grid = try SweepGrid.load(file, vary: ["dns.ttl_s=120,300,600"], maxPoints: nil)
        let points = SweepPoints(file, grid, common: [try Override(parsing: "replications=10")])
        #expect(points.configs.map(\.dns.ttl) == [120, 300, 600] && points.issues.isEmpty && points.failure == nil)
        #expect(
            points.warnings.filter { $0.path == "dns.ttl_s" }.map(\.message).last
                == "the same warning with 2 other values at other points of the sweep")
        let bad = SweepPoints(
            file, try SweepGrid.load(file, vary: ["traffic.write_share=0.5,2"], maxPoints: nil), common: [])
        #expect(bad.configs.count == 1 && bad.issues.count == 1)
        #expect(bad.issues.first?.hasPrefix("point 2 (traffic.write_share=2): ") == true)
        #expect(throws: UsageError.self) { try SweepGrid.load(file, vary: ["dns.ttl_s=1..100:1"], maxPoints: 10) }
    }
}
