import ArgumentParser
import DRSim
import DRSimBench
import DRSimFiles
import Dispatch
import Foundation

@main
struct DRSimCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "drsim",
        abstract: "Simulates multi-region failover: RTO and RPO as distributions, with confidence intervals.",
        discussion: "Exit status: \(ExitStatus.list). Messages go to stderr; stdout carries only results.",
        version: DRSimInfo.version,
        subcommands: [
            Run.self, SweepCommand.self, Compare.self, Check.self, AdviseCommand.self, DiffCommand.self,
            SensitivityCommand.self,
            ExplainCommand.self,
            Validate.self, ReportCommand.self, ExportCommand.self, Bench.self,
        ]
    )

    /// A closed pipe on stdout is reported as a write error (exit 1), not a silent death by SIGPIPE.
    static func main() {
        signal(SIGPIPE, SIG_IGN)
        handleInterrupts()
        main(nil)
    }

    /// Ctrl-C (SIGINT) and SIGTERM stop drsim cleanly: the temporary files of a result set being written
    /// are removed (the earlier results stay as they were) and drsim exits 130 or 143, as a shell
    /// reports a process killed by that signal.
    static func handleInterrupts() {
        for (sig, status) in [(SIGINT, ExitStatus.interrupted), (SIGTERM, ExitStatus.terminated)] {
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler {
                TemporaryFiles.interrupt()
                BenchScratch.removeAll()
                printError(
                    "drsim: interrupted (\(sig == SIGINT ? "SIGINT" : "SIGTERM")); no result written, earlier results "
                        + "left as they were"
                )
                Glibc.exit(status.rawValue)
            }
            source.resume()
            interruptSources.append(source)
        }
    }

    nonisolated(unsafe) static var interruptSources: [any DispatchSourceSignal] = []
}
