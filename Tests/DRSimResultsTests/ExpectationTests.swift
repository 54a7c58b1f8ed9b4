import DRSimResults
import Testing

/// The targets' grammar (`expect`, `drsim check --expect`, `drsim report --target`).
@Suite struct ExpectationTests {
    @Test func targetsParseInEveryForm() throws {
        let e = try Expectation(parsing: " rto_s : p99<=600 ")
        #expect(
            e.metric == .rto && e.statistic == .percentile(0.99, "p99") && e.comparison == .atMost && e.bound == 600)
        #expect(e.description == "rto_s:p99 <= 600")
        #expect(try Expectation(parsing: "lost_writes:mean<150").comparison == .below)
        #expect(try Expectation(parsing: "detection_s:p50 >= 10").comparison == .atLeast)
        #expect(try Expectation(parsing: "rto_s:p999 > 1e2").statistic == .percentile(0.999, "p999"))
        #expect(try Expectation(parsing: "rto_s:censored <= 0.01").statistic == .censored)
        #expect(try Expectation(parsing: "rto_s:p05 <= 1").statistic == .percentile(0.05, "p05"))
    }

    @Test func badTargetsSayWhatIsWrong() {
        for (text, message) in [
            ("rto_s p99 <= 600", "no ':' after the metric"),
            ("rto:p99 <= 600", "no metric \"rto\"; the metrics: detection_s, rto_s"),
            ("rto_s:p99 == 600", "the comparison must be <=, <, >= or >"),
            ("rto_s:p99 600", "no comparison"),
            ("rto_s:max <= 600", "max has no confidence interval"),
            ("rto_s:p100 <= 600", "no statistic \"p100\""),
            ("rto_s:median <= 600", "no statistic \"median\""),
            ("rto_s:censored <= 5", "censored is a share of replications, from 0 to 1"),
            ("rto_s:p99 <= ten", "the bound must be a number, found \"ten\""),
            ("rto_s:p99 <= 6 00", "the bound must be a number, found \"6 00\""),
            ("rto_s:p99 <= 0x10", "the bound must be a number, found \"0x10\""),
            ("rto_s:p99 < = 600", "written together"),
            ("rto_s:p99 <= 1e-400", "out of the range"),
            ("rto_s:p99 <= 1e400", "out of the range"),
            (
                "rto_s:p5 <= 600",
                "p5 is ambiguous: write two digits or more, p50 for the 50th percentile or p05 for the 5th"
            ),
            ("rto_s:p0 <= 600", "p0 is not a statistic: the lowest percentile is p01, the 1st"),
        ] {
            #expect(throws: ExpectationError.self, "\(text)") { try Expectation(parsing: text) }
            do { _ = try Expectation(parsing: text) } catch {
                #expect(error.message.contains(message), "\(text): \(error.message)")
            }
        }
    }

    @Test func aTargetNamesItsLevel() throws {
        let t = try Expectation(parsing: "rto_s:p999 < 900")
        #expect(
            t.metric == .rto && t.statistic.name == "p999" && t.comparison == .below && t.bound == 900
                && t.level == 0.999)
        #expect(try Expectation(parsing: "rto_s:mean < 900").level == nil)
        #expect(try Expectation(parsing: "rto_s:censored < 0.5").level == nil)
        for bad in ["rto_s<=900", "rto_s:p99", "rto_s:q99<=900", "rto_s:p99<=soon", ":p99<=1"] {
            #expect(throws: ExpectationError.self, "\(bad)") { try Expectation(parsing: bad) }
        }
    }
}
