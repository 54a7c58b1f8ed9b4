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
        if case var .object(top)? = try? JSON.parse(data), let section = top.removeValue(forKey: "sweep") {
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

    /// The scenario with `overrides` applied, decoded and checked.
    public func load(_ overrides: [Override]) throws(ConfigError) -> Config.Loaded {
        try Config.load(data: data, overrides: overrides, defaultName: defaultName)
    }
}
