import DRSim
import Foundation

extension BenchSuite {
    /// Part 5: a 3 × 3 TTL × threshold sweep of the seed model against the nine points run as separate
    /// `drsim run`s, each as a child process of this drsim on all cores, alternating, best of `tries`;
    /// the point folders are checked to be byte-identical to the separate runs'.
    func sweepAgainstRuns(_ seed: SeedModel) throws {
        let tmp = BenchScratch.make("drsim-bench-sweep-\(getpid())")
        defer { BenchScratch.remove(tmp) }
        let grid = SweepAgainstRuns(
            executable: options.executable, model: seed.path,
            replications: options.quick ? 100 : 10_000, folder: tmp)
        let n = grid.replications
        output(
            "\nsweep, seed-active-passive, dns.ttl_s \(SweepAgainstRuns.ttls.joined(separator: ",")) × "
                + "health_checks[0].failure_threshold \(SweepAgainstRuns.thresholds.joined(separator: ",")), "
                + "\(n) replications per point, all cores, best of \(tries) (whole processes: start, runs, files)")
        // What the points share in each incident (docs/model.md, "Sweeps share work").
        let configs = try grid.points.map { try seed.config(setting: $0, replications: n) }
        let sharing = WorkSharing(configs)
        func times(_ g: [Int]) -> String { Set(g).count == 1 ? "once" : "\(Set(g).count) times" }
        output(
            "  per incident, the 9 points run the failover simulation \(times(sharing.failover)), "
                + "draw which resolvers floor or extend the TTL \(times(sharing.resolverClasses)) "
                + "and the resolvers' numbers at each answer change \(times(sharing.resolverDraws))")
        var sweepBest = Double.infinity
        var runsBest = Double.infinity
        var sweepPeak = 0
        for round in 0..<tries {
            // Alternate which goes first, so that neither always runs on a cooler (or warmer) machine.
            for part in round % 2 == 0 ? [0, 1] : [1, 0] {
                if part == 0 {
                    let (seconds, peak) = try grid.timeSweep()
                    sweepBest = min(sweepBest, seconds)
                    sweepPeak = max(sweepPeak, peak)
                } else {
                    runsBest = min(runsBest, try grid.timeRuns())
                }
            }
        }
        let replications = Double(grid.points.count * n)
        output(
            String(
                format: "  drsim sweep (9 points)  %7.2f s  (%.0f replications/s)", sweepBest,
                replications / sweepBest))
        output(
            String(
                format: "  9 separate drsim runs   %7.2f s  (%.0f replications/s)", runsBest,
                replications / runsBest))
        let files = grid.pointFilesIdentical ? "identical to the separate runs'" : "DIFFERENT from the separate runs'"
        output(
            String(
                format: "  the sweep takes %.2f× the separate runs' time; point files %@", sweepBest / runsBest,
                files))
        output(
            String(
                format: "  the sweep's peak resident memory %.0f MB, estimate %.0f MB", Double(sweepPeak) / 1e6,
                ResourceEstimate(configs, replications: n, workers: cores).bytes / 1e6))
    }
}

/// Part 5's grid: a 3 × 3 TTL × threshold sweep of the seed model, and the same points run one by one,
/// as child processes writing into `folder`.
struct SweepAgainstRuns {
    static let ttls = ["30", "60", "300"], thresholds = ["1", "2", "3"]
    /// The drsim that runs them.
    let executable: URL
    /// The seed model's file.
    let model: String
    /// Replications per point.
    let replications: Int
    let folder: URL

    /// Each point's `--set` overrides, in the sweep's order (`point-1` … `point-9`: TTL outer, threshold
    /// inner).
    var points: [[String]] {
        Self.ttls.flatMap { t in
            Self.thresholds.map { ["dns.ttl_s=\(t)", "health_checks[0].failure_threshold=\($0)"] }
        }
    }

    /// Runs the sweep; returns its wall-clock time [s] and peak resident memory [bytes]. It starts from no
    /// folder of its own (drsim replaces results only with --force).
    func timeSweep() throws -> (seconds: Double, peakBytes: Int) {
        let out = folder.appendingPathComponent("sweep")
        try? FileManager.default.removeItem(at: out)
        return try ChildRun.measure(
            executable,
            [
                "sweep", model, "--replications", "\(replications)", "--quiet",
                "--vary", "dns.ttl_s=\(Self.ttls.joined(separator: ","))",
                "--vary", "health_checks[0].failure_threshold=\(Self.thresholds.joined(separator: ","))",
                "--out", out.path,
            ])
    }

    /// Runs the points one by one, each from no folder of its own; returns their total wall-clock time [s].
    func timeRuns() throws -> Double {
        var total = 0.0
        for (i, sets) in points.enumerated() {
            let out = folder.appendingPathComponent("run-\(i + 1)")
            try? FileManager.default.removeItem(at: out)
            total += try ChildRun.time(
                executable,
                // A sweep's points have no placeholder range: the runs it is timed against have none either.
                ["run", model, "--replications", "\(replications)", "--quiet", "--no-placeholder-range"]
                    + sets.flatMap { ["--set", $0] } + ["--out", out.path])
        }
        return total
    }

    /// Whether every result file of every point of the last sweep has the bytes of the same point's run.
    var pointFilesIdentical: Bool {
        (1...points.count).allSatisfy { i in
            ResultFiles.names.allSatisfy { file in
                let a = FileManager.default.contents(atPath: folder.path + "/sweep/point-\(i)/\(file)")
                let b = FileManager.default.contents(atPath: folder.path + "/run-\(i)/\(file)")
                return a != nil && a == b
            }
        }
    }
}
