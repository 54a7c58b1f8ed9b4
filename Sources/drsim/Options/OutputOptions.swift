import ArgumentParser
import DRSim
import DRSimFiles
import DRSimStudy
import Foundation

/// Where and how a running command writes and prints its results.
struct OutputOptions: ParsableArguments {
    @Option(parsing: .unconditional, help: "Worker threads (default, and at most: all cores). Results never depend on it.")
    var threads: Int?

    @Option(help: "Output folder (default: results/<name>/; sweep: results/<name>-sweep/; compare: results/<name>-compare/ or results/<A>-vs-<B>/).")
    var out: String?

    @Flag(help: "Print the summary as JSON on stdout instead of the table.")
    var json = false

    @Flag(help: ArgumentHelp("Replace the results in the output folder (as a whole: it is swapped for the new one). "
        + "Without it, a folder holding results is left as it is and drsim stops before simulating."))
    var force = false

    @Flag(help: "Quiet: nothing on stdout or stderr but errors (no table, warnings, progress or timing); --json still prints the JSON summary it asks for.")
    var quiet = false

    func validate() throws {
        if let t = threads, t < 1 { throw ValidationError("--threads must be at least 1, found \(t)") }
        if out?.isEmpty == true { throw ValidationError("--out \"\": give a folder, e.g. --out results/NAME") }
    }

    /// The names drsim writes at the top of an output folder (run, check, sweep, compare, sensitivity,
    /// report), besides the point folders of a sweep.
    static let resultNames: Set<String> = resultFiles.union(["charts", "a", "b"])
    /// Whether `name` is `prefix` followed by one or more digits.
    static func isNumbered(_ name: String, _ prefix: String) -> Bool {
        let rest = name.utf8.dropFirst(prefix.utf8.count)
        return name.hasPrefix(prefix) && !rest.isEmpty && rest.allSatisfy { $0 >= 48 && $0 <= 57 }
    }

    /// The files drsim writes in a result folder or in one of its sub-folders, and those sub-folders
    /// (a sweep's points, a comparison's sides, a report's charts).
    static let resultFiles: Set<String> = Set(ResultFiles.names + ["report.html", "sweep.csv", "sweep.json", "compare.csv", "sensitivity.csv"])
    static func isResultFolder(_ name: String) -> Bool { name == "a" || name == "b" || name == "charts" || isNumbered(name, "point-") }

    /// Everything under `path`, at any depth, that drsim does not write there, as paths relative to it,
    /// sorted: the swap of a new result set would delete it. `top`: other names allowed at the top.
    static func foreignEntries(in path: String, top: Set<String> = []) -> [String] {
        var foreign: [String] = []
        func walk(_ dir: String, _ prefix: String) {
            guard let names = try? FileManager.default.contentsOfDirectory(atPath: dir) else { return }
            for n in names.sorted() {
                if TemporaryFiles.parse(n) != nil || isNumbered(n, ".drsim-probe-") || (prefix.isEmpty && top.contains(n)) { continue }
                var st = stat()
                let full = dir + "/" + n
                guard lstat(full, &st) == 0 else { continue }
                let kind = st.st_mode & S_IFMT
                if kind == S_IFDIR && isResultFolder(n) {
                    walk(full, prefix + n + "/")
                } else if kind == S_IFREG && (resultFiles.contains(n) || (prefix.hasSuffix("charts/") && n.hasSuffix(".svg"))) {
                    continue
                } else {
                    foreign.append(prefix + n)
                }
            }
        }
        walk(path, "")
        return foreign
    }

    /// The first result set at `relative` under `root` or below it (a few levels down), as a path relative to `root`.
    static func resultSet(in root: String, at relative: String, depth: Int = 4) -> String? {
        let fm = FileManager.default
        if resultMarkers.contains(where: { fm.fileExists(atPath: root + "/" + relative + "/" + $0) }) { return relative }
        guard depth > 0, let names = try? fm.contentsOfDirectory(atPath: root + "/" + relative) else { return nil }
        return names.sorted().lazy.compactMap { resultSet(in: root, at: relative + "/" + $0, depth: depth - 1) }.first
    }

    /// A folder holding one of these holds results.
    static let resultMarkers = ["run.json", "sweep.json", "compare.csv", "sensitivity.csv"]

    /// The first of `resultMarkers` that `dir` holds, if any: then it holds results.
    static func resultMarker(in dir: URL) -> String? {
        resultMarkers.first { FileManager.default.fileExists(atPath: dir.appendingPathComponent($0).path) }
    }

