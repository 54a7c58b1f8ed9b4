import Foundation

/// Writes files the way drsim writes its result files: in full under a temporary name beside the final
/// one, then renamed over it, so that a failure never leaves a half-written file or spoils an old one.
public enum AtomicFile {
    public static func write(_ text: String, to url: URL) throws {
        try write([(text, url)])
    }

    /// Writes every file, renaming none until all were written.
    public static func write(_ files: [(String, URL)]) throws {
        let fm = FileManager.default
        var written: [(URL, URL)] = []
        do {
            for (text, url) in files {
                try fm.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                let temp = url.deletingLastPathComponent()
                    .appendingPathComponent("." + url.lastPathComponent + ".tmp-\(ProcessInfo.processInfo.processIdentifier)")
                written.append((temp, url))
                try Data(text.utf8).write(to: temp)
            }
            for (temp, url) in written where rename(temp.path, url.path) != 0 {
                throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: url.path,
                                                               NSLocalizedDescriptionKey: "cannot rename \(temp.path) to \(url.path): \(String(cString: strerror(errno)))"])
            }
        } catch {
            for (temp, _) in written { try? fm.removeItem(at: temp) }
            throw error
        }
    }
}
