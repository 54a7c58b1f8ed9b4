extension ClientPopulation.Move {
    /// Sorts `moves` by time into `out`, stably, with an LSD radix sort on the integer times (11-bit
    /// digits, as many passes as `maxKey` needs: 3 for an hour's horizon in microseconds). Moves are
    /// generated in (change, cohort) order, so the result is ordered by (time, change, cohort). Every
    /// time must be in 0...maxKey; `out` and `scratch` hold at least `moves.count` moves.
    ///
    /// Complexity: one counting pass for every digit at once, then one scatter pass per digit.
    static func sortByTime(
        _ moves: UnsafeBufferPointer<Self>, into out: UnsafeMutablePointer<Self>,
        scratch: UnsafeMutablePointer<Self>, maxKey: Int64
    ) {
        let n = moves.count
        guard n >= 32 else {
            // Insertion sort, stable, for tiny inputs.
            for i in 0..<n {
                let m = moves[i]
                var j = i
                while j > 0 && out[j - 1].time > m.time {
                    out[j] = out[j - 1]
                    j -= 1
                }
                out[j] = m
            }
            return
        }
        let bits = 64 - UInt64(bitPattern: maxKey).leadingZeroBitCount
        let passes = max(1, (bits + 10) / 11)
        @inline(__always) func digit(_ m: Self, _ pass: Int) -> Int {
            Int(truncatingIfNeeded: (UInt64(bitPattern: m.time) >> UInt64(11 * pass)) & 2047)
        }
        withUnsafeTemporaryAllocation(of: Int.self, capacity: 2048 * passes) { counts in
            counts.initialize(repeating: 0)
            for i in 0..<n {
                let m = moves[i]
                counts[digit(m, 0)] &+= 1
                if passes > 1 { counts[2048 &+ digit(m, 1)] &+= 1 }
                if passes > 2 { counts[4096 &+ digit(m, 2)] &+= 1 }
                if passes > 3 { for pass in 3..<passes { counts[pass &* 2048 &+ digit(m, pass)] &+= 1 } }
            }
            for pass in 0..<passes {
                var sum = 0
                for d in pass * 2048..<(pass + 1) * 2048 {
                    let c = counts[d]
                    counts[d] = sum
                    sum &+= c
                }
            }
            // Ping-pong between the buffers so that the last pass writes into `out`.
            var src = UnsafePointer(moves.baseAddress!)
            var dst = passes % 2 == 1 ? out : scratch
            for pass in 0..<passes {
                let base = pass * 2048
                for i in 0..<n {
                    let m = src[i]
                    let d = base &+ digit(m, pass)
                    dst[counts[d]] = m
                    counts[d] &+= 1
                }
                src = UnsafePointer(dst)
                dst = dst == out ? scratch : out
            }
        }
    }
}
