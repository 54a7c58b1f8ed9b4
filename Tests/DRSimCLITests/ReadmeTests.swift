import DRSimTestSupport
import Foundation
import Testing

/// The README's commands run as written. Every line of its fenced code blocks that starts with `drsim `,
/// `$ drsim ` (a prompt before a sample output) or `swift run -c release drsim ` (this build's binary stands
/// in for the `swift run` build) runs through bash with this build's drsim first on the PATH, in a fresh
/// temporary copy of `models/` and `examples/`, so that nothing is written into the checkout. A command
/// must exit 0, or N where its line ends with the comment `# exit status N`.
@Suite(.serialized) struct ReadmeTests {
    /// One drsim command of a Markdown text.
    struct Command: CustomTestStringConvertible, Sendable, Equatable {
        /// The command as bash runs it: continued lines joined, the prompt or `swift run` prefix replaced
        /// by `drsim`.
        var shell: String
        /// The exit status the text gives the command: 0 unless its line ends with `# exit status N`.
        var status: Int32
        var testDescription: String { shell }
    }

    static let readme = Tools.root.appendingPathComponent("README.md")

    /// The README's commands, each once (a command shown twice runs once).
    static let readmeCommands: [Command] = {
        guard let text = try? String(contentsOf: readme, encoding: .utf8) else { return [] }
        return commands(in: text).reduce(into: []) { seen, c in if !seen.contains(c) { seen.append(c) } }
    }()

    /// The ways a README line can start a drsim command, and what bash runs in their place.
    static let prefixes: [(prefix: String, replacement: String)] = [
        ("$ drsim ", "drsim "), ("drsim ", "drsim "), ("swift run -c release drsim ", "drsim "),
    ]

    /// The drsim commands in the fenced code blocks of `markdown`, in order.
    static func commands(in markdown: String) -> [Command] {
        codeBlockLines(markdown).compactMap { line in
            guard let start = prefixes.first(where: { line.hasPrefix($0.prefix) }) else { return nil }
            return Command(shell: start.replacement + line.dropFirst(start.prefix.count), status: statusGiven(line))
        }
    }

    /// The lines inside fenced code blocks, trimmed, with a line that ends in a backslash joined to the next.
    static func codeBlockLines(_ markdown: String) -> [String] {
        var lines: [String] = []
        var inBlock = false
        var continued = ""
        for raw in markdown.components(separatedBy: "\n") {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("```") {
                inBlock.toggle()
                continued = ""
            } else if inBlock && line.hasSuffix("\\") {
                continued += line.dropLast().trimmingCharacters(in: .whitespaces) + " "
            } else if inBlock {
                lines.append(continued + line)
                continued = ""
            }
        }
        return lines
    }

    /// The N of a trailing `# exit status N` comment, else 0; -1 (never an exit status) when N is not a number.
    static func statusGiven(_ line: String) -> Int32 {
        guard let comment = line.range(of: "# exit status ", options: .backwards) else { return 0 }
        return Int32(line[comment.upperBound...].trimmingCharacters(in: .whitespaces)) ?? -1
    }

    @Test func theReadmeHasDrsimCommandsToRun() {
        #expect(!Self.readmeCommands.isEmpty, "no drsim command in the code blocks of \(Self.readme.path)")
        #expect(Self.readmeCommands.contains { $0.shell.hasPrefix("drsim run ") }, "\(Self.readmeCommands)")
    }

    @Test func commandsAreFoundInCodeBlocksOnly() {
        let text = """
            drsim run outside.json
            ```sh
            apt-get install -y libgsl-dev
            swift run -c release drsim run models/a.json
            ```

            ```
            $ drsim explain models/a.json --median rto_s
            drsim: output, not a command
            Incident 308 of a
            ```
            ```sh
            # a comment
            drsim check models/a.json --set 'x=5' \\
                --baseline b  # exit status 1
            ```
            """
        #expect(
            Self.commands(in: text) == [
                Command(shell: "drsim run models/a.json", status: 0),
                Command(shell: "drsim explain models/a.json --median rto_s", status: 0),
                Command(shell: "drsim check models/a.json --set 'x=5' --baseline b  # exit status 1", status: 1),
            ])
    }

    @Test(.slow, arguments: readmeCommands)
    func runsAsWritten(_ command: Command) async throws {
        let fm = FileManager.default
        let work = fm.temporaryDirectory.appendingPathComponent("drsim-readme-\(UUID().uuidString)")
        try fm.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? fm.removeItem(at: work) }
        for folder in ["models", "examples"] {
            try fm.copyItem(at: Tools.root.appendingPathComponent(folder), to: work.appendingPathComponent(folder))
        }
        let bin = CLITests.binary.deletingLastPathComponent().path
        let path = bin + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")
        let r = try await Tools.run("/bin/bash", ["-c", command.shell], cwd: work, environment: ["PATH": path])
        #expect(r.status == command.status, "exit status \(r.status), not \(command.status):\n\(r.stderr.suffix(2000))")
    }
}
