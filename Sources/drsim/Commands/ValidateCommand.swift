import ArgumentParser
import DRSim
import DRSimStudy
import Foundation

struct Validate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract:
            "Checks a config (and its sweep section, every point of it); prints every error and warning; writes "
                + "nothing."
    )

    @OptionGroup var options: ConfigOptions

    func run() throws {
        let file = try options.file()
        // The file is read once: standard input cannot be read twice.
        let loaded = try loadConfig(file, overrides: try options.overrides(file), label: options.config)
        for w in loaded.warnings { printError("warning: \(w)") }
        var points = ""
        if file.sweep != nil {
            let grid = try options.grid(file, vary: [], maxPoints: nil)
            _ = try options.points(file, grid) { _ in }
            points = ", a sweep of \(grid.count) point\(grid.count == 1 ? "" : "s")"
        }
        try printOutput(
            "\(options.config): valid (\(loaded.config.name), \(loaded.warnings.count) "
                + "warning\(loaded.warnings.count == 1 ? "" : "s")\(points))\n"
        )
    }
}
