import ArgumentParser
import DRSim
import Foundation

/// Exit codes beyond ArgumentParser's own (64 for a bad command line).
enum Exit {
    static let badConfig = ExitCode(65)
    static let failure = ExitCode(1)
}

func printError(_ s: String) {
    FileHandle.standardError.write(Data((s.hasSuffix("\n") ? s : s + "\n").utf8))
}

/// The config file and the overrides every command that reads a config takes.
struct ConfigOptions: ParsableArguments {
    @Argument(help: "The scenario config (JSON).", completion: .file(extensions: ["json"]))
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
        let url = URL(fileURLWithPath: config)
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            printError("drsim: cannot read config file \(config): \((error as NSError).localizedDescription)")
            throw Exit.badConfig
        }
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
