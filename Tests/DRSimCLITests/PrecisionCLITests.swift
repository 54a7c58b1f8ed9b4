import DRSim
import DRSimTestSupport
import Foundation
import Testing

/// `--precision` on run, sweep and compare, as a user would type it.
@Suite(.serialized) struct PrecisionCLITests {
    let cli = CLITests()

    /// The count a report names: "precision reached with N replications".
    func count(_ stdout: String) -> String? {
        guard let r = stdout.range(of: "precision reached with ") else { return nil }
        return String(stdout[r.upperBound...].prefix { $0.isNumber })
    }

    @Test(.slow) func runWithPrecisionEqualsAFixedRunOfItsCount() async throws {
        let out = cli.tempDir()
        let fixed = cli.tempDir()
        let r = try await cli.drsim(
            ["run"] + CLITests.quick + ["--precision", "detection_s:mean=±0.5", "--out", out.path])
        #expect(r.status == 0, "\(r.stderr)")
        let n = try #require(count(r.stdout), "\(r.stdout)")
        #expect(Int(n)! > 40)
        #expect(r.stdout.contains("met detection_s:mean=±0.5"))
        #expect(
            try await cli.drsim(["run"] + CLITests.quick + ["--replications", n, "--out", fixed.path, "--quiet"]).status
                == 0)
        for f in ResultFiles.names {
            #expect(
                try Data(contentsOf: out.appendingPathComponent(f))
                    == Data(contentsOf: fixed.appendingPathComponent(f)), "\(f)")
        }
    }

    @Test(.slow) func sweepAndCompareGrowEveryPointAndSide() async throws {
        let out = cli.tempDir()
        let s = try await cli.drsim(
            ["sweep"] + CLITests.quick + [
                "--vary", "dns.ttl_s=10,60", "--precision", "recovered_90_s:mean=±1",
                "--max-replications", "400", "--out", out.path,
            ])
        #expect(s.status == 0, "\(s.stderr)")
        #expect(s.stdout.contains("(point 1)") && s.stdout.contains("(point 2)"))
        let n = s.stdout.contains("precision reached") ? try #require(count(s.stdout)) : "400"
        let reps = try String(contentsOf: out.appendingPathComponent("point-2/replications.csv"), encoding: .utf8)
        #expect(reps.split(separator: "\r\n").count == Int(n)! + 1)
        // The same files as a fixed sweep of the count it reached, sweep.json included.
        let fixed = cli.tempDir()
        let f = try await cli.drsim(
            ["sweep"] + CLITests.quick + ["--vary", "dns.ttl_s=10,60", "--replications", n, "--out", fixed.path])
        #expect(f.status == 0, "\(f.stderr)")
        for name in ["sweep.json", "sweep.csv", "point-1/summary.csv", "point-2/replications.csv"] {
            #expect(
                try Data(contentsOf: out.appendingPathComponent(name))
                    == Data(contentsOf: fixed.appendingPathComponent(name)), "\(name)")
        }
        let c = try await cli.drsim(
            ["compare"] + CLITests.quick + [
                "--vs-set", "dns.ttl_s=10", "--precision", "recovered_90_s:mean=±2%",
                "--out", cli.tempDir().path,
            ])
        #expect(c.status == 0, "\(c.stderr)")
        #expect(c.stdout.contains("recovered_90_s:mean=±2% (B − A)"))
    }

    @Test(.slow) func badPrecisionExits64() async throws {
        for (args, message) in [
            (["--precision", "rto_s:p95=5"], "no statistic \"p95\""),
            (
                ["--precision", "rto_s:p99=5", "--max-replications", "10"],
                "--max-replications 10 is below the 40 replications"
            ),
            (["--max-replications", "100"], "needs --precision"),
            (["--precision", "rto_s:p99=5", "--precision", "rto_s:p99=±2%"], "rto_s:p99 is given twice"),
            // No writes: write_rto_s never narrows, and the run would go on to the cap.
            (
                ["--precision", "write_rto_s:mean=±50", "--set", "traffic.write_share=0"],
                "write_rto_s does not apply to this config"
            ),
        ] {
            let out = cli.tempDir()
            let r = try await cli.drsim(["run"] + CLITests.quick + args + ["--out", out.path])
            #expect(r.status == 64, "\(args): \(r.stderr)")
            #expect(r.stderr.contains(message), "\(r.stderr)")
            #expect(!FileManager.default.fileExists(atPath: out.path))
        }
    }
}
