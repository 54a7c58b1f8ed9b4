import DRSimTestSupport
import Foundation
import Testing

@testable import DRSimFiles

/// Result sets change as a whole or not at all: a replaced folder is swapped for
/// a fresh one in one step, a failure midway leaves the old one as it was, and the leftovers of a run
/// that died are cleaned up (or, for a folder moved aside, moved back) by the next batch.
@Suite struct FileBatchTests {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("drsim-batch-\(UUID().uuidString)")

    func names(_ dir: URL) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []).sorted()
    }
    func text(_ url: URL) -> String? { try? String(contentsOf: url, encoding: .utf8) }

    func oldSet() throws -> URL {
        let dir = root.appendingPathComponent("set")
        try FileManager.default.createDirectory(
            at: dir.appendingPathComponent("point-1"), withIntermediateDirectories: true)
        for name in ["summary.csv", "point-1/summary.csv", "stale.csv"] {
            try Data("old \(name)".utf8).write(to: dir.appendingPathComponent(name))
        }
        return dir
    }

    /// Batches written at the same time in one process (as tests and studies may) each remove only their own
    /// temporary files: every folder ends whole, and nothing is left beside them.
    @Test func batchesWrittenTogetherKeepTheirOwnFiles() throws {
        defer { try? FileManager.default.removeItem(at: root) }
        let sets = 8, files = 20
        for round in 0..<5 {
            DispatchQueue.concurrentPerform(iterations: sets) { k in
                var batch = FileBatch()
                let dir = root.appendingPathComponent("r\(round)-\(k)")
                for f in 0..<files { batch.add(dir.appendingPathComponent("f\(f).csv"), text: "\(k) \(f)") }
                batch.replace(folder: dir)
                #expect(throws: Never.self) { try batch.write() }
            }
            for k in 0..<sets {
                #expect(names(root.appendingPathComponent("r\(round)-\(k)")).count == files, "round \(round), set \(k)")
            }
        }
        #expect(!names(root).contains { $0.hasPrefix(".") }, "\(names(root))")
    }

    @Test func aReplacedFolderChangesAsAWhole() throws {
        defer { try? FileManager.default.removeItem(at: root) }
        let dir = try oldSet()
        var batch = FileBatch()
        batch.add(dir.appendingPathComponent("summary.csv"), text: "new summary")
        batch.add(dir.appendingPathComponent("point-1/summary.csv"), text: "new point")
        batch.add(dir.appendingPathComponent("point-2/summary.csv"), text: "new point 2")
        batch.replace(folder: dir)
        let outside = root.appendingPathComponent("reports/junit.xml")
        batch.add(outside, text: "<?xml?>")
        try batch.write()
        // Nothing of the old set survives (stale.csv was not in the new one), nothing is left beside it.
        #expect(names(dir) == ["point-1", "point-2", "summary.csv"])
        #expect(text(dir.appendingPathComponent("summary.csv")) == "new summary")
        #expect(text(dir.appendingPathComponent("point-1/summary.csv")) == "new point")
        #expect(text(outside) == "<?xml?>")
        #expect(names(root) == ["reports", "set"])
        #expect(names(outside.deletingLastPathComponent()) == ["junit.xml"])
    }

    @Test func aNewFolderAndALinkToAFolder() throws {
        defer { try? FileManager.default.removeItem(at: root) }
        let dir = try oldSet()
        let link = root.appendingPathComponent("link")
        try FileManager.default.createSymbolicLink(at: link, withDestinationURL: dir)
        var batch = FileBatch()
        batch.add(link.appendingPathComponent("summary.csv"), text: "through the link")
        batch.replace(folder: link)
        let fresh = root.appendingPathComponent("a/b/fresh")
        batch.add(fresh.appendingPathComponent("run.json"), text: "{}")
        batch.replace(folder: fresh)
        try batch.write()
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link.path) == dir.path)
        #expect(names(dir) == ["summary.csv"])
        #expect(text(dir.appendingPathComponent("summary.csv")) == "through the link")
        #expect(names(fresh) == ["run.json"])
        #expect(names(root) == ["a", "link", "set"])
    }

    @Test func aFailureMidwayLeavesTheOldSet() throws {
        defer { try? FileManager.default.removeItem(at: root) }
        let dir = try oldSet()
        let before = names(dir)
        var batch = FileBatch()
        batch.add(dir.appendingPathComponent("summary.csv"), text: "new summary")
        // A file whose folder cannot be made: "summary.csv" is a file in the staging folder by then.
        batch.add(dir.appendingPathComponent("summary.csv/inside.csv"), text: "never")
        batch.replace(folder: dir)
        #expect(throws: (any Error).self) { try batch.write() }
        #expect(names(dir) == before)
        #expect(text(dir.appendingPathComponent("summary.csv")) == "old summary.csv")
        #expect(names(root) == ["set"])
    }

    /// Results another run wrote into a folder meanwhile are kept when the batch may not replace them.
    @Test func resultsWrittenMeanwhileAreKept() throws {
        defer { try? FileManager.default.removeItem(at: root) }
        let dir = root.appendingPathComponent("set")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        var batch = FileBatch()
        batch.add(dir.appendingPathComponent("run.json"), text: "mine")
        batch.replace(folder: dir, keepIfHolding: ["run.json"])
        try batch.write()  // an empty folder is replaced
        try Data("theirs".utf8).write(to: dir.appendingPathComponent("run.json"))
        #expect(throws: FileBatchError.self) { try batch.write() }
        #expect(text(dir.appendingPathComponent("run.json")) == "theirs")
        #expect(names(root) == ["set"])
    }

    @Test(.slow) func leftoversOfDeadRunsAreCleanedUp() async throws {
        defer { try? FileManager.default.removeItem(at: root) }
        let fm = FileManager.default
        let dir = try oldSet()
        let dead = try await deadPID()
        let live = getpid() == 1 ? 2 : Int32(1)
        // A swap cut between its two renames: the old set aside, no folder in its place.
        let aside = root.appendingPathComponent(".drsim.gone.old-\(dead)")
        try fm.createDirectory(at: aside, withIntermediateDirectories: true)
        try Data("kept".utf8).write(to: aside.appendingPathComponent("summary.csv"))
        // The same beside a folder that is there: the one aside is the older, and goes.
        try fm.createDirectory(
            at: root.appendingPathComponent(".drsim.set.old-\(dead)"), withIntermediateDirectories: true)
        // Names of a user's that look alike (without drsim's prefix) are never touched.
        for name in [".drsim.set.new-\(dead)", ".drsim.x.new-\(live)", ".photos.new-\(dead)", ".emacs.d.old-\(dead)"] {
            try fm.createDirectory(at: root.appendingPathComponent(name), withIntermediateDirectories: true)
        }
        for name in [".drsim.summary.csv.tmp-\(dead)", ".drsim.y.tmp-\(live)", ".hidden-\(dead)", ".notes.tmp-\(dead)"]
        {
            try Data().write(to: root.appendingPathComponent(name))
        }
        var batch = FileBatch()
        batch.add(dir.appendingPathComponent("summary.csv"), text: "new")
        batch.replace(folder: dir)
        try batch.write()
        #expect(
            names(root) == [
                ".drsim.x.new-\(live)", ".drsim.y.tmp-\(live)", ".emacs.d.old-\(dead)", ".hidden-\(dead)",
                ".notes.tmp-\(dead)",
                ".photos.new-\(dead)", "gone", "set",
            ])
        #expect(text(root.appendingPathComponent("gone/summary.csv")) == "kept")
    }

    @Test func onlyDrsimsOwnTemporaryNamesParse() {
        #expect(TemporaryFiles.parse(".drsim.set.new-42")! == ("set", "new", 42))
        #expect(TemporaryFiles.parse(".drsim.run-1.v2.old-7")! == ("run-1.v2", "old", 7))
        #expect(TemporaryFiles.parse(".drsim.summary.csv.tmp-123")! == ("summary.csv", "tmp", 123))
        for name in [
            ".drsim..new-1", ".drsim.set.new-", ".drsim.set.new-1a", ".drsim.set.bak-1", ".drsim.set-1",
            ".photos.new-1", "drsim.set.new-1", ".drsim.new-1", ".drsim.set.new-99999999999", "",
        ] {
            #expect(TemporaryFiles.parse(name) == nil, "\(name)")
        }
    }
}

