// The `traffic` section: read and written.

extension Config.Traffic {
    /// Reads `traffic`; both defaults are *placeholders*.
    static func decode(_ reader: ObjectReader) -> Self {
        var t = reader
        let traffic = Self(
            requestsPerSecond: t.number("requests_per_s", default: 1000, 0...1e12, openLow: true),
            writeShare: t.number("write_share", default: 0.1, 0...1))
        t.finish()
        return traffic
    }

    func encoded() -> JSON {
        .object(["requests_per_s": .number(requestsPerSecond), "write_share": .number(writeShare)])
    }
}
