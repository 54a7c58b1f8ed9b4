import DRSim
import Foundation
import Testing

@Suite struct ConfigTests {
    func problems(_ sets: [String]) -> [String] {
        do {
            _ = try scenario(sets)
            return []
        } catch let e as ConfigError {
            return e.issues.map(\.description)
        } catch {
            return ["\(error)"]
        }
    }

    struct Bad: CustomTestStringConvertible, Sendable {
        var name: String
        var sets: [String]
        var message: String
        var testDescription: String { name }
    }

    static let bad: [Bad] = [
        Bad(
            name: "fault id twice",
            sets: [
                "faults[0].id=\"x\"",
                "faults[1]={\"kind\": \"partial\", \"region\": \"b\", \"share\": 0.1, \"id\": \"x\"}",
            ],
            message:
                "faults[1].id: the fault id \"x\" is taken by faults[0].id; fault ids must be unique: give this fault "
                + "an id of its own"
        ),
        Bad(
            name: "fault id made of its kind and target, taken",
            sets: [
                "faults[0].id=\"partial/b\"",
                "faults[1]={\"kind\": \"partial\", \"region\": \"b\", \"share\": 0.1}",
            ],
            message:
                "faults[1]: the fault id \"partial/b\" (made of its kind and target) is taken by faults[0].id; fault "
                + "ids must be unique"
        ),
        Bad(
            name: "empty fault id", sets: ["faults[0].id=\" \""],
            message: "faults[0].id: empty; give the fault an id, or leave id out for one made of its kind and target"),
        Bad(name: "wrong type", sets: ["horizon_s=\"long\""], message: "horizon_s: found \"long\", expected a number"),
        Bad(
            name: "unknown key with a suggestion", sets: ["dns.ttl=30"],
            message: "dns.ttl: unknown key (did you mean \"ttl_s\"?)"),
        Bad(
            name: "threshold out of range", sets: ["health_checks[0].failure_threshold=11"],
            message: "health_checks[0].failure_threshold: found 11, allowed: a whole number from 1 to 10"),
        Bad(
            name: "interval not offered by Route 53", sets: ["health_checks[0].interval_s=20"],
            message: "health_checks[0].interval_s: found 20, allowed: 10 or 30 (Route 53 RequestInterval)"),
        Bad(
            name: "missing region", sets: ["dns.records[1].target=\"us-west-9\""],
            message: "dns.records[1].target: found \"us-west-9\", which names no region"),
        Bad(
            name: "misspelt region", sets: ["faults[0].region=\"aa\""],
            message: "faults[0].region: found \"aa\", which names no region (did you mean \"a\"?)"),
        Bad(
            name: "unknown health check", sets: ["dns.records[0].health_check=\"hc-x\""],
            message: "dns.records[0].health_check: found \"hc-x\", which names no health check"),
        Bad(
            name: "shares not summing to one", sets: ["clients.client_mix=[{\"share\": 0.5, \"kind\": \"stub\"}]"],
            message: "clients.client_mix: the shares sum to 0.5; they must sum to 1"),
        Bad(
            name: "bad distribution", sets: ["health_checks[0].status_to_dns_s={\"uniform\": [10, 2]}"],
            message:
                "health_checks[0].status_to_dns_s.uniform: found [10, 2], the lower bound must not exceed the upper"),
        Bad(
            name: "unknown distribution", sets: ["health_checks[0].status_to_dns_s={\"unifrom\": [2, 10]}"],
            message: "unknown distribution \"unifrom\" (did you mean \"uniform\"?)"),
        Bad(
            name: "unknown enum value", sets: ["health_checks[0].protocol=\"htps\""],
            message:
                "health_checks[0].protocol: found \"htps\", allowed: \"http\", \"https\", \"tcp\" (did you mean "
                + "\"https\"?)"
        ),
        Bad(
            name: "weights all zero",
            sets: ["dns.policy=\"weighted\"", "dns.records[0].weight=0", "dns.records[1].weight=0"],
            message: "dns.records: every weight is 0"),
        Bad(
            name: "MRSC needs three replicas", sets: ["database.mode=\"mrsc\""],
            message: "database.mode: MRSC needs exactly three regions, or two and a witness"),
        Bad(
            name: "key space neither an object nor false", sets: ["database.key_space=true"],
            message: "database.key_space: found true, expected an object or false"),
        Bad(
            name: "key space without items", sets: ["database.key_space={\"keys\": 0}"],
            message: "database.key_space.keys: found 0, allowed: a whole number from 1 to 1000000000000"),
        Bad(
            name: "negative Zipf exponent", sets: ["database.key_space={\"zipf_exponent\": -1}"],
            message: "database.key_space.zipf_exponent: found -1, allowed:"),
        Bad(
            name: "standby without capacity",
            sets: ["regions[1].standby={\"initial_capacity\": 0.25, \"scale_up_s\": 60}"],
            message: "regions[1].standby: a standby scales up to capacity_rps"),
        Bad(
            name: "record to a missing load balancer", sets: ["dns.records[1].target=\"load_balancer\""],
            message: "dns.records: a record targets \"load_balancer\" but the config has no load_balancer"),
        Bad(
            name: "fault kind without its parameter", sets: ["faults[0]={\"kind\": \"partial\", \"region\": \"a\"}"],
            message: "faults[0].share: missing; it is required"),
        Bad(
            name: "two primaries", sets: ["dns.records[1].role=\"primary\""],
            message: "dns.records: found 2 primary, 0 secondary and 0 tertiary records"),
        Bad(
            name: "db_endpoint after entries that are not regions",
            sets: [
                "regions=[5, 6, {\"name\": \"a\", \"db_endpoint\": \"b\"}, {\"name\": \"b\", \"role\": \"passive\"}]"
            ],
            message: "regions[1]: found 6, expected an object"),
        Bad(
            name: "session length without an exact residual sampler",
            sets: ["clients.sessions={\"length_s\": {\"normal\": {\"mean\": 300, \"sd\": 60}}}"],
            message: "clients.sessions.length_s: a session length cannot be a truncated normal"),
        Bad(
            name: "no attempt at all", sets: ["traffic.retries={\"max_attempts\": 0}"],
            message: "traffic.retries.max_attempts: found 0, allowed: a whole number from 1 to 100"),
        Bad(
            name: "sessions switch not a boolean", sets: ["clients.sessions.enabled=\"no\""],
            message: "clients.sessions.enabled: found \"no\", expected true or false"),
        Bad(
            name: "a stability window as long as the horizon", sets: ["slo={\"stable_for_s\": 600}"],
            message: "slo.stable_for_s: 600 s is not shorter than horizon_s (600 s)"),
        Bad(
            name: "a target on MRSC's latency under MREC", sets: ["expect=[\"mrsc_write_latency_s:p99 <= 1\"]"],
            message: "mrsc_write_latency_s has no values in this config (it is the latency MRSC adds to a write, and "
                + "database.mode is mrec)"),
        Bad(
            name: "a target on conflicts without a key space",
            sets: ["database.key_space=false", "expect=[\"conflict_overwrites:mean <= 1\"]"],
            message: "conflict_overwrites has no values in this config (database.key_space is false"),
        Bad(
            name: "a target on a write metric without writes",
            sets: ["traffic.write_share=0", "expect=[\"write_rto_s:p50 <= 60\"]"],
            message: "write_rto_s has no values in this config (it has no writes: traffic.write_share is 0)"),
    ]

