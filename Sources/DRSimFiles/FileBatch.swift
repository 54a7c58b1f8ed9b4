import CSystem
import Foundation

/// Files written all or nothing, in any folders (created if missing).
///
/// Nothing is renamed into place until every file was written in full, so a failure or an interruption
/// before then leaves every earlier file as it was and no partial file.
///
/// - A folder given to `replace(folder:)` is one unit: the batch's files inside it are written into a
///   fresh folder beside it (`.NAME.new-PID`), which then takes the old folder's place in one step (an
///   atomic exchange where Linux offers it). The old folder, with everything in it, goes; the result set
///   changes as a whole, never file by file. A symbolic link to the folder keeps pointing at it.
/// - Any other file is written beside its final name (`.NAME.tmp-PID`) and renamed over it.
///
/// The temporary files and folders are registered with `TemporaryFiles`, so that Ctrl-C removes them,
/// and a later batch removes those of a process that died without cleaning up.
public struct FileBatch {
    /// Produces a file's text, handing it to `emit` in pieces.
    public typealias Producer = (_ emit: (String) -> Void) -> Void
    private var files: [(url: URL, produce: Producer)] = []
    private var folders: [URL] = []

    public init() {}

    public mutating func add(_ url: URL, _ produce: @escaping Producer) { files.append((url, produce)) }
    public mutating func add(_ url: URL, text: String) { files.append((url, { $0(text) })) }

    /// Makes `folder` one unit, swapped in as a whole (see the type's description).
    public mutating func replace(folder: URL) { folders.append(folder.standardizedFileURL) }

    public func write() throws {
        let fm = FileManager.default
        let tag = "\(getpid())"
        // Each replaced folder as given (to match the files' paths), where it really is (links
        // resolved), and the folder its new contents are written into.
        let units = folders.map { given -> (given: String, real: URL, staging: URL) in
            let real = given.resolvingSymlinksInPath()
            return (given.path, real, real.deletingLastPathComponent().appendingPathComponent(".\(real.lastPathComponent).new-\(tag)"))
        }
        func unit(of file: URL) -> (unit: (given: String, real: URL, staging: URL), relative: String)? {
            let path = file.standardizedFileURL.path
            return units.lazy.compactMap { u in path.hasPrefix(u.given + "/") ? (u, String(path.dropFirst(u.given.count + 1))) : nil }.first
        }
        var singles: [(temp: URL, final: URL)] = []
        defer { TemporaryFiles.removeAll() }
        let parents = Set(units.map { $0.real.deletingLastPathComponent() } + files.filter { unit(of: $0.url) == nil }.map { $0.url.deletingLastPathComponent() })
        for parent in parents { TemporaryFiles.removeStale(in: parent) }
        for u in units {
            try fm.createDirectory(at: u.staging.deletingLastPathComponent(), withIntermediateDirectories: true)
            TemporaryFiles.register(u.staging)
            try fm.createDirectory(at: u.staging, withIntermediateDirectories: false)
        }
        for (final, produce) in files {
            let target: URL
            if let (u, relative) = unit(of: final) {
                target = u.staging.appendingPathComponent(relative)
            } else {
                target = final.deletingLastPathComponent().appendingPathComponent("." + final.lastPathComponent + ".tmp-" + tag)
                TemporaryFiles.register(target)
                singles.append((target, final))
            }
            try fm.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Self.produce(produce, into: target)
        }
        // An interruption waits for the renames, so it finds either the old files or the new ones. After
        // them, each staging folder holds the replaced folder's old contents, which `defer` removes.
        try TemporaryFiles.committing {
            for u in units { try Self.swap(u.staging, into: u.real) }
            for (temp, final) in singles where rename(temp.path, final.path) != 0 {
                throw FileBatchError.system("cannot rename \(temp.path) to \(final.path)", errno)
            }
        }
    }

    private static func produce(_ produce: Producer, into url: URL) throws {
        guard FileManager.default.createFile(atPath: url.path, contents: nil) else {
            throw FileBatchError.system("cannot create \(url.path)", errno)
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
        guard errno == ENOTEMPTY || errno == EEXIST else { throw FileBatchError.system("cannot move \(staging.path) to \(folder.path)", errno) }
        if drsim_exchange(staging.path, folder.path) == 0 { return }
        guard errno == EINVAL || errno == ENOSYS else { throw FileBatchError.system("cannot swap \(staging.path) and \(folder.path)", errno) }
        // A file system that cannot exchange: the old folder aside, the new one in. Should drsim die
        // between the two, a later batch moves `.NAME.old-PID` back (`TemporaryFiles.removeStale`).
        let aside = folder.deletingLastPathComponent().appendingPathComponent(".\(folder.lastPathComponent).old-\(getpid())")
        guard rename(folder.path, aside.path) == 0 else { throw FileBatchError.system("cannot move \(folder.path) aside", errno) }
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

    public var description: String {
        switch self { case let .system(what, code): "\(what): \(String(cString: strerror(code)))" }
    }

    public var errorDescription: String? { description }
}

/// The temporary files and folders of the batch being written, so that an interrupted run can remove
/// them (`removeAll`, from a signal handler's queue), and the leftovers of runs that died without
/// cleaning up (`removeStale`).
public enum TemporaryFiles {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var paths: Set<String> = []

    static func register(_ url: URL) { lock.withLock { _ = paths.insert(url.path) } }

    /// Runs `body` (the renames of a batch) with removal held off until it is done.
    static func committing(_ body: () throws -> Void) throws { try lock.withLock(body) }

    /// Removes every temporary file and folder this process is writing; returns how many there were.
    @discardableResult
    public static func removeAll() -> Int {
        lock.withLock {
            for p in paths { try? FileManager.default.removeItem(atPath: p) }
            defer { paths.removeAll() }
            return paths.count
        }
    }

    /// Cleans up after runs that died in `directory` (whose process no longer runs): removes
    /// `.NAME.tmp-PID` files and `.NAME.new-PID` folders, and moves `.NAME.old-PID` back to NAME when
    /// NAME is missing (a swap cut between its two renames), else removes it.
    static func removeStale(in directory: URL) {
        let fm = FileManager.default
        guard let names = try? fm.contentsOfDirectory(atPath: directory.path) else { return }
        for name in names where name.hasPrefix(".") {
            guard let dash = name.lastIndex(of: "-"), let pid = Int32(name[name.index(after: dash)...]),
                  pid != getpid(), kill(pid, 0) != 0, errno == ESRCH else { continue }
            let stem = name[..<dash], path = directory.appendingPathComponent(name).path
            if stem.hasSuffix(".old") {
                let original = directory.appendingPathComponent(String(stem.dropFirst().dropLast(4))).path
                if !fm.fileExists(atPath: original) && rename(path, original) == 0 { continue }
            } else if !stem.hasSuffix(".tmp") && !stem.hasSuffix(".new") {
                continue
            }
            try? fm.removeItem(atPath: path)
        }
    }
}
