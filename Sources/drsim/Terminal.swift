import ArgumentParser
import Foundation

/// Every status drsim exits with, and what it means (the root command's `--help` lists them;
/// docs/config.md, Exit status, says more).
enum ExitStatus: Int32, CaseIterable {
    case success = 0
    /// A failure with a one-line reason on stderr; for `check` and `diff` also a failed target or a
    /// moved distribution.
    case failure = 1
    /// `check`: nothing failed, but a target's interval straddles its bound.
    case undecided = 3
    /// A bad command line (ArgumentParser's own status for one).
    case usage = 64
    /// A bad config (every problem listed on stderr), or a result folder that is missing or damaged.
    case badInput = 65
    /// Stopped by Ctrl-C (SIGINT), as a shell reports a process killed by it.
    case interrupted = 130
    /// Stopped by SIGTERM, as a shell reports a process killed by it.
    case terminated = 143

    /// The status to throw from a command's `run()`.
    var code: ExitCode { ExitCode(rawValue) }

    /// What the status means, as `drsim --help` lists it.
    var meaning: String {
        switch self {
        case .success: "done"
        case .failure:
            "anything else, with a one-line reason (check, diff: also a target failed or a distribution moved; "
                + "advise: every point fails a target)"
        case .undecided:
            "check: nothing failed but a target is undecided; advise: no point meets every target, some undecided"
        case .usage: "bad command line"
        case .badInput: "bad config (every problem listed on stderr), or a result folder missing or damaged"
        case .interrupted: "interrupted (SIGINT)"
        case .terminated: "stopped (SIGTERM)"
        }
    }

    /// Every status and its meaning, for the root command's help.
    static var list: String { allCases.map { "\($0.rawValue) \($0.meaning)" }.joined(separator: "; ") }
}

/// Writes all of `s` to file descriptor `fd`; false if it could not (closed, full, a broken pipe).
@discardableResult
func writeAll(_ s: String, to fd: Int32) -> Bool {
    fflush(nil)  // anything print() buffered goes first
    return s.utf8CString.withUnsafeBufferPointer { b in
        var off = 0
        let n = b.count - 1  // without the terminating NUL
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
        throw ExitStatus.failure.code
    }
}

/// A usage error found after parsing (it needs the config or a folder's contents), printed as
/// ArgumentParser prints its own and with its status, 64. (A ValidationError thrown from `run()` would
/// print the top-level usage line instead of the command's.)
func usageFailure(_ message: String) -> ExitCode {
    printError("Error: \(message)")
    return ExitStatus.usage.code
}
