import Foundation
import Testing

/// The modules' layering, as their imports show it: the results' vocabulary needs nothing but
/// Foundation, the renderer reads result folders and never the model, and the analysis reads results
/// without the renderer. A build can find a module built beside a target that does not declare it, so
/// the imports are checked here as well as by Package.swift's dependencies.
@Suite struct ModuleGraphTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// The modules the Swift files under Sources/`target` import, with the files importing each.
    static func imports(of target: String) throws -> [String: [String]] {
        let base = root.appendingPathComponent("Sources/\(target)")
        let files = try #require(FileManager.default.enumerator(at: base, includingPropertiesForKeys: nil), "cannot list \(target)")
        var found: [String: [String]] = [:]
        for case let url as URL in files where url.pathExtension == "swift" {
            let text = try String(contentsOf: url, encoding: .utf8)
            for line in text.split(whereSeparator: \.isNewline) where line.hasPrefix("import ") {
                // `import DRSim`, `import struct DRSim.Config`: the module is the word after any kind.
                let words = line.split(separator: " ").dropFirst()
                let path = words.count == 2 ? words.last! : words.first!
                let module = String(path.split(separator: ".").first!)
                found[module, default: []].append(url.lastPathComponent)
            }
        }
        return found
    }

    @Test(arguments: [
        ("DRSimResults", ["Foundation"]),
        ("DRSimRender", ["DRSimResults", "Foundation"]),
        ("DRSimStudy", ["DRSim", "DRSimFiles", "DRSimResults", "Foundation"]),
        ("DRSim", ["CGSL", "Dispatch", "DRSimFiles", "DRSimKernel", "DRSimResults", "Foundation", "Synchronization"]),
    ])
    func aModuleImportsOnlyWhatItsLayerAllows(_ target: String, _ allowed: [String]) throws {
        let found = try Self.imports(of: target)
        #expect(!found.isEmpty, "no Swift files under Sources/\(target)")
        for (module, files) in found.sorted(by: { $0.key < $1.key }) where !allowed.contains(module) {
            Issue.record("\(target) imports \(module) in \(files.sorted().joined(separator: ", "))")
        }
    }
}
