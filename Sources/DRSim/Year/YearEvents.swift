import DRSimResults

/// The events of one replication-year (docs/model.md, "A year of operation"): each class of `noise`
/// a Poisson process per region, drawn as a Poisson count and uniform times, then grouped where their
/// consequences overlap.
struct YearEvent: Equatable {
    enum Kind: Int, Comparable {
        case blip, checkerPath, outage
        /// A spell of a health check's aggregate unhealth from per-probe loss alone (`QuietProbeLoss`).
        case probeLoss
        static func < (a: Kind, b: Kind) -> Bool { a.rawValue < b.rawValue }
    }
    var kind: Kind
    /// The region whose endpoint fails (for `probeLoss`: the health check whose verdict does).
    var region: Int
    /// Checker regions cut off (`checkerPath`), as indices into Route 53's checker regions.
    var checkerRegions: [Int]
    /// From the start of the year [s].
    var start: Double
    var duration: Double
}

extension YearEvent {
    /// Every event of a year of `seconds`, in time order. The classes are drawn in a fixed order (blips,
    /// checker paths, outages; region by region), so a class's numbers do not depend on another's rate.
    static func draw(_ noise: Config.Noise, regions: Int, seconds: Double, _ r: RandomStream) -> [YearEvent] {
        var events: [YearEvent] = []
        let classes: [(Kind, Config.Noise.EventClass)] = [
            (.blip, noise.blips), (.checkerPath, noise.checkerPaths), (.outage, noise.outages),
        ]
        let years = seconds / YearEvent.secondsPerYear
        let checkerRegions = Config.HealthCheck.route53CheckerRegions.count
        for (kind, c) in classes {
            for region in 0..<regions {
                let count = c.ratePerYear > 0 ? r.poisson(mean: c.ratePerYear * years) : 0
                for _ in 0..<count {
                    let start = r.uniform() * seconds
                    let duration = max(0, c.duration.sample(r))
                    var cut: [Int] = []
                    if kind == .checkerPath {
                        // k of the checker regions, each subset equally likely (a partial shuffle).
                        var all = Array(0..<checkerRegions)
                        for i in 0..<noise.checkerRegionsPerProblem {
                            let j = i + Int(r.uniform() * Double(checkerRegions - i))
                            all.swapAt(i, min(j, checkerRegions - 1))
                        }
                        cut = all[0..<noise.checkerRegionsPerProblem].sorted()
                    }
                    events.append(
                        YearEvent(kind: kind, region: region, checkerRegions: cut, start: start, duration: duration))
                }
            }
        }
        return events
    }

    /// The spells of per-probe loss of every health check a DNS record uses (`QuietProbeLoss`), as events.
    static func probeLoss(_ config: Config, seconds: Double, _ r: RandomStream) -> [YearEvent] {
        let used = Set(config.dns.records.compactMap(\.healthCheck))
        var events: [YearEvent] = []
        for (c, h) in config.healthChecks.enumerated() where used.contains(c) && !h.disabled {
            for s in QuietProbeLoss.spells(h, seconds: seconds, r) {
                events.append(
                    YearEvent(
                        kind: .probeLoss, region: c, checkerRegions: [], start: s.from, duration: s.until - s.from))
            }
        }
        return events
    }

    /// `events` in time order (ties by kind and region, so the order never depends on the sort).
    static func sorted(_ events: [YearEvent]) -> [YearEvent] {
        events.sorted { ($0.start, $0.kind, $0.region) < ($1.start, $1.kind, $1.region) }
    }

    /// A year [s]: 365 days, as `year.length_days` counts them.
    static let secondsPerYear = 365.0 * 86_400

    /// Groups time-ordered `events`: an event joins the group before it when it starts before that
    /// group's last event ends plus `settle` seconds (docs/model.md, "A year of operation").
    static func groups(_ events: [YearEvent], settle: Double) -> [ArraySlice<YearEvent>] {
        var out: [ArraySlice<YearEvent>] = []
        var from = 0
        var end = -Double.infinity
        for (i, e) in events.enumerated() {
            if i > from && e.start >= end {
                out.append(events[from..<i])
                from = i
            }
            end = i == from ? e.start + e.duration + settle : max(end, e.start + e.duration + settle)
        }
        if from < events.count { out.append(events[from...]) }
        return out
    }
}

extension Config {
    /// The events a year of `noise` brings on average, and how many of them fall on average within one
    /// event's window (its mean length plus `horizon_s`): above 1, events overlap so often that the
    /// year would be simulated as one long incident (docs/model.md, "A year of operation").
    var yearDensity: (perYear: Double, perWindow: Double) {
        let regionsCount = Double(regions.count)
        var perYear = 0.0
        var windows = 0.0
        for c in [noise.blips, noise.checkerPaths, noise.outages] {
            perYear += c.ratePerYear * regionsCount
            windows += c.ratePerYear * regionsCount * (c.duration.mean + horizon)
        }
        let used = Set(dns.records.compactMap(\.healthCheck))
        for (k, h) in healthChecks.enumerated() where used.contains(k) && !h.disabled {
            let rate = QuietProbeLoss.onsetRate(h) * YearEvent.secondsPerYear
            perYear += rate
            windows += rate * (Double(h.failureThreshold) * h.interval + horizon)
        }
        return (perYear, windows / YearEvent.secondsPerYear)
    }

    /// A year whose events overlap on average is refused; business prices with no year are named.
    func checkYear(_ log: IssueLog) {
        if year == nil, let b = cost?.business, b.perFailedRequest != nil || b.perMinuteDown != nil {
            log.warn(
                "cost.business",
                "business prices count only a simulated year's failures: add \"year\": {} or run with --year "
                    + "(cost_downtime_per_month is empty without one)")
        }
        guard year != nil else { return }
        let (perYear, perWindow) = yearDensity
        guard perWindow > 1 else { return }
        let events = formatNumber(perYear.rounded())
        let overlap = formatNumber((perWindow * 10).rounded() / 10)
        log.error(
            "noise",
            "about \(events) events a year (blips, checker-path problems and outages in every region, and the "
                + "health checks' per-probe loss spells) come on average \(overlap) to a window of an event's length "
                + "plus horizon_s: they would run together into one long incident; lower the rates or the lengths, "
                + "transient_failure_prob, or horizon_s")
    }
}
