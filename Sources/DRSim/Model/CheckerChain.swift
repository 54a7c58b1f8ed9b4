/// One Route 53 checker's status as a Markov chain over its probes while the endpoint is healthy and
/// each probe fails on its own with probability p (transient failures).
///
/// States 0..<N: healthy with that many consecutive failures; N..<2N: unhealthy with (state − N)
/// consecutive successes. N failures in a row turn a checker unhealthy, N successes healthy again.
/// A checker that has run for a long time is in state s with the stationary probability π(s); drsim
/// samples that state directly instead of simulating a warm-up (the tests compare the two).
public struct CheckerChain: Sendable, Equatable {
    public let threshold: Int
    public let failureProbability: Double
    /// Cumulative stationary distribution over the 2N states.
    public let cumulative: [Double]

    public init(threshold n: Int, failureProbability p: Double) {
        threshold = n
        failureProbability = p
        let pi = Self.stationary(threshold: n, p: p)
        var acc = 0.0
        cumulative = pi.map {
            acc += $0
            return acc
        }
    }

    /// The state after one more probe.
    @inlinable public func next(_ s: Int, success: Bool) -> Int {
        let n = threshold
        if s < n { return success ? 0 : (s + 1 == n ? n : s + 1) }
        return success ? (s - n + 1 == n ? 0 : s + 1) : n
    }

    @inlinable public static func isHealthy(_ s: Int, threshold n: Int) -> Bool { s < n }

    /// Draws a stationary state from a uniform u in [0, 1).
    @inlinable public func state(forUniform u: Double) -> Int {
        if failureProbability == 0 { return 0 }
        var i = 0
        while i < cumulative.count - 1 && u >= cumulative[i] { i += 1 }
        return i
    }

    /// π for the chain, solved exactly (Gaussian elimination with partial pivoting on πP = π, Σπ = 1).
    static func stationary(threshold n: Int, p: Double) -> [Double] {
        let m = 2 * n
        guard p > 0 else { return [1] + Array(repeating: 0, count: m - 1) }
        // Transition matrix.
        var P = Array(repeating: Array(repeating: 0.0, count: m), count: m)
        let chain = CheckerChain(threshold: n, failureProbability: 0, cumulative: [])
        for s in 0..<m {
            P[s][chain.next(s, success: true)] += 1 - p
            P[s][chain.next(s, success: false)] += p
        }
        // Solve (Pᵀ − I) π = 0 with the last equation replaced by Σπ = 1.
        var A = Array(repeating: Array(repeating: 0.0, count: m + 1), count: m)
        for i in 0..<m {
            for j in 0..<m { A[i][j] = P[j][i] - (i == j ? 1 : 0) }
        }
        A[m - 1] = Array(repeating: 1.0, count: m) + [1.0]
        for col in 0..<m {
            let pivot = (col..<m).max { abs(A[$0][col]) < abs(A[$1][col]) }!
            A.swapAt(col, pivot)
            let d = A[col][col]
            for j in col...m { A[col][j] /= d }
            for i in 0..<m where i != col && A[i][col] != 0 {
                let f = A[i][col]
                for j in col...m { A[i][j] -= f * A[col][j] }
            }
        }
        return (0..<m).map { max(0, A[$0][m]) }
    }

    private init(threshold: Int, failureProbability: Double, cumulative: [Double]) {
        self.threshold = threshold
        self.failureProbability = failureProbability
        self.cumulative = cumulative
    }
}
