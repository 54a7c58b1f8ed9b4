import ArgumentParser
import DRSim
import Foundation

struct Validate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Checks a config; prints every error and warning; writes nothing.")

    @OptionGroup var options: ConfigOptions

    func run() throws {
        let loaded = try options.load()
        for w in loaded.warnings { printError("warning: \(w)") }
        try printOutput("\(options.config): valid (\(loaded.config.name), \(loaded.warnings.count) warning\(loaded.warnings.count == 1 ? "" : "s"))\n")
    }
}
