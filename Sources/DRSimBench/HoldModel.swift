import DRSim
import DRSimKernel

/// The classic hold model for event-queue benchmarks: P events pending; each, when delivered,
/// schedules one more after an exponential delay (mean 1 s), so the queue stays at P.
struct HoldModel: SimModel {
    enum Event { case hold }
    let stream: RandomStream
    var delivered = 0

    mutating func handle(_ event: Event, scheduler: inout Scheduler<Event>) throws(KernelError) {
        delivered += 1
        try scheduler.schedule(.hold, after: SimTime(microseconds: Int64(stream.exponential(mean: 1_000_000))))
    }
}
