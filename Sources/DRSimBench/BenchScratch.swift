import Foundation

/// The temporary folders `bench` works in, removed when it ends and also when it is interrupted
/// (Ctrl-C, SIGTERM: the handler exits without running `defer`s), and the drsim children writing
/// into them, which an interruption stops first (`timeout -s INT` signals the parent alone).
public enum BenchScratch {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var paths: Set<String> = []
    nonisolated(unsafe) private static var children: Set<Int32> = []
    nonisolated(unsafe) private static var stopping = false

    /// Runs `p` as a child that an interruption stops, and waits for it, calling `poll` repeatedly
    /// meanwhile if given.
    static func run(_ p: Process, poll: (() -> Void)? = nil) throws {
        // Started and registered under the lock, so that an interruption either stops it or it never starts
        // (the handler is exiting meanwhile).
        let started = try lock.withLock { () throws -> Bool in
            guard !stopping else { return false }
            try p.run()
            children.insert(p.processIdentifier)
            return true
        }
        if !started { while true { sleep(60) } }
        let pid = p.processIdentifier
        defer { lock.withLock { _ = children.remove(pid) } }
        if let poll { while p.isRunning { poll() } }
        p.waitUntilExit()
    }

    /// A folder named `name` in the system's temporary folder, registered for removal (not created).
    static func make(_ name: String) -> URL {
        let url = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent(name)
        lock.withLock { _ = paths.insert(url.path) }
        return url
    }

    /// Removes the folder and forgets it.
    static func remove(_ url: URL) {
        lock.withLock { _ = paths.remove(url.path) }
        try? FileManager.default.removeItem(at: url)
    }

    /// Stops the running children and removes every registered folder (the interrupt handler, before
    /// it exits). A child interrupted removes its own temporary files; one that had just written its
    /// results has them removed with the folder, after a second's grace.
    public static func removeAll() {
        let running = lock.withLock {
            stopping = true
            return children
        }
        for pid in running { kill(pid, SIGINT) }
        if !running.isEmpty { sleep(1) }
        lock.withLock {
            for p in paths { try? FileManager.default.removeItem(atPath: p) }
            paths.removeAll()
        }
    }
}
