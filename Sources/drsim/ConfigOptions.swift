import ArgumentParser
import DRSim
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

    @Option(help: "Replications to run (overrides the config).")
    var replications: Int?

    @Option(help: "Random seed (overrides the config).")
    var seed: UInt64?

    func validate() throws {
        for s in sets {
            do { _ = try Override(parsing: s) } catch { throw ValidationError(error.message) }
        }
    }

    /// Reads, overrides and decodes the config; on bad input prints every problem and exits 65.
    func load() throws -> Config.Loaded {
        let url = URL(fileURLWithPath: config == "-" ? "stdin" : config)
        let data = try readConfig(config)
        // Seeds are JSON numbers in run.json, exact only below 2^53.
        if let s = seed, s >= 1 << 53 {
            throw ValidationError("--seed \(s): seeds go up to 2^53 − 1 = 9007199254740991 (run.json stores them as JSON numbers, exact only that far); give a smaller seed")
        }
        var overrides: [Override] = []
        do {
            overrides = try sets.map { s throws(ConfigIssue) in try Override(parsing: s) }
            if let r = replications { overrides.append(try Override(parsing: "replications=\(r)")) }
            if let s = seed { overrides.append(try Override(parsing: "seed=\(s)")) }
        } catch {
            throw ValidationError(error.message)
        }
        let name = url.deletingPathExtension().lastPathComponent
        do {
            return try Config.load(data: data, overrides: overrides, defaultName: name)
        } catch {
            printError("drsim: \(config) has \(error.issues.count) problem\(error.issues.count == 1 ? "" : "s"):")
            for i in error.issues { printError("error: \(i)") }
            throw Exit.badConfig
        }
    }
}
