import CSystem
import Foundation

/// Files written all or nothing, in any folders (created if missing).
///
/// Nothing is renamed into place until every file was written in full, so a failure or an interruption
/// before then leaves every earlier file as it was and no partial file.
///
/// - A folder given to `replace(folder:)` is one unit: the batch's files inside it are written into a
///   fresh folder beside it (`.drsim.NAME.new-PID`), which then takes the old folder's place in one step (an
///   atomic exchange where Linux offers it). The old folder, with everything in it, goes; the result set
///   changes as a whole, never file by file. A symbolic link to the folder keeps pointing at it.
/// - Any other file is written beside its final name (`.drsim.NAME.tmp-PID`) and renamed over it.
///
/// The temporary files and folders are registered with `TemporaryFiles`, so that Ctrl-C removes them,
/// and a later batch removes those of a process that died without cleaning up.
public struct FileBatch {
    /// Produces a file's text, handing it to `emit` in pieces.
    public typealias Producer = (_ emit: (String) -> Void) -> Void
    private var files: [(url: URL, produce: Producer)] = []
    private var folders: [(url: URL, keepIfHolding: [String])] = []

    public init() {}

    public mutating func add(_ url: URL, _ produce: @escaping Producer) { files.append((url, produce)) }
    public mutating func add(_ url: URL, text: String) { files.append((url, { $0(text) })) }

    /// Makes `folder` one unit, swapped in as a whole (see the type's description); but should it hold
    /// any of `keepIfHolding` when the new set is ready (results another run wrote meanwhile), the
    /// write fails and leaves it as it is.
    public mutating func replace(folder: URL, keepIfHolding: [String] = []) {
        folders.append((folder.standardizedFileURL, keepIfHolding))
    }

    /// A replaced folder as given (to match the files' paths), where it really is (links resolved), the
    /// folder its new contents are written into, and the files that keep it if it holds them.
    private typealias Unit = (given: String, real: URL, staging: URL, keep: [String])

    public func write() throws {
        let fm = FileManager.default
        let units = folders.map { f -> Unit in
            let real = f.url.resolvingSymlinksInPath()
            return (
                f.url.path, real,
                real.deletingLastPathComponent().appendingPathComponent(
                    TemporaryFiles.name(real.lastPathComponent, "new")), f.keepIfHolding
            )
        }
        func unit(of file: URL) -> (unit: Unit, relative: String)? {
            let path = file.standardizedFileURL.path
            return units.lazy.compactMap { u in
                path.hasPrefix(u.given + "/") ? (u, String(path.dropFirst(u.given.count + 1))) : nil
            }.first
        }
        var singles: [(temp: URL, final: URL)] = []
        // Only this batch's own: another batch of this process may be writing at the same time.
        defer { TemporaryFiles.remove(units.map(\.staging.path) + singles.map(\.temp.path)) }
        let parents = Set(
            units.map { $0.real.deletingLastPathComponent() }
                + files.filter { unit(of: $0.url) == nil }.map { $0.url.deletingLastPathComponent() })
        for parent in parents { TemporaryFiles.removeStale(in: parent) }
        for u in units {
            try fm.createDirectory(at: u.staging.deletingLastPathComponent(), withIntermediateDirectories: true)
            try TemporaryFiles.make(u.staging, registered: true) {
                try fm.createDirectory(at: u.staging, withIntermediateDirectories: false)
            }
        }
        for (final, produce) in files {
            let target: URL
            let inUnit = unit(of: final)
            if let (u, relative) = inUnit {
                target = u.staging.appendingPathComponent(relative)
                let folder = target.deletingLastPathComponent()
                try TemporaryFiles.make(folder, registered: false) {
                    try fm.createDirectory(at: folder, withIntermediateDirectories: true)
                }
            } else {
                target = final.deletingLastPathComponent().appendingPathComponent(
                    TemporaryFiles.name(final.lastPathComponent, "tmp"))
                try fm.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
                singles.append((target, final))
            }
            try Self.produce(produce, into: target, registered: inUnit == nil)
        }
        try Self.commit(units, singles)
    }

