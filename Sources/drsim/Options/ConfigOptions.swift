import ArgumentParser
import DRSim
import DRSimFiles
import DRSimStudy
import Foundation

/// Exit codes beyond ArgumentParser's own (64 for a bad command line).
enum Exit {
    static let badConfig = ExitCode(65)
    static let failure = ExitCode(1)
}

/// Writes all of `s` to file descriptor `fd`; false if it could not (closed, full, a broken pipe).
@discardableResult
func writeAll(_ s: String, to fd: Int32) -> Bool {
    fflush(nil)   // anything print() buffered goes first
    return s.utf8CString.withUnsafeBufferPointer { b in
        var off = 0
        let n = b.count - 1   // without the terminating NUL
        while off < n {
            let w = write(fd, b.baseAddress! + off, n - off)
            if w < 0 && errno == EINTR { continue }
            if w <= 0 { return false }
            off += w
        }
        return true
    }
}

/// Writes to stderr; a closed or full stderr is ignored (there is nowhere left to complain).
/// A usage error found after parsing (it needs the config or a folder's contents), printed as
/// ArgumentParser prints its own and with its status, 64. (A ValidationError thrown from `run()` would
/// print the top-level usage line instead of the command's.)
func usageFailure(_ message: String) -> ExitCode {
    printError("Error: \(message)")
    return ExitCode(64)
}

func printError(_ s: String) {
    writeAll(s.hasSuffix("\n") ? s : s + "\n", to: 2)
}

/// Writes a command's main output to stdout and makes sure it got there: a closed or full stdout is
/// exit 1 with the reason on stderr, never a silent success.
func printOutput(_ s: String) throws {
    guard writeAll(s, to: 1) else {
        printError("drsim: cannot write to standard output: \(String(cString: strerror(errno)))")
        throw Exit.failure
    }
}

/// The largest config file drsim reads: real configs are a few kilobytes.
let maxConfigBytes = 10_000_000

/// Reads a config file, or standard input for "-"; the error says what is wrong in words.
func readConfig(_ path: String) throws -> Data {
    func refuse(_ why: String) -> Error {
        printError("drsim: cannot read config file \(path): \(why)")
        return Exit.badConfig
    }
    let handle: FileHandle
    if path == "-" {
        handle = FileHandle.standardInput
    } else {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else { throw refuse("no such file") }
        guard !isDir.boolValue else { throw refuse("it is a folder; give the config's JSON file") }
        guard FileManager.default.isReadableFile(atPath: path), let h = FileHandle(forReadingAtPath: path) else {
            throw refuse("permission denied")
        }
        handle = h
    }
    // Read at most one byte past the limit, so that a huge file (or an endless pipe) is refused at once.
    var data = Data()
    while data.count <= maxConfigBytes {
        let chunk: Data?
        do { chunk = try handle.read(upToCount: 1 << 20) } catch { throw refuse((error as NSError).localizedFailureReason ?? "read error") }
        guard let chunk, !chunk.isEmpty else { break }
        data.append(chunk)
    }
    guard data.count <= maxConfigBytes else {
        throw refuse("it is larger than \(maxConfigBytes / 1_000_000) MB; a drsim config is a few kilobytes of JSON")
    }
    return data
}


/// The config file and the overrides every command that reads a config takes.
struct ConfigOptions: ParsableArguments {
    @Argument(help: "The scenario config (JSON); - reads it from standard input.", completion: .file(extensions: ["json"]))
    var config: String

    @Option(name: .customLong("set"), help: ArgumentHelp("Overrides a config value by its path; VALUE is JSON (repeatable).",
                                                         valueName: "PATH=VALUE"))
    var sets: [String] = []

    @Option(parsing: .unconditional, help: "Replications to run, from 1 to 10000000 (overrides the config).")
    var replications: Int?

    @Option(parsing: .unconditional, help: "Random seed, a whole number from 0 to 9007199254740991 (overrides the config).")
    var seed: UInt64?

    func validate() throws {
        try validateSets(sets)
        try validateReplications(replications, seed: seed)
    }

    /// The config file, its `sweep` section set apart; on an unreadable file exits 65.
    func file() throws -> ConfigFile { try readConfigFile(config) }

