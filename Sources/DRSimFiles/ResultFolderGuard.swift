import Foundation

/// Why a folder or file may not take drsim's output, in words for the user (without a "drsim:" prefix).
public struct ResultFolderRefusal: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// The path given is wrong for what is to be written there: a command-line error.
        case usage
        /// The place cannot or may not be written as it is.
        case unwritable
    }
    public var kind: Kind
    public var message: String
    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }
    public var description: String { message }
}

/// What may be written where, checked before anything is simulated, so that a run that cannot keep its
/// results stops before it costs time, and so that nothing drsim did not write is ever deleted.
///
/// A result set replaces its folder as a whole (`FileBatch.replace(folder:)`): the folder must be one of
/// its own, hold nothing but drsim's files (a user's file there would go with the swap) and hold no
/// results unless they may be replaced (--force). A single output file (a JUnit report, a trace) may
/// replace only a file of its own kind, never a result file or a file inside another result set.
public struct ResultFolderGuard: Sendable {
    /// The files drsim writes in a result folder or in one of its sub-folders.
    public let resultFiles: Set<String>

    /// The files whose presence says a folder holds results.
    public let markers: [String]

    /// - Parameters:
    ///   - resultFiles: the names of the files drsim writes in a result folder or in one of its sub-folders
    ///     (a sweep's points, a comparison's sides).
    ///   - markers: the files whose presence says a folder holds results.
    public init(resultFiles: Set<String>, markers: [String]) {
        self.resultFiles = resultFiles
        self.markers = markers
    }

    /// The names drsim writes at the top of an output folder, besides the point folders of a sweep.
    public var resultNames: Set<String> { resultFiles.union(["charts", "a", "b"]) }

    /// The first of `markers` that `dir` holds, if any: then it holds results.
    public func marker(in dir: URL) -> String? {
        markers.first { FileManager.default.fileExists(atPath: dir.appendingPathComponent($0).path) }
    }

    /// A path as the file system resolves it (a symbolic link is its target), for telling whether two
    /// paths are the same file or folder.
    public static func realPath(_ u: URL) -> String { u.standardizedFileURL.resolvingSymlinksInPath().path }

    /// Whether `name` is `prefix` followed by one or more digits.
    static func isNumbered(_ name: String, _ prefix: String) -> Bool {
        let rest = name.utf8.dropFirst(prefix.utf8.count)
        return name.hasPrefix(prefix) && !rest.isEmpty && rest.allSatisfy { $0 >= 48 && $0 <= 57 }
    }

    /// The sub-folders drsim writes in a result folder: a sweep's points, a comparison's sides, a
    /// report's charts.
    static func isResultFolder(_ name: String) -> Bool {
        name == "a" || name == "b" || name == "charts" || isNumbered(name, "point-")
    }

    /// Everything under `path`, at any depth, that drsim does not write there, as paths relative to it,
    /// sorted: the swap of a new result set would delete it. `top`: other names allowed at the top.
    public func foreignEntries(in path: String, top: Set<String> = []) -> [String] {
        var foreign: [String] = []
        func walk(_ dir: String, _ prefix: String) {
            guard let names = try? FileManager.default.contentsOfDirectory(atPath: dir) else { return }
            for n in names.sorted() {
                let temporary = TemporaryFiles.parse(n) != nil || Self.isNumbered(n, ".drsim-probe-")
                if temporary || (prefix.isEmpty && top.contains(n)) { continue }
                var st = stat()
                let full = dir + "/" + n
                guard lstat(full, &st) == 0 else { continue }
                let kind = st.st_mode & S_IFMT
                if kind == S_IFDIR && Self.isResultFolder(n) {
                    walk(full, prefix + n + "/")
                } else if kind == S_IFREG
                    && (resultFiles.contains(n) || (prefix.hasSuffix("charts/") && n.hasSuffix(".svg")))
                {
                    continue
                } else {
                    foreign.append(prefix + n)
                }
            }
        }
        walk(path, "")
        return foreign
    }

    /// The first result set at `relative` under `root` or below it (a few levels down), as a path
    /// relative to `root`.
    public func resultSet(in root: String, at relative: String, depth: Int = 4) -> String? {
        let fm = FileManager.default
        if markers.contains(where: { fm.fileExists(atPath: root + "/" + relative + "/" + $0) }) { return relative }
        guard depth > 0, let names = try? fm.contentsOfDirectory(atPath: root + "/" + relative) else { return nil }
        return names.sorted().lazy.compactMap { resultSet(in: root, at: relative + "/" + $0, depth: depth - 1) }.first
    }

    /// Checks that `dir` can take a result set: a folder of its own (not the current folder or one
    /// holding it), holding nothing drsim did not write and no results unless `replacing` (--force)
    /// allows it; then `checkFolder`, and that the new set can be swapped in beside it. `alsoWrites`:
    /// other names the command writes into it (a JUnit report, say). Every refusal is `.unwritable`.
    public func checkResultFolder(
        _ dir: URL, replacing: Bool,
        alsoWrites: Set<String> = []
    ) throws(ResultFolderRefusal) {
        let fm = FileManager.default
        let real = Self.realPath(dir)
        let here = Self.realPath(URL(fileURLWithPath: fm.currentDirectoryPath))
        if real == "/" || here == real || here.hasPrefix(real + "/") {
            throw Self.refusal(
                "--out \(dir.path) is the current folder or one that holds it: "
                    + "drsim replaces its output folder as a whole, so it needs one of its own; give a new folder, "
                        + "e.g. --out results/NAME"
            )
        }
        if let names = try? fm.contentsOfDirectory(atPath: real) {
            try checkContents(names, of: dir, real: real, replacing: replacing, alsoWrites: alsoWrites)
        }
        try Self.checkFolder(dir)
        try Self.checkSwap(dir, real: real)
    }

