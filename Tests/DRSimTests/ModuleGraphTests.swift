import Foundation
import Testing

/// The arrows between drsim's modules point one way (CONTRIBUTING.md, Layout): the command line over the studies, the
/// renderer and the benchmarks, those over the model and the results vocabulary, those over the kernel and the file
/// writer. Checked twice: on the dependencies Package.swift declares, and on the `import`s the sources make.
@Suite struct ModuleGraphTests {
    /// Each module of Sources/ with the modules it may depend on. Anything else (an edge up, sideways or skipping into
    /// the model from the renderer) is refused.
    static let allowed: [String: Set<String>] = [
        "DRSimKernel": ["HeapModule"],
        "DRSimFiles": ["CSystem"],
        "DRSimResults": [],
        "DRSim": ["CGSL", "DRSimKernel", "DRSimFiles", "DRSimResults"],
        "DRSimStudy": ["DRSim", "DRSimResults", "DRSimKernel", "DRSimFiles"],
        "DRSimRender": ["DRSimResults", "DRSimFiles"],
        "DRSimBench": ["DRSim", "DRSimResults", "DRSimKernel", "DRSimFiles"],
        "drsim": ["DRSimStudy", "DRSimRender", "DRSimBench", "DRSimFiles", "DRSim", "DRSimResults", "ArgumentParser"],
        "CGSL": [],
        "CSystem": [],
        // Under Tests/: the test lanes' traits, for the test targets only.
        "DRSimTestSupport": [],
    ]

    /// Modules every target may import: the toolchain's own.
    static let system: Set<String> = ["Foundation", "FoundationXML", "Glibc", "Dispatch", "Synchronization", "Darwin"]

    /// The dependencies Package.swift declares for each of Sources/'s targets.
    static func declared() throws -> [String: Set<String>] {
        let text = try String(contentsOf: repositoryRoot.appendingPathComponent("Package.swift"), encoding: .utf8)
        var graph: [String: Set<String>] = [:]
        let target =
            /\.(?:target|executableTarget|systemLibrary)\(\s*name:\s*"(\w+)"(?:,\s*dependencies:\s*\[([^\]]*)\])?/
        for match in text.matches(of: target) {
            let list = match.2.map(String.init) ?? ""
            let names = list.matches(of: /"(\w+)"/).map { String($0.1) }
            // A product's entry names the product first, then its package.
            let packages = Set(list.matches(of: /package:\s*"([\w-]+)"/).map { String($0.1) })
            graph[String(match.1)] = Set(names).subtracting(packages)
        }
        return graph
    }

    /// The modules imported by the Swift files of each folder of Sources/.
    static func imported() throws -> [String: Set<String>] {
        var graph: [String: Set<String>] = [:]
        for file in try SourceStyleTests.swiftFiles(under: "Sources") {
            let module = file.split(separator: "/")[1]
            let text = try String(contentsOf: repositoryRoot.appendingPathComponent(file), encoding: .utf8)
            let kinds = "(?:(?:struct|class|enum|func|protocol|typealias|var|let)\\s+)?"
            let importLine = try Regex("(?m)^(?:@\\w+\\s+)*(?:public\\s+|internal\\s+)?import\\s+" + kinds + "(\\w+)")
            for match in text.matches(of: importLine) {
                guard let name = match.output[1].substring else { continue }
                graph[String(module), default: []].insert(String(name))
            }
        }
        return graph
    }

    @Test func packageDeclaresOnlyDownwardDependencies() throws {
        let declared = try Self.declared()
        #expect(Set(declared.keys) == Set(Self.allowed.keys), "the targets of Package.swift and of this test differ")
        for (module, deps) in declared {
            let wrong = deps.subtracting(Self.allowed[module] ?? [])
            #expect(wrong.isEmpty, "\(module) depends on \(wrong.sorted()) (Package.swift)")
        }
    }

    @Test func sourcesImportOnlyWhatTheirModuleMay() throws {
        let declared = try Self.declared()
        let imported = try Self.imported()
        #expect(imported["drsim"]?.contains("ArgumentParser") == true, "no imports found: the reader is broken")
        for (module, imports) in imported {
            let wrong = imports.subtracting(Self.system).subtracting(Self.allowed[module] ?? [])
            #expect(wrong.isEmpty, "\(module) imports \(wrong.sorted())")
            let undeclared = imports.subtracting(Self.system).subtracting(declared[module] ?? [])
            #expect(
                undeclared.isEmpty, "\(module) imports \(undeclared.sorted()), which Package.swift does not declare")
        }
    }

    @Test func theGraphHasNoCycle() {
        var state: [String: Int] = [:]  // 1 while on the path, 2 when done
        func visit(_ m: String, _ path: [String]) -> [String]? {
            if state[m] == 2 { return nil }
            if state[m] == 1 { return path + [m] }
            state[m] = 1
            for d in (Self.allowed[m] ?? []).sorted() { if let cycle = visit(d, path + [m]) { return cycle } }
            state[m] = 2
            return nil
        }
        for m in Self.allowed.keys.sorted() {
            let cycle = visit(m, [])
            #expect(cycle == nil, "cycle: \(cycle?.joined(separator: " -> ") ?? "")")
        }
    }
}
