import Foundation
import Testing

/// The suite's two lanes (docs/testing.md). `swift test` runs the fast lane: unit tests, closed forms at sizes that
/// run in seconds, and smoke tests of the command line. `scripts/test`, which CI runs, builds with optimisation and
/// sets
/// DRSIM_LANE=full to add the tests marked `.slow` (Monte Carlo statistics at full size, goldens, property and fuzz
/// runs) and `.external` (tests that start a browser, Python or a benchmark). The marks are traits that skip the test
/// with a note in the fast lane, so a skipped test is always listed, never silently absent.
public enum Lane {
    public static let full = ProcessInfo.processInfo.environment["DRSIM_LANE"] == "full"
}

extension Trait where Self == ConditionTrait {
    /// Runs in the full lane only: a long statistical or whole-model run, in an optimised build.
    public static var slow: Self {
        .enabled(if: Lane.full, "slow: runs in the full lane (scripts/test, or DRSIM_LANE=full)")
    }

    /// Runs in the full lane only: starts a tool outside drsim (chromium, Python, a benchmark).
    public static var external: Self {
        .enabled(if: Lane.full, "external: runs in the full lane (scripts/test, or DRSIM_LANE=full)")
    }
}
