import Foundation
import Testing

/// The code style that `.swift-format` at the repository's root documents, checked where it can be without
/// running swift-format over the tree: no line of a Swift file under Sources/ or Tests/ is longer than its `lineLength`.
@Suite struct SourceStyleTests {
    /// `.swift-format`, parsed as JSON.
    static func configuration() throws -> [String: Any] {
        let data = try Data(contentsOf: repositoryRoot.appendingPathComponent(".swift-format"))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any], ".swift-format is not a JSON object")
    }

    /// Every Swift file under `folder` (relative to the repository's root), as paths relative to the root, sorted.
    static func swiftFiles(under folder: String) throws -> [String] {
        let base = repositoryRoot.appendingPathComponent(folder)
        let files = try #require(FileManager.default.enumerator(at: base, includingPropertiesForKeys: nil, options: [.skipsHiddenFiles]),
                                 "cannot list \(folder)")
        return files.compactMap { ($0 as? URL)?.standardizedFileURL.path }
            .filter { $0.hasSuffix(".swift") }
            .map { String($0.dropFirst(repositoryRoot.standardizedFileURL.path.count + 1)) }
            .sorted()
    }

    @Test func theConfigurationIsSwiftFormatsVersionOneWithFourSpaceIndentation() throws {
        let config = try Self.configuration()
        #expect(config["version"] as? Int == 1)
        #expect((config["indentation"] as? [String: Any])?["spaces"] as? Int == 4)
        #expect(config["lineLength"] as? Int == 160)
    }

    @Test func noLineOfASwiftFileIsLongerThanTheConfiguredLineLength() throws {
        let limit = try #require(try Self.configuration()["lineLength"] as? Int, ".swift-format has no lineLength")
        let files = try Self.swiftFiles(under: "Sources") + Self.swiftFiles(under: "Tests")
        #expect(files.contains("Tests/DRSimTests/SourceStyleTests.swift"), "the files were not found under \(repositoryRoot.path)")
        var long: [String] = []
        for file in files {
            let text = try String(contentsOf: repositoryRoot.appendingPathComponent(file), encoding: .utf8)
            for (i, line) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() where line.count > limit {
                long.append("\(file):\(i + 1): \(line.count) characters")
            }
        }
        #expect(long.isEmpty, "lines longer than \(limit) characters (.swift-format's lineLength):\n\(long.joined(separator: "\n"))")
    }
}
