import ArgumentParser
import DRSim
import DRSimBench
import Foundation

struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measures drsim on this machine: kernel throughput, replications per second, parallel efficiency, "
            + "peak memory, a 3 × 3 sweep against nine runs, optionally a baseline build, and the SimPy twins side by side.",
        discussion: "Figures only, no pass or fail. --quick runs every part at a small size, to check that the benchmarks still work.")

    @Flag(help: "Small sizes: a smoke run of every part (seconds, not minutes).")
    var quick = false

    @Option(parsing: .unconditional, help: "Replications for the 1,000,000-replication peak-memory run (0 skips it).")
    var memoryReplications: Int?

    @Flag(help: "Skip the SimPy twins (they need simpy and numpy: the repository's .venv, DRSIM_PYTHON, or python3; see bench/requirements.txt).")
    var noSimpy = false

    @Option(help: "Folder with the bundled models.")
    var models = "models"

    @Option(help: ArgumentHelp("Another drsim executable (say, a previous release build) to time against this one: "
        + "both run the seed model on one thread, alternating, best of 3, and their result files are checked to be byte-identical.",
                               valueName: "path"))
    var baseline: String?

    func validate() throws {
        if let m = memoryReplications, !(0...Config.replicationRange.upperBound).contains(m) {
            throw ValidationError("--memory-replications \(m): give a whole number from 0 (skip the memory run) to \(Config.replicationRange.upperBound)")
        }
        if let baseline, !FileManager.default.isExecutableFile(atPath: baseline) {
            throw ValidationError("--baseline \(baseline): not an executable file")
        }
        // Found before the benchmark runs, not after: the baseline must answer --version as drsim does.
        if let baseline {
            let p = Process(), pipe = Pipe()
            p.executableURL = URL(fileURLWithPath: baseline)
            p.arguments = ["--version"]
            p.standardOutput = pipe
            p.standardError = FileHandle.nullDevice
            let version = (try? p.run()).flatMap { _ -> String? in
                let data = pipe.fileHandleForReading.readDataToEndOfFile()
                p.waitUntilExit()
                return p.terminationStatus == 0 ? String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) : nil
            }
            guard let version, version.split(separator: ".").count >= 2, version.split(separator: ".").allSatisfy({ Int($0) != nil }) else {
                throw ValidationError("--baseline \(baseline): not a drsim build (its --version does not print a version such as 0.2.0)")
            }
        }
        // bench reads the bundled models and the SimPy twins from the repository.
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: "\(models)/seed-active-passive.json", isDirectory: &isDir), !isDir.boolValue else {
            throw ValidationError("bench needs the bundled models: no \(models)/seed-active-passive.json here; "
                + "run it from the repository's root folder, or give --models DIR")
        }
        if !noSimpy && !FileManager.default.fileExists(atPath: "bench/simpy_twin.py") {
            throw ValidationError("bench needs bench/simpy_twin.py for the SimPy comparison; run it from the repository's root folder, or add --no-simpy")
        }
    }

    func run() throws {
        let cores = ProcessInfo.processInfo.activeProcessorCount
        print("drsim \(DRSimInfo.version) bench on \(cores) cores\(quick ? " (quick: small sizes, figures are rough)" : "")")

        // 1. Kernel: the hold model, one core.
        print("\nkernel hold model (one core; each delivered event schedules one more, exponential delay; best of \(tries))")
        var holdRates: [Int: Double] = [:]
        for p in [10, 1_000, 100_000] {
            let rate = try best { try Benchmarks.hold(pending: p, events: quick ? 200_000 : 5_000_000) }
            holdRates[p] = rate
            print(String(format: "  P = %7d pending: %6.2f million events/s", p, rate / 1e6))
        }

        // 2. Replications per second, one core, every bundled model.
        print("\nreplications per second, one core, best of \(tries)")
        let files = try FileManager.default.contentsOfDirectory(atPath: models).filter { $0.hasSuffix(".json") }.sorted()
        var seedConfig: Config?
        for f in files {
            let path = "\(models)/\(f)"
            let loaded = try Config.load(data: Data(contentsOf: URL(fileURLWithPath: path)),
                                         overrides: [try Override(parsing: "replications=\(quick ? 200 : 5000)")],
                                         defaultName: String(f.dropLast(5)))
            if f == "seed-active-passive.json" { seedConfig = loaded.config }
            let rate = try best { try Benchmarks.replications(loaded.config, threads: 1).perSecond }
            print("  " + f.padding(toLength: 38, withPad: " ", startingAt: 0) + String(format: "%8.0f replications/s", rate))
        }

        // 3. Parallel efficiency on the seed model, with a check that the bytes do not change.
        guard var seed = seedConfig else { throw ValidationError("\(models)/seed-active-passive.json is missing") }
        seed.replications = quick ? 1_000 : 20_000
        print("\nparallel efficiency, seed-active-passive, \(seed.replications) replications, best of \(tries) (1 and \(cores) threads interleaved)")
        var one = 0.0, all = 0.0, identical = true
        for _ in 0..<tries {
            let a = try Benchmarks.replications(seed, threads: 1)
            one = max(one, a.perSecond)
            if cores > 1 {
                let b = try Benchmarks.replications(seed, threads: cores)
                all = max(all, b.perSecond)
                identical = identical && a.files == b.files
            }
        }
        print(String(format: "  1 thread : %8.0f replications/s", one))
        if cores > 1 {
            print(String(format: "  %d threads: %8.0f replications/s, efficiency %.0f%%, output bytes %@", cores, all,
                         100 * all / one / Double(cores), identical ? "identical" : "DIFFERENT"))
        }

        // 4. Peak memory of a large run, in a child process, and of runs that stress the other terms of
        // the resource guard's estimate, each beside that estimate.
        let memReps = memoryReplications ?? (quick ? 20_000 : 1_000_000)
        if memReps > 0 {
            print("\npeak memory, seed-active-passive (child processes; estimate: what the resource guard expects from the config)")
            let cores = ProcessInfo.processInfo.activeProcessorCount
            let cases: [(String, [String], Int)] = [
                ("\(memReps) replications, all cores", ["--replications", "\(memReps)"], cores),
                ("1,000 replications, one worker", ["--replications", "1000", "--threads", "1"], 1),
                ("100 replications, 20,000 timeline rows, all cores", ["--replications", "100", "--set", "timeline_step_s=0.18"], cores),
                ("\(quick ? 10 : 100) replications, 100,000 "
                    + "resolvers, all cores", ["--replications", quick ? "10" : "100", "--set", "clients.resolvers=100000"], cores),
            ]
            let file = try readConfigFile("\(models)/seed-active-passive.json")
            for (label, args, workers) in cases {
                let out = BenchScratch.make("drsim-bench-\(getpid())").path
                defer { BenchScratch.remove(URL(fileURLWithPath: out)) }
                let (seconds, maxRSS) = try measureChild(["run", "\(models)/seed-active-passive.json"] + args + ["--out", out, "--quiet"])
                let sets = stride(from: 0, to: args.count, by: 2).filter { args[$0] == "--set" }.map { args[$0 + 1] }
                let reps = Int(args[args.firstIndex(of: "--replications")! + 1])!
                let config = try loadConfig(file, overrides: try parseOverrides(sets, replications: reps, seed: nil), label: "bench").config
                let estimate = ResourceEstimate([config], replications: reps, workers: workers).bytes
                print(String(format: "  %@: %.1f s, peak resident memory %.0f MB, estimate %.0f MB", label, seconds, Double(maxRSS) / 1e6, estimate / 1e6))
            }
        }

        // 5. A sweep against the same points run one by one.
        try sweepAgainstRuns()

        // 6. Against a baseline build: speed-up and identical bytes.
        if let baseline {
            try compare(baseline: baseline)
        }

        // 7. The SimPy twins, side by side.
        if !noSimpy {
            try SimPyComparison(models: models, quick: quick, drsimHold: holdRates).run()
        }
    }

    var tries: Int { quick ? 1 : 3 }

    /// The highest of `tries` measurements: the least disturbed by whatever else the machine runs.
    func best(_ measure: () throws -> Double) rethrows -> Double {
        var top = 0.0
        for _ in 0..<tries { top = max(top, try measure()) }
        return top
    }

    /// Times `baseline run <seed model> --threads 1 --replications N --quiet` against the same command
    /// with this binary, alternating them, best of 3, and compares the result files they write.
    func compare(baseline path: String) throws {
        let other = URL(fileURLWithPath: path).standardizedFileURL
        let this = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        let n = quick ? 1_000 : 10_000
        let runs = 3
        let tmp = BenchScratch.make("drsim-baseline-\(getpid())")
        let outs = [tmp.appendingPathComponent("baseline"), tmp.appendingPathComponent("this")]
        defer { BenchScratch.remove(tmp) }
        print("\nagainst a baseline build, seed-active-passive, \(n) replications, one thread, best of \(runs), alternating (whole process: start, run, files)")
        var best = [0.0, 0.0]
        for round in 0..<runs {
            // Alternate which goes first, so that neither always runs on a cooler (or warmer) machine.
            for i in round % 2 == 0 ? [0, 1] : [1, 0] {
                let exe = i == 0 ? other : this
                // Each round starts from no folder: drsim replaces results only with --force, which an
                // older baseline build may not know.
                try? FileManager.default.removeItem(at: outs[i])
                let seconds = try timeChild(exe, ["run", "\(models)/seed-active-passive.json", "--threads", "1", "--replications", "\(n)",
                                                  "--quiet", "--out", outs[i].path])
                best[i] = max(best[i], Double(n) / seconds)
            }
        }
        print(String(format: "  baseline   %8.0f replications/s  ", best[0]) + other.path)
        print(String(format: "  this drsim %8.0f replications/s  ", best[1]) + this.path)
        print(String(format: "  speed-up %.2f×", best[1] / best[0]))
        for file in ["replications.csv", "summary.csv", "timeline.csv"] {
            let a = FileManager.default.contents(atPath: outs[0].appendingPathComponent(file).path)
            let b = FileManager.default.contents(atPath: outs[1].appendingPathComponent(file).path)
            print("  \(file): \(a != nil && a == b ? "identical" : "DIFFERENT")")
        }
    }

    /// A 3 × 3 TTL × threshold sweep of the seed model against the nine points run as separate `drsim
    /// run`s, each as a child process of this binary on all cores, alternating, best of `tries`; the
    /// point folders are checked to be byte-identical to the separate runs'.
    func sweepAgainstRuns() throws {
        let this = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        let n = quick ? 100 : 10_000
        let ttls = ["30", "60", "300"], thresholds = ["1", "2", "3"]
        let tmp = BenchScratch.make("drsim-bench-sweep-\(getpid())")
        defer { BenchScratch.remove(tmp) }
        let model = "\(models)/seed-active-passive.json"
        print("\nsweep, seed-active-passive, dns.ttl_s \(ttls.joined(separator: ",")) × health_checks[0].failure_threshold "
            + "\(thresholds.joined(separator: ",")), \(n) replications per point, all cores, best of \(tries) (whole processes: start, runs, files)")
        // What the points share in each incident (docs/model.md, "Sweeps share work").
        let file = try readConfigFile(model)
        let configs = try ttls.flatMap { t in
            try thresholds.map { h in
                try loadConfig(file, overrides: try parseOverrides(["dns.ttl_s=\(t)", "health_checks[0].failure_threshold=\(h)"], replications: n, seed: nil),
                               label: "bench").config
            }
        }
        let sharing = WorkSharing(configs)
        func times(_ g: [Int]) -> String { Set(g).count == 1 ? "once" : "\(Set(g).count) times" }
        print("  per incident, the 9 points run the failover simulation \(times(sharing.failover)), draw which resolvers floor or extend "
            + "the TTL \(times(sharing.resolverClasses)) and the resolvers' numbers at each answer change \(times(sharing.resolverDraws))")
        var sweepBest = Double.infinity, runsBest = Double.infinity, sweepPeak = 0
        for round in 0..<tries {
            for part in round % 2 == 0 ? [0, 1] : [1, 0] {
                // Each part starts from no folder of its own (drsim replaces results only with --force).
                if part == 0 {
                    try? FileManager.default.removeItem(at: tmp.appendingPathComponent("sweep"))
                    let (seconds, peak) = try measureChild(["sweep", model, "--replications", "\(n)", "--quiet",
                                                            "--vary", "dns.ttl_s=\(ttls.joined(separator: ","))",
                                                            "--vary", "health_checks[0].failure_threshold=\(thresholds.joined(separator: ","))",
                                                            "--out", tmp.appendingPathComponent("sweep").path])
                    sweepBest = min(sweepBest, seconds)
                    sweepPeak = max(sweepPeak, peak)
                } else {
                    var total = 0.0
                    for (i, (t, h)) in ttls.flatMap({ t in thresholds.map { (t, $0) } }).enumerated() {
                        try? FileManager.default.removeItem(at: tmp.appendingPathComponent("run-\(i + 1)"))
                        total += try timeChild(this, ["run", model, "--replications", "\(n)", "--quiet", "--set", "dns.ttl_s=\(t)",
                                                      "--set", "health_checks[0].failure_threshold=\(h)",
                                                      "--out", tmp.appendingPathComponent("run-\(i + 1)").path])
                    }
                    runsBest = min(runsBest, total)
                }
            }
        }
        var identical = true
        for i in 1...9 {
            for file in ResultFiles.names {
                let a = FileManager.default.contents(atPath: tmp.appendingPathComponent("sweep/point-\(i)/\(file)").path)
                let b = FileManager.default.contents(atPath: tmp.appendingPathComponent("run-\(i)/\(file)").path)
                identical = identical && a != nil && a == b
            }
        }
        print(String(format: "  drsim sweep (9 points)  %7.2f s  (%.0f replications/s)", sweepBest, 9 * Double(n) / sweepBest))
        print(String(format: "  9 separate drsim runs   %7.2f s  (%.0f replications/s)", runsBest, 9 * Double(n) / runsBest))
        print(String(format: "  the sweep takes %.2f× the separate runs' time; point files %@", sweepBest / runsBest,
                     identical ? "identical to the separate runs'" : "DIFFERENT from the separate runs'"))
        let cores = ProcessInfo.processInfo.activeProcessorCount
        print(String(format: "  the sweep's peak resident memory %.0f MB, estimate %.0f MB", Double(sweepPeak) / 1e6,
                     ResourceEstimate(configs, replications: n, workers: cores).bytes / 1e6))
    }

    /// Runs `executable` with `args`, its output discarded; returns its wall-clock time [s].
    func timeChild(_ executable: URL, _ args: [String]) throws -> Double {
        let p = Process()
        p.executableURL = executable
        p.arguments = args
        p.standardOutput = FileHandle.nullDevice
        let start = Date()
        try BenchScratch.run(p)
        let seconds = Date().timeIntervalSince(start)
        guard p.terminationStatus == 0 else {
            throw ValidationError("\(executable.path) \(args.joined(separator: " ")) failed with status \(p.terminationStatus)")
        }
        return seconds
    }

    /// Runs this binary with `args`; returns its wall-clock time and peak resident set size [bytes].
    /// Runs drsim with `args` in a child process (stdout discarded); returns its seconds and its peak
    /// resident memory in bytes. The peak is the child's own high-water mark (VmHWM in /proc/PID/status),
    /// read every 5 ms while it runs: rusage's ru_maxrss would be at least this process's own, which a
    /// spawned child inherits until it execs.
    func measureChild(_ args: [String]) throws -> (Double, Int) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        p.arguments = args
        p.standardOutput = FileHandle.nullDevice
        let start = Date()
        var peak = 0
        try BenchScratch.run(p, poll: {
            let status = "/proc/\(p.processIdentifier)/status"
            if let text = try? String(contentsOfFile: status, encoding: .utf8),
               let line = text.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
               let kB = Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "") {
                peak = max(peak, kB * 1024)
            }
            usleep(5000)
        })
        guard p.terminationStatus == 0 else { throw ValidationError("the child run failed with status \(p.terminationStatus)") }
        return (Date().timeIntervalSince(start), peak)
    }
}

