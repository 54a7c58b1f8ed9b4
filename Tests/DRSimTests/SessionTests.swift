import Foundation
import Testing

@testable import DRSim

/// Users' sessions decide how long a failback leaves traffic on the secondary, not the front door's
/// type (docs/model.md, "Sessions"). Region a is black-holed for 600 s and then fails back; DNS follows
/// at once (TTL 0, one busy resolver, stub clients), so what holds traffic on b after the failback is b's
/// front door and the users' sessions.
@Suite struct SessionTests {
    static let failback = [
        "dns.ttl_s=0", "replications=1000", "horizon_s=3600", "faults[0].duration_s={\"fixed\": 600}",
    ]

    /// Per replication: whether the one cohort is still on b 30 minutes after the failback, and how
    /// long after the failback it left b (capped at the horizon).
    struct Failback {
        var pinned: [Double] = []
        var left: [Double] = []
    }

    static func failback(door: String, sessions: Bool) throws -> Failback {
        let config = try scenario(
            failback + ["regions[1].front_door=\"\(door)\"", "clients.sessions.enabled=\(sessions)"])
        let sim = IncidentSimulator(config: config)
        var out = Failback()
        for i in 0..<config.replications {
            _ = try sim.run(replication: i)
            let changes = sim.answerChanges
            guard changes.count == 2 else { continue }
            let back = changes[1].time
            // The cohort's moves in time order; it follows the latest answer change it picked up.
            let moves = Array(sim.moves.moves).sorted { $0.time < $1.time }
            var change: Int16 = 0
            var leftB = config.horizon
            for m in moves where m.change > change {
                change = m.change
                if m.change == 2 { leftB = min(config.horizon, ModelTime.seconds(m.time)) }
                if ModelTime.seconds(m.time) > back + 1800 { break }
            }
            out.left.append(leftB - back)
            out.pinned.append(leftB > back + 1800 ? 1 : 0)
        }
        return out
    }

    /// Without sessions a Google Cloud regional front door (600 s idle timeout, reset by traffic) keeps
    /// most traffic on b for the whole hour, while AWS ALB (60 s idle, 3600 s maximum age) lets it go
    /// within minutes. With sessions, both let go when the sessions under way end: each cohort leaves
    /// by its session's residual life Y at the latest, so the share still pinned 30 minutes after the
    /// failback is at most P(Y > 1800 s) and the mean wait at most E[Y] = E[S²] / (2 E[S]) (each within
    /// 4.5 standard errors over 1,000 replications).
    @Test func failbackWaitsForSessionsWhateverTheFrontDoor() throws {
        let length = Config.Clients.Sessions.defaultLength
        let pinnedBound = length.excessMean(over: 1800) / length.mean
        guard case .lognormal(let mu, let s) = length else {
            Issue.record("not log-normal")
            return
        }
        let residualMean = exp(mu + 1.5 * s * s) / 2
        var lines: [String] = []
        for door in ["gcp_regional_alb", "aws_alb"] {
            let before = try Self.failback(door: door, sessions: false)
            let after = try Self.failback(door: door, sessions: true)
            #expect(after.pinned.count == 1000 && before.pinned.count == 1000)
            let p = mean(after.pinned)
            #expect(p <= pinnedBound + tolerance(sd: (pinnedBound * (1 - pinnedBound)).squareRoot(), n: 1000))
            #expect(mean(after.left) <= residualMean + tolerance(sd: sd(after.left), n: 1000))
            if door == "gcp_regional_alb" { #expect(mean(before.pinned) > 0.5) }
            lines.append(
                "\(door): pinned at +30 min \(mean(before.pinned)) -> \(p); mean wait "
                    + "\(mean(before.left)) -> \(mean(after.left)) s")
        }
        print(lines.joined(separator: "\n") + "\nbound P(Y > 1800) = \(pinnedBound), E[Y] = \(residualMean)")
    }
}
