import Foundation

/// A single output file a command writes beside its results (a JUnit report, a trace): how the
/// messages name it, and how drsim tells a file of this kind it wrote (it replaces only its own).
public struct OutputFileKind: Sendable {
    /// The option that names the file, such as `--junit`.
    public var option: String
    /// What the file is, such as "JUnit report".
    public var kind: String
    /// A path to suggest, such as `reports/drsim.xml`.
    public var example: String
    /// Whether a file's first bytes (up to 4 KB) are those of a file of this kind drsim wrote.
    public var isOwn: @Sendable (Data) -> Bool

    public init(option: String, kind: String, example: String, isOwn: @escaping @Sendable (Data) -> Bool) {
        self.option = option
        self.kind = kind
        self.example = example
        self.isOwn = isOwn
    }

    /// The verdicts of `check` and `diff` as JUnit XML.
    public static let junit = OutputFileKind(
        option: "--junit", kind: "JUnit report", example: "reports/drsim.xml",
        isOwn: isDRSimJUnit)

    /// Whether a file's first bytes are those of a JUnit report drsim wrote (`check`, `diff`).
    public static func isDRSimJUnit(_ head: Data) -> Bool {
        head.starts(with: Data("<?xml".utf8))
            && String(decoding: head, as: UTF8.self).contains("<testsuites name=\"drsim ")
    }
}

extension ResultFolderGuard {
    /// Checks that a single output file may be written at `path`: not a device, folder or other
    /// non-regular file (a rename would replace it), not the `config` file, not a result file of a
    /// result folder (one that holds results, or one of `resultFolders`, named by their description,
    /// which this run is about to write), and, if it exists, a file of this kind (drsim replaces only
    /// its own); then `checkFolder` on its folder. A wrong path is refused as `.usage` (naming the
    /// option), a folder that cannot be written as `.unwritable`.
    public func checkOutputFile(
        _ path: String, _ file: OutputFileKind, config: String?,
        resultFolders: [(URL, String)] = []
    ) throws(ResultFolderRefusal) {
        let (option, kind, example) = (file.option, file.kind, file.example)
        func usage(_ message: String) -> ResultFolderRefusal { ResultFolderRefusal(.usage, message) }
        let url = URL(fileURLWithPath: path)
        var info = stat()
        if stat(path, &info) == 0 {
            if (info.st_mode & S_IFMT) == S_IFDIR {
                throw usage(
                    "\(option) \(path) is a folder: give a file in it, "
                        + "e.g. \(option) \(path.hasSuffix("/") ? path : path + "/")\(example)")
            }
            if (info.st_mode & S_IFMT) != S_IFREG {
                throw usage(
                    "\(option) \(path) exists and is not a regular file "
                        + "(a device or a pipe, which drsim would replace): "
                        + "give a file of its own, e.g. \(option) \(example)")
            }
        }
        if let config, config != "-", Self.realPath(url) == Self.realPath(URL(fileURLWithPath: config)) {
            throw usage(
                "\(option) \(path) is the config file: give the \(kind) a file of its own, e.g. \(option) \(example)")
        }
        let folder = url.deletingLastPathComponent()
        let named = resultFolders.first { Self.realPath($0.0) == Self.realPath(folder) }?.1
        if resultNames.contains(url.lastPathComponent) && (named != nil || marker(in: folder) != nil) {
            throw usage(
                "\(option) \(path) is a result file in \(named ?? "a result folder"): "
                    + "give the \(kind) a file of its own, e.g. \(option) \(example)")
        }
        // Another result set is replaced as a whole, and drsim never deletes a file it cannot tell it wrote
        // in full (its user may have edited it): so the file would block that folder's next --force.
        if named == nil, let marker = marker(in: folder) {
            throw usage(
                "\(option) \(path) is inside a result folder (it holds \(marker)), "
                    + "which a later --force replaces as a whole and would refuse to while the \(kind) is there; "
                    + "give it a file outside, e.g. \(option) \(example)")
        }
        if let head = try? FileHandle(forReadingFrom: url).read(upToCount: 4096), !head.isEmpty, !file.isOwn(head) {
            throw usage("\(option) \(path) exists and is not a \(kind): drsim replaces only its own; give another file")
        }
        try Self.checkFolder(folder, for: "the \(kind)", option: option)
    }
}
