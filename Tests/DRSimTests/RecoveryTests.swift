import Testing

@testable import DRSim

/// `rto_s`, `first_recovery_s`, `time_below_target_s`, `relapses` and `recovered_*_s` on hand-built
/// step curves, against the values read off each curve by hand (docs/model.md, "What a replication
/// reports"). Times are whole seconds, so every comparison is exact.
@Suite struct RecoveryTests {
    /// A curve over `horizon` seconds, out of 100: `steps` are (start [s], percent succeeding).
    static func curve(_ steps: [(Int64, Int64)], horizon: Int64 = 3600) -> SuccessCurve {
        var c = SuccessCurve()
        c.totalWeight = 100
        c.horizon = horizon * 1_000_000
        c.start = steps.map { $0.0 * 1_000_000 }
        c.successWeight = steps.map(\.1)
        c.writeWeight = c.successWeight
        return c
    }

    /// Down until 100 s, back until 400 s, half until 500 s, back, 98% from 800 to 900 s, back.
    static let flapping = curve([(0, 0), (100, 100), (400, 50), (500, 100), (800, 98), (900, 100)])

    @Test func aRelapseMovesRTOAndNotTheFirstRecovery() {
        let r = Self.flapping.recovery(level: 0.99, window: 60)
        #expect(r == Recovery(first: 100, final: 900, timeBelow: 300, relapses: 2))
        // Without the two relapses: the same first recovery, and rto_s equal to it.
        let steady = Self.curve([(0, 0), (100, 100)]).recovery(level: 0.99, window: 60)
        #expect(steady == Recovery(first: 100, final: 100, timeBelow: 100, relapses: 0))
    }

    @Test func eachLevelCountsItsOwnDrops() {
        // 50% is never lost again after 100 s; 90% is lost from 400 to 500 s; 98% is above 0.97.
        #expect(
            Self.flapping.recovery(level: 0.5, window: 60)
                == Recovery(first: 100, final: 100, timeBelow: 100, relapses: 0))
        #expect(
            Self.flapping.recovery(level: 0.9, window: 60)
                == Recovery(first: 100, final: 500, timeBelow: 200, relapses: 1))
        #expect(
            Self.flapping.recovery(level: 0.97, window: 60)
                == Recovery(first: 100, final: 500, timeBelow: 200, relapses: 1))
    }

    @Test func aSpellShorterThanTheWindowIsNoRecoveryAndNoRelapse() {
        let c = Self.curve([(0, 0), (100, 100), (130, 0), (200, 100)])
        #expect(c.recovery(level: 0.99, window: 60) == Recovery(first: 200, final: 200, timeBelow: 170, relapses: 0))
        // With no window the 30 s spell is the first recovery, and the drop after it a relapse.
        #expect(c.recovery(level: 0.99, window: 0) == Recovery(first: 100, final: 200, timeBelow: 170, relapses: 1))
    }

    @Test func censoredAtTheHorizon() {
        // Back 30 s before the horizon: the 60 s window does not fit, so neither recovery happened.
        let late = Self.curve([(0, 0), (3570, 100)])
        #expect(
            late.recovery(level: 0.99, window: 60) == Recovery(first: nil, final: nil, timeBelow: 3570, relapses: 0))
        // Back exactly one window before the horizon: recovered.
        let justInTime = Self.curve([(0, 0), (3540, 100)])
        #expect(justInTime.recovery(level: 0.99, window: 60).final == 3540)
        // Recovered, then lost again for good: first recovery at 100 s, rto_s censored.
        let lost = Self.curve([(0, 0), (100, 100), (2000, 0)])
        #expect(
            lost.recovery(level: 0.99, window: 60) == Recovery(first: 100, final: nil, timeBelow: 1700, relapses: 1))
        // Never down: 0 for both, and nothing below.
        let fine = Self.curve([(0, 100), (50, 99)])
        #expect(fine.recovery(level: 0.99, window: 60) == Recovery(first: 0, final: 0, timeBelow: 0, relapses: 0))
    }

    /// In every replication of a model whose incident recovers: the first recovery comes no later than
    /// rto_s, and they are equal exactly when s(t) never relapsed.
    @Test func theFirstRecoveryAndRTOAgreeWithoutRelapses() throws {
        let config = try scenario(["replications=200", "clients.resolvers=40"])
        let results = try replications(config)
        let recovered = results.filter { !$0.rtoCensored }
        #expect(!recovered.isEmpty)
        for r in recovered {
            let first = try #require(r.firstRecovery)
            #expect(first <= r.rto)
            #expect((r.relapses == 0) == (first == r.rto))
            #expect(r.timeBelowTarget <= r.rto)
        }
    }
}
