import ArgumentParser
import DRSim
import DRSimFiles
import Foundation

/// Checks, before anything is simulated, that the results can go to `dir`: makes the folder if it is
/// missing and creates and removes a probe file in it, then removes the folders it made (empty ones
/// only: rmdir), so that a run that fails later leaves nothing. A symbolic link counts as there,
/// and one that leads nowhere is refused, never removed. On failure prints why and exits 1.
/// `what` and `option` name the file and the option in the message (the results and --out, or a
/// report such as --junit's).
func checkFolder(_ dir: URL, for what: String = "the results", option: String = "--out") throws {
    func fail(_ why: String) throws -> Never {
        printError("drsim: cannot write \(what) to \(dir.path): \(why); choose another folder with \(option)")
        throw ExitStatus.failure.code
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
