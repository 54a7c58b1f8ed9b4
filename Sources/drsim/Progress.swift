import DRSim
import Dispatch
import Foundation

/// Shows a run's progress on stderr while it runs, never on stdout.
///
/// When stderr is a terminal: a bar redrawn in place (done/total, share, rate, time left), cleared when
/// the run ends. When it is not (a log file, CI): a plain line every few seconds (5 s; the environment
/// variable DRSIM_PROGRESS_INTERVAL_S sets another interval). It reads a counter the workers add to and
/// never touches the run, so results are the same bytes with or without it.
final class ProgressDisplay: @unchecked Sendable {
    let total: Int
    let counter = RunProgress()
    let interactive: Bool
    let interval: Double
    private let started = Date()
    private let stop = DispatchSemaphore(value: 0)
    private let stopped = DispatchSemaphore(value: 0)

    init(total: Int) {
        self.total = total
        interactive = isatty(STDERR_FILENO) == 1 && ProcessInfo.processInfo.environment["TERM"] != "dumb"
        let configured = ProcessInfo.processInfo.environment["DRSIM_PROGRESS_INTERVAL_S"].flatMap(Double.init)
        interval = configured.flatMap { $0.isFinite && $0 > 0 ? max(0.01, $0) : nil } ?? (interactive ? 0.2 : 5)
    }

    func start() {
        Thread.detachNewThread { [self] in
            while stop.wait(timeout: .now() + interval) == .timedOut { show() }
            if interactive { write("\r\u{1B}[2K") }
            stopped.signal()
        }
    }

    /// Stops the display and clears the bar; returns once nothing more will be written.
    func finish() {
        stop.signal()
        stopped.wait()
    }

    private func show() {
        let done = min(counter.completed, total)
        let elapsed = Date().timeIntervalSince(started)
        let rate = elapsed > 0 ? Double(done) / elapsed : 0
        let left = rate > 0 ? Self.duration(Double(total - done) / rate) : "?"
        let share = total > 0 ? Double(done) / Double(total) : 1
        if interactive {
            let width = 24
            let filled = Int((share * Double(width)).rounded(.down))
            let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
            write(
                String(
                    format: "\r\u{1B}[2Kdrsim %@ %d/%d %3.0f%%  %.0f replications/s  %@ left", bar, done, total,
                    100 * share, rate, left))
        } else {
            write(
                String(
                    format: "drsim: %d/%d replications (%.0f%%), %.0f/s, about %@ left\n", done, total, 100 * share,
                    rate, left))
        }
    }

    /// As printError: a closed, full or broken stderr is ignored (FileHandle.write would trap).
    private func write(_ s: String) { writeAll(s, to: STDERR_FILENO) }

    static func duration(_ s: Double) -> String {
        guard s.isFinite else { return "?" }
        if s < 90 { return String(format: "%.0f s", s) }
        if s < 5400 { return String(format: "%.0f min", s / 60) }
        return String(format: "%.1f h", s / 3600)
    }
}
