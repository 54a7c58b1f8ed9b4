/// A point or span of simulated time, an integer count of microseconds.
///
/// Integer time makes event order exact: two events scheduled for the same instant compare equal in
/// time and are ordered by priority and sequence number, never by floating-point noise.
public struct SimTime: Comparable, Hashable, Sendable, CustomStringConvertible {
    /// Microseconds since the fault start (t = 0); negative before it.
    public var microseconds: Int64

    @inlinable public init(microseconds: Int64) { self.microseconds = microseconds }

    /// The instant `seconds` after t = 0, rounded to the nearest microsecond.
    /// Values beyond ±2.5e11 s (about 8,000 years) are clamped to `.infinity` / `-.infinity`.
    @inlinable public init(seconds: Double) {
        let us = (seconds * 1_000_000).rounded()
        if us >= 9.0e18 {
            self = .infinity
        } else if us <= -9.0e18 {
            self = -.infinity
        } else {
            self.microseconds = Int64(us)
        }
    }

    /// Seconds [s] as a Double.
    @inlinable public var seconds: Double { Double(microseconds) / 1_000_000 }

    public static let zero = SimTime(microseconds: 0)
    /// Later than any time a simulation reaches; stands for "never".
    public static let infinity = SimTime(microseconds: Int64.max)
    public static prefix func - (t: SimTime) -> SimTime {
        SimTime(microseconds: t == .infinity ? Int64.min : -t.microseconds)
    }

    @inlinable public static func < (a: SimTime, b: SimTime) -> Bool { a.microseconds < b.microseconds }
    /// Saturating sum: anything plus `.infinity` stays `.infinity`.
    @inlinable public static func + (a: SimTime, b: SimTime) -> SimTime {
        let (s, o) = a.microseconds.addingReportingOverflow(b.microseconds)
        return o ? (b.microseconds > 0 ? .infinity : SimTime(microseconds: Int64.min)) : SimTime(microseconds: s)
    }
    @inlinable public static func - (a: SimTime, b: SimTime) -> SimTime {
        SimTime(microseconds: a.microseconds &- b.microseconds)
    }

    public var description: String { self == .infinity ? "never" : "\(seconds) s" }
}
