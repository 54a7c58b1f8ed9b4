import DRSimResults
import Foundation

// The `health_checks` section (Route 53 health checks): read and written.

extension Config.HealthCheck {
    /// Route 53's health-checker regions (docs/model.md, "Defaults and their sources").
    public static let route53CheckerRegions = [
        "us-east-1", "us-west-1", "us-west-2", "eu-west-1", "ap-southeast-1",
        "ap-southeast-2", "ap-northeast-1", "sa-east-1",
    ]

    /// Reads `health_checks`. The defaults are Route 53's, but for the *placeholders* `probe_rtt_s`,
    /// `status_to_dns_s` and the exact number of checkers (docs/config.md gives the sources).
    static func decodeList(_ list: [(String, JSON)], _ refs: References) -> [Self] {
        var checks: [Self] = []
        for (path, item) in list {
            guard var h = ObjectReader(item, path: path, log: refs.log) else { continue }
            let id = h.string("id") ?? ""
            if h.raw("id") != nil && id.trimmingCharacters(in: .whitespaces).isEmpty {
                h.log.error(h.child("id"), "empty; give the health check an id (records name it in health_check)")
            }
            let target = refs.target(&h, "target")
            let interval = h.number("interval_s", default: 30, 10...30, allowed: "10 or 30 (Route 53 RequestInterval)")
            if interval != 10, interval != 30 {
                h.log.error(
                    h.child("interval_s"),
                    "found \(formatNumber(interval)), allowed: 10 or 30 (Route 53 RequestInterval)")
            }
            // A check on the load balancer's address gets its first backend as target once that is read.
            var check = Self(
                id: id, target: 0, targetsLoadBalancer: target == .loadBalancer, checkerRegions: route53CheckerRegions,
                interval: interval,
                failureThreshold: h.int("failure_threshold", default: 3, 1...10),
                checkers: h.int("checkers", default: 15, 1...64),
                healthyAbove: h.number(
                    "healthy_above", default: 0.18, 0...1, allowed: "a share from 0 to 1 (Route 53: 0.18)"),
                protocol: h.choice("protocol", default: .https),
                probeRTT: h.distribution("probe_rtt_s", default: .fixed(0.1)),
                statusToDNS: h.distribution("status_to_dns_s", default: .uniform(2, 10)),
                transientFailureProbability: h.number(
                    "transient_failure_prob", default: 0, 0...0.999_999,
                    allowed: "a probability from 0 up to (not including) 1"),
                disabled: h.bool("disabled", default: false),
                inverted: h.bool("inverted", default: false))
            if case .region(let i)? = target { check.target = i }
            if let list = h.array("checker_regions") {
                check.checkerRegions = checkerRegionNames(list, log: h.log)
                if Set(check.checkerRegions).count != check.checkerRegions.count {
                    h.log.error(h.child("checker_regions"), "a checker region is listed twice")
                }
                if check.checkerRegions.count < 3 {
                    h.log.error(
                        h.child("checker_regions"),
                        "found \(check.checkerRegions.count); Route 53 needs at least three checker regions")
                }
            }
            if checks.contains(where: { $0.id == id }) {
                h.log.error(h.child("id"), "found \"\(id)\" twice; health check ids must be unique")
            }
            h.finish()
            checks.append(check)
        }
        return checks
    }

    func encoded(in c: Config) -> JSON {
        .object([
            "id": .string(id),
            "target": (targetsLoadBalancer ? Config.Target.loadBalancer : .region(target)).encoded(in: c),
            "checker_regions": .array(checkerRegions.map(JSON.string)), "interval_s": .number(interval),
            "failure_threshold": .number(Double(failureThreshold)), "checkers": .number(Double(checkers)),
            "healthy_above": .number(healthyAbove), "protocol": .string(`protocol`.rawValue),
            "probe_rtt_s": probeRTT.json, "status_to_dns_s": statusToDNS.json,
            "transient_failure_prob": .number(transientFailureProbability),
            "disabled": .bool(disabled), "inverted": .bool(inverted),
        ])
    }
}

/// The Route 53 checker regions named in a list (a check's, or a `checker_blocked` fault's); each
/// other entry is an error.
func checkerRegionNames(_ list: [(String, JSON)], log: IssueLog) -> [String] {
    let all = Config.HealthCheck.route53CheckerRegions
    return list.compactMap { (p, v) -> String? in
        guard case .string(let n) = v, all.contains(n) else {
            log.error(p, "found \(v.brief), allowed: one of Route 53's checker regions: " + all.joined(separator: ", "))
            return nil
        }
        return n
    }
}