    /// Swaps the staged folders in and renames the single files into place. An interruption waits for the
    /// renames, so it finds either the old files or the new ones. After them, each staging folder holds the
    /// replaced folder's old contents, which `write()` removes.
    private static func commit(_ units: [Unit], _ singles: [(temp: URL, final: URL)]) throws {
        try TemporaryFiles.committing {
            for u in units {
                let fm = FileManager.default
                if let held = u.keep.first(where: { fm.fileExists(atPath: u.real.appendingPathComponent($0).path) }) {
                    throw FileBatchError.occupied(u.real.path, held)
                }
                try swap(u.staging, into: u.real)
            }
            for (temp, final) in singles where rename(temp.path, final.path) != 0 {
                throw FileBatchError.system("cannot rename \(temp.path) to \(final.path)", errno)
            }
        }
    }

    private static func produce(_ produce: Producer, into url: URL, registered: Bool) throws {
        try TemporaryFiles.make(url, registered: registered) {
            guard FileManager.default.createFile(atPath: url.path, contents: nil) else {
                throw FileBatchError.system("cannot create \(url.path)", errno)
            }
        }
        let handle = try FileHandle(forWritingTo: url)
        var failure: Error?
        produce { chunk in
            guard failure == nil else { return }
            do { try handle.write(contentsOf: Data(chunk.utf8)) } catch { failure = error }
        }
        try handle.close()
        if let failure { throw failure }
    }

    /// Puts `staging` where `folder` is; afterwards `staging` holds the old folder's contents (or is gone).
    private static func swap(_ staging: URL, into folder: URL) throws {
        // No folder there, or an empty one: a plain rename, atomic.
        if rename(staging.path, folder.path) == 0 { return }
        guard errno == ENOTEMPTY || errno == EEXIST else {
            throw FileBatchError.system("cannot move \(staging.path) to \(folder.path)", errno)
        }
        if drsim_exchange(staging.path, folder.path) == 0 { return }
        guard errno == EINVAL || errno == ENOSYS else {
            throw FileBatchError.system("cannot swap \(staging.path) and \(folder.path)", errno)
        }
        // A file system that cannot exchange: the old folder aside, the new one in. Should drsim die
        // between the two, a later batch moves `.drsim.NAME.old-PID` back (`TemporaryFiles.removeStale`).
        let aside = folder.deletingLastPathComponent().appendingPathComponent(
            TemporaryFiles.name(folder.lastPathComponent, "old"))
        guard rename(folder.path, aside.path) == 0 else {
            throw FileBatchError.system("cannot move \(folder.path) aside", errno)
        }
        guard rename(staging.path, folder.path) == 0 else {
            let e = errno
            rename(aside.path, folder.path)
            throw FileBatchError.system("cannot move \(staging.path) to \(folder.path)", e)
        }
        rename(aside.path, staging.path)
    }
}

public enum FileBatchError: LocalizedError, CustomStringConvertible {
    case system(String, Int32)
    /// The folder to replace holds this file, which it may not (see `replace(folder:keepIfHolding:)`).
    case occupied(String, String)

    public var description: String {
        switch self {
        case .system(let what, let code): "\(what): \(String(cString: strerror(code)))"
        case .occupied(let folder, let file):
            "\(folder) now holds \(file): another run wrote its results there while this one ran; they are left as "
                + "they are"
        }
    }

    public var errorDescription: String? { description }
}

/// The temporary files and folders of the batch being written, so that an interrupted run can remove
/// them (`interrupt`, from a signal handler's queue), and the leftovers of runs that died without
/// cleaning up (`removeStale`).
///
/// Whatever a batch creates, and its renames, happen under one lock that `interrupt` takes too, and
/// after `interrupt` nothing more is created: the writer may still be running while the process
/// exits, but it cannot make a file or folder that the removal has missed, nor exit first.
public enum TemporaryFiles {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var paths: Set<String> = []
    nonisolated(unsafe) private static var interrupted = false

