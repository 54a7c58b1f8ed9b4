import ArgumentParser
import DRSim
import DRSimFiles
import DRSimResults
import DRSimStudy
import Foundation

struct Compare: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract:
            "Runs two settings on the same incidents and reports, per metric, the distribution of the difference B − "
                + "A.",
        discussion: """
            drsim compare A.json B.json         compares two configs
            drsim compare CONFIG.json --vs-set dns.ttl_s=300
                                                compares a config (A) with itself changed (B)
            Both sides run the same seed and replication numbers, so incident i is the same incident on both sides \
            wherever the setting does not change what is drawn. Writes compare.csv, and each side's result files in a/ \
            and b/. Under the table: whether one side dominates the other on the objectives (--objective), or both \
            are on the Pareto front.
            """)

    @Argument(help: "A's config, and B's if it differs (JSON).", completion: .file(extensions: ["json"]))
    var configs: [String]

    @Option(
        name: .customLong("set"),
        help: ArgumentHelp(
            "Overrides a config value on both sides; VALUE is JSON (repeatable).",
            valueName: "PATH=VALUE"))
    var sets: [String] = []

    @Option(
        name: .customLong("vs-set"),
        help: ArgumentHelp(
            "Overrides a config value on side B only, after --set (repeatable).",
            valueName: "PATH=VALUE"))
    var vsSets: [String] = []

    @Option(parsing: .unconditional, help: "Replications on each side, from 1 to 10000000 (overrides the configs).")
    var replications: Int?

    @Option(
        parsing: .unconditional,
        help: "Random seed of both sides, a whole number from 0 to 9007199254740991 (overrides the configs).")
    var seed: UInt64?

    @OptionGroup var objectives: ObjectiveOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var precision: PrecisionOptions

    @Flag(help: "Also simulates a year of operation per replication on each side (as adding \"year\": {}).")
    var year = false

    @Flag(
        help: """
            Also write report.html into the output folder: the comparison's table and the distribution of each \
            incident's difference B − A; see `drsim report`.
            """)
    var report = false

    func validate() throws {
        guard (1...2).contains(configs.count) else {
            throw ValidationError(
                "compare takes one or two configs, found \(configs.count): "
                    + "drsim compare A.json B.json, or drsim compare CONFIG.json --vs-set PATH=VALUE")
        }
        if configs.count == 1 && vsSets.isEmpty {
            throw ValidationError(
                "with one config, B is A changed by --vs-set: add one, e.g. --vs-set dns.ttl_s=300 (or give a second "
                    + "config)"
            )
        }
        try validateSets(sets)
        try validateSets(vsSets, option: "--vs-set")
        try validateReplications(replications, seed: seed)
    }

    func run() throws {
        let pathA = configs[0]
        let pathB = configs.count == 2 ? configs[1] : configs[0]
        let sides = try load(pathA, pathB)
        let (a, b) = (sides.a.config, sides.b.config)
        output.warn(sides.a.warnings, "A: ")
        output.warn(sides.b.warnings, "B: ")
        output.noteThreads()
        if !output.quiet, let warning = sides.horizonWarning { printError("warning: \(warning)") }
        if !output.quiet, let note = sides.incidentsNote { printError("note: \(note)") }
        let dir = output.folder(default: sides.folderName)
        try output.checkResultFolder(dir)
        let started = Date()
        // With --precision, both sides grow together until the differences' intervals are narrow enough.
        let targets = precision.targets
        let (runs, outcome) = try precision.run(
            [a, b], fixed: a.replications, output: output, name: { $0 == 0 ? "side A" : "side B" }
        ) { grown in
            let paired = PairedComparison(a: grown[0], b: grown[1]).metrics
            return targets.map { PrecisionCheck($0, $0.estimate(paired), scope: "B − A") }
        }
        let comparison = PairedComparison(a: runs[0], b: runs[1], objectives: objectives.objectives)
        let elapsed = Date().timeIntervalSince(started)
        var batch = FileBatch()
        comparison.add(to: &batch, in: dir)
        let labelA = ([pathA] + sets.map { "--set \($0)" }).joined(separator: " ")
        let labelB = ([pathB] + sets.map { "--set \($0)" } + vsSets.map { "--vs-set \($0)" }).joined(separator: " ")
        try output.finish(
            batch, in: dir, text: comparison.text(a: labelA, b: labelB), json: comparison.json,
            precision: outcome?.report(cap: precision.cap))
        if report {
            let warnings = sides.a.warnings.map { "A: \($0)" } + sides.b.warnings.map { "B: \($0)" }
            try ReportWriter.afterRun(
                dir, options: .init(objectives: objectives.objectives), warnings: warnings, quiet: output.quiet)
        }
        if !output.quiet {
            printError(
                String(
                    format: "drsim: 2 × %d replications in %.2f s on %d thread%@; results in %@",
                    comparison.a.config.replications, elapsed, output.workers, output.workers == 1 ? "" : "s", dir.path)
            )
        }
    }

    /// The two sides (`ComparisonSides`); one file (or standard input) for both sides is read once. A
    /// bad config prints its problems, labelled with its side, and exits 65.
    func load(_ pathA: String, _ pathB: String) throws -> ComparisonSides {
        let fileA = try readConfigFile(pathA)
        let fileB = pathB == pathA ? fileA : try readConfigFile(pathB)
        let common = try parseOverrides(sets, replications: replications, seed: seed)
        let vs = try parseOverrides(vsSets, replications: nil, seed: nil)
        do {
            return try ComparisonSides(a: fileA, b: fileB, common: common, vs: vs, year: year)
        } catch let e as ComparisonSides.SideError {
            throw reportBadConfig(e.error, label: e.side == "A" ? "A (\(pathA))" : "B (\(pathB))")
        }
    }
}
