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
/// Delivery in two steps (`beginDelivery`, `endDelivery`) lets the first event pushed while one is
/// being delivered take the delivered event's place in the heap (`Heap.replaceMin`): one heap walk
/// instead of two for the common case of an event that schedules the next.
///
/// Complexity: `push`, `popNext` and a delivery are O(log n).
public struct EventQueue<Event> {
    /// An event with its order packed into one 128-bit key, so that the heap compares with one
    /// branch-free wide comparison: high 64 bits the time (sign bit flipped, so that unsigned order is
    /// time order), then 16 bits of priority (biased), then a 48-bit sequence number.
    @usableFromInline struct Entry: Comparable {
        @usableFromInline var key: UInt128
        @usableFromInline var event: Event

        @inlinable init(time: Int64, priority: Int16, sequence: UInt64, event: Event) {
            let t = UInt64(bitPattern: time) ^ (1 << 63)
            let order = (UInt64(UInt16(bitPattern: priority) ^ 0x8000) << 48) | sequence
            key = (UInt128(t) << 64) | UInt128(order)
            self.event = event
        }

        @inlinable var time: Int64 { Int64(bitPattern: UInt64(truncatingIfNeeded: key >> 64) ^ (1 << 63)) }
        @inlinable var sequence: UInt64 { UInt64(truncatingIfNeeded: key) & Self.sequenceMask }
        @usableFromInline static var sequenceMask: UInt64 { (1 << 48) - 1 }

        @inlinable static func < (a: Entry, b: Entry) -> Bool { a.key < b.key }
        @inlinable static func == (a: Entry, b: Entry) -> Bool { a.key == b.key }
    }

    @usableFromInline var heap = Heap<Entry>()
    @usableFromInline var cancelled = Set<UInt64>()
    @usableFromInline var nextSequence: UInt64 = 0
    /// The sequence number of the event being delivered, still at the top of the heap; nil otherwise.
    @usableFromInline var delivering: UInt64?

    public init() {}

    /// Events waiting, cancelled ones included until they are popped.
    public var count: Int { heap.count - (delivering == nil ? 0 : 1) }
    public var isEmpty: Bool { count == 0 }

    /// Adds an event; lower `priority` runs first among events at the same time. At most 2⁴⁸ events
    /// may be pushed between two `removeAll()` calls.
    @inlinable @discardableResult
    public mutating func push(_ event: Event, at time: SimTime, priority: Int16 = 0) -> EventID {
        let seq = nextSequence
        precondition(seq <= Entry.sequenceMask, "more than 2^48 events scheduled in one simulation")
        nextSequence &+= 1
        let entry = Entry(time: time.microseconds, priority: priority, sequence: seq, event: event)
        if delivering != nil {
            heap.replaceMin(with: entry)  // the delivered event leaves, the new one takes its place
            delivering = nil
        } else {
            heap.insert(entry)
        }
        return EventID(sequence: seq)
    }

    /// Marks an event so that it is dropped instead of delivered. Cancelling an event that already ran
    /// or was already cancelled does nothing.
    @inlinable public mutating func cancel(_ id: EventID) {
        if id.sequence < nextSequence && id.sequence != delivering { cancelled.insert(id.sequence) }
    }

    /// The time of the next event that will be delivered, or nil when none is left.
    @inlinable public mutating func peekTime() -> SimTime? {
        dropCancelledTop()
        return heap.min.map { SimTime(microseconds: $0.time) }
    }

    /// Removes and returns the earliest event that was not cancelled.
    @inlinable public mutating func popNext() -> (time: SimTime, event: Event)? {
        guard let next = beginDelivery() else { return nil }
        endDelivery()
        return next
    }

    /// Returns the earliest event that was not cancelled, leaving it at the top of the heap until
    /// `endDelivery()` or the next `push`, whichever comes first, removes it.
    @inlinable public mutating func beginDelivery() -> (time: SimTime, event: Event)? {
        precondition(delivering == nil, "beginDelivery called twice without endDelivery")
        dropCancelledTop()
        guard let top = heap.min else { return nil }
        delivering = top.sequence
        return (SimTime(microseconds: top.time), top.event)
    }

    /// Removes the delivered event if no push has taken its place.
    @inlinable public mutating func endDelivery() {
        if delivering != nil {
            _ = heap.popMin()
            delivering = nil
        }
    }

    /// Empties the queue, keeping its storage for the next replication. Sequence numbers restart.
    public mutating func removeAll() {
        var storage = Array(heap.unordered)
        storage.removeAll(keepingCapacity: true)
        heap = Heap(storage)
        cancelled.removeAll(keepingCapacity: true)
        nextSequence = 0
        delivering = nil
    }

    @inlinable mutating func dropCancelledTop() {
        while !cancelled.isEmpty, let top = heap.min, cancelled.contains(top.sequence) {
            cancelled.remove(top.sequence)
            _ = heap.popMin()
        }
    }
}
