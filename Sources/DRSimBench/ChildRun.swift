import Foundation

/// drsim commands run as child processes, stdout discarded, and timed as whole processes (start, run, files).
enum ChildRun {
    /// Runs `executable` with `args`; returns its wall-clock time [s].
    static func time(_ executable: URL, _ args: [String]) throws -> Double {
        let p = Process()
        p.executableURL = executable
        p.arguments = args
        p.standardOutput = FileHandle.nullDevice
        let start = Date()
        try BenchScratch.run(p)
        let seconds = Date().timeIntervalSince(start)
        guard p.terminationStatus == 0 else {
            throw BenchError.invalid(
                "\(executable.path) \(args.joined(separator: " ")) failed with status \(p.terminationStatus)")
        }
        return seconds
    }

    /// Runs `executable` with `args`; returns its wall-clock time [s] and its peak resident memory [bytes].
    /// The peak is the child's own high-water mark (VmHWM in /proc/PID/status), read every 5 ms while it
    /// runs: rusage's ru_maxrss would be at least this process's own, which a spawned child inherits until
    /// it execs.
    static func measure(_ executable: URL, _ args: [String]) throws -> (seconds: Double, peakBytes: Int) {
        let p = Process()
        p.executableURL = executable
        p.arguments = args
        p.standardOutput = FileHandle.nullDevice
        let start = Date()
        var peak = 0
        try BenchScratch.run(
            p,
            poll: {
                peak = max(peak, highWaterMark(of: p.processIdentifier) ?? 0)
                usleep(5000)
            })
        guard p.terminationStatus == 0 else {
            throw BenchError.invalid("the child run failed with status \(p.terminationStatus)")
        }
        return (Date().timeIntervalSince(start), peak)
    }

    /// The peak resident memory so far of process `pid` [bytes], from its VmHWM line; nil once it has gone.
    private static func highWaterMark(of pid: Int32) -> Int? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
            let line = text.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
            let kB = Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "")
        else { return nil }
        return kB * 1024
    }
}
