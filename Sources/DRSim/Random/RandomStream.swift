import CGSL

/// GSL set-up done once per process: its default error handler aborts, so it is turned off and every
/// call site checks its inputs (validated configs) or status codes instead.
enum GSL {
    static let ready: Bool = {
        gsl_set_error_handler_off()
        return true
    }()
}

/// SplitMix64 (Steele, Lea and Flood 2014): a bijective 64-bit mixer, used only to derive stream keys
/// and to fill generator state from them.
@inlinable func splitMix64(_ x: inout UInt64) -> UInt64 {
    x &+= 0x9E37_79B9_7F4A_7C15
    var z = x
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
}

/// Names a random stream: which replication and which model component it serves.
///
/// A component is named by a string (for example `"healthcheck/hc-us"`), hashed with FNV-1a, so adding
/// a component never shifts another component's numbers.
public struct StreamKey: Hashable, Sendable {
    public let value: UInt64

    public init(seed: UInt64, replication: UInt64, component: String) {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for b in component.utf8 { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01B3 }
        var s = seed
        var k = splitMix64(&s)
        var r = replication ^ k
        k = splitMix64(&r)
        var c = h ^ k
        value = splitMix64(&c)
    }
}

/// One random stream: GSL's taus2 (L'Ecuyer's maximally equidistributed combined Tausworthe
/// generator, period about 2^88), its whole state set from a 64-bit key.
///
/// GSL's own seeding takes 32 bits, which would make two of a million replications' streams collide;
/// setting the 96-bit state from the key avoids that. A three-word state makes re-keying cheap, so one
/// object per component and worker serves every replication, and nothing is allocated per replication.
/// Not thread-safe: one per worker.
public final class RandomStream {
    @usableFromInline let rng: UnsafeMutablePointer<gsl_rng>

    public init(key: StreamKey) {
        _ = GSL.ready
        guard let r = gsl_rng_alloc(drsim_rng_taus2()) else {
            preconditionFailure("out of memory allocating a random number generator")
        }
        precondition(drsim_taus_layout_ok(r) == 1, "this GSL's taus2 state layout is not the one drsim was built for")
        rng = r
        rekey(key)
    }

    deinit { gsl_rng_free(rng) }

    /// Restarts the stream from `key`: the same key always gives the same sequence. With `item`, the
    /// stream of part `item` of the key's component (a resolver or a cohort at one answer change, say):
    /// distinct items give unrelated sequences, so each part's draws are its own and do not shift when
    /// another part draws more or fewer numbers. Item 0 is the component's own stream.
    @inlinable public func rekey(_ key: StreamKey, item: UInt64 = 0) {
        let w = Self.words(key, item: item)
        drsim_taus_fill(rng, w.0, w.1, w.2)
    }

    /// The three words that start the stream of `item` of `key`.
    @inlinable static func words(_ key: StreamKey, item: UInt64) -> (UInt32, UInt32, UInt32) {
        var s = key.value ^ (item &* 0xD1B5_4A32_D192_ED03)
        let a = splitMix64(&s)
        let b = splitMix64(&s)
        return (UInt32(truncatingIfNeeded: a), UInt32(truncatingIfNeeded: a >> 32), UInt32(truncatingIfNeeded: b))
    }

    /// The first `out.count` uniform numbers of the stream of `item` of `key` (as `rekey` then
    /// `uniform()` gives them), without a generator.
    @inlinable public static func uniforms(_ key: StreamKey, item: UInt64, into out: UnsafeMutableBufferPointer<Double>)
    {
        guard let base = out.baseAddress else { return }
        let w = words(key, item: item)
        drsim_taus_uniforms(w.0, w.1, w.2, base, out.count)
    }

    /// Uniform on [0, 1): GSL's `gsl_rng_uniform`, with taus2's step inlined (same numbers).
    @inlinable public func uniform() -> Double { drsim_taus_uniform(rng) }
    /// Uniform on (0, 1).
    @inlinable public func uniformPositive() -> Double { gsl_rng_uniform_pos(rng) }
    /// True with probability `p`.
    @inlinable public func bernoulli(_ p: Double) -> Bool { p > 0 && drsim_taus_uniform(rng) < p }
    /// Exponential with the given mean.
    @inlinable public func exponential(mean: Double) -> Double { gsl_ran_exponential(rng, mean) }
    /// Poisson with the given mean.
    /// A Poisson count, exact in 64 bits. GSL's sampler returns a 32-bit count (and its inner binomial
    /// step works in 32 bits), so a large mean is split into equal parts of at most `poissonPart`, whose
    /// counts add up to a Poisson count of the whole mean.
    ///
    /// Above 10¹² (where the count's relative spread is below 10⁻⁶ and its skewness 10⁻⁶), the normal
    /// approximation N(μ, μ), rounded; configs are checked so that μ stays below 10¹⁵.
    @inlinable public func poisson(mean: Double) -> Int {
        guard mean > 0 else { return 0 }
        guard mean > Self.poissonPart else { return Int(gsl_ran_poisson(rng, mean)) }
        guard mean <= 1e12 else {
            let x = (mean + mean.squareRoot() * gsl_ran_ugaussian(rng)).rounded()
            return x >= 9e18 ? Int.max : Int(max(0, x))
        }
        let parts = (mean / Self.poissonPart).rounded(.up)
        var sum = 0
        for _ in 0..<Int(parts) { sum += Int(gsl_ran_poisson(rng, mean / parts)) }
        return sum
    }

    public static let poissonPart = 1e8

    /// A binomial count of n trials with success chance p (GSL's sampler takes 32-bit counts: a larger
    /// n is split into parts of at most 2³¹).
    @inlinable public func binomial(_ n: Int, _ p: Double) -> Int {
        guard n > 0, p > 0 else { return 0 }
        guard p < 1 else { return n }
        var left = n
        var sum = 0
        while left > 0 {
            let part = min(left, 1 << 31)
            sum += Int(gsl_ran_binomial(rng, p, UInt32(part)))
            left -= part
        }
        return sum
    }
}