    /// Creates `url` (`create`), registered for removal when `registered`, unless an interruption has
    /// begun: then waits for the exit that follows it.
    static func make(_ url: URL, registered: Bool, _ create: () throws -> Void) throws {
        let going = try lock.withLock { () throws -> Bool in
            guard !interrupted else { return false }
            if registered { paths.insert(url.path) }
            try create()
            return true
        }
        if !going { waitForExit() }
    }

    /// Runs `body` (the renames of a batch) with removal held off until it is done.
    static func committing(_ body: () throws -> Void) throws {
        let going = try lock.withLock { () throws -> Bool in
            guard !interrupted else { return false }
            try body()
            return true
        }
        if !going { waitForExit() }
    }

    /// The writer's side of an interruption: the handler has removed the batch's files and is exiting
    /// with its own status, which an error here must not race.
    private static func waitForExit() -> Never {
        while true { sleep(60) }
    }

    /// Removes a batch's temporary files and folders (after it was written or failed), and no other batch's.
    static func remove(_ owned: [String]) {
        lock.withLock {
            for p in owned where paths.contains(p) {
                try? FileManager.default.removeItem(atPath: p)
                paths.remove(p)
            }
        }
    }

    /// For Ctrl-C or SIGTERM: removes every temporary file and folder this process is writing, and
    /// lets no batch create another (a writer that tries waits); returns how many there were. The
    /// caller must then exit.
    @discardableResult
    public static func interrupt() -> Int {
        lock.withLock {
            interrupted = true
            return removeRegistered()
        }
    }

    private static func removeRegistered() -> Int {
        for p in paths { try? FileManager.default.removeItem(atPath: p) }
        defer { paths.removeAll() }
        return paths.count
    }

    /// The name of a temporary file or folder for NAME: `.drsim.NAME.KIND-PID`. The prefix keeps
    /// `removeStale` off names that are not drsim's.
    public static func name(_ name: String, _ kind: String) -> String { ".drsim.\(name).\(kind)-\(getpid())" }

    /// Splits a temporary name `.drsim.NAME.KIND-PID` (KIND `tmp`, `new` or `old`) into its parts; nil
    /// for any other name. A plain scan, not a regex: `removeStale` runs it on every name in the output's
    /// parent folder, which may hold thousands (Swift's regex took ~1 ms a name).
    public static func parse(_ full: String) -> (name: String, kind: String, pid: Int32)? {
        let prefix = ".drsim."
        guard full.utf8.count > prefix.utf8.count + 6, full.hasPrefix(prefix),
            let dash = full.lastIndex(of: "-")
        else { return nil }
        let digits = full[full.index(after: dash)...]
        guard !digits.isEmpty, digits.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }), let pid = Int32(digits) else {
            return nil
        }
        let head = full[full.index(full.startIndex, offsetBy: prefix.count)..<dash]
        guard let dot = head.lastIndex(of: "."), dot > head.startIndex else { return nil }
        let kind = String(head[head.index(after: dot)...])
        guard kind == "tmp" || kind == "new" || kind == "old" else { return nil }
        return (String(head[..<dot]), kind, pid)
    }

    /// Cleans up after runs that died in `directory` (whose process no longer runs): removes
    /// `.drsim.NAME.tmp-PID` files and `.drsim.NAME.new-PID` folders, and moves `.drsim.NAME.old-PID`
    /// back to NAME when NAME is missing (a swap cut between its two renames), else removes it.
    /// Nothing else is touched.
    static func removeStale(in directory: URL) {
        let fm = FileManager.default
        guard let names = try? fm.contentsOfDirectory(atPath: directory.path) else { return }
        for name in names {
            guard let m = parse(name), m.pid != getpid(), kill(m.pid, 0) != 0, errno == ESRCH else { continue }
            let path = directory.appendingPathComponent(name).path
            if m.kind == "old" {
                let original = directory.appendingPathComponent(m.name).path
                if !fm.fileExists(atPath: original) && rename(path, original) == 0 { continue }
            }
            try? fm.removeItem(atPath: path)
        }
    }
}
