import ArgumentParser
import DRSim
import DRSimStudy
import Foundation

/// The config file and the overrides every command that reads a config takes.
struct ConfigOptions: ParsableArguments {
    @Argument(
        help: "The scenario config (JSON); - reads it from standard input.", completion: .file(extensions: ["json"]))
    var config: String

    @Option(
        name: .customLong("set"),
        help: ArgumentHelp(
            "Overrides a config value by its path; VALUE is JSON (repeatable).",
            valueName: "PATH=VALUE"))
    var sets: [String] = []

    @Option(parsing: .unconditional, help: "Replications to run, from 1 to 10000000 (overrides the config).")
    var replications: Int?

    @Option(
        parsing: .unconditional, help: "Random seed, a whole number from 0 to 9007199254740991 (overrides the config).")
    var seed: UInt64?

    @Flag(
        help: ArgumentHelp(
            "Also simulates a year of operation per replication: the noise and the outages of the config's "
                + "\"noise\" section (default: drsim's placeholders); as adding \"year\": {}."))
    var year = false

    func validate() throws {
        try validateSets(sets)
        try validateReplications(replications, seed: seed)
    }

    /// The config file, its `sweep` section set apart; on an unreadable file exits 65.
    func file() throws -> ConfigFile { try readConfigFile(config) }

    /// The overrides of `--set`, then `--replications` and `--seed`, then `--year` (for `file`), then
    /// `extra` (a sweep point's).
    func overrides(_ file: ConfigFile, _ extra: [Override] = []) throws -> [Override] {
        try parseOverrides(sets, replications: replications, seed: seed) + file.yearOverride(year) + extra
    }

    /// Reads, overrides and decodes the config; on bad input prints every problem and exits 65.
    func load() throws -> Config.Loaded {
        let file = try file()
        return try loadConfig(file, overrides: overrides(file), label: config)
    }
}

/// `--replications` and `--seed` in the ranges a config allows, named as the options they are.
func validateReplications(_ replications: Int?, seed: UInt64?) throws {
    if let r = replications, !Config.replicationRange.contains(r) {
        throw ValidationError(
            "--replications \(r): give a whole number from \(Config.replicationRange.lowerBound) to "
                + "\(Config.replicationRange.upperBound)"
        )
    }
    // Seeds are JSON numbers in run.json, exact only below 2^53.
    if let s = seed, s >= 1 << 53 {
        throw ValidationError(
            "--seed \(s): seeds go up to 2^53 − 1 = 9007199254740991 "
                + "(run.json stores them as JSON numbers, exact only that far); give a smaller seed")
    }
}

func validateSets(_ sets: [String], option: String = "--set") throws {
    for s in sets {
        do { _ = try Override(parsing: s) } catch {
            throw ValidationError(
                option == "--set" ? error.message : error.message.replacingOccurrences(of: "--set ", with: option + " ")
            )
        }
    }
}

func parseOverrides(_ sets: [String], replications: Int?, seed: UInt64?) throws -> [Override] {
    try validateReplications(replications, seed: seed)
    do {
        var overrides = try sets.map { s throws(ConfigIssue) in try Override(parsing: s) }
        if let r = replications { overrides.append(try Override(parsing: "replications=\(r)")) }
        if let s = seed { overrides.append(try Override(parsing: "seed=\(s)")) }
        return overrides
    } catch {
        throw ValidationError(error.message)
    }
}

/// Reads a config file, or standard input for "-" (`ConfigFile.read`); on failure prints why in words
/// and exits 65.
func readConfigFile(_ path: String) throws -> ConfigFile {
    do {
        return try ConfigFile.read(path)
    } catch {
        printError("drsim: cannot read config file \(path): \(error.why)")
        throw ExitStatus.badInput.code
    }
}

/// Decodes `file` with `overrides`; on bad input prints every problem (`label` says whose) and exits 65.
func loadConfig(_ file: ConfigFile, overrides: [Override], label: String) throws -> Config.Loaded {
    do {
        return try file.load(overrides)
    } catch {
        throw reportBadConfig(error, label: label)
    }
}

/// Prints every problem of a bad config (`label` says whose); returns the exit status to throw (65).
func reportBadConfig(_ error: ConfigError, label: String) -> ExitCode {
    printError("drsim: \(label) has \(error.issues.count) problem\(error.issues.count == 1 ? "" : "s"):")
    for i in error.issues { printError("error: \(i)") }
    return ExitStatus.badInput.code
}

extension ConfigOptions {
    /// The sweep's grid (`SweepGrid.load`); exits 65 on a bad `sweep` section, 64 on a bad grid.
    func grid(_ file: ConfigFile, vary: [String], maxPoints: Int?) throws -> SweepGrid {
        do {
            return try SweepGrid.load(file, vary: vary, maxPoints: maxPoints)
        } catch let error as ConfigError {
            throw reportBadConfig(error, label: config)
        } catch let error as UsageError {
            // Found after the config was read, so outside ArgumentParser's validation: the same words and status.
            throw usageFailure(error.message)
        }
    }

    /// Every point's config, decoded before anything runs (`SweepPoints`), with the overrides of the
    /// command line; `warn` sees its warnings. A value the config refuses is named with its point, and
    /// then the command exits 65.
    func points(_ file: ConfigFile, _ grid: SweepGrid, warn: (ConfigIssue) -> Void) throws -> [Config] {
        let points = SweepPoints(file, grid, common: try overrides(file))
        points.warnings.forEach(warn)
        if let (k, issue) = points.failure {
            printError("drsim: point \(k) of the sweep: \(issue)")
            throw ExitStatus.badInput.code
        }
        if !points.issues.isEmpty {
            let n = points.issues.count
            printError("drsim: the sweep of \(config) has \(n) problem\(n == 1 ? "" : "s"); nothing was run:")
            for i in points.issues { printError("error: \(i)") }
            throw ExitStatus.badInput.code
        }
        return points.configs
    }
}
