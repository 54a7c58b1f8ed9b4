import HeapModule

/// Identifies one scheduled event, for cancelling it.
public struct EventID: Hashable, Sendable {
    public let sequence: UInt64
    @inlinable init(sequence: UInt64) { self.sequence = sequence }
}

/// A priority queue of events ordered totally by (time, priority, sequence number).
///
/// The sequence number is the order of scheduling, so events at the same time and priority run first
/// in, first out. `Heap`'s own order among equal elements is unspecified, which is why the key carries
/// the sequence number and no two keys are ever equal.
///
/// Cancelling is O(1): the event stays in the heap and is skipped when it reaches the top.
///
/// Complexity: `push` and `popNext` are O(log n).
public struct EventQueue<Event> {
    @usableFromInline struct Entry: Comparable {
        @usableFromInline var time: Int64
        @usableFromInline var priority: Int32
        @usableFromInline var sequence: UInt64
        @usableFromInline var event: Event

        @inlinable init(time: Int64, priority: Int32, sequence: UInt64, event: Event) {
            self.time = time
            self.priority = priority
            self.sequence = sequence
            self.event = event
        }

        @inlinable static func < (a: Entry, b: Entry) -> Bool {
            if a.time != b.time { return a.time < b.time }
            if a.priority != b.priority { return a.priority < b.priority }
            return a.sequence < b.sequence
        }
        @inlinable static func == (a: Entry, b: Entry) -> Bool { a.sequence == b.sequence }
    }

    @usableFromInline var heap = Heap<Entry>()
    @usableFromInline var cancelled = Set<UInt64>()
    @usableFromInline var nextSequence: UInt64 = 0

    public init() {}

    /// Events waiting, cancelled ones included until they are popped.
    public var count: Int { heap.count }
    public var isEmpty: Bool { heap.isEmpty }

    /// Adds an event; lower `priority` runs first among events at the same time.
    @inlinable @discardableResult
    public mutating func push(_ event: Event, at time: SimTime, priority: Int32 = 0) -> EventID {
        let seq = nextSequence
        nextSequence &+= 1
        heap.insert(Entry(time: time.microseconds, priority: priority, sequence: seq, event: event))
        return EventID(sequence: seq)
    }

    /// Marks an event so that it is dropped instead of delivered. Cancelling an event that already ran
    /// or was already cancelled does nothing.
    @inlinable public mutating func cancel(_ id: EventID) {
        if id.sequence < nextSequence { cancelled.insert(id.sequence) }
    }

    /// The time of the next event that will be delivered, or nil when none is left.
    @inlinable public mutating func peekTime() -> SimTime? {
        dropCancelledTop()
        return heap.min.map { SimTime(microseconds: $0.time) }
    }

    /// Removes and returns the earliest event that was not cancelled.
    @inlinable public mutating func popNext() -> (time: SimTime, event: Event)? {
        while let e = heap.popMin() {
            if !cancelled.isEmpty, cancelled.remove(e.sequence) != nil { continue }
            return (SimTime(microseconds: e.time), e.event)
        }
        return nil
    }

    /// Empties the queue, keeping its storage for the next replication. Sequence numbers restart.
    public mutating func removeAll() {
        var storage = Array(heap.unordered)
        storage.removeAll(keepingCapacity: true)
        heap = Heap(storage)
        cancelled.removeAll(keepingCapacity: true)
        nextSequence = 0
    }

    @inlinable mutating func dropCancelledTop() {
        while !cancelled.isEmpty, let top = heap.min, cancelled.contains(top.sequence) {
            cancelled.remove(top.sequence)
            _ = heap.popMin()
        }
    }
}
