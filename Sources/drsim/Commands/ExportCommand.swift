import ArgumentParser
import DRSim
import DRSimFiles
import DRSimRender
import DRSimResults
import Foundation

struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Exports a result folder for other tools.",
        subcommands: [ExportNotebook.self])

    /// Without a subcommand there is nothing to do: a usage error, not a success.
    func run() throws {
        throw ValidationError("say what to export: drsim export notebook RESULTS_DIR")
    }
}

struct ExportNotebook: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "notebook",
        abstract:
            "Writes a Jupyter notebook (nbformat 4) that loads a result folder with pandas and draws its charts with "
                + "matplotlib.",
        discussion: """
            The notebook is named after the config (<name>.ipynb) and reads the folder's CSV files where they are (by \
            a path relative to the notebook), so rerunning the config and then the notebook shows the new numbers. A \
            folder that is missing, incomplete or damaged exits 65 with what is wrong; a notebook that cannot be \
            written exits 1 and leaves no partial file; an existing notebook of that name is replaced only with --force.
            """)

    @Argument(
        help: "A result folder (summary.csv, replications.csv, timeline.csv, run.json), such as results/<name>.",
        completion: .directory)
    var resultsDir: String

    @Option(help: "Folder to write the notebook into.")
    var out = "notebooks-export"

    @Flag(help: "Print nothing on stderr but errors.")
    var quiet = false

    @Flag(help: "Replace a notebook of the same name (an edited notebook would lose its edits).")
    var force = false

    func validate() throws {
        if out.isEmpty { throw ValidationError("--out \"\": give a folder, e.g. --out notebooks-export") }
    }

    func run() throws {
        let folder: ResultFolder
        do {
            folder = try ResultFolder(path: resultsDir)
        } catch {
            printError("drsim: \(error.description)")
            throw ExitStatus.badInput.code
        }
        let outDir = URL(fileURLWithPath: out, isDirectory: true)
        // A notebook may gain the user's own cells, and a result folder is replaced as a whole: keep them apart.
        if let marker = ResultFolderGuard.drsim.marker(in: outDir) {
            throw usageFailure(
                "--out \(out) holds results (\(marker)), which a later --force replaces as a whole, "
                    + "notebook and all; give the notebook a folder of its own, e.g. --out notebooks-export")
        }
        let notebook = Notebook(
            folder: folder, resultsPath: Notebook.relativePath(from: outDir, to: folder.url),
            version: DRSimInfo.version)
        let target = outDir.appendingPathComponent(folder.name + ".ipynb")
        // The notebook reads the result files where they are, so a rerun needs no new export; an
        // existing one may hold the user's own cells.
        if !force && FileManager.default.fileExists(atPath: target.path) {
            printError(
                "drsim: \(target.path) exists (it reads the folder's files where they are, "
                    + "so it shows a rerun's numbers as it is); add --force to replace it, or --out another folder")
            throw ExitStatus.failure.code
        }
        try refusing { () throws(ResultFolderRefusal) in
            try ResultFolderGuard.checkFolder(outDir, for: "the notebook", option: "--out")
        }
        do {
            var batch = FileBatch()
            batch.add(target, text: notebook.json)
            try batch.write()
        } catch {
            printError("drsim: cannot write the notebook to \(target.path): \((error as NSError).localizedDescription)")
            throw ExitStatus.failure.code
        }
        let shown = (out.hasSuffix("/") ? out : out + "/") + target.lastPathComponent
        if !quiet { printError("drsim: notebook in \(shown) (open it with: jupyter lab \(shown))") }
    }
}
