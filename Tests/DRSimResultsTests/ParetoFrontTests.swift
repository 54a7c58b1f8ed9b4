import DRSimResults
import Testing

/// The Pareto front: domination by the point estimates, its clearness by the intervals, objectives' grammar.
@Suite struct ParetoFrontTests {
    /// An estimate with an interval of ± `half` around `v`.
    func e(_ v: Double?, _ half: Double = 0.1) -> Estimate {
        Estimate(value: v, low: v.map { $0 - half }, high: v.map { $0 + half })
    }

    func standings(_ points: [[Double?]], maximise: [Bool]? = nil, half: Double = 0.1) -> [ParetoFront.Standing] {
        let m = maximise ?? Array(repeating: false, count: points[0].count)
        return ParetoFront.standings(points.map { $0.map { e($0, half) } }, maximise: m)
    }

    @Test func aPointDominatedByOne() {
        // 1 is worse than 0 on both; 2 trades the first objective for the second.
        let s = standings([[1, 1], [2, 2], [3, 0.5]])
        #expect(s.map(\.onFront) == [true, false, true])
        #expect(s[1].dominatedBy == [0] && s[1].clearlyDominatedBy == [0])
    }

    @Test func aPointDominatedByTwo() {
        let s = standings([[1, 3], [3, 1], [4, 4], [2, 2]])
        #expect(s.map(\.onFront) == [true, true, false, true])
        #expect(s[2].dominatedBy == [0, 1, 3])
    }

    @Test func equalOnOneObjectiveAndBetterOnAnotherDominates() {
        let s = standings([[1, 2], [1, 3]])
        #expect(s[0].onFront && s[1].dominatedBy == [0])
    }

    @Test func identicalPointsAreOnTheFrontTogether() {
        let s = standings([[1, 1], [1, 1], [2, 2]])
        #expect(s.map(\.onFront) == [true, true, false])
        #expect(s[2].dominatedBy == [0, 1])
        // The same in any order: each point's standing moves with it.
        let r = standings([[2, 2], [1, 1], [1, 1]])
        #expect(r.map(\.onFront) == [false, true, true] && r[0].dominatedBy == [1, 2])
    }

    @Test func aMaximisedObjectivePrefersMore() {
        // Availability (more is better) against cost (less is better).
        let points: [[Double?]] = [[0.999, 10], [0.99, 5], [0.99, 20], [0.9999, 50]]
        let s = standings(points, maximise: [true, false], half: 0.0001)
        #expect(s.map(\.onFront) == [true, true, false, true])
        #expect(s[2].dominatedBy == [0, 1])
        // Minimised, the same numbers give another front.
        let m = standings(points, maximise: [false, false], half: 0.0001)
        #expect(m.map(\.onFront) == [false, true, false, false])
    }

    @Test func overlappingIntervalsMakeItWithinNoise() {
        // 0 is better on both estimates, but by less than the intervals' width.
        let s = standings([[1.0, 1.0], [1.05, 1.05]], half: 0.1)
        #expect(s[1].dominatedBy == [0] && s[1].clearlyDominatedBy.isEmpty)
        // One objective with separate intervals is enough.
        let t = standings([[1.0, 1.0], [1.05, 2.0]], half: 0.1)
        #expect(t[1].clearlyDominatedBy == [0])
        // Separate intervals on an objective where the dominating point is equal do not count.
        let u = ParetoFront.standings(
            [[e(1, 0.1), Estimate(value: 5, low: 4.9, high: 5.1)], [e(1.05, 0.1), Estimate(value: 5)]],
            maximise: [false, false])
        #expect(u[1].dominatedBy == [0] && u[1].clearlyDominatedBy.isEmpty)
        // No interval: never clear.
        let v = ParetoFront.standings([[Estimate(value: 1)], [Estimate(value: 9)]], maximise: [false])
        #expect(v[1].dominatedBy == [0] && v[1].clearlyDominatedBy.isEmpty)
    }

    @Test func anUnknownValueIsWorseThanAnyKnown() {
        let s = standings([[nil, 1], [500, 1], [nil, 1]])
        #expect(s.map(\.onFront) == [false, true, false])
        #expect(s[0].dominatedBy == [1] && s[0].clearlyDominatedBy == [1])
    }

    @Test func theFrontIsWhatPairsSay() {
        // A brute force over all pairs on a grid of points with ties: the front has exactly the points
        // that no other point beats on one objective while matching or beating it on the other.
        var points: [[Double?]] = []
        for i in 0..<7 { for j in 0..<5 { points.append([Double((i * 3 + j * 5) % 7), Double((i * 2 + j) % 4)]) } }
        let s = standings(points)
        for b in points.indices {
            let by = points.indices.filter { a in
                a != b && points[a][0]! <= points[b][0]! && points[a][1]! <= points[b][1]!
                    && (points[a][0]! < points[b][0]! || points[a][1]! < points[b][1]!)
            }
            #expect(s[b].dominatedBy == by)
        }
        #expect(s.contains { $0.onFront } && s.contains { !$0.onFront })
    }

    @Test func objectivesParseInEveryForm() throws {
        let p = try Objective(parsing: "recovered_90_s:p90")
        #expect(
            p.metric == .recovered90 && p.statistic == "p90" && !p.maximise && p.description == "recovered_90_s:p90")
        let c = try Objective(parsing: "cost_per_month")
        #expect(c.statistic == "mean" && c.column == "cost_per_month_mean" && c.description == "cost_per_month:mean")
        #expect(try Objective(parsing: "availability:mean").maximise)
        #expect(try Objective(parsing: "availability").description == "availability:mean")
        let m = try Objective(parsing: "max:failed_requests:p50")
        #expect(m.maximise && m.description == "max:failed_requests:p50")
        #expect(try Objective(parsing: "min:availability:mean").description == "min:availability:mean")
        #expect(
            Objective.defaults.map(\.description) == [
                "recovered_90_s:p90", "false_failovers_per_year:mean", "cost_per_month:mean",
            ])
        for (text, message) in [
            ("nope:p90", "no metric \"nope\""), ("rto_s:p999", "no statistic \"p999\""),
            ("max:rto_s:p50:x", "write METRIC:STAT"), ("", "write METRIC:STAT"),
        ] {
            #expect(throws: ExpectationError.self) { try Objective(parsing: text) }
            do { _ = try Objective(parsing: text) } catch { #expect(error.message.contains(message), "\(text)") }
        }
    }
}
