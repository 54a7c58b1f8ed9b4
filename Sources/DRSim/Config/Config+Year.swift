// The `year` section: read and written.

extension Config.Year {
    /// Reads `year`; `{}` simulates a year of 365 days (docs/config.md, "year").
    static func decode(_ reader: ObjectReader) -> Self {
        var y = reader
        let year = Self(lengthDays: y.number("length_days", default: 365, 1...3660))
        y.finish()
        return year
    }

    func encoded() -> JSON { .object(["length_days": .number(lengthDays)]) }
}
