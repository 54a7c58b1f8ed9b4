import Foundation

/// A browser's DNS cache behind one resolver, in the stationary state a long warm-up gives
/// (docs/model.md, "Client caches"): when a browser cohort lets go of the old answer.
///
/// A browser keeps an answer for max(remaining TTL, f) and looks the name up again at its user's next
/// request, δ ~ Exp(θ) after its cache expires. Measure its expiry against the expiry of the resolver's
/// answer it holds: the lag g ≥ 0. A lookup in the resolver's last f seconds before expiry, or in
/// its empty spell, gets an answer that outlives the floor and expires with the resolver's (g = 0, in
/// step); otherwise the lag grows by the lookup's wait and shrinks by L − f per round:
/// g' = max(0, g + δ − (L − f)), a Lindley recursion. For L − f > θ its stationary law is the waiting
/// time of a queue with exponential service: g = 0 with probability 1 − σ, else exponential with mean
/// θ / (1 − σ), where σ is the root in [0, 1) of σ = e^(−(L − f)(1 − σ)/θ). For L − f ≤ θ (and L ≤ f)
/// there is no such root (σ = 1): the browser runs at its own phase, independent of its resolver; at
/// a given instant it is then in its hold (probability f / (f + θ), time left uniform on [0, f]) or
/// waiting for its user's next request (probability θ / (f + θ), time waited exponential, mean θ).
///
/// The sample: a browser out of step (σ of them) is idle with probability θ / (f + θ) and moves when
/// its cache expired, R − Exp(θ) (not before the change), else at R + its lag, an exponential of rate
/// (1 − σ)/θ wrapped onto [0, f) (uniform at σ = 1). That is exact for L ≤ f and, up to the wrap, for
/// L − f > θ; near L − f = θ it is an approximation (ClientCacheWarmUpTests measures it). The
/// resolver's empty spell (about 1/λ) is neglected against θ and L − f, so σ is continuous at L = f.
/// θ = 0 gives the limit of lookups at expiry: in step behind L > f, a uniform phase behind L ≤ f.
struct BrowserCache: Sendable {
    /// The floor f [s] and the lookup wait θ [s].
    let floor: Double
    let lookupDelay: Double
    /// σ, the share of browsers out of step with their resolver, and the share of all browsers that are
    /// out of step and idle.
    let outOfStep: Double
    let idle: Double
    /// Rate of the out-of-step lag's exponential [1/s], and the share of it below f.
    let rate: Double
    let belowFloor: Double

    /// A browser of kind `kind` behind a resolver whose effective TTL is `ttl` [s] (any other kind: a
    /// placeholder that is never asked).
    init(_ kind: Config.Clients.ClientKind, ttl L: Double) {
        let f: Double
        if case .floor(let s) = kind.cache { f = s } else { f = 0 }
        floor = f
        lookupDelay = kind.lookupDelay
        let theta = kind.lookupDelay
        outOfStep = f <= 0 || L <= f ? 1 : theta > 0 ? Self.outOfStep(a: (L - f) / theta) : 0
        idle = f + theta > 0 ? outOfStep * theta / (f + theta) : 0
        rate = theta > 0 ? (1 - outOfStep) / theta : 0
        belowFloor = -expm1(-rate * f)
    }

    /// σ: the root in [0, 1) of σ = e^(−a(1 − σ)) for a > 1 (Newton's method from 0, which climbs to
    /// it without overshooting, as the function is convex), else 1.
    static func outOfStep(a: Double) -> Double {
        guard a > 1 else { return 1 }
        // Past a = 40 the root is e^(−a) to double precision (its relative error is about a·e^(−a)).
        guard a <= 40 else { return exp(-a) }
        var x = 0.0
        for _ in 0..<200 {
            let e = exp(-a * (1 - x))
            let step = (e - x) / (a * e - 1)
            x -= step
            if abs(step) < 1e-15 { break }
        }
        return min(max(x, 0), 1)
    }

    /// When the browser cohort at place `w` in [0, 1) of the stationary law lets go of the old answer
    /// [s after the change], its resolver letting go at R: R plus the lag at w, so that for a given w it
    /// never comes sooner behind a resolver that lets go later.
    @inline(__always) func letGo(phase w: Double, resolverLetGo R: Double) -> Double {
        guard floor > 0, outOfStep > 0 else { return R }
        let inStep = 1 - outOfStep
        if w < inStep { return R }
        if w < inStep + idle { return R + max(-R, lookupDelay * log((w - inStep) / idle)) }
        let u = (w - inStep - idle) / (outOfStep - idle)
        return R + (rate * floor < 1e-9 ? u * floor : -log1p(-u * belowFloor) / rate)
    }
}
