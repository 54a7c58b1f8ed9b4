import DRSim
import Foundation

/// Runs one of drsim's SimPy peers and reads what it prints. Both share the command line
/// (`incidents --resolved run.json --replications N --seed S`) and the JSON output:
///
/// - `bench/simpy_twin.py`, the plain SimPy user's twin: simulates what drsim samples directly
///   (checkers warm up probe by probe, every write of the last minute is an event);
/// - `bench/simpy_expert.py`, the expert's twin, the fairest peer for speed: SimPy for the health
///   checkers, everything else computed in bulk by the same rules as drsim (numpy).
public struct SimPyTwin {
    public var script: URL
    /// The Python that has simpy and numpy: DRSIM_PYTHON, else the repository's `.venv` (which the
    /// README's set-up command and `.ci/run` make: Debian's own python3 refuses `pip install`), else
    /// python3 on the PATH.
    public var python: String

    public init(script: URL) {
        self.script = script
        let root = script.deletingLastPathComponent().deletingLastPathComponent()
        let venv = root.appendingPathComponent(".venv/bin/python").path
        python =
            ProcessInfo.processInfo.environment["DRSIM_PYTHON"]
            ?? (FileManager.default.isExecutableFile(atPath: venv) ? venv : "python3")
    }

    /// The plain twin, `bench/simpy_twin.py` under the repository root `root`.
    public static func plain(root: URL) -> SimPyTwin {
        SimPyTwin(script: root.appendingPathComponent("bench/simpy_twin.py"))
    }
    /// The expert twin, `bench/simpy_expert.py` under the repository root `root`.
    public static func expert(root: URL) -> SimPyTwin {
        SimPyTwin(script: root.appendingPathComponent("bench/simpy_expert.py"))
    }

    /// The script's file name, for messages.
    public var name: String { script.lastPathComponent }

    /// What the twin reports for a run of incidents.
    public struct Incidents: Decodable, Sendable {
        public var seconds: Double
        public var replications: Int
        public var rto_s: [Double]
        public var recovered_50_s: [Double?]
        public var rpo_s: [Double]
        public var lost_writes: [Double]
        public var detection_s: [Double?]

        /// Incidents per second, as the twin timed them (after its imports).
        public var perSecond: Double { Double(replications) / seconds }

        /// drsim's sample and the twin's of each metric both report, by metric name (detection_s
        /// without the incidents that never detected anything, recovered_50_s without those that never
        /// came back).
        public func samples(against results: [ReplicationResult])
            -> [(metric: String, drsim: [Double], twin: [Double])]
        {
            [
                ("rto_s", results.map(\.rto), rto_s),
                ("recovered_50_s", results.compactMap(\.recovered50), recovered_50_s.compactMap { $0 }),
                ("rpo_s", results.map(\.rpo), rpo_s),
                ("lost_writes", results.map { Double($0.lostWrites) }, lost_writes),
                ("detection_s", results.compactMap(\.detection), detection_s.compactMap { $0 }),
            ]
        }
    }

    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// The twin's incidents for the resolved config in a drsim `run.json`.
    public func incidents(resolved runJSON: URL, replications: Int, seed: Int) throws -> Incidents {
        try JSONDecoder().decode(
            Incidents.self,
            from: run([
                "incidents", "--resolved", runJSON.path, "--replications", String(replications), "--seed", String(seed),
            ]))
    }

    /// The twin's events per second on the hold model (the plain twin only).
    public func hold(pending: Int, events: Int) throws -> Double {
        struct Hold: Decodable { var events_per_s: Double }
        let data = try run(["hold", "--pending", String(pending), "--events", String(events)])
        return try JSONDecoder().decode(Hold.self, from: data).events_per_s
    }

    /// Whether `python` starts and imports the packages the twins need (bench/requirements.txt).
    public var hasItsPackages: Bool {
        (try? run(["-c", "import simpy, numpy"], script: false)) != nil
    }

    private func run(_ args: [String], script: Bool = true) throws -> Data {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = [python] + (script ? [self.script.path] : []) + args
        let out = Pipe()
        let err = Pipe()
        p.standardOutput = out
        p.standardError = err
        do { try p.run() } catch { throw Failure(description: "cannot start \(python): \(error)") }
        // Read stderr on its own thread: a child that fills one pipe while we wait on the other would hang.
        let errorData = ErrorCollector()
        let reader = Thread { errorData.set(err.fileHandleForReading.readDataToEndOfFile()) }
        reader.start()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        let errors = String(decoding: errorData.wait(), as: UTF8.self)
        guard p.terminationStatus == 0 else {
            throw Failure(
                description: "\(name) failed (status \(p.terminationStatus)): "
                    + errors.split(separator: "\n").suffix(3).joined(separator: " | ")
                    + " (it needs \(python) with the packages in bench/requirements.txt: "
                    + ".venv/bin/pip install -r bench/requirements.txt)")
        }
        return data
    }
}

/// The stderr bytes of a child, handed over from the thread that reads them.
private final class ErrorCollector: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private var data = Data()
    func set(_ d: Data) {
        data = d
        done.signal()
    }
    func wait() -> Data {
        done.wait()
        return data
    }
}
