import ArgumentParser
import DRSim
import DRSimRender
import Foundation

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Writes report.html into a result folder: the summary table, SVG charts, the config's warnings, the resolved config.",
        discussion: """
            The page is self-contained (inline SVG and CSS, no script, nothing fetched) and is drawn from the \
            folder's files only, so any result folder works. A folder that is missing, incomplete or damaged \
            exits 65 with what is wrong; a report that cannot be written exits 1 and leaves no partial file.
            """)

    @Argument(help: "A result folder (summary.csv, replications.csv, timeline.csv, run.json), such as results/<name>.",
              completion: .directory)
    var resultsDir: String

    @Option(name: .customLong("target"), help: ArgumentHelp("A target line on a CDF, as METRIC:STAT<=VALUE (repeatable), e.g. rto_s:p99<=900.",
                                                            valueName: "target"))
    var targets: [String] = []

    @Flag(help: "Also write each chart as an SVG file into <results-dir>/charts/.")
    var svg = false

    @Flag(help: "Print nothing on stderr but errors.")
    var quiet = false

    func validate() throws {
        for t in targets {
            do { _ = try Target(parsing: t) } catch { throw ValidationError(error.description) }
        }
    }

    func run() throws {
        let parsed = targets.compactMap { try? Target(parsing: $0) }
        let written = try ReportWriter.write(resultsDir: resultsDir, targets: parsed, svg: svg, warnings: nil)
        if !quiet { printError("drsim: report in \(written.path)") }
    }
}

/// Writes a result folder's report (for `drsim report` and `drsim run --report`).
enum ReportWriter {
    /// - Parameter warnings: the config's warnings when the caller has them (a run that just loaded the
    ///   config); nil to recompute them from run.json.
    /// - Returns: the report's path.
    static func write(resultsDir: String, targets: [Target], svg: Bool, warnings given: [String]?) throws -> URL {
        let folder: ResultFolder
        let drawn: (charts: [Chart], skipped: [String])
        do {
            folder = try ResultFolder(path: resultsDir)
            drawn = try ResultCharts.all(folder, targets: targets)
        } catch {
            printError("drsim: \(error.description)")
            throw Exit.badConfig
        }
        var warnings = given ?? []
        var note: String?
        if given == nil { (warnings, note) = recomputeWarnings(folder) }
        let report = Report(folder: folder, charts: drawn.charts, warnings: warnings, warningsNote: note,
                            skipped: drawn.skipped, version: DRSimInfo.version)
        let target = folder.url.appendingPathComponent("report.html")
        var files = [(report.html, target)]
        if svg {
            files += drawn.charts.map { ($0.svg, folder.url.appendingPathComponent("charts").appendingPathComponent($0.name + ".svg")) }
        }
        do {
            try AtomicFile.write(files)
        } catch {
            printError("drsim: cannot write the report to \(target.path): \((error as NSError).localizedDescription)")
            throw Exit.failure
        }
        return target
    }

    /// What `validate` says about the config in run.json, or why it cannot say.
    static func recomputeWarnings(_ folder: ResultFolder) -> ([String], String?) {
        let runURL = folder.url.appendingPathComponent("run.json")
        do {
            let doc = try JSON.parse(Data(contentsOf: runURL))
            guard case let .object(top) = doc, let config = top["config"] else { return ([], "run.json holds no config.") }
            let loaded = try Config.decode(config, defaultName: folder.name)
            return (loaded.warnings.map { "\($0)" }, nil)
        } catch let e as ConfigError {
            return ([], "Warnings not shown: drsim \(DRSimInfo.version) cannot read the config in run.json (written by drsim \(folder.version)): "
                + e.issues.map { "\($0)" }.joined(separator: "; "))
        } catch {
            return ([], "Warnings not shown: cannot read run.json (\((error as NSError).localizedDescription)).")
        }
    }
}
