import DRSimTestSupport
import Foundation
import Testing

/// `drsim export notebook`: a valid nbformat 4 notebook that runs top to bottom and prints summary.csv's numbers.
@Suite(.serialized) struct NotebookTests {
    func drsim(_ args: [String]) async throws -> Tools.Outcome {
        try await Tools.run(CLITests.binary.path, args, cwd: Tools.root)
    }

    func tempDir() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("drsim-notebook-\(UUID().uuidString)")
    }

    static var noPython: Bool { Tools.absent(Tools.python, "") }

    @Test(.slow) func exportWritesADeterministicNotebookNamedAfterTheConfig() async throws {
        let results = tempDir()
        let out = tempDir()
        #expect(
            try await drsim([
                "run", "models/split-gcp-app-outage.json", "--replications", "30", "--set", "clients.resolvers=50",
                "--out", results.path, "--quiet",
            ]).status == 0)
        let r = try await drsim(["export", "notebook", results.path, "--out", out.path])
        #expect(r.status == 0, "\(r.stderr)")
        let file = out.appendingPathComponent("split-gcp-app-outage.ipynb")
        let first = try Data(contentsOf: file)
        let doc = try #require(try JSONSerialization.jsonObject(with: first) as? [String: Any])
        #expect(doc["nbformat"] as? Int == 4)
        let cells = try #require(doc["cells"] as? [[String: Any]])
        #expect(
            cells.contains { $0["cell_type"] as? String == "markdown" }
                && cells.contains { $0["cell_type"] as? String == "code" })
        let code = cells.filter { $0["cell_type"] as? String == "code" }.flatMap { $0["source"] as? [String] ?? [] }
            .joined()
        #expect(code.contains("pd.read_csv(RESULTS / \"summary.csv\""))
        // The notebook finds the results by a path relative to itself.
        #expect(code.contains("RESULTS = Path(\"../\(results.lastPathComponent)\")"), "\(code.prefix(600))")
        // An existing notebook is kept unless --force replaces it.
        let again = try await drsim(["export", "notebook", results.path, "--out", out.path])
        #expect(
            again.status == 1 && again.stderr.contains("exists") && again.stderr.contains("add --force to replace it"),
            "\(again.stderr)")
        #expect(
            try await drsim(["export", "notebook", results.path, "--out", out.path, "--quiet", "--force"]).stderr
                .isEmpty)
        #expect(try Data(contentsOf: file) == first, "the same folder gives the same notebook")
        // Not into a result folder: a later --force there would take the notebook, and any cells added to it.
        let inside = try await drsim(["export", "notebook", results.path, "--out", results.path])
        #expect(inside.status == 64 && inside.stderr.contains("holds results (run.json)"), "\(inside.stderr)")
        #expect(!FileManager.default.fileExists(atPath: results.appendingPathComponent(file.lastPathComponent).path))
    }

    @Test func aMissingFolderIsRefused() async throws {
        let r = try await drsim(["export", "notebook", "/nonexistent/results", "--out", tempDir().path])
        #expect(r.status == 65)
        #expect(r.stderr.contains("does not exist"))
    }

    @Test(
        .external,
        .disabled(
            if: noPython,
            """
            no Python with nbformat, nbclient, ipykernel, pandas and matplotlib: \
            python3 -m venv .venv && .venv/bin/pip install -r notebooks-export/requirements.txt (CI does, and fails \
            without it)
            """))
    func theNotebookRunsTopToBottomAndPrintsSummaryNumbers() async throws {
        let python = try #require(
            Tools.python,
            "no notebook Python: python3 -m venv .venv && .venv/bin/pip install -r notebooks-export/requirements.txt")
        let results = tempDir()
        let out = tempDir()
        #expect(
            try await drsim([
                "run", "models/tuned-active-passive.json", "--replications", "60", "--set", "clients.resolvers=100",
                "--out", results.path, "--quiet",
            ]).status == 0)
        #expect(try await drsim(["export", "notebook", results.path, "--out", out.path]).status == 0)
        let check = try await Tools.run(
            python,
            [
                Tools.root.appendingPathComponent("Tests/DRSimCLITests/Scripts/check_notebook.py").path,
                out.appendingPathComponent("tuned-active-passive.ipynb").path,
                results.appendingPathComponent("summary.csv").path,
            ])
        #expect(check.status == 0, "\(check.stdout)\n\(check.stderr.suffix(3000))")
        #expect(check.stdout.contains("printed numbers equal summary.csv's"), "\(check.stdout)")
    }
}
