/// Why the kernel refused a request. Both cases are programming errors in a model, never caused by
/// user input that passed validation; the run cannot go on.
public enum KernelError: Error, Equatable, CustomStringConvertible {
    /// An event was scheduled before the current time.
    case scheduledInPast(now: SimTime, requested: SimTime)
    /// A negative delay was asked for.
    case negativeDelay(SimTime)

    public var description: String {
        switch self {
        case .scheduledInPast(let now, let requested): "event scheduled at \(requested), before the current time \(now)"
        case .negativeDelay(let d): "negative delay \(d)"
        }
    }
}

/// The narrow handle a model sees: the clock, and scheduling and cancelling of its own events.
public struct Scheduler<Event> {
    public private(set) var now: SimTime
    @usableFromInline var queue: EventQueue<Event>

    public init(start: SimTime = .zero) {
        now = start
        queue = EventQueue()
    }

    /// Schedules `event` at the absolute time `time`, which must not be before `now`.
    @inlinable @discardableResult
    public mutating func schedule(_ event: Event, at time: SimTime, priority: Int16 = 0) throws(KernelError) -> EventID
    {
        guard time >= now else { throw .scheduledInPast(now: now, requested: time) }
        return queue.push(event, at: time, priority: priority)
    }

    /// Schedules `event` `delay` after `now`; the delay must not be negative.
    @inlinable @discardableResult
    public mutating func schedule(_ event: Event, after delay: SimTime, priority: Int16 = 0) throws(KernelError)
        -> EventID
    {
        guard delay >= .zero else { throw .negativeDelay(delay) }
        return queue.push(event, at: now + delay, priority: priority)
    }

    @inlinable public mutating func cancel(_ id: EventID) { queue.cancel(id) }

    /// Events waiting (cancelled ones included until they reach the top).
    public var pendingCount: Int { queue.count }

    @usableFromInline mutating func advance(to time: SimTime) {
        assert(time >= now, "simulated time ran backwards")
        now = time
    }

    /// Forgets every pending event and sets the clock, keeping storage for reuse.
    public mutating func reset(start: SimTime = .zero) {
        queue.removeAll()
        now = start
    }
}

/// A model driven by the kernel: it reacts to its own events and schedules new ones.
public protocol SimModel {
    associatedtype Event
    mutating func handle(_ event: Event, scheduler: inout Scheduler<Event>) throws(KernelError)
}

/// One simulation: a model and its scheduler. One instance per replication; nothing global.
public struct Simulation<Model: SimModel> {
    public var model: Model
    public var scheduler: Scheduler<Model.Event>

    public init(model: Model, start: SimTime = .zero) {
        self.model = model
        scheduler = Scheduler(start: start)
    }

    /// Gives the model and the scheduler together, for setting a replication up (initial state and
    /// first events) outside the run loop.
    @inlinable public mutating func setUp<R>(
        _ body: (inout Model, inout Scheduler<Model.Event>) throws(KernelError) -> R
    ) throws(KernelError) -> R {
        try body(&model, &scheduler)
    }

    /// Delivers the next event. Returns false when none is left.
    @inlinable @discardableResult
    public mutating func step() throws(KernelError) -> Bool {
        guard let (time, event) = scheduler.queue.beginDelivery() else { return false }
        scheduler.advance(to: time)
        defer { scheduler.queue.endDelivery() }
        try model.handle(event, scheduler: &scheduler)
        return true
    }

    /// Delivers every event up to and including `end`, then sets the clock to `end`.
    /// Events after `end` stay queued.
    @inlinable public mutating func run(until end: SimTime) throws(KernelError) {
        while let t = scheduler.queue.peekTime(), t <= end {
            try step()
        }
        if end > scheduler.now { scheduler.advance(to: end) }
    }
}
