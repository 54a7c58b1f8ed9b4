import DRSimResults

// The `expect` list: targets on the results that `drsim check` judges (docs/config.md, "expect").

extension Expectation {
    /// Reads the `expect` list; each problem is named by its index (`expect[1]`).
    /// `absence` says why a metric has no values in this config (write_rto_s needs writes), nil if it has.
    static func decodeList(_ items: [(String, JSON)], absence: (Metric) -> String?, log: IssueLog) -> [Expectation] {
        var list: [Expectation] = []
        for (path, item) in items {
            guard case .string(let text) = item else {
                log.error(path, "found \(item.brief), expected a target as a string, \(form)")
                continue
            }
            do {
                let e = try Expectation(parsing: text)
                if let why = absence(e.metric) {
                    log.error(path, "\(jsonQuote(text)): \(e.metric.rawValue) has no values in this config (\(why))")
                } else if list.contains(e) {
                    log.error(path, "\(jsonQuote(text)) is already in the list")
                } else {
                    list.append(e)
                }
            } catch { log.error(path, error.message) }
        }
        return list
    }
}
