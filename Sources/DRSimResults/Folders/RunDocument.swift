import Foundation

/// A resolved config and the facts written beside it: `run.json` of a run, or `sweep.json` with the
/// base config every point starts from. Read with Foundation's JSON parser, without the model (so a
/// file written by another version of drsim reads too), values kept as plain Sendable ones.
public struct RunDocument: Sendable {
    /// The file as parsed.
    public let top: [String: any Sendable]
    /// The resolved config, pretty-printed with sorted keys.
    public let configText: String
    let config: [String: any Sendable]
    let configInfo: [String: any Sendable]
    /// The name to use when the config has none.
    let fallbackName: String

    /// Reads `file`; the config is the object `config` inside `under` (nil: at the top).
    /// - Throws: `ResultFolderError` when the file cannot be read, is not a JSON object, or has no config.
    public init(file: URL, under: String? = nil, fallbackName: String) throws(ResultFolderError) {
        let text = try ResultFolder.read(file)
        guard let doc = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else {
            throw .damaged(file: file.path, line: 1, problem: "not a JSON object")
        }
        let holder = under.map { doc[$0] as? [String: Any] ?? [:] } ?? doc
        guard let config = holder["config"] as? [String: Any] else {
            throw .damaged(file: file.path, line: 1, problem: "no \"\(under.map { "\($0)." } ?? "")config\" object")
        }
        top = doc.mapValues { ResultFolder.sendable($0) }
        configInfo = holder.mapValues { ResultFolder.sendable($0) }
        self.config = configInfo["config"] as? [String: any Sendable] ?? [:]
        let pretty =
            (try? JSONSerialization.data(
                withJSONObject: config, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])) ?? Data()
        configText = String(decoding: pretty, as: UTF8.self)
        self.fallbackName = fallbackName
    }

    /// A value from the resolved config by a dotted path ("slo.success_target").
    public func configValue(_ path: String) -> (any Sendable)? {
        var node: (any Sendable)? = config
        for key in path.split(separator: ".") { node = (node as? [String: any Sendable])?[String(key)] }
        return node
    }

    public var name: String { configValue("name") as? String ?? fallbackName }
    public var configDescription: String { configValue("description") as? String ?? "" }
    /// The seed as a number, nil when the file has none.
    public var seedValue: Double? { top["seed"] as? Double }
    /// The seed as text, "?" when the file has none.
    public var seed: String { seedValue.map { String(format: "%.0f", $0) } ?? "?" }
    public var replications: Int? { (top["replications"] as? Double).map { Int($0) } }
    public var version: String { top["drsim_version"] as? String ?? "unknown" }
    public var configHash: String { configInfo["config_hash"] as? String ?? "" }
    public var horizon: Double? { configValue("horizon_s") as? Double }
    public var successTarget: Double? { configValue("slo.success_target") as? Double }
    public var stableFor: Double? { configValue("slo.stable_for_s") as? Double }
    public var ttl: Double? { configValue("dns.ttl_s") as? Double }
    /// Target expressions the config carries (`expect`, when the version that wrote it has them).
    public var expectations: [String] { (configValue("expect") as? [any Sendable])?.compactMap { $0 as? String } ?? [] }
}