/// What may be written where, before anything runs: a result folder takes only drsim's own files and
/// keeps earlier results unless they may be replaced; a single output file replaces only its own kind.
@Suite struct ResultFolderGuardTests {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("drsim-guard-\(UUID().uuidString)")
    let folders = ResultFolderGuard(
        resultFiles: ["summary.csv", "run.json", "sweep.json", "report.html"],
        markers: ["run.json", "sweep.json"])

    func write(_ relative: String, _ text: String = "x") throws {
        let url = root.appendingPathComponent(relative)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
    }

    func refusal(_ check: () throws(ResultFolderRefusal) -> Void) -> ResultFolderRefusal? {
        do { try check() } catch { return error }
        return nil
    }

    @Test func aNewOrEmptyFolderTakesResults() throws {
        defer { try? FileManager.default.removeItem(at: root) }
        let dir = root.appendingPathComponent("new/set")
        #expect(
            refusal { () throws(ResultFolderRefusal) in try folders.checkResultFolder(dir, replacing: false) } == nil)
        // The check makes nothing it does not leave behind.
        #expect(!FileManager.default.fileExists(atPath: root.path))
    }

    @Test func earlierResultsAreReplacedOnlyWhenAllowed() throws {
        defer { try? FileManager.default.removeItem(at: root) }
        try write("set/run.json")
        try write("set/point-1/summary.csv")
        let dir = root.appendingPathComponent("set")
        let kept = refusal { () throws(ResultFolderRefusal) in try folders.checkResultFolder(dir, replacing: false) }
        #expect(kept?.kind == .unwritable)
        #expect(kept?.message.contains("holds earlier results (run.json); add --force") == true)
        #expect(
            refusal { () throws(ResultFolderRefusal) in try folders.checkResultFolder(dir, replacing: true) } == nil)
    }

    @Test func filesDrsimDidNotWriteAreNeverSwappedAway() throws {
        defer { try? FileManager.default.removeItem(at: root) }
        try write("set/run.json")
        try write("set/notes.txt")
        try write("set/point-2/mine.csv")
        try write("set/inner/sweep.json")
        let dir = root.appendingPathComponent("set")
        #expect(folders.foreignEntries(in: dir.path) == ["inner", "notes.txt", "point-2/mine.csv"])
        #expect(folders.foreignEntries(in: dir.path, top: ["notes.txt"]) == ["inner", "point-2/mine.csv"])
        let nested = refusal { () throws(ResultFolderRefusal) in try folders.checkResultFolder(dir, replacing: true) }
        #expect(nested?.message.contains("holds inner, a result set of its own") == true)
        try FileManager.default.removeItem(at: root.appendingPathComponent("set/inner"))
        let foreign = refusal { () throws(ResultFolderRefusal) in try folders.checkResultFolder(dir, replacing: true) }
        #expect(foreign?.message.contains("holds notes.txt, point-2/mine.csv, which drsim did not write") == true)
    }

    @Test func anOutputFileReplacesOnlyItsOwnKind() throws {
        defer { try? FileManager.default.removeItem(at: root) }
        try write("reports/drsim.xml", "<?xml version=\"1.0\"?>\n<testsuites name=\"drsim check\">")
        try write("reports/other.xml", "<?xml version=\"1.0\"?>\n<testsuites name=\"pytest\">")
        try write("set/run.json")
        func check(_ relative: String) -> ResultFolderRefusal? {
            refusal { () throws(ResultFolderRefusal) in
                try folders.checkOutputFile(root.appendingPathComponent(relative).path, .junit, config: nil)
            }
        }
        #expect(check("reports/drsim.xml") == nil)
        #expect(check("reports/new.xml") == nil)
        #expect(
            check("reports/other.xml")?.message.hasSuffix(
                "exists and is not a JUnit report: drsim replaces only its own; give another file") == true)
        #expect(check("reports")?.kind == .usage)
        #expect(check("set/run.json")?.message.contains("is a result file in a result folder") == true)
        #expect(check("set/drsim.xml")?.message.contains("is inside a result folder (it holds run.json)") == true)
    }
}
