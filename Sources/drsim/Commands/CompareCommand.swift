import ArgumentParser
import DRSim
import DRSimFiles
import DRSimStudy
import Foundation

struct Compare: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Runs two settings on the same incidents and reports, per metric, the distribution of the difference B − A.",
        discussion: """
            drsim compare A.json B.json         compares two configs
            drsim compare CONFIG.json --vs-set dns.ttl_s=300
                                                compares a config (A) with itself changed (B)
            Both sides run the same seed and replication numbers, so incident i is the same incident on \
            both sides wherever the setting does not change what is drawn. Writes compare.csv, and each \
            side's result files in a/ and b/.
            """)

    @Argument(help: "A's config, and B's if it differs (JSON).", completion: .file(extensions: ["json"]))
    var configs: [String]

    @Option(name: .customLong("set"), help: ArgumentHelp("Overrides a config value on both sides; VALUE is JSON (repeatable).",
                                                         valueName: "PATH=VALUE"))
    var sets: [String] = []

    @Option(name: .customLong("vs-set"), help: ArgumentHelp("Overrides a config value on side B only, after --set (repeatable).",
                                                            valueName: "PATH=VALUE"))
    var vsSets: [String] = []

    @Option(parsing: .unconditional, help: "Replications on each side, from 1 to 10000000 (overrides the configs).")
    var replications: Int?

    @Option(parsing: .unconditional, help: "Random seed of both sides, a whole number from 0 to 9007199254740991 (overrides the configs).")
    var seed: UInt64?

    @OptionGroup var output: OutputOptions
    @OptionGroup var precision: PrecisionOptions

    @Flag(help: """
        Also write report.html into the output folder: the comparison's table and the distribution of each incident's difference B − A; \
        see `drsim report`.
        """)
    var report = false

    func validate() throws {
        guard (1...2).contains(configs.count) else {
            throw ValidationError("compare takes one or two configs, found \(configs.count): "
                + "drsim compare A.json B.json, or drsim compare CONFIG.json --vs-set PATH=VALUE")
        }
        if configs.count == 1 && vsSets.isEmpty {
            throw ValidationError("with one config, B is A changed by --vs-set: add one, e.g. --vs-set dns.ttl_s=300 (or give a second config)")
        }
        try validateSets(sets)
        try validateSets(vsSets, option: "--vs-set")
        try validateReplications(replications, seed: seed)
    }

    func run() throws {
        let pathA = configs[0], pathB = configs.count == 2 ? configs[1] : configs[0]
        // One file (or standard input) for both sides is read once.
        let fileA = try readConfigFile(pathA), fileB = pathB == pathA ? fileA : try readConfigFile(pathB)
        let common = try parseOverrides(sets, replications: replications, seed: seed)
        let loadedA = try loadConfig(fileA, overrides: common, label: "A (\(pathA))")
        let a = loadedA.config
        // B runs A's incidents: A's seed and replication count.
        let vs = try parseOverrides(vsSets, replications: nil, seed: nil)
        let own = try loadConfig(fileB, overrides: common + vs, label: "B (\(pathB))").config
        let same = try parseOverrides([], replications: a.replications, seed: a.seed)
        let loadedB = try loadConfig(fileB, overrides: common + vs + same, label: "B (\(pathB))")
        let b = loadedB.config
        output.warn(loadedA.warnings, "A: ")
        output.warn(loadedB.warnings, "B: ")
        output.noteThreads()
        if !output.quiet && a.horizon != b.horizon {
            printError("warning: A's horizon_s is \(formatNumber(a.horizon)) and B's \(formatNumber(b.horizon)): "
                + "the draws depend on the horizon, so the incidents are not paired draw for draw, and censored metrics "
                + "are cut at different times; give both sides one horizon_s (--set horizon_s=…) for a paired comparison")
        }
        if !output.quiet && (own.seed != a.seed || own.replications != a.replications) {
            printError("note: B runs A's seed \(a.seed) and \(a.replications) replications (its own: "
                + "seed \(own.seed), \(own.replications)), so that both sides run the same incidents")
        }
        let dir = output.folder(default: a.name == b.name ? "\(a.name)-compare" : "\(a.name)-vs-\(b.name)")
        try output.checkResultFolder(dir)
        let started = Date()
        // With --precision, both sides grow together until the differences' intervals are narrow enough.
        let targets = precision.targets
        let (sides, outcome) = try precision.run([a, b], fixed: a.replications, output: output, name: { $0 == 0 ? "side A" : "side B" }) { sides in
            let paired = PairedComparison(a: sides[0], b: sides[1]).metrics
            return targets.map { PrecisionCheck($0, $0.estimate(paired), scope: "B − A") }
        }
        let comparison = PairedComparison(a: sides[0], b: sides[1])
        let elapsed = Date().timeIntervalSince(started)
        var batch = FileBatch()
        comparison.add(to: &batch, in: dir)
        let labelA = ([pathA] + sets.map { "--set \($0)" }).joined(separator: " ")
        let labelB = ([pathB] + sets.map { "--set \($0)" } + vsSets.map { "--vs-set \($0)" }).joined(separator: " ")
        try output.finish(batch, in: dir, text: comparison.text(a: labelA, b: labelB), json: comparison.json,
                          precision: outcome, cap: precision.cap)
        if report {
            try ReportWriter.afterRun(dir, warnings: loadedA.warnings.map { "A: \($0)" } + loadedB.warnings.map { "B: \($0)" }, quiet: output.quiet)
        }
        if !output.quiet {
            printError(String(format: "drsim: 2 × %d replications in %.2f s on %d thread%@; results in %@",
                              comparison.a.config.replications, elapsed, output.workers, output.workers == 1 ? "" : "s", dir.path))
        }
    }
}
