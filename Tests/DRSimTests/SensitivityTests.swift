import DRSim
import DRSimStudy
import DRSimTestSupport
import Foundation
import Testing

/// `drsim sensitivity`: the ranges applied to a config, and the ranking on the seed model.
@Suite struct SensitivityTests {
    @Test func rangesScaleDistributionsAndSetValues() throws {
        let c = try model("seed-active-passive").resolved
        func at(_ json: JSON?, _ path: [String]) -> JSON? {
            var node = json
            for k in path {
                switch node {
                case .object(let o)?: node = o[k]
                case .array(let a)? where Int(k) != nil: node = a[Int(k)!]
                default: return nil
                }
            }
            return node
        }
        func assumption(_ name: String) -> Assumption { Assumption.all.first { $0.name == name }! }
        // ×2 of uniform [2, 10] on every health check; the lognormal's μ moves by ln 3 (the law of 3·X).
        let dns = assumption("status-to-DNS delay").applied(to: c, high: true)
        #expect(
            at(dns, ["health_checks", "0", "status_to_dns_s"])
                == .object(["uniform": .array([.number(4), .number(20)])]))
        #expect(
            at(dns, ["health_checks", "1", "status_to_dns_s"])
                == .object(["uniform": .array([.number(4), .number(20)])]))
        guard case .number(let mu)? = at(c, ["database", "replication_lag_s", "lognormal", "mu"]),
            case .number(let mu3)? = at(
                assumption("replication lag").applied(to: c, high: true),
                ["database", "replication_lag_s", "lognormal", "mu"])
        else {
            Issue.record("no lognormal lag")
            return
        }
        #expect(abs(mu3 - (mu + log(3))) < 1e-12)
        // Shares: the extending class takes its share from the honouring one; browsers from stubs.
        let mix = at(assumption("resolvers that extend TTLs").applied(to: c, high: false), ["clients", "resolver_mix"])
        guard case .number(let honour)? = at(mix, ["0", "share"]) else {
            Issue.record("no honouring share")
            return
        }
        #expect(at(mix, ["1", "share"]) == .number(0.04) && abs(honour - 0.96) < 1e-12)
        let clients = at(assumption("browser share of clients").applied(to: c, high: true), ["clients", "client_mix"])
        guard case .number(let stub)? = at(clients, ["1", "share"]) else {
            Issue.record("no stub share")
            return
        }
        #expect(
            at(clients, ["0", "share"]) == .number(0.6) && abs(stub - 0.2) < 1e-12
                && at(clients, ["2", "share"]) == .number(0.2))
        // The config's TTL is 300: the high end is the base run; settings the config lacks give nothing.
        #expect(
            assumption("TTL").applied(to: c, high: true) == nil && assumption("TTL").applied(to: c, high: false) != nil)
        for name in ["resolver floor", "load-balancer reprogramming", "standby scale-up", "passive-region activation"] {
            #expect(assumption(name).applied(to: c, high: false) == nil, "\(name)")
        }
        // Every end of every assumption that applies is a valid config.
        for a in Assumption.all {
            for high in [false, true] {
                guard let v = a.applied(to: c, high: high) else { continue }
                #expect(throws: Never.self, "\(a.name)") { try Config.decode(v) }
            }
        }
    }

    /// On the seed model: the TTL moves `recovered_50_s` most, and settings rto_s provably does not
    /// depend on (the replication lag, and write repointing, since its regions write locally) move it
    /// by exactly 0 and rank last.
    @Test(.slow) func theTTLLeadsAndWhatCannotMatterRanksLastAtZero() throws {
        let names = [
            "status-to-DNS delay", "replication lag", "write repointing delay", "TTL", "JVM DNS cache",
            "request timeout",
        ]
        let config = try model("seed-active-passive", ["replications=200"])
        let study = try Sensitivity(
            config, measures: [try Measure(parsing: "recovered_50_s:p50"), try Measure(parsing: "rto_s:p50")],
            assumptions: Assumption.all.filter { names.contains($0.name) }
        ) { c in try Runner.run(c, threads: 2) }
        #expect(study.runs == 1 + 11)  // the TTL's high end is the config's own 300 s
        let recovered = study.tables[0]
        let rto = study.tables[1]
        #expect(recovered.rows.first?.assumption.name == "TTL")
        // Half the traffic waits for a cache residual uniform on the TTL, whose median moves by
        // (300 − 10)/2 = 145 s from one end to the other; 100 leaves room for 200 replications' noise.
        #expect(recovered.rows.first!.swing > 100)
        for name in ["replication lag", "write repointing delay"] {
            let i = rto.rows.firstIndex { $0.assumption.name == name }!
            #expect(
                rto.rows[i].swing == 0 && rto.rows[i].low?.value == rto.base?.value
                    && rto.rows[i].high?.value == rto.base?.value)
            #expect(rto.rows[i...].allSatisfy { $0.swing == 0 }, "\(name) ranks among the last, all at zero")
        }
        #expect(study.csv.hasPrefix(Sensitivity.csvColumns.joined(separator: ",") + "\r\n"))
        #expect(study.csv.split(separator: "\r\n").count == 1 + 2 * names.count)
    }

    /// In the active-active seed model both records hold the load balancer's address: DNS never moves
    /// anything, so the TTL (and the resolvers' treatment of it) moves no metric at all.
    @Test(.slow) func theTTLMovesNothingWhereDNSNeverMoves() throws {
        let config = try model("seed-active-active-as-written", ["replications=100"])
        let study = try Sensitivity(
            config, measures: [try Measure(parsing: "rto_s:p50"), try Measure(parsing: "recovered_90_s:mean")],
            assumptions: Assumption.all.filter {
                ["TTL", "TTL extension", "load-balancer reprogramming"].contains($0.name)
            }
        ) { c in
            try Runner.run(c, threads: 2)
        }
        for t in study.tables {
            for name in ["TTL", "TTL extension"] {
                #expect(t.rows.first { $0.assumption.name == name }?.swing == 0, "\(t.measure) \(name)")
            }
            #expect(
                t.rows.last?.swing == 0 && t.rows.first?.assumption.name == "load-balancer reprogramming",
                "\(t.measure)")
        }
    }
}