    @Test(arguments: bad)
    func badConfigsNameThePathWhatWasFoundAndWhatIsAllowed(_ b: Bad) {
        let p = problems(b.sets)
        #expect(p.contains { $0.hasPrefix(b.message) || $0.contains(b.message) }, "got: \(p)")
    }

    @Test func everyErrorOfAFileIsReportedAtOnce() {
        let p = problems(["horizon_s=-1", "dns.ttl=30", "health_checks[0].checkers=0", "traffic.write_share=2"])
        #expect(p.count == 4, "got: \(p)")
    }

    /// A UTF-8 byte-order mark (Windows editors write one) is read past, and positions count after it.
    @Test func aByteOrderMarkIsIgnored() throws {
        let bom: [UInt8] = [0xEF, 0xBB, 0xBF]
        #expect(try JSON.parse(Data(bom + Array("{\"a\": 1}".utf8))) == .object(["a": .number(1)]))
        #expect { try JSON.parse(Data(bom + Array("{,}".utf8))) } throws: { "\($0)".contains("line 1, column 2") }
    }

    @Test func malformedJSONSaysWhere() {
        #expect(throws: ConfigError.self) { try Config.load(data: Data("{\n \"seed\": 1,,\n}".utf8), defaultName: "x") }
        do {
            _ = try Config.load(data: Data("{\n \"seed\": 1,,\n}".utf8), defaultName: "x")
        } catch {
            #expect(error.issues[0].message.contains("line 2"), "\(error.issues)")
        }
    }