    /// Checks, before anything is simulated, that `dir` can take a result set: the new results replace
    /// the folder as a whole (`FileBatch.replace(folder:)`), so it must be a folder of its own (not the
    /// current folder or one holding it), hold nothing drsim did not write (which the swap would
    /// delete), and hold no results unless `replacing` (--force) allows it; then `checkFolder`. `alsoWrites`:
    /// other names the command writes into it (a JUnit report, say). On failure prints why and exits 1.
    func checkResultFolder(_ dir: URL, replacing: Bool? = nil, alsoWrites: Set<String> = []) throws {
        let fm = FileManager.default
        func fail(_ why: String) throws -> Never {
            printError("drsim: \(why)")
            throw ExitStatus.failure.code
        }
        let real = realPath(dir)
        let here = realPath(URL(fileURLWithPath: fm.currentDirectoryPath))
        if real == "/" || here == real || here.hasPrefix(real + "/") {
            try fail("--out \(dir.path) is the current folder or one that holds it: "
                + "drsim replaces its output folder as a whole, so it needs one of its own; give a new folder, e.g. --out results/NAME")
        }
        if let names = try? fm.contentsOfDirectory(atPath: real) {
            let foreign = Self.foreignEntries(in: real, top: alsoWrites)
            // A result set written inside this one (--out DIR/sub) is drsim's, but not part of this set.
            if let nested = foreign.lazy.compactMap({ Self.resultSet(in: real, at: $0) }).first {
                try fail("--out \(dir.path) holds \(nested), a result set of its own (written with --out into this folder): "
                    + "the new results replace the folder as a whole, so it would be deleted; move it out, or choose another --out")
            }
            if !foreign.isEmpty {
                try fail("--out \(dir.path) holds \(foreign.prefix(3).joined(separator: ", "))\(foreign.count > 3 ? " and \(foreign.count - 3) more" : ""), "
                    + "which drsim did not write: the new results replace the folder as a whole, "
                    + "so drsim writes only into a new or empty folder or one of its own results; "
                    + "move \(foreign.count == 1 ? "it" : "them") out, or choose another --out")
            }
            if !(replacing ?? force), let marker = Self.resultMarkers.first(where: names.contains) {
                try fail("--out \(dir.path) holds earlier results (\(marker)); "
                    + "add --force to replace them (the folder is swapped for the new one as a whole), or choose another --out")
            }
        }
        try checkFolder(dir)
        let name = URL(fileURLWithPath: real).lastPathComponent, parent = URL(fileURLWithPath: real).deletingLastPathComponent().path
        if TemporaryFiles.name(name, "new").utf8.count > Int(NAME_MAX) {
            try fail("--out \(dir.path): the folder's name is too long for the new set's folder beside it "
                + "(\(TemporaryFiles.name(name, "new").utf8.count) bytes, at most \(NAME_MAX)); give a shorter name")
        }
        var p = stat(), f = stat()
        if stat(parent, &p) == 0 {
            if access(parent, W_OK | X_OK) != 0 {
                try fail("cannot write the results to \(dir.path): the new results are written beside it and swapped in, "
                    + "and \(parent) cannot be written (\(String(cString: strerror(errno)).lowercased())); choose another folder with --out")
            }
            // In a sticky folder (such as /tmp) only a folder's owner, the parent's or root may rename it.
            let me = geteuid()
            if (p.st_mode & S_ISVTX) != 0 && me != 0 && p.st_uid != me && stat(real, &f) == 0 && f.st_uid != me {
                try fail("cannot replace \(dir.path): it belongs to another user and \(parent) is sticky, "
                    + "so only its owner may replace it; choose another folder with --out")
            }
        }
    }

    /// Refuses, before anything is simulated, a run that would not fit this machine's memory
    /// (`ResourceEstimate`: `configs` held at once, `replications` each at the most), and says the
    /// estimate of a large one (over 1 GB) on stderr. Prints why and exits 1.
    func checkMemory(_ configs: [Config], replications: Int, growing: Bool) throws {
        let estimate = ResourceEstimate(configs, replications: replications, workers: workers, growing: growing)
        if let why = estimate.refusal() {
            printError("drsim: \(why)")
            throw ExitStatus.failure.code
        }
        if !quiet && estimate.bytes > 1e9 {
            printError("drsim: this run will need about \(ResourceEstimate.text(estimate.bytes)) of memory (estimated from the config)")
        }
    }

    /// More workers than cores would only cost memory (a timeline histogram each), never time.
    var workers: Int {
        let cores = ProcessInfo.processInfo.activeProcessorCount
        return min(threads ?? cores, cores)
    }

    func folder(default name: String) -> URL { URL(fileURLWithPath: out ?? "results/\(name)") }

    /// Writes `batch` all or nothing; on failure prints why and exits 1.
    func write(_ batch: FileBatch, to dir: URL) throws {
        do {
            try batch.write()
        } catch {
            printError("drsim: cannot write the results to \(dir.path): \((error as NSError).localizedDescription)")
            throw ExitStatus.failure.code
        }
    }

    /// Writes `batch`, whose result set replaces `dir` as a whole, then prints `text` (or `json` with
    /// --json) and how --precision went.
    /// `replacing`: the folder's results may be replaced (default: --force); without that, results that
    /// another run wrote there meanwhile are kept and this one fails.
    func finish(_ batch: FileBatch, in dir: URL, text: @autoclosure () -> String, json: @autoclosure () -> String,
                precision outcome: PrecisionOutcome?, cap: Int, replacing: Bool? = nil) throws {
        var batch = batch
        batch.replace(folder: dir, keepIfHolding: replacing ?? force ? [] : Self.resultMarkers)
        try write(batch, to: dir)
        guard self.json || !quiet else { return }
        var out = self.json ? json() : text()
        if let outcome, !self.json { out += outcome.report(cap: cap).joined(separator: "\n") + "\n" }
        try printOutput(out)
    }

    /// The config's warnings.
    func warn(_ warnings: [ConfigIssue], _ prefix: String = "") {
        guard !quiet else { return }
        for w in warnings { printError("warning: \(prefix)\(w)") }
    }

    /// A note, once per command, when more threads were asked for than there are cores.
    func noteThreads() {
        guard !quiet, let asked = threads, asked > workers else { return }
        printError("drsim: --threads \(asked): this machine has \(workers) core\(workers == 1 ? "" : "s"); using \(workers)")
    }
}