    /// The overrides of `--set`, then `--replications` and `--seed`, then `extra` (a sweep point's).
    func overrides(_ extra: [Override] = []) throws -> [Override] {
        try parseOverrides(sets, replications: replications, seed: seed) + extra
    }

    /// Reads, overrides and decodes the config; on bad input prints every problem and exits 65.
    func load() throws -> Config.Loaded {
        try loadConfig(file(), overrides: overrides(), label: config)
    }
}

/// `--replications` and `--seed` in the ranges a config allows, named as the options they are.
func validateReplications(_ replications: Int?, seed: UInt64?) throws {
    if let r = replications, !Config.replicationRange.contains(r) {
        throw ValidationError("--replications \(r): give a whole number from \(Config.replicationRange.lowerBound) to \(Config.replicationRange.upperBound)")
    }
    // Seeds are JSON numbers in run.json, exact only below 2^53.
    if let s = seed, s >= 1 << 53 {
        throw ValidationError("--seed \(s): seeds go up to 2^53 − 1 = 9007199254740991 "
            + "(run.json stores them as JSON numbers, exact only that far); give a smaller seed")
    }
}

func validateSets(_ sets: [String], option: String = "--set") throws {
    for s in sets {
        do { _ = try Override(parsing: s) } catch {
            throw ValidationError(option == "--set" ? error.message : error.message.replacingOccurrences(of: "--set ", with: option + " "))
        }
    }
}

func parseOverrides(_ sets: [String], replications: Int?, seed: UInt64?) throws -> [Override] {
    try validateReplications(replications, seed: seed)
    do {
        var overrides = try sets.map { s throws(ConfigIssue) in try Override(parsing: s) }
        if let r = replications { overrides.append(try Override(parsing: "replications=\(r)")) }
        if let s = seed { overrides.append(try Override(parsing: "seed=\(s)")) }
        return overrides
    } catch {
        throw ValidationError(error.message)
    }
}

/// Reads a config file; on failure prints why and exits 65.
func readConfigFile(_ path: String) throws -> ConfigFile {
    let name = path == "-" ? "stdin" : URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
    return ConfigFile(data: try readConfig(path), defaultName: name)
}

/// Decodes `file` with `overrides`; on bad input prints every problem (`label` says whose) and exits 65.
func loadConfig(_ file: ConfigFile, overrides: [Override], label: String) throws -> Config.Loaded {
    do {
        return try file.load(overrides)
    } catch {
        throw reportBadConfig(error, label: label)
    }
}

/// Prints every problem of a bad config (`label` says whose); returns the exit status to throw (65).
func reportBadConfig(_ error: ConfigError, label: String) -> ExitCode {
    printError("drsim: \(label) has \(error.issues.count) problem\(error.issues.count == 1 ? "" : "s"):")
    for i in error.issues { printError("error: \(i)") }
    return Exit.badConfig
}

/// Checks, before anything is simulated, that the results can go to `dir`: makes the folder if it is
/// missing and creates and removes a probe file in it, then removes the folders it made (empty ones
/// only: rmdir), so that a run that fails later leaves nothing. A symbolic link counts as there,
/// and one that leads nowhere is refused, never removed. On failure prints why and exits 1.
/// `what` and `option` name the file and the option in the message (the results and --out, or a
/// report such as --junit's).
func checkFolder(_ dir: URL, for what: String = "the results", option: String = "--out") throws {
    func fail(_ why: String) throws -> Never {
        printError("drsim: cannot write \(what) to \(dir.path): \(why); choose another folder with \(option)")
        throw Exit.failure
    }
    func reason(_ path: String) -> String { "\(path): \(String(cString: strerror(errno)).lowercased())" }
    var made: [String] = []
    var path = dir.standardizedFileURL.path
    var info = stat()
    while lstat(path, &info) != 0 && path != "/" {
        made.insert(path, at: 0)
        path = (path as NSString).deletingLastPathComponent
    }
    defer { for m in made.reversed() { rmdir(m) } }
    if (info.st_mode & S_IFMT) == S_IFLNK && stat(path, &info) != 0 { try fail("\(path) is a symbolic link to nothing") }
    if (info.st_mode & S_IFMT) != S_IFDIR { try fail("\(path) is a file, not a folder") }
    for m in made where mkdir(m, 0o777) != 0 { try fail(reason(m)) }
    let probe = dir.appendingPathComponent(".drsim-probe-\(getpid())").path
    let fd = open(probe, O_CREAT | O_EXCL | O_WRONLY, 0o600)
    guard fd >= 0 else { try fail(reason(dir.path)) }
    close(fd)
    unlink(probe)
}