/// The temporary folders `bench` works in, removed when it ends and also when it is interrupted
/// (Ctrl-C, SIGTERM: the handler exits without running `defer`s), and the drsim children writing
/// into them, which an interruption stops first (`timeout -s INT` signals the parent alone).
enum BenchScratch {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var paths: Set<String> = []
    nonisolated(unsafe) private static var children: Set<Int32> = []
    nonisolated(unsafe) private static var stopping = false

    /// Runs `p` as a child that an interruption stops, and waits for it, calling `poll` repeatedly
    /// meanwhile if given.
    static func run(_ p: Process, poll: (() -> Void)? = nil) throws {
        // Started and registered under the lock, so that an interruption either stops it or it never starts
        // (the handler is exiting meanwhile).
        let started = try lock.withLock { () throws -> Bool in
            guard !stopping else { return false }
            try p.run()
            children.insert(p.processIdentifier)
            return true
        }
        if !started { while true { sleep(60) } }
        let pid = p.processIdentifier
        defer { lock.withLock { _ = children.remove(pid) } }
        if let poll { while p.isRunning { poll() } }
        p.waitUntilExit()
    }

    /// A folder named `name` in the system's temporary folder, registered for removal (not created).
    static func make(_ name: String) -> URL {
        let url = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent(name)
        lock.withLock { _ = paths.insert(url.path) }
        return url
    }

    /// Removes the folder and forgets it.
    static func remove(_ url: URL) {
        lock.withLock { _ = paths.remove(url.path) }
        try? FileManager.default.removeItem(at: url)
    }

    /// Stops the running children and removes every registered folder (the interrupt handler, before
    /// it exits). A child interrupted removes its own temporary files; one that had just written its
    /// results has them removed with the folder, after a second's grace.
    static func removeAll() {
        let running = lock.withLock { stopping = true; return children }
        for pid in running { kill(pid, SIGINT) }
        if !running.isEmpty { sleep(1) }
        lock.withLock {
            for p in paths { try? FileManager.default.removeItem(atPath: p) }
            paths.removeAll()
        }
    }
}
