// The `traffic` section: read and written.

extension Config.Traffic {
    /// Reads `traffic`; both defaults are *placeholders*.
    static func decode(_ reader: ObjectReader) -> Self {
        var t = reader
        let traffic = Self(
            requestsPerSecond: t.number("requests_per_s", default: 1000, 0...1e12, openLow: true),
            writeShare: t.number("write_share", default: 0.1, 0...1),
            retries: Retries.decode(t.section("retries")))
        t.finish()
        return traffic
    }

    func encoded() -> JSON {
        .object([
            "requests_per_s": .number(requestsPerSecond), "write_share": .number(writeShare),
            "retries": .object(["max_attempts": .number(Double(retries.maxAttempts))]),
        ])
    }
}

extension Config.Traffic.Retries {
    /// Three attempts: the AWS SDKs' standard retry mode ("The default maximum number of attempts with
    /// this mode is three", AWS SDKs and Tools Reference Guide, Retry behavior,
    /// https://docs.aws.amazon.com/sdkref/latest/guide/feature-retry-behavior.html).
    public static let defaultMaxAttempts = 3

    /// Reads `traffic.retries`; `max_attempts` 1 turns retries off.
    static func decode(_ reader: ObjectReader) -> Self {
        var r = reader
        let retries = Self(maxAttempts: r.int("max_attempts", default: defaultMaxAttempts, 1...100))
        r.finish()
        return retries
    }
}
