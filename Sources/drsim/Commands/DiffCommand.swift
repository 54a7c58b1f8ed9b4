import ArgumentParser
import DRSim
import DRSimFiles
import DRSimResults
import DRSimStudy
import Foundation

struct DiffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "Tells whether the distributions of two result folders differ, metric by metric.",
        discussion: """
            Runs with the same seed and replication count share their incidents: each metric is then tested on its \
            per-incident differences (sign test; McNemar's exact test for the share of censored values). Otherwise its \
            values are tested (Kolmogorov–Smirnov for durations and other continuous metrics, chi-square for counts, \
            Fisher's exact test for the share of censored values). The p-values are adjusted together (Holm), \
            so that two runs of one model are called changed with probability at most --alpha. Prints the size of each \
            shift (new − baseline: mean, p50, p99 with 95% intervals) and the config settings and drsim version that \
            differ (from run.json).
            Exit status: 0 no change; 1 changed (or the report cannot be written: the reason is on stderr); 64 bad \
            command line; 65 a folder that is missing, incomplete or damaged.
            """)

    @Argument(help: "The baseline result folder.", completion: .directory)
    var baselineDir: String

    @Argument(help: "The new result folder.", completion: .directory)
    var newDir: String

    @Option(parsing: .unconditional, help: "Significance, for all metrics together.")
    var alpha: Double = BaselineDiff.defaultAlpha

    @Option(
        help: ArgumentHelp("Also write the verdicts as JUnit XML to this file.", valueName: "FILE"),
        completion: .file(extensions: ["xml"]))
    var junit: String?

    @Flag(help: "Print the comparison as JSON on stdout instead of the table.")
    var json = false

    @Flag(help: "Print nothing but errors (--json still prints the JSON it asks for).")
    var quiet = false

    func validate() throws {
        guard alpha > 0 && alpha < 1 else {
            throw ValidationError("--alpha must be above 0 and below 1 (e.g. 0.01), found \(formatNumber(alpha))")
        }
        if junit?.isEmpty == true { throw ValidationError("--junit \"\": give a file, e.g. --junit reports/drsim.xml") }
        var isDir: ObjCBool = false
        if let j = junit, FileManager.default.fileExists(atPath: j, isDirectory: &isDir), isDir.boolValue {
            throw ValidationError(
                "--junit \(j) is a folder: give a file in it, e.g. --junit \(j.hasSuffix("/") ? j : j + "/")drsim.xml")
        }
    }

    func run() throws {
        if let junit {
            try refusing { () throws(ResultFolderRefusal) in
                try ResultFolderGuard.drsim.checkOutputFile(junit, .junit, config: nil)
            }
        }
        func read(_ path: String, _ role: String) throws -> ResultSet {
            do { return try ResultSet(folder: path) } catch {
                printError("drsim: \(role): \(error)")
                throw ExitStatus.badInput.code
            }
        }
        let diff = BaselineDiff(baseline: try read(baselineDir, "baseline"), new: try read(newDir, "new"), alpha: alpha)
        let report = CheckReport(
            "diff", name: diff.new.name, replications: diff.new.replications, targets: [], diff: diff)
        if let junit {
            var batch = FileBatch()
            batch.add(URL(fileURLWithPath: junit), text: report.junit)
            do { try batch.write() } catch {
                printError("drsim: cannot write \(junit): \((error as NSError).localizedDescription)")
                throw ExitStatus.failure.code
            }
        }
        if json { try printOutput(report.json) } else if !quiet { try printOutput(report.text) }
        if diff.changed { throw ExitStatus.failure.code }
    }
}
