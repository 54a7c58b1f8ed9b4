import DRSim
import DRSimFiles
import DRSimRender
import DRSimResults
import DRSimStudy
import Foundation

/// Writes the report of any folder drsim wrote (for `drsim report` and the running commands' `--report`).
enum ReportWriter {
    /// - Parameter warnings: the config's warnings when the caller has them (a command that just loaded
    ///   the config, each prefixed as the report shows it); nil to recompute them from the folder's files.
    /// - Returns: the report's path.
    static func write(
        resultsDir: String, options: ReportSource.ChartOptions = .init(), svg: Bool, warnings given: [String]?
    ) throws -> URL {
        let source: ReportSource
        let drawn: (charts: [Chart], skipped: [String])
        do {
            source = try ReportSource(path: resultsDir)
            drawn = try source.charts(options)
        } catch let error as ReportOptionError {
            // Found once the folder is read, so outside ArgumentParser's validation: the same words and status.
            throw usageFailure(error.description)
        } catch {
            printError("drsim: \(error)")
            throw ExitStatus.badInput.code
        }
        var warnings = given ?? []
        var notes: [String] = []
        if given == nil {
            for c in source.configFiles {
                let (w, note) = recomputeWarnings(c.file, under: c.under)
                warnings += w.map { c.prefix + $0 }
                if let note { notes.append(c.prefix + note) }
            }
        }
        var page = source.page(
            charts: drawn.charts, skipped: drawn.skipped, warnings: warnings,
            warningsNote: notes.isEmpty ? nil : notes.joined(separator: " "), version: DRSimInfo.version,
            objectives: options.objectives)
        if case .comparison(let f) = source, let changes = settingChanges(f) {
            page.facts.insert(
                (
                    "B differs from A in",
                    changes.isEmpty ? "no setting (the same resolved config)" : changes.joined(separator: "; ")
                ), at: 2)
        }
        let target = source.url.appendingPathComponent("report.html")
        var batch = FileBatch()
        batch.add(target, text: page.html)
        if svg {
            for chart in drawn.charts {
                batch.add(
                    source.url.appendingPathComponent("charts").appendingPathComponent(chart.name + ".svg"),
                    text: chart.svg)
            }
        }
        do {
            try batch.write()
        } catch {
            printError("drsim: cannot write the report to \(target.path): \((error as NSError).localizedDescription)")
            throw ExitStatus.failure.code
        }
        return target
    }

    /// `--report` of a command that just wrote `dir`: the report, with the warnings it printed.
    static func afterRun(_ dir: URL, options: ReportSource.ChartOptions = .init(), warnings: [String], quiet: Bool)
        throws
    {
        let page = try write(resultsDir: dir.path, options: options, svg: false, warnings: warnings)
        if !quiet { printError("drsim: report in \(dir.path)/\(page.lastPathComponent)") }
    }

    /// The config in `file` (in its `config` object, or in `under`'s), as DRSim's JSON.
    static func config(_ file: URL, under: String?) throws -> JSON? {
        guard case .object(let top) = try JSON.parse(Data(contentsOf: file)) else { return nil }
        guard let under else { return top["config"] }
        guard case .object(let holder)? = top[under] else { return nil }
        return holder["config"]
    }

    /// What `validate` says about the config in `file`, or why it cannot say.
    static func recomputeWarnings(_ file: URL, under: String?) -> ([String], String?) {
        do {
            guard let config = try config(file, under: under) else {
                return ([], "\(file.lastPathComponent) holds no config.")
            }
            let loaded = try Config.decode(config, defaultName: file.deletingLastPathComponent().lastPathComponent)
            return (loaded.warnings.map { "\($0)" }, nil)
        } catch let e as ConfigError {
            return (
                [],
                "Warnings not shown: drsim \(DRSimInfo.version) "
                    + "cannot read the config in \(file.lastPathComponent) (written by another drsim version): "
                    + e.issues.map { "\($0)" }.joined(separator: "; ")
            )
        } catch {
            return (
                [],
                "Warnings not shown: cannot read \(file.lastPathComponent) "
                    + "(\((error as NSError).localizedDescription))."
            )
        }
    }

    /// The settings in which B's resolved config differs from A's (as `drsim diff` names them); nil if
    /// either cannot be read.
    static func settingChanges(_ f: CompareFolder) -> [String]? {
        guard let a = try? config(f.a.url.appendingPathComponent("run.json"), under: nil),
            let b = try? config(f.b.url.appendingPathComponent("run.json"), under: nil)
        else { return nil }
        return BaselineDiff.changes(a, b)
    }
}
