import DRSimFiles
import Foundation

/// Writes files the way drsim writes its result files (`FileBatch`): in full under a temporary name
/// beside the final one, then renamed over it, so that a failure never leaves a half-written file or
/// spoils an old one.
public enum AtomicFile {
    public static func write(_ text: String, to url: URL) throws {
        try write([(text, url)])
    }

    /// Writes every file, renaming none until all were written.
    public static func write(_ files: [(String, URL)]) throws {
        var batch = FileBatch()
        for (text, url) in files { batch.add(url, text: text) }
        try batch.write()
    }
}
