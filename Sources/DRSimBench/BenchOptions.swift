import DRSim
import Foundation

/// What `drsim bench` is asked to measure. Its checks speak of the command line's options (`--models`,
/// `--baseline`, `--no-simpy`), since that is where these settings come from.
public struct BenchOptions: Sendable {
    /// Small sizes: every part runs, in seconds rather than minutes, so figures are rough.
    public var quick: Bool
    /// Replications of the large peak-memory run: nil for the default (1,000,000, or 20,000 when quick), 0 to skip
    /// the peak-memory part.
    public var memoryReplications: Int?
    /// The folder with the bundled models; the benchmarks read `seed-active-passive.json` and time every model.
    public var models: String
    /// Another drsim executable (say, a previous release build) to time against this one, if any.
    public var baseline: String?
    /// Whether to run the SimPy twins beside drsim (they need `bench/` in the current folder, and Python).
    public var simPy: Bool
    /// This drsim executable: the child processes the benchmarks time run it.
    public var executable: URL

    public init(
        quick: Bool, memoryReplications: Int?, models: String, baseline: String?, simPy: Bool,
        executable: URL
    ) {
        self.quick = quick
        self.memoryReplications = memoryReplications
        self.models = models
        self.baseline = baseline
        self.simPy = simPy
        self.executable = executable
    }

    /// Refuses, before anything is measured, settings the benchmarks cannot work with: a memory run
    /// outside the replication range, a baseline that is not a drsim build, no bundled models, or no
    /// SimPy twin to run.
    public func validate() throws(BenchError) {
        if let m = memoryReplications, !(0...Config.replicationRange.upperBound).contains(m) {
            throw .invalid(
                "--memory-replications \(m): give a whole number from 0 (skip the memory run) to "
                    + "\(Config.replicationRange.upperBound)")
        }
        if let baseline {
            guard FileManager.default.isExecutableFile(atPath: baseline) else {
                throw .invalid("--baseline \(baseline): not an executable file")
            }
            guard let version = Self.version(of: baseline), version.split(separator: ".").count >= 2,
                version.split(separator: ".").allSatisfy({ Int($0) != nil })
            else {
                throw .invalid(
                    "--baseline \(baseline): not a drsim build (its --version does not print a version such as 0.2.0)")
            }
        }
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: "\(models)/\(SeedModel.file)", isDirectory: &isDir),
            !isDir.boolValue
        else {
            throw .invalid(
                "bench needs the bundled models: no \(models)/\(SeedModel.file) here; "
                    + "run it from the repository's root folder, or give --models DIR")
        }
        if simPy && !FileManager.default.fileExists(atPath: "bench/simpy_twin.py") {
            throw .invalid(
                "bench needs bench/simpy_twin.py for the SimPy comparison; "
                    + "run it from the repository's root folder, or add --no-simpy")
        }
    }

    /// What `executable --version` prints, trimmed; nil if it cannot run or fails.
    static func version(of executable: String) -> String? {
        let p = Process()
        let pipe = Pipe()
        p.executableURL = URL(fileURLWithPath: executable)
        p.arguments = ["--version"]
        p.standardOutput = pipe
        p.standardError = FileHandle.nullDevice
        guard (try? p.run()) != nil else { return nil }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else { return nil }
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

/// Why `drsim bench` stopped.
public enum BenchError: Error, CustomStringConvertible {
    /// The benchmarks cannot run as asked: an option they cannot work with, a bundled model missing, or a
    /// drsim child process that failed.
    case invalid(String)
    /// The seed model with one benchmark's settings is not a valid config.
    case badConfig(ConfigError)

    public var description: String {
        switch self {
        case .invalid(let message): message
        case .badConfig(let error): error.description
        }
    }
}
