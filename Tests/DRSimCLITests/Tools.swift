import DRSimTestSupport
import Foundation
import Testing

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// External tools some tests need (headless chromium, a Python with Jupyter's packages). Locally a test
/// that lacks one is skipped with a message saying how to install it; in CI (`.ci/run` sets
/// DRSIM_REQUIRE_TOOLS=1) a missing tool is a failure, so the check can never be skipped silently there.
enum Tools {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static var required: Bool { ProcessInfo.processInfo.environment["DRSIM_REQUIRE_TOOLS"] == "1" }

    static func which(_ name: String) -> String? {
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
            let p = "\(dir)/\(name)"
            if FileManager.default.isExecutableFile(atPath: p) { return p }
        }
        return nil
    }

    static let chromium: String? =
        ProcessInfo.processInfo.environment["DRSIM_CHROMIUM"] ?? which("chromium") ?? which("chromium-browser")

    /// The Python that has nbformat, nbclient, ipykernel, pandas and matplotlib (notebooks-export/requirements.txt).
    static let python: String? = pythonWith(["nbformat", "nbclient", "ipykernel", "pandas", "matplotlib"])

    /// DRSIM_PYTHON, else the repository's `.venv` (which `.ci/run` creates), if it imports every module.
    static func pythonWith(_ modules: [String]) -> String? {
        if let p = ProcessInfo.processInfo.environment["DRSIM_PYTHON"] { return p }
        let venv = root.appendingPathComponent(".venv/bin/python").path
        guard FileManager.default.isExecutableFile(atPath: venv) else { return nil }
        let check = Process()
        check.executableURL = URL(fileURLWithPath: venv)
        check.arguments = ["-c", "import " + modules.joined(separator: ", ")]
        check.standardOutput = FileHandle.nullDevice
        check.standardError = FileHandle.nullDevice
        guard (try? check.run()) != nil else { return nil }
        // Evaluated once, while the test plan is built: no test is waiting on the pool yet.
        check.waitUntilExit()
        return check.terminationStatus == 0 ? venv : nil
    }

    /// Skips locally, fails in CI.
    static func absent(_ tool: String?, _ install: String) -> Bool { tool == nil && !required }

    struct Outcome {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Runs a program to its end and returns its exit status, stdout and stderr. Both outputs go to files, so that a
    /// chatty child never blocks on a full pipe, and the end is awaited, not waited for: see `Process.start()`.
    static func run(
        _ executable: String, _ args: [String], cwd: URL? = nil, environment: [String: String]? = nil,
        input: Data? = nil
    ) async throws -> Outcome {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: executable)
        p.arguments = args
        if let cwd { p.currentDirectoryURL = cwd }
        if let environment { p.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 } }
        let outFile = try scratchFile("stdout")
        let errFile = try scratchFile("stderr")
        defer {
            try? FileManager.default.removeItem(at: outFile)
            try? FileManager.default.removeItem(at: errFile)
        }
        p.standardOutput = try FileHandle(forWritingTo: outFile)
        p.standardError = try FileHandle(forWritingTo: errFile)
        let stdin = input.map { _ in Pipe() }
        if let stdin { p.standardInput = stdin }
        let exit = try p.start()
        if let stdin, let input {
            stdin.fileHandleForWriting.write(input)
            try stdin.fileHandleForWriting.close()
        }
        let status = await exit.status
        let o = (try? Data(contentsOf: outFile)) ?? Data()
        let e = (try? Data(contentsOf: errFile)) ?? Data()
        return Outcome(
            status: status, stdout: String(decoding: o, as: UTF8.self), stderr: String(decoding: e, as: UTF8.self))
    }

    /// An empty file in the temporary folder, for a child's output.
    static func scratchFile(_ kind: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("drsim-\(kind)-\(UUID().uuidString)")
        guard FileManager.default.createFile(atPath: url.path, contents: nil) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: url.path])
        }
        return url
    }
}

/// An XML document (an SVG or the report page) parsed by Foundation's XMLParser.
struct XMLTree {
    struct Element {
        var name: String
        var attributes: [String: String]
        var text: String
    }
    var elements: [Element] = []

    init?(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let delegate = Collector()
        let parser = XMLParser(data: Data(text.utf8))
        parser.delegate = delegate
        guard parser.parse() else {
            Issue.record(
                "not well-formed XML: \(parser.parserError.map { "\($0)" } ?? "?") at line \(parser.lineNumber)",
                sourceLocation: sourceLocation)
            return nil
        }
        elements = delegate.done
    }

    func all(_ name: String, role: String? = nil) -> [Element] {
        elements.filter { $0.name == name && (role == nil || $0.attributes["data-role"] == role) }
    }

    private final class Collector: NSObject, XMLParserDelegate {
        var stack: [Element] = []
        var done: [Element] = []
        func parser(
            _ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
            attributes: [String: String] = [:]
        ) {
            stack.append(Element(name: name, attributes: attributes, text: ""))
        }
        func parser(_ parser: XMLParser, foundCharacters string: String) {
            if !stack.isEmpty { stack[stack.count - 1].text += string }
        }
        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            let e = stack.removeLast()
            done.append(e)
            if !stack.isEmpty { stack[stack.count - 1].text += e.text }
        }
    }
}
