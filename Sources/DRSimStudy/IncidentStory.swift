import DRSim
import DRSimResults
import Foundation

/// One incident told in sentences (`drsim explain`): what failed, who noticed when, when the DNS answer
/// changed, when each share of traffic came back and which stage held the last of it, and what
/// happened to the writes. Built from the replayed incident's trace and metrics only.
public struct IncidentStory: Sendable {
    public var config: Config
    /// 1-based, as in replications.csv.
    public var replication: Int
    public var result: ReplicationResult
    public var events: [TraceEvent]

    /// Replays replication `replication` (1-based) of `config`.
    public init(_ config: Config, replication: Int) throws {
        self.config = config
        self.replication = replication
        (result, events) = try IncidentSimulator(config: config).trace(replication: replication - 1)
    }

    /// The replication (1-based) whose `metric` is the largest (`worst`) or the median of a run of
    /// `config`; censored values count as the horizon and rank above every other; ties go to the lowest
    /// number. `results` are the run's replications.
    public static func pick(_ metric: Metric, worst: Bool, in results: [ReplicationResult], config: Config) -> Int? {
        let s = metric.sample(results, config: config)
        guard !s.values.isEmpty else { return nil }
        let order = s.values.indices.sorted { a, b in
            if s.censored[a] != s.censored[b] { return !s.censored[a] }
            return s.values[a] != s.values[b] ? s.values[a] < s.values[b] : a < b
        }
        return (worst ? order.last! : order[(order.count - 1) / 2]) + 1
    }

    public static func t(_ x: Double) -> String {
        x >= 100 ? String(format: "%.0f s", x) : String(format: "%.1f s", x)
    }

    static func regionText(_ e: TraceEvent, _ key: String = "region") -> String {
        if case .string(let s)? = e.fields[key] { return s }
        return "?"
    }

    /// The first recovery and the relapses after it, when the target was lost again after it.
    func relapses(_ r: ReplicationResult) -> String {
        guard r.relapses > 0, let first = r.firstRecovery else { return "" }
        return "; first reached at \(Self.t(first)), then lost again \(r.relapses) time\(r.relapses == 1 ? "" : "s")"
    }

    /// Why a stage can take long, in a sentence about this config.
    func why(_ stage: RTOBreakdown.Stage) -> String {
        let c = config
        switch stage {
        case .detection:
            let h = c.healthChecks.first
            return h.map {
                "the health checkers probe every \(formatNumber($0.interval)) s and each needs \($0.failureThreshold) "
                    + "failures in a row; "
                    + "Route 53 calls the endpoint unhealthy once no more than \(formatNumber($0.healthyAbove * 100))% "
                    + "of its \($0.checkers) checkers see it healthy"
            }
                ?? "the load balancer's probers need consecutive failures to call a backend unhealthy"
        case .propagation: return "Route 53's new status takes time to reach its DNS answers (status_to_dns_s)"
        case .resolverCache:
            let extend = c.clients.resolverMix.filter { if case .extend = $0.behaviour { true } else { false } }.reduce(
                0
            ) { $0 + $1.share }
            return "resolvers keep the old answer for the TTL (\(formatNumber(c.dns.ttl)) s)"
                + (extend > 0
                    ? ", and \(formatNumber(extend * 100))% of them keep it well past the TTL (TTL extension), so the "
                        + "last share of traffic waits for them"
                    : "")
        case .clientCache:
            return
                "clients keep answers in their own caches (browsers at least a minute, JVMs their cache time) after "
                + "the resolvers let go"
        case .connection:
            return "clients stay on their open connections to the old region until a request times out "
                + "(\(formatNumber(c.clients.requestTimeout)) s) or the connection ends"
        case .lbReprogramming: return "the load balancer reprograms its routing some seconds after its probers' verdict"
        case .activation: return "the passive region serves only after its activation delay"
        case .scaleUp: return "the standby region had to scale up before it could carry the load"
        case .repointing: return "the writes had to be repointed to the other region's table first"
        case .outage: return "nothing recovered it before the fault itself ended"
        case .beforeLastDrop:
            return "service had fallen below the target and recovered before (earlier faults, or a failback), "
                + "and the RTO counts from the first fault"
        }
    }

