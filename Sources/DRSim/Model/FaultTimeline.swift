/// When each region is down in one replication: the sampled fault, as intervals of simulated time.
public struct FaultTimeline: Sendable {
    /// Per region: down from `downFrom` until `downUntil` (`.infinity` = beyond the horizon).
    public var downFrom: [Double]
    public var downUntil: [Double]
    /// How a probe to a down region fails, per region.
    public var mode: [Config.Fault.Mode]

    public init(regions: Int) {
        downFrom = Array(repeating: .infinity, count: regions)
        downUntil = Array(repeating: .infinity, count: regions)
        mode = Array(repeating: .blackhole, count: regions)
    }

    @inlinable public func isDown(_ region: Int, at t: Double) -> Bool {
        t >= downFrom[region] && t < downUntil[region]
    }
}