    /// The contents of an existing output folder (`names` at its top): nothing but drsim's own files,
    /// no result set of its own inside, no results unless `replacing`.
    func checkContents(
        _ names: [String], of dir: URL, real: String, replacing: Bool,
        alsoWrites: Set<String>
    ) throws(ResultFolderRefusal) {
        let foreign = foreignEntries(in: real, top: alsoWrites)
        // A result set written inside this one (--out DIR/sub) is drsim's, but not part of this set.
        if let nested = foreign.lazy.compactMap({ resultSet(in: real, at: $0) }).first {
            throw Self.refusal(
                "--out \(dir.path) holds \(nested), a result set of its own "
                    + "(written with --out into this folder): the new results replace the folder as a whole, "
                    + "so it would be deleted; move it out, or choose another --out")
        }
        if !foreign.isEmpty {
            let more = foreign.count > 3 ? " and \(foreign.count - 3) more" : ""
            throw Self.refusal(
                "--out \(dir.path) holds \(foreign.prefix(3).joined(separator: ", "))\(more), "
                    + "which drsim did not write: the new results replace the folder as a whole, "
                    + "so drsim writes only into a new or empty folder or one of its own results; "
                    + "move \(foreign.count == 1 ? "it" : "them") out, or choose another --out")
        }
        if !replacing, let marker = markers.first(where: names.contains) {
            throw Self.refusal(
                "--out \(dir.path) holds earlier results (\(marker)); "
                    + "add --force to replace them (the folder is swapped for the new one as a whole), "
                    + "or choose another --out")
        }
    }

    /// That the new set's folder fits beside `dir` (its name within NAME_MAX bytes) and can replace it
    /// there (the parent writable; in a sticky parent, `dir` owned by this user).
    static func checkSwap(_ dir: URL, real: String) throws(ResultFolderRefusal) {
        let url = URL(fileURLWithPath: real)
        let name = url.lastPathComponent
        let parent = url.deletingLastPathComponent().path
        let staging = TemporaryFiles.name(name, "new").utf8.count
        if staging > Int(NAME_MAX) {
            throw Self.refusal(
                "--out \(dir.path): the folder's name is too long for the new set's folder beside it "
                    + "(\(staging) bytes, at most \(NAME_MAX)); give a shorter name")
        }
        var p = stat()
        var f = stat()
        guard stat(parent, &p) == 0 else { return }
        if access(parent, W_OK | X_OK) != 0 {
            throw Self.refusal(
                "cannot write the results to \(dir.path): the new results are written beside it and swapped in, "
                    + "and \(parent) cannot be written (\(String(cString: strerror(errno)).lowercased())); "
                    + "choose another folder with --out")
        }
        // In a sticky folder (such as /tmp) only a folder's owner, the parent's or root may rename it.
        let me = geteuid()
        if (p.st_mode & S_ISVTX) != 0 && me != 0 && p.st_uid != me && stat(real, &f) == 0 && f.st_uid != me {
            throw Self.refusal(
                "cannot replace \(dir.path): it belongs to another user and \(parent) is sticky, "
                    + "so only its owner may replace it; choose another folder with --out")
        }
    }

    /// Checks that the results can go to `dir`: makes the folder if it is missing and creates and
    /// removes a probe file in it, then removes the folders it made (empty ones only: rmdir), so that a
    /// run that fails later leaves nothing. A symbolic link counts as there, and one that leads nowhere
    /// is refused, never removed. `what` and `option` name the file and the option in the message (the
    /// results and --out, or a report such as --junit's). Every refusal is `.unwritable`.
    public static func checkFolder(_ dir: URL, for what: String = "the results", option: String = "--out")
        throws(ResultFolderRefusal)
    {
        func fail(_ why: String) -> ResultFolderRefusal {
            refusal("cannot write \(what) to \(dir.path): \(why); choose another folder with \(option)")
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
        if (info.st_mode & S_IFMT) == S_IFLNK && stat(path, &info) != 0 {
            throw fail("\(path) is a symbolic link to nothing")
        }
        if (info.st_mode & S_IFMT) != S_IFDIR { throw fail("\(path) is a file, not a folder") }
        for m in made where mkdir(m, 0o777) != 0 { throw fail(reason(m)) }
        let probe = dir.appendingPathComponent(".drsim-probe-\(getpid())").path
        let fd = open(probe, O_CREAT | O_EXCL | O_WRONLY, 0o600)
        guard fd >= 0 else { throw fail(reason(dir.path)) }
        close(fd)
        unlink(probe)
    }

    static func refusal(_ message: String) -> ResultFolderRefusal { ResultFolderRefusal(.unwritable, message) }
}
