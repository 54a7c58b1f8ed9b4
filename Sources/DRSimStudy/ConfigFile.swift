import DRSim
import Foundation

/// A config file as the study commands read it: the scenario, and the optional `sweep` section that
/// only `drsim sweep` uses (docs/config.md, "sweep").
///
/// The section is taken out before the scenario is decoded, so every command reads the same scenario
/// from a file with or without one, and a sweep point decodes exactly as `drsim run … --set` would.
public struct ConfigFile: Sendable {
    /// The scenario's bytes, without the `sweep` section.
    public let data: Data
    /// The `sweep` section, if the file has one.
    public let sweep: JSON?
    /// The name used when the file has none (its base name).
    public let defaultName: String

    /// Splits `data` into the scenario and its `sweep` section. A file that is not valid JSON is left
    /// whole, for `Config.load` to report.
    public init(data: Data, defaultName: String) {
        self.defaultName = defaultName
        if case .object(var top)? = try? JSON.parse(data), let section = top.removeValue(forKey: "sweep") {
            sweep = section
            self.data = Data(JSON.object(top).serialized().utf8)
        } else {
            sweep = nil
            self.data = data
        }
    }

    /// Reads the file at `path`; its base name is the default name.
    public init(path: String) throws {
        let url = URL(fileURLWithPath: path)
        self.init(data: try Data(contentsOf: url), defaultName: url.deletingPathExtension().lastPathComponent)
    }

    /// The largest config file drsim reads, in bytes: real configs are a few kilobytes.
    public static let maxBytes = 10_000_000

    /// Why a config file cannot be read, in words ("no such file", "permission denied", …).
    public struct ReadError: Error, Sendable, CustomStringConvertible {
        public var why: String
        public var description: String { why }
    }

    /// Reads the config file at `path`, or standard input for "-" (named "stdin"); refuses a folder and
    /// anything over `maxBytes`, reading at most one byte past the limit, so that a huge file (or an
    /// endless pipe) is refused at once.
    public static func read(_ path: String) throws(ReadError) -> ConfigFile {
        let name = path == "-" ? "stdin" : URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
        let handle: FileHandle
        if path == "-" {
            handle = FileHandle.standardInput
        } else {
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else {
                throw ReadError(why: "no such file")
            }
            guard !isDir.boolValue else { throw ReadError(why: "it is a folder; give the config's JSON file") }
            guard FileManager.default.isReadableFile(atPath: path), let h = FileHandle(forReadingAtPath: path) else {
                throw ReadError(why: "permission denied")
            }
            handle = h
        }
        var data = Data()
        while data.count <= maxBytes {
            let chunk: Data?
            do { chunk = try handle.read(upToCount: 1 << 20) } catch {
                throw ReadError(why: (error as NSError).localizedFailureReason ?? "read error")
            }
            guard let chunk, !chunk.isEmpty else { break }
            data.append(chunk)
        }
        guard data.count <= maxBytes else {
            throw ReadError(
                why: "it is larger than \(maxBytes / 1_000_000) MB; a drsim config is a few kilobytes of JSON")
        }
        return ConfigFile(data: data, defaultName: name)
    }

    /// Whether the file has a `year` section (read as written, before any override).
    public var hasYear: Bool {
        guard case .object(let top)? = try? JSON.parse(data) else { return false }
        return top["year"] != nil
    }

    /// `--year`'s override: a `year` section of its defaults when `on`, unless the file has one (then
    /// it stands as written).
    public func yearOverride(_ on: Bool) -> [Override] {
        guard on, !hasYear else { return [] }
        return [.yearSection]
    }

    /// The scenario with `overrides` applied, decoded and checked.
    public func load(_ overrides: [Override]) throws(ConfigError) -> Config.Loaded {
        try Config.load(data: data, overrides: overrides, defaultName: defaultName)
    }
}