/// Whether a file's first bytes are those of a JUnit report drsim wrote (`check`, `diff`).
func isDRSimJUnit(_ head: Data) -> Bool {
    head.starts(with: Data("<?xml".utf8)) && String(decoding: head, as: UTF8.self).contains("<testsuites name=\"drsim ")
}

/// Whether a file's first bytes are a trace drsim wrote (`run --trace`): its first line an event with
/// its time, component and event.
func isDRSimTrace(_ head: Data) -> Bool {
    guard let line = head.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).first,
          case let .object(o)? = try? JSON.parse(Data(line)) else { return false }
    return o["t_s"] != nil && o["component"] != nil && o["event"] != nil
}

/// A path as the file system resolves it (a symbolic link is its target), for telling whether two
/// paths are the same file or folder.
func realPath(_ u: URL) -> String { u.standardizedFileURL.resolvingSymlinksInPath().path }

/// Checks, before anything is simulated, that a single output file (`--trace`, `--junit`) may be
/// written at `path`: not a device, folder or other non-regular file (a rename would replace it), not
/// the config, not a result file of a result folder (one that holds results, or one of
/// `resultFolders`, named by their description, which this run is about to write), and, if it exists,
/// a file of this kind (`isOwn` on its first bytes: drsim replaces only its own reports); then
/// `checkFolder` on its folder. Throws a ValidationError (exit 64) that names the option, or exits 1
/// when the folder cannot be written.
func checkOutputFile(_ path: String, option: String, kind: String, example: String, config: String?,
                     resultFolders: [(URL, String)] = [], isOwn: (Data) -> Bool) throws {
    let url = URL(fileURLWithPath: path)
    var info = stat()
    if stat(path, &info) == 0 {
        if (info.st_mode & S_IFMT) == S_IFDIR {
            throw ValidationError("\(option) \(path) is a folder: give a file in it, e.g. \(option) \(path.hasSuffix("/") ? path : path + "/")\(example)")
        }
        if (info.st_mode & S_IFMT) != S_IFREG {
            throw ValidationError("\(option) \(path) exists and is not a regular file (a device or a pipe, which drsim would replace): "
                + "give a file of its own, e.g. \(option) \(example)")
        }
    }
    if let config, config != "-", realPath(url) == realPath(URL(fileURLWithPath: config)) {
        throw ValidationError("\(option) \(path) is the config file: give the \(kind) a file of its own, e.g. \(option) \(example)")
    }
    let folder = url.deletingLastPathComponent()
    let named = resultFolders.first { realPath($0.0) == realPath(folder) }?.1
    if OutputOptions.resultNames.contains(url.lastPathComponent) && (named != nil || OutputOptions.resultMarker(in: folder) != nil) {
        throw ValidationError("\(option) \(path) is a result file in \(named ?? "a result folder"): "
            + "give the \(kind) a file of its own, e.g. \(option) \(example)")
    }
    // Another result set is replaced as a whole, and drsim never deletes a file it cannot tell it wrote
    // in full (its user may have edited it): so the file would block that folder's next --force.
    if named == nil, let marker = OutputOptions.resultMarker(in: folder) {
        throw ValidationError("\(option) \(path) is inside a result folder (it holds \(marker)), which a later --force replaces "
            + "as a whole and would refuse to while the \(kind) is there; give it a file outside, e.g. \(option) \(example)")
    }
    if let head = try? FileHandle(forReadingFrom: url).read(upToCount: 4096), !head.isEmpty, !isOwn(head) {
        throw ValidationError("\(option) \(path) exists and is not a \(kind): drsim replaces only its own; give another file")
    }
    try checkFolder(folder, for: "the \(kind)", option: option)
}

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
            throw Exit.failure
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
            throw Exit.failure
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
            throw Exit.failure
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

