import DRSimResults

// The `expect` list: targets on the results that `drsim check` judges (docs/config.md, "expect").

extension Expectation {
    /// Reads the `expect` list; each problem is named by its index (`expect[1]`).
    /// `applies` says whether a metric has values in this config (write_rto_s needs writes).
    static func decodeList(_ items: [(String, JSON)], applies: (Metric) -> Bool, log: IssueLog) -> [Expectation] {
        var list: [Expectation] = []
        for (path, item) in items {
            guard case .string(let text) = item else {
                log.error(path, "found \(item.brief), expected a target as a string, \(form)")
                continue
            }
            do {
                let e = try Expectation(parsing: text)
                if !applies(e.metric) {
                    log.error(
                        path,
                        "\(jsonQuote(text)): \(e.metric.rawValue) has no values in this config "
                            + "(it has no writes: traffic.write_share is 0)")
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
