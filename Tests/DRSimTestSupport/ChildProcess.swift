import Foundation

// Waiting for child processes and blocking work without holding a thread of Swift Testing's cooperative pool.

/// The end of a child process, to be awaited. Swift Testing runs tests on the cooperative thread pool, which has one
/// thread per core: a test blocked in `waitUntilExit()` holds one of them, and two such tests stall the whole suite.
/// The termination handler resumes the waiting test instead.
public final class ProcessExit: @unchecked Sendable {
    private let lock = NSLock()
    private var ended: Int32?
    private var waiter: CheckedContinuation<Int32, Never>?

    fileprivate func finish(_ status: Int32) {
        let waiting: CheckedContinuation<Int32, Never>? = lock.withLock {
            ended = status
            defer { waiter = nil }
            return waiter
        }
        waiting?.resume(returning: status)
    }

    /// The exit status (for a process ended by a signal, the signal's number), once the process has ended.
    public var status: Int32 {
        get async {
            await withCheckedContinuation { continuation in
                let now: Int32? = lock.withLock {
                    if ended == nil { waiter = continuation }
                    return ended
                }
                if let now { continuation.resume(returning: now) }
            }
        }
    }
}

extension Process {
    /// Starts the process; await the result's `status` for its end.
    public func start() throws -> ProcessExit {
        let exit = ProcessExit()
        terminationHandler = { exit.finish($0.terminationStatus) }
        try run()
        return exit
    }
}

/// A pid that no process has: that of a process that has ended.
public func deadPID() async throws -> Int32 {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/bin/true")
    _ = try await p.start().status
    return p.processIdentifier
}

/// Runs blocking work, such as a library call that waits for a child process, on a thread of its own, so that it
/// holds no thread of the cooperative pool.
public func offPool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread.detachNewThread { continuation.resume(with: Result { try work() }) }
    }
}