/// `--precision` and `--max-replications`: replications added in batches until intervals are narrow.
struct PrecisionOptions: ParsableArguments {
    @Option(name: .customLong("precision"), help: ArgumentHelp(
        "Adds replications until this interval is narrow enough: METRIC:STAT=±X or ±X% (STAT: mean, p50, p90, p99; repeatable).",
        valueName: "METRIC:STAT=±X"))
    var precision: [String] = []

    @Option(parsing: .unconditional, help: ArgumentHelp("With --precision, stop at this many replications (default \(Precision.defaultCap)).", valueName: "N"))
    var maxReplications: Int?

    func validate() throws {
        var seen: [PrecisionTarget] = []
        for p in precision {
            let t: PrecisionTarget
            do { t = try PrecisionTarget(parsing: p) } catch { throw ValidationError(error.message) }
            if seen.contains(where: { $0.metric == t.metric && $0.statistic == t.statistic }) {
                throw ValidationError("--precision \(p): \(t.metric.rawValue):\(t.statistic.rawValue) is given twice; give each metric and statistic once")
            }
            seen.append(t)
        }
        if let m = maxReplications {
            guard !precision.isEmpty else {
                throw ValidationError("--max-replications \(m) needs --precision: without it the run has a fixed count (--replications)")
            }
            guard (1...10_000_000).contains(m) else { throw ValidationError("--max-replications must be from 1 to 10000000, found \(m)") }
        }
    }

    /// The targets (`validate()` has refused any that cannot be read).
    var targets: [PrecisionTarget] { precision.compactMap { try? PrecisionTarget(parsing: $0) } }
    var cap: Int { maxReplications ?? Precision.defaultCap }

    /// Runs `configs` together from `fixed` replications until every target is met at every one of
    /// them, or to the cap; `checks` gives the checks of the runs so far. First refuses what would not
    /// fit in memory (`OutputOptions.checkMemory`); shows progress on stderr unless --quiet. The configs run together,
    /// sharing what they have in common (`Runner.run`); without --precision each runs its own count and only its output is
    /// kept (a growing run also holds its timeline sums, about 14 MB for an hour at 1 s steps).
    /// A simulation that fails prints why and exits 1.
    /// `name(k)` says which config k is in a message (a sweep's point, a comparison's side).
    func run(_ configs: [Config], fixed: Int, output: OutputOptions, name: (Int) -> String = { "point \($0 + 1)" },
             checks: ([RunOutput]) -> [PrecisionCheck]) throws -> ([RunOutput], PrecisionOutcome?) {
        if !precision.isEmpty && fixed > cap {
            throw usageFailure("--max-replications \(cap) is below the \(fixed) replications to start from; raise it, or start lower with --replications")
        }
        // A metric that a config does not have would never narrow: the run would go on to the cap.
        for t in targets {
            for (k, c) in configs.enumerated() where !t.metric.applies(to: c) {
                let which = configs.count == 1 ? "this config" : name(k)
                throw usageFailure("--precision \(t): \(t.metric.rawValue) does not apply to \(which) (traffic.write_share is 0: no writes), "
                    + "so its interval can never narrow; drop this target or give the config writes")
            }
        }
        try output.checkMemory(configs, replications: precision.isEmpty ? fixed : cap, growing: !precision.isEmpty)
        let display = output.quiet ? nil : ProgressDisplay(total: configs.count * fixed)
        display?.start()
        defer { display?.finish() }
        let (threads, progress) = (output.workers, display?.counter)
        do {
            guard !precision.isEmpty else { return (try Runner.run(configs, threads: threads, progress: progress), nil) }
            var grown = GrowingRuns(configs)
            let outcome = try Precision.reach(from: fixed, cap: cap) { n in
                try grown.extend(to: n, threads: threads, progress: progress)
                return checks(grown.outputs)
            }
            return (grown.outputs, outcome)
        } catch {
            printError("drsim: the simulation failed: \(error)")
            throw Exit.failure
        }
    }
}
