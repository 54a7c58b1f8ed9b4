import DRSimKernel

/// The model's clock: integer microseconds since the fault start, as the kernel's `SimTime` holds them
/// (docs/model.md, its units paragraph). What the model records (answer changes, verdicts, moves, curve steps) is in
/// microseconds; seconds appear only at the edges: durations from the config or drawn from a
/// distribution coming in, results and traces going out, and the fault timeline, which is sampled in
/// seconds on the microsecond grid.
enum ModelTime {
    /// `s` seconds on the microsecond grid, rounded to the nearest; beyond about 8,000 years (∞
    /// included) `Int64.max`, the kernel's "never".
    @inline(__always) static func microseconds(_ s: Double) -> Int64 { SimTime(seconds: s).microseconds }

    /// `us` microseconds in seconds.
    @inline(__always) static func seconds(_ us: Int64) -> Double { Double(us) / 1_000_000 }
}
