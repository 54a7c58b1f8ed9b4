import Foundation

/// Runs drsim's SimPy peer (`bench/simpy_twin.py`) and reads what it prints.
public struct SimPyTwin {
    public var script: URL
    public var python = "python3"

    public init(script: URL) { self.script = script }

    /// What the twin reports for a run of incidents.
    public struct Incidents: Decodable, Sendable {
        public var seconds: Double
        public var replications: Int
        public var rto_s: [Double]
        public var rpo_s: [Double]
        public var lost_writes: [Double]
        public var detection_s: [Double?]
    }

    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// The twin's incidents for the resolved config in a drsim `run.json`.
    public func incidents(resolved runJSON: URL, replications: Int, seed: Int) throws -> Incidents {
        try JSONDecoder().decode(Incidents.self, from: run(["incidents", "--resolved", runJSON.path,
                                                           "--replications", String(replications), "--seed", String(seed)]))
    }

    /// The twin's events per second on the hold model.
    public func hold(pending: Int, events: Int) throws -> Double {
        struct Hold: Decodable { var events_per_s: Double }
        return try JSONDecoder().decode(Hold.self, from: run(["hold", "--pending", String(pending), "--events", String(events)])).events_per_s
    }

    private func run(_ args: [String]) throws -> Data {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = [python, script.path] + args
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        do { try p.run() } catch { throw Failure(description: "cannot start \(python): \(error)") }
        let data = out.fileHandleForReading.readDataToEndOfFile()
        let errors = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        guard p.terminationStatus == 0 else {
            throw Failure(description: "\(script.lastPathComponent) failed (status \(p.terminationStatus)): "
                + errors.split(separator: "\n").suffix(3).joined(separator: " | ")
                + " (it needs python3 with the packages in bench/requirements.txt)")
        }
        return data
    }
}
