import DRSimKernel
import Testing

/// Records the order in which events are delivered and may schedule follow-ups.
private struct Recorder: SimModel {
    enum Event: Equatable {
        case mark(Int)
        case spawn(Int, delay: Int64)
        case pastSchedule
    }
    var seen: [(Int64, Int)] = []

    mutating func handle(_ event: Event, scheduler: inout Scheduler<Event>) throws(KernelError) {
        switch event {
        case .mark(let n): seen.append((scheduler.now.microseconds, n))
        case .spawn(let n, let d):
            seen.append((scheduler.now.microseconds, n))
            try scheduler.schedule(.mark(n + 1), after: SimTime(microseconds: d))
        case .pastSchedule:
            try scheduler.schedule(.mark(-1), at: scheduler.now - SimTime(microseconds: 1))
        }
    }
}

@Suite struct KernelTests {
    @Test func eventsRunInTimeOrder() throws {
        var sim = Simulation(model: Recorder())
        for (t, n) in [(30, 3), (10, 1), (20, 2), (0, 0)] {
            try sim.scheduler.schedule(.mark(n), at: SimTime(microseconds: Int64(t)))
        }
        try sim.run(until: .infinity)
        #expect(sim.model.seen.map(\.1) == [0, 1, 2, 3])
    }

    @Test func tiesBreakByPriorityThenSchedulingOrder() throws {
        var sim = Simulation(model: Recorder())
        let t = SimTime(microseconds: 5)
        // Same time: priority first, then first in, first out. 200 events make an unstable heap order show.
        for n in 0..<100 { try sim.scheduler.schedule(.mark(1000 + n), at: t, priority: 1) }
        for n in 0..<100 { try sim.scheduler.schedule(.mark(n), at: t, priority: 0) }
        try sim.run(until: .infinity)
        #expect(sim.model.seen.map(\.1) == Array(0..<100) + Array(1000..<1100))
    }

    @Test func cancelledEventsAreNeverDelivered() throws {
        var sim = Simulation(model: Recorder())
        var ids: [EventID] = []
        for n in 0..<10 { ids.append(try sim.scheduler.schedule(.mark(n), at: SimTime(microseconds: Int64(n)))) }
        sim.scheduler.cancel(ids[0])  // the top of the heap
        sim.scheduler.cancel(ids[5])
        sim.scheduler.cancel(ids[5])  // twice is harmless
        try sim.run(until: .infinity)
        #expect(sim.model.seen.map(\.1) == [1, 2, 3, 4, 6, 7, 8, 9])
    }

    @Test func runUntilStopsAtTheBoundaryAndKeepsLaterEvents() throws {
        var sim = Simulation(model: Recorder())
        try sim.scheduler.schedule(.mark(1), at: SimTime(microseconds: 10))
        try sim.scheduler.schedule(.mark(2), at: SimTime(microseconds: 20))
        try sim.run(until: SimTime(microseconds: 10))
        #expect(sim.model.seen.map(\.1) == [1])
        #expect(sim.scheduler.now == SimTime(microseconds: 10))
        #expect(sim.scheduler.pendingCount == 1)
        try sim.run(until: SimTime(microseconds: 15))
        #expect(sim.scheduler.now == SimTime(microseconds: 15))
        try sim.run(until: .infinity)
        #expect(sim.model.seen.map(\.1) == [1, 2])
    }

    @Test func timeNeverRunsBackwards() throws {
        var sim = Simulation(model: Recorder())
        // Events that schedule others at varied delays, including zero.
        for n in 0..<50 {
            try sim.scheduler.schedule(
                .spawn(n * 10, delay: Int64((n * 7919) % 13)), at: SimTime(microseconds: Int64((n * 31) % 17)))
        }
        try sim.run(until: .infinity)
        let times = sim.model.seen.map(\.0)
        #expect(times == times.sorted())
        #expect(times.count == 100)
    }

    @Test func schedulingInThePastIsRefused() throws {
        var sim = Simulation(model: Recorder())
        try sim.scheduler.schedule(.pastSchedule, at: SimTime(microseconds: 100))
        #expect(
            throws: KernelError.scheduledInPast(now: SimTime(microseconds: 100), requested: SimTime(microseconds: 99))
        ) {
            try sim.run(until: .infinity)
        }
        #expect(throws: KernelError.negativeDelay(SimTime(microseconds: -1))) {
            try sim.scheduler.schedule(.mark(0), after: SimTime(microseconds: -1))
        }
    }

    @Test func resetForgetsPendingEvents() throws {
        var sim = Simulation(model: Recorder())
        let id = try sim.scheduler.schedule(.mark(1), at: SimTime(microseconds: 10))
        sim.scheduler.cancel(id)
        sim.scheduler.reset()
        try sim.scheduler.schedule(.mark(2), at: SimTime(microseconds: 0))
        try sim.run(until: .infinity)
        #expect(sim.model.seen.map(\.1) == [2])
    }

    /// While an event is delivered it stays at the top of the heap; the first push takes its place.
    @Test func deliveryHandsItsPlaceToTheFirstNewEvent() {
        var q = EventQueue<Int>()
        let first = q.push(1, at: SimTime(microseconds: 0))
        q.push(2, at: SimTime(microseconds: 5))
        #expect(q.beginDelivery()?.event == 1)
        #expect(q.count == 1)  // the delivered event no longer counts
        q.cancel(first)  // cancelling the event being delivered does nothing
        q.push(3, at: SimTime(microseconds: 1))  // replaces it in the heap
        q.push(4, at: SimTime(microseconds: 1))  // inserted as usual
        q.endDelivery()
        #expect(q.count == 3)
        #expect([q.popNext()?.event, q.popNext()?.event, q.popNext()?.event, q.popNext()?.event] == [3, 4, 2, nil])
        // A delivery that pushes nothing removes the event.
        q.push(7, at: SimTime(microseconds: 9))
        #expect(q.beginDelivery()?.event == 7)
        q.endDelivery()
        #expect(q.isEmpty)
    }

    @Test func secondsRoundTrip() {
        #expect(SimTime(seconds: 1.5).microseconds == 1_500_000)
        #expect(SimTime(seconds: 1e300) == .infinity)
        #expect(SimTime.infinity + SimTime(seconds: 5) == .infinity)
        #expect(SimTime(seconds: 0.1234567).seconds == 0.123457)
    }
}
