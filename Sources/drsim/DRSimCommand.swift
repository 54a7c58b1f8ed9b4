import ArgumentParser
import DRSim
import Foundation

@main
struct DRSimCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "drsim",
        abstract: "Simulates multi-region failover: RTO and RPO as distributions, with confidence intervals.",
        discussion: """
            Exit status: 0 done; 64 bad command line; 65 bad config (every problem listed on stderr); \
            1 anything else, with a one-line reason. Messages go to stderr; stdout carries only results.
            """,
        version: DRSimInfo.version,
        subcommands: [Run.self, SweepCommand.self, Compare.self, Validate.self, ReportCommand.self, ExportCommand.self, Bench.self]
    )

    /// A closed pipe on stdout is reported as a write error (exit 1), not a silent death by SIGPIPE.
    static func main() {
        signal(SIGPIPE, SIG_IGN)
        main(nil)
    }
}
