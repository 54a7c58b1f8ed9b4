import ArgumentParser
import DRSim
import DRSimStudy

/// `--vary` and `--max-points`: the grid of settings `sweep` and `advise` run (docs/config.md, "sweep").
struct GridOptions: ParsableArguments {
    @Option(
        name: .customLong("vary"),
        help: ArgumentHelp(
            "A config path and its values: "
                + "PATH=V1,V2,… (JSON values) or PATH=A..B:STEP (repeatable; several make a grid).",
            valueName: "PATH=VALUES"))
    var vary: [String] = []

    // Unconditional, so that `--max-points -1` is read as a (refused) number, not as a missing value.
    @Option(
        parsing: .unconditional,
        help: ArgumentHelp(
            "Refuse a grid of more points than this (default \(SweepGrid.defaultMaxPoints), "
                + "or the config's sweep.max_points).", valueName: "N"))
    var maxPoints: Int?

    func validate() throws {
        if let m = maxPoints, !SweepGrid.maxPointsRange.contains(m) {
            throw ValidationError(
                "--max-points must be from 1 to \(SweepGrid.maxPointsRange.upperBound), found \(m): "
                    + "it is the most points a grid may have (default \(SweepGrid.defaultMaxPoints))")
        }
        // --vary is read in grid(), against the limit the config's sweep.max_points may set: read here
        // with no limit, a range such as 0..1e8:1 would be expanded in full before anything refused it.
    }

    /// The grid of `file`: its `sweep` section, then `--vary` (`ConfigOptions.grid`).
    func grid(_ file: ConfigFile, _ options: ConfigOptions) throws -> SweepGrid {
        try options.grid(file, vary: vary, maxPoints: maxPoints)
    }
}
