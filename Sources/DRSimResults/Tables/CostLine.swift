import Foundation

/// The cost per month as people read it (docs/model.md, "Cost"): the line `drsim run` prints under its
/// table, and the rows of the report's "Cost per month" table, both from the cost metrics' means.
public enum CostLine {
    /// The date the default (list) prices were read from the providers' pages.
    public static let pricesRead = "2026-12-08"

    /// The parts of `cost_per_month`, in the order they are shown, and their names in words.
    public static let parts: [(metric: Metric, label: String)] = [
        (.costHealthChecks, "health checks"), (.costDNSQueries, "DNS queries"), (.costCapacity, "capacity"),
        (.costReplicatedWrites, "replicated writes"), (.costLoadBalancer, "load balancer"),
        (.costDowntime, "downtime (business)"),
    ]

    /// What the prices are: the list prices (no `cost` section) or the config's own.
    public static func pricesLabel(configPrices: Bool) -> String {
        configPrices ? "at the config's prices (estimate)" : "at list prices (estimate)"
    }

    /// An amount in US dollars, to the cent.
    public static func dollars(_ x: Double) -> String { String(format: "$%.2f", x) }

    /// "Cost per month at list prices (estimate): $X — health checks $a, … (list prices read …)", from each
    /// metric's mean (`value`); nil when there is no total. The business part is shown only when it has a value.
    public static func text(configPrices: Bool, value: (Metric) -> Double?) -> String? {
        guard let total = value(.costPerMonth) else { return nil }
        let shown = parts.compactMap { p in value(p.metric).map { "\(p.label) \(dollars($0))" } }
        return "Cost per month \(pricesLabel(configPrices: configPrices)): \(dollars(total)) — "
            + shown.joined(separator: ", ") + " (list prices read \(pricesRead); docs/model.md, \"Cost\")"
    }

    /// The parts as JSON-ready numbers, keyed by metric name (nil: no value).
    public static func json(value: (Metric) -> Double?) -> [String: Double?] {
        var o: [String: Double?] = [Metric.costPerMonth.rawValue: value(.costPerMonth)]
        for p in parts { o[p.metric.rawValue] = value(p.metric) }
        return o
    }
}
