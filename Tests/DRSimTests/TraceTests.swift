import DRSim
import DRSimResults
import DRSimStudy
import DRSimTestSupport
import Foundation
import Testing

/// One incident replayed (`run --replication N --trace`) and explained (`explain`).
@Suite struct TraceTests {
    /// The replayed incident is the run's row, whatever the thread count of the run; its events are
    /// valid JSON lines in time order, and the DNS answer and recovery events carry the row's times.
    @Test(.slow, arguments: ["seed-active-passive", "seed-active-passive-warm-standby", "split-gcp-app-outage"])
    func aReplayedIncidentIsItsRowOfTheRun(_ name: String) throws {
        let config = try model(name, ["replications=60", "clients.resolvers=200"])
        let one = try Runner.run(config, threads: 1)
        let two = try Runner.run(config, threads: 2)
        #expect(one.results == two.results)
        for n in [1, 17, 60] {
            let (result, events) = try IncidentSimulator(config: config).trace(replication: n - 1)
            #expect(result == one.results[n - 1], "\(name) replication \(n)")
            #expect(zip(events, events.dropFirst()).allSatisfy { $0.time <= $1.time })
            for e in events {
                let json = try JSON.parse(Data(e.jsonLine.utf8))
                guard case .object(let o) = json else {
                    Issue.record("not an object: \(e.jsonLine)")
                    continue
                }
                #expect(
                    o["t_s"] == .number(e.time) && o["component"] == .string(e.component) && !e.jsonLine.contains("\n"))
            }
            #expect(
                events.contains {
                    $0.component == "fault" && $0.event == "start" && $0.time == 0
                        && $0.fields["id"] == .string(config.faults[0].id)
                })
            if let t = result.recovered90, t > 0 {
                #expect(events.contains { $0.event == "recovered_90" && $0.time == t })
            }
            if !result.rtoCensored && result.rto > 0 {
                #expect(events.contains { $0.event == "rto" && $0.time == result.rto })
            }
            // Route 53 turns the status when no more than 18% of the checkers see the endpoint healthy:
            // the last checker view before it says so.
            if let status = events.first(where: { $0.event == "status_change" }),
                let view = events.last(where: { $0.component == "checker" && $0.time <= status.time }),
                case .number(let healthy)? = view.fields["healthy_checkers"],
                case .number(let k)? = view.fields["checkers"]
            {
                #expect(view.event == "sees_unhealthy" && healthy / k <= 0.18, "\(view.jsonLine)")
            }
            // Every cohort moves at the first answer change (failover routing): the classes' traffic sums to 1.
            let drains = events.filter { $0.component == "resolvers" && $0.fields["answer_change"] == .number(1) }
            if events.contains(where: { $0.component == "dns" }) {
                let total = drains.reduce(0.0) {
                    if case .number(let x)? = $1.fields["traffic_share"] { $0 + x } else { $0 }
                }
                #expect(
                    abs(total - 1) < 1e-9 && drains.contains { $0.fields["class"] == .string("honour") },
                    "\(drains.map(\.jsonLine))")
            }
            if result.lostWrites > 0 {
                #expect(
                    events.contains {
                        $0.event == "unreplicated_writes" && $0.fields["lost"] == .number(Double(result.lostWrites))
                    })
            }
        }
    }

    @Test func theStoryTellsTheIncidentsNumbers() throws {
        let config = try model("seed-active-passive", ["replications=40", "clients.resolvers=200"])
        let run = try Runner.run(config, threads: 2)
        let worst = try #require(IncidentStory.pick(.rto, worst: true, in: run.results, config: config))
        let s = Metric.rto.sample(run.results, config: config)
        #expect(
            s.values.indices.allSatisfy { i in
                s.censored[worst - 1] ? true : (!s.censored[i] && s.values[i] <= s.values[worst - 1])
            })
        let median = try #require(IncidentStory.pick(.recovered90, worst: false, in: run.results, config: config))
        let sorted = run.results.compactMap(\.recovered90).sorted()
        #expect(run.results[median - 1].recovered90 == sorted[(sorted.count - 1) / 2])
        let story = try IncidentStory(config, replication: median)
        let r = run.results[median - 1]
        #expect(story.text.contains("Incident \(median) of seed-active-passive"))
        #expect(story.text.contains("us-east-1 failed: a region outage"))
        #expect(story.text.contains("the DNS answer became eu-west-1"))
        #expect(story.text.contains("90% by \(IncidentStory.t(r.recovered90!))"))
        #expect(story.text.contains("\(r.lostWrites) acknowledged writes never reached another region"))
        if !r.rtoCensored {
            #expect(
                story.text.contains("RTO \(IncidentStory.t(r.rto))") && story.text.contains("The longest stage was"))
        }
    }
}
