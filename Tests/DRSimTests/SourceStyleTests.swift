import Foundation
import Testing

/// The code style that `.swift-format` at the repository's root documents, checked where it can be without
/// running swift-format over the tree: no line of a Swift file under Sources/ or Tests/ is longer than its
/// `lineLength`.
@Suite struct SourceStyleTests {
    /// `.swift-format`, parsed as JSON.
    static func configuration() throws -> [String: Any] {
        let data = try Data(contentsOf: repositoryRoot.appendingPathComponent(".swift-format"))
        return try #require(
            try JSONSerialization.jsonObject(with: data) as? [String: Any], ".swift-format is not a JSON object")
    }

    /// Every Swift file under `folder` (relative to the repository's root), as paths relative to the root, sorted.
    static func swiftFiles(under folder: String) throws -> [String] {
        let base = repositoryRoot.appendingPathComponent(folder)
        let files = try #require(
            FileManager.default.enumerator(at: base, includingPropertiesForKeys: nil, options: [.skipsHiddenFiles]),
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
        #expect(config["lineLength"] as? Int == 120)
    }

    @Test func noLineOfASwiftFileIsLongerThanTheConfiguredLineLength() throws {
        let limit = try #require(try Self.configuration()["lineLength"] as? Int, ".swift-format has no lineLength")
        let files = try Self.swiftFiles(under: "Sources") + Self.swiftFiles(under: "Tests")
        #expect(
            files.contains("Tests/DRSimTests/SourceStyleTests.swift"),
            "the files were not found under \(repositoryRoot.path)")
        var long: [String] = []
        for file in files {
            let text = try String(contentsOf: repositoryRoot.appendingPathComponent(file), encoding: .utf8)
            for (i, line) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated()
            where line.count > limit {
                long.append("\(file):\(i + 1): \(line.count) characters")
            }
        }
        #expect(
            long.isEmpty,
            "lines longer than \(limit) characters (.swift-format's lineLength):\n\(long.joined(separator: "\n"))")
    }
}

/// The shape rules of CONTRIBUTING.md for Sources/: no function over 60 lines, none with more than 6 parameters (an
/// initialiser that only assigns its parameters to their properties aside), no type with more than 20 stored
/// properties.
@Suite struct CodeShapeTests {
    static let maxLines = 60, maxParameters = 6, maxStoredProperties = 20

    static func shapes() throws -> [CodeShape] {
        try SourceStyleTests.swiftFiles(under: "Sources").map { file in
            CodeShape(
                file: file, text: try String(contentsOf: repositoryRoot.appendingPathComponent(file), encoding: .utf8))
        }
    }

    /// The reader on a sample whose shape is known: braces in strings and comments, a memberwise initialiser, computed,
    /// static and observed properties, and a protocol requirement without a body.
    @Test func theReaderMeasuresAKnownSample() {
        let sample = #"""
            struct Point {
                var x, y: Double
                let label: String = "{ not a brace"  // nor this {
                static var origin = Point(x: 0, y: 0)
                var length: Double { (x * x + y * y).squareRoot() }
                var seen = 0 { didSet { print("\(seen) }") } }
                init(x: Double, y: Double, a: Int, b: Int, c: Int, d: Int, e: Int) {
                    self.x = x
                    self.y = y
                }
                func moved(by dx: Double, _ dy: Double) -> Point {
                    /* { */
                    Point(x: x + dx, y: y + dy)
                }
            }
            protocol Shape { func area() -> Double }
            """#
        let shape = CodeShape(file: "sample.swift", text: sample)
        #expect(shape.types.map(\.name) == ["Point"] && shape.types.first?.storedProperties == 4)
        // A requirement without a body is not measured.
        #expect(shape.functions.map(\.name) == ["init", "moved"])
        #expect(shape.functions.map(\.parameters) == [7, 2])
        #expect(shape.functions.map(\.lines) == [4, 4])
        #expect(shape.functions.first?.memberwise == false, "assigns two of seven parameters: not memberwise")
    }

    @Test func sourcesKeepTheShapeRules() throws {
        let shapes = try Self.shapes()
        let functions = shapes.flatMap(\.functions)
        let types = shapes.flatMap(\.types)
        #expect(functions.count > 500 && types.count > 100, "too few declarations found: the reader is broken")
        let long = functions.filter { $0.lines > Self.maxLines }.map { "\($0): \($0.lines) lines" }
        let wide = functions.filter { $0.parameters > Self.maxParameters && !$0.memberwise }.map {
            "\($0): \($0.parameters) parameters"
        }
        let big = types.filter { $0.storedProperties > Self.maxStoredProperties }.map {
            "\($0): \($0.storedProperties) stored properties"
        }
        #expect(long.isEmpty, "functions over \(Self.maxLines) lines:\n\(long.joined(separator: "\n"))")
        #expect(
            wide.isEmpty, "functions with more than \(Self.maxParameters) parameters:\n\(wide.joined(separator: "\n"))")
        #expect(
            big.isEmpty,
            "types with more than \(Self.maxStoredProperties) stored properties:\n\(big.joined(separator: "\n"))")
    }
}
