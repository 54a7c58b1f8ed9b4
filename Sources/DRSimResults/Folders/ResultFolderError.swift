/// What is wrong with a folder given as a result folder; each message says what to do about it.
public enum ResultFolderError: Error, CustomStringConvertible, Equatable {
    case missing(path: String)
    case notAFolder(path: String)
    case noResults(path: String, missing: [String])
    case damaged(file: String, line: Int, problem: String)
    case unreadable(file: String, reason: String)
    /// A sweep's or a comparison's folder, which holds result folders rather than being one.
    case study(path: String, kind: String, inner: [String])
    /// A sweep's, a comparison's or a sensitivity study's folder without all of its files.
    case incompleteStudy(path: String, kind: String, missing: [String], command: String)

    public var description: String {
        switch self {
        case .missing(let path):
            "\(path) does not exist: give the folder a run wrote its results to (by default results/<name>/; run "
                + "`drsim run CONFIG.json` first)"
        case .notAFolder(let path):
            "\(path) is a file, not a folder: give the folder that holds summary.csv, replications.csv, timeline.csv "
                + "and run.json"
        case .noResults(let path, let missing):
            "\(path) holds no complete drsim results (missing: \(missing.joined(separator: ", "))): run `drsim run "
                + "CONFIG.json --out \(path)` to write them"
        case .damaged(let file, let line, let problem):
            "\(file), line \(line): \(problem); the file is damaged: run the config again to rewrite the results"
        case .unreadable(let file, let reason):
            "cannot read \(file): \(reason)"
        case .incompleteStudy(let path, let kind, let missing, let command):
            "\(path) is \(kind) folder without \(missing.joined(separator: " and ")): run `\(command) --out \(path)` "
                + "again to write it in full"
        case .study(let path, let kind, let inner):
            "\(path) is \(kind) folder, not a result folder: give one of the result folders in it, such as "
                + inner.map { (path.hasSuffix("/") ? path : path + "/") + $0 }.joined(separator: " or ")
        }
    }
}