    /// JSON is read strictly: what a lenient reader would quietly accept (or crash on) is an error that
    /// says what and where.
    @Test(arguments: [
        ("{\"seed\": 1, \"seed\": 2}", "duplicate key \"seed\""),
        ("{\"seed\": 1,}", "trailing comma before '}'"),
        ("{\"regions\": [1, 2,]}", "trailing comma before ']'"),
        ("{\"seed\": 1e400}", "too large for a double"),
        ("{\"seed\": 01}", "may not start with 0"),
        ("{\"seed\": 1} {}", "unexpected text after the JSON value"),
        (String(repeating: "[", count: 200) + String(repeating: "]", count: 200), "nested deeper than 64 levels"),
        ("{\"name\": \"\\ud800\"}", "unpaired surrogate"),
        ("{\"name\": \"a\u{01}b\"}", "control character"),
    ])
    func strictJSON(_ text: String, _ expected: String) {
        do {
            _ = try Config.load(data: Data(text.utf8), defaultName: "x")
            Issue.record("accepted: \(text)")
        } catch {
            #expect(
                error.issues.contains { $0.message.contains(expected) && $0.message.contains("line 1") },
                "\(error.issues)")
        }
    }

    @Test func strictJSONStillReadsEveryValidForm() throws {
        let v = try JSON.parse(
            Data(#"{"a": [true, false, null, -0.5e-3, 12, "\u00e9\n\"\/", {}], "b": {"c": []}}"#.utf8))
        #expect(
            v
                == .object([
                    "a": .array([
                        .bool(true), .bool(false), .null, .number(-0.0005), .number(12), .string("é\n\"/"),
                        .object([:]),
                    ]),
                    "b": .object(["c": .array([])]),
                ]))
    }

    /// A --set value that looks like JSON must be JSON; a bare word is a string.
    @Test func setValuesThatLookLikeJSONMustBeJSON() throws {
        #expect(throws: ConfigIssue.self) { _ = try Override(parsing: "dns.ttl_s={\"a\":1") }
        #expect(throws: ConfigIssue.self) { _ = try Override(parsing: "regions=[1,") }
        // Starts like JSON's end: not a word.
        #expect(throws: ConfigIssue.self) { _ = try Override(parsing: "dns.ttl_s=]") }
        #expect(try Override(parsing: "name=plain-word").value == .string("plain-word"))
    }

    @Test func overridesReachNestedKeysAndRejectBadPaths() throws {
        let c = try scenario(["dns.ttl_s=30", "health_checks[0].interval_s=10", "name=tuned"])
        #expect(c.dns.ttl == 30 && c.healthChecks[0].interval == 10 && c.name == "tuned")
        #expect(throws: ConfigError.self) { try scenario(["health_checks[3].interval_s=10"]) }
        #expect(throws: ConfigIssue.self) { _ = try Override(parsing: "no-equals-sign") }
        // A list the config leaves to its default has no entries to reach: the message says to set the list.
        #expect { try scenario(["clients={}", "clients.client_mix[0].min_cache_s=30"]) } throws: { e in
            (e as? ConfigError)?.issues.contains {
                $0.description.contains("the config does not list clients.client_mix (its default applies)")
                    && $0.description.contains("set the whole list instead")
            } == true
        }
    }

    @Test func defaultsFollowTheModel() throws {
        let c = try scenario(["health_checks[0]={\"id\": \"hc-a\", \"target\": \"a\"}", "clients={}"])
        let h = c.healthChecks[0]
        #expect(h.interval == 30 && h.failureThreshold == 3 && h.checkers == 15 && h.healthyAbove == 0.18)
        #expect(h.minimumHealthy == 3)  // 3/15 = 20% > 18%; 2/15 = 13% is not
        #expect(h.probeRTT == .fixed(0.1) && h.statusToDNS == .uniform(2, 10))
        #expect(c.clients.resolvers == 1000 && c.clients.resolverMix == Config.Clients.defaultResolverMix)
        #expect(c.database.replicationLag == .lognormal(median: 0.5, p99: 2.5))
        #expect(c.traffic.retries.maxAttempts == 3)
        #expect(c.clients.sessions.enabled && c.clients.sessions.length == .lognormal(median: 180, p99: 1800))
    }

    @Test func warningsFlagDesignsThatDefeatFailover() throws {
        let base = """
            {"regions": [{"name": "a"}, {"name": "b", "role": "passive"}],
             "health_checks": [{"id": "h", "target": "a"}],
             "dns": {"ttl_s": 300, "records": [{"role": "primary", "target": "a", "health_check": "h"},
                                                {"role": "secondary", "target": "a"}]}}
            """
        let w = try Config.load(data: Data(base.utf8), defaultName: "w").warnings.map(\.description)
        #expect(w.contains { $0.contains("lead to the same place") })
        #expect(w.contains { $0.contains("AWS recommends 60 s or less") })
    }

    @Test func resolvedConfigDecodesToTheSameConfig() throws {
        let c = try scenario(["clients={}", "faults[0].duration_s={\"lognormal\": {\"median\": 600, \"p99\": 3600}}"])
        let again = try Config.decode(c.resolved).config
        #expect(again == c)
    }

    /// Each section's reader and writer agree: what run.json holds reads back as the same config, and
    /// writes the same JSON again, for every bundled model and for configs that set the keys the
    /// writer leaves out or writes only sometimes.
    @Test(
        arguments: GoldenTests.models.map { [$0] } + [
            [
                "regions[0].front_door=\"aws_alb\"",
                "regions[1].front_door={\"idle_timeout_s\": 30, \"max_age_s\": \"none\"}",
                "regions[1].capacity_rps=50",
                "regions[1].standby={\"initial_capacity\": 0.5, \"scale_up_s\": 60, \"trigger\": \"failover\"}",
                "regions[0].db_endpoint=\"b\"",
                "regions[2]={\"name\": \"c\", \"role\": \"passive\", \"activation\": {\"delay_s\": 9}}",
                "load_balancer={\"backends\": [\"a\", \"b\"], \"fail_open\": false, \"front_door\": \"custom\"}",
                "health_checks[1]={\"id\": \"hc-lb\", \"target\": \"load_balancer\", \"checker_regions\": "
                    + "[\"us-east-1\", \"eu-west-1\", \"sa-east-1\"]}",
                "dns.policy=\"weighted\"",
                "dns.records=[{\"target\": \"load_balancer\", \"weight\": "
                    + "3, \"health_check\": \"hc-lb\"}, {\"target\": \"c\", \"weight\": 0}]",
                "clients.resolver_mix=[{\"share\": 0.9, \"behaviour\": \"honour\"}, {\"share\": 0.05, \"behaviour\": "
                    + "\"floor\", \"floor_s\": 90}, {\"share\": 0.05, \"behaviour\": \"serve_stale\", "
                    + "\"reply_ttl_s\": 20}]",
                "clients.client_mix=[{\"share\": 0.5, \"kind\": \"browser\"}, {\"share\": 0.5, \"kind\": \"jvm\", "
                    + "\"cache_s\": 5}]",
                "clients.geography=[{\"region\": \"a\", \"share\": 1, \"nearest\": [\"b\"]}]",
                "traffic.retries={\"max_attempts\": 1}",
                "clients.sessions={\"enabled\": false, \"length_s\": {\"gamma\": {\"shape\": 2, \"scale\": 60}}}",
                "database={\"mode\": \"mrsc\", \"writes\": \"primary\", \"failover\": {\"delay_s\": 20}}",
                "faults=[{\"kind\": \"partial\", \"region\": \"a\", \"share\": 0.5, \"duration_s\": 60}, {\"kind\": "
                    + "\"checker_blocked\", \"health_check\": "
                    + "\"hc-a\", \"checker_regions\": [\"us-east-1\"]}, {\"kind\": \"health_check_disabled\", "
                    + "\"health_check\": \"hc-a\"}, {\"kind\": "
                    + "\"replication_impaired\", \"region\": \"b\", \"lag_multiplier\": 4}, {\"kind\": "
                    + "\"replication_impaired\", \"region\": "
                    + "\"b\", \"mode\": \"stalled\"}, {\"kind\": \"region_outage\", \"region\": \"a\", \"mode\": "
                    + "\"refused\", \"scope\": \"app\"}]",
            ],
            [
                "dns.policy=\"latency\"",
                "dns.records=[{\"target\": \"a\", \"health_check\": \"hc-a\"}, {\"target\": \"b\"}]",
                "database={\"mode\": \"mrsc\", \"witness\": \"w\"}",
            ],
            ["database.key_space=false"],
            ["database.key_space={\"keys\": 1000, \"zipf_exponent\": 0.8}"],
        ])
    func resolvedConfigReadsBackTheSame(_ source: [String]) throws {
        let c =
            source.first?.hasSuffix(".json") == true ? try model(String(source[0].dropLast(5))) : try scenario(source)
        let again = try Config.decode(c.resolved).config
        #expect(again == c)
        #expect(again.resolved == c.resolved)
    }
}