    public var text: String {
        var lines = [
            "Incident \(replication) of \(config.name) (seed \(config.seed); row \(replication) of replications.csv):"
        ]
        for e in events {
            switch (e.component, e.event) {
            case ("fault", "start"):
                var what = "\(Self.regionText(e)) failed"
                if case .string(let kind)? = e.fields["kind"] {
                    switch kind {
                    case "region_outage":
                        let mode =
                            e.fields["mode"] == .string("refused")
                            ? "connections refused" : "probes and requests time out"
                        let scope =
                            e.fields["scope"].flatMap { if case .string(let s) = $0 { s } else { nil } } ?? "both"
                        let parts =
                            scope == "both" ? "app and database" : scope == "app" ? "the app only" : "the database only"
                        what += ": a region outage (\(mode); \(parts))"
                    case "app_unresponsive": what += ": the app accepts connections but never answers"
                    case "partial": what = "\(Self.regionText(e)) began failing part of its requests"
                    case "replication_impaired": what = "replication from \(Self.regionText(e)) was impaired"
                    case "checker_blocked": what = "health checkers could no longer reach \(Self.regionText(e))"
                    case "health_check_disabled":
                        what = "the health check \(Self.regionText(e, "health_check")) was disabled"
                    default: what += " (\(kind))"
                    }
                }
                let end = events.first {
                    $0.component == "fault" && $0.event == "end" && $0.fields == e.fields && $0.time >= e.time
                }
                lines.append(
                    "- At \(Self.t(e.time)) \(what); "
                        + (end.map { "it ended at \(Self.t($0.time))." }
                            ?? "it lasted past the horizon (\(Self.t(config.horizon)))."))
            case ("health_check", "status_change"):
                lines.append(
                    "- At \(Self.t(e.time)) Route 53's health checks changed status: \(Self.records(e))."
                        + (lines.contains { $0.contains("health checks changed") }
                            ? "" : " (Detection: \(why(.detection)).)"))
            case ("dns", "answer"):
                // The status change this answer follows: the one with the same records' health (in a flap,
                // a later change may come before this answer).
                let before = events.last {
                    $0.component == "health_check" && $0.event == "status_change" && $0.time <= e.time
                        && $0.fields["records"] == e.fields["records"]
                }
                let latest = events.last {
                    $0.component == "health_check" && $0.event == "status_change" && $0.time <= e.time
                }
                let delay = before.map { b in
                    b.time == latest?.time
                        ? ", \(Self.t(e.time - b.time)) later,"
                        : ", \(Self.t(e.time - b.time)) after the status change at \(Self.t(b.time)),"
                }
                lines.append(
                    "- At \(Self.t(e.time))\(delay ?? "") the DNS answer became \(Self.regionText(e, "answer")).")
            case ("load_balancer", "routing"):
                let routing = e.fields["healthy"] == .bool(true) ? "routed to" : "stopped routing to"
                lines.append("- At \(Self.t(e.time)) the load balancer \(routing) \(Self.regionText(e, "backend")).")
            case ("region", "activated"):
                lines.append("- At \(Self.t(e.time)) \(Self.regionText(e)) was activated and began to serve.")
            case ("region", "scaled_up"):
                lines.append("- At \(Self.t(e.time)) \(Self.regionText(e)) reached full capacity.")
            case ("database", "writes_repointed"):
                lines.append(
                    "- At \(Self.t(e.time)) the app's writes were repointed to \(Self.regionText(e, "to"))'s table.")
            default: break
            }
        }
        let r = result
        let back = [("50%", r.recovered50), ("90%", r.recovered90), ("99%", r.recovered99)].map { label, t in
            t.map { "\(label) by \(Self.t($0))" } ?? "\(label) not before the horizon"
        }
        lines.append(
            "- Requests succeeded again as caches and connections let go of the old answer: "
                + "\(back.joined(separator: ", "))."
        )
        let drains = events.filter { $0.component == "resolvers" && $0.fields["answer_change"] == .number(1) }
            .compactMap { e -> String? in
                guard case .string(let k)? = e.fields["class"], case .number(let share)? = e.fields["traffic_share"]
                else { return nil }
                let who =
                    ["honour": "that honour the TTL", "floor": "that floor it", "extend": "that extend it"][k] ?? k
                let half = e.fields["half_s"].flatMap { if case .number(let x) = $0 { Self.t(x) } else { nil } }
                let all = e.fields["all_s"].flatMap { if case .number(let x) = $0 { Self.t(x) } else { nil } }
                return "resolvers \(who) (\(String(format: "%.1f", share * 100))% of traffic) "
                    + (all.map { "had all let go by \($0)" }
                        ?? "\(half.map { "half by \($0), " } ?? "")not all before the horizon")
            }
        if !drains.isEmpty { lines.append("  Of the old answer, " + drains.joined(separator: "; ") + ".") }
        if r.rtoCensored {
            lines.append(
                "- It never held \(formatNumber(config.successTarget * 100))% success from some time until the "
                    + "horizon, with \(formatNumber(config.stableFor)) s of it left: "
                    + "the RTO is censored at \(Self.t(config.horizon)).")
        } else if r.rto == 0 {
            lines.append(
                "- Success never fell below \(formatNumber(config.successTarget * 100))%: nothing to recover (RTO 0).")
        } else if let b = r.breakdown {
            let stages = RTOBreakdown.Stage.allCases.filter { b.seconds($0) > 0 }
            let parts = stages.map { "\($0.label) \(Self.t(b.seconds($0)))" }
            lines.append(
                "- RTO \(Self.t(r.rto)) (\(formatNumber(config.successTarget * 100))% success held from then on"
                    + "\(relapses(r))): \(parts.joined(separator: " + ")).")
            if let longest = stages.max(by: { b.seconds($0) < b.seconds($1) }) {
                let share = Int((b.seconds(longest) / r.rto * 100).rounded())
                lines.append(
                    "  The longest stage was \(longest.label) (\(Self.t(b.seconds(longest))), \(share)% of it): "
                        + "\(why(longest))."
                )
            }
        }
        if r.lostWrites > 0 || r.delayedWrites > 0 {
            let failed = events.first { $0.component == "database" && $0.event == "replica_failed" }
            let lost =
                r.lostWrites > 0
                ? "\(r.lostWrites) acknowledged write\(r.lostWrites == 1 ? "" : "s") never reached another region "
                    + "(lost; the oldest was \(String(format: "%.2f", r.rpo)) s old: the RPO)"
                : ""
            let delayed =
                r.delayedWrites > 0
                ? "\(r.delayedWrites) reached the others late, when the region came back or its replication resumed"
                : ""
            let failure = failed.map {
                "\(Self.regionText($0))'s table failed at \(Self.t($0.time)) holding writes not yet replicated; "
            }
            lines.append(
                "- Writes: \(failure ?? "")" + [lost, delayed].filter { !$0.isEmpty }.joined(separator: "; ") + ".")
        } else if config.traffic.writeShare > 0 {
            lines.append(
                config.database.mode == .mrsc
                    ? "- Writes: none lost (MRSC acknowledges a write only once another replica has it)."
                    : "- Writes: none lost.")
        }
        if let c = r.conflictOverwrites, c > 0 {
            lines.append(
                "- Last writer wins: \(c) write\(c == 1 ? " was" : "s were") overwritten unseen by another region's "
                    + "write to the same item.")
        }
        if let y = r.year { lines.append(yearText(y)) }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The replication's year of operation in one paragraph (docs/model.md, "A year of operation").
    func yearText(_ y: YearResult) -> String {
        func n(_ k: Int, _ what: String) -> String { "\(k) \(what)\(k == 1 ? "" : "s")" }
        func m(_ x: Double) -> String { String(format: "%.1f min", x) }
        let events = [
            n(y.blips, "blip"), n(y.checkerPathProblems, "checker-path problem"), n(y.outages, "regional outage"),
            n(y.probeLossSpells, "probe-loss spell"),
        ]
        return
            "Its year of operation (row \(replication) of years.csv, \(formatNumber(config.year!.lengthDays)) days): "
            + events.joined(separator: ", ") + " in " + n(y.groups, "group") + "; "
            + n(y.failovers, "failover") + " (\(y.falseFailovers) set off by noise), " + n(y.failbacks, "failback")
            + "; downtime \(m(y.downtimeMinutes)) (blips \(m(y.downtimeBlipsMinutes)), false failovers "
            + "\(m(y.downtimeFalseFailoversMinutes)), outages \(m(y.downtimeOutagesMinutes))), availability "
            + String(format: "%.5f%%", 100 * y.availability) + "."
    }

    static func records(_ e: TraceEvent) -> String {
        guard case .array(let list)? = e.fields["records"] else { return "" }
        return list.compactMap { item -> String? in
            guard case .object(let o) = item, case .string(let id)? = o["record"], case .bool(let h)? = o["healthy"]
            else { return nil }
            return "\(id) \(h ? "healthy" : "unhealthy")"
        }.joined(separator: ", ")
    }
}
