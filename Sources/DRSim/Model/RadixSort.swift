extension ClientPopulation.Move {
    /// Sorts moves by time, stably, with an LSD radix sort on the integer times (11-bit digits, as many
    /// passes as `maxKey` needs: 3 for an hour's horizon in microseconds). Moves are generated in
    /// (change, cohort) order, so the result is ordered by (time, change, cohort). Every time must be
    /// in 0...maxKey.
    ///
    /// Complexity: O(n) per pass; `scratch` is reused storage.
    static func sortByTime(_ moves: inout [Self], scratch: inout [Self], maxKey: Int64) {
        let n = moves.count
        guard n > 1 else { return }
        if n < 32 {
            // Insertion sort, stable, for tiny inputs.
            for i in 1..<n {
                let m = moves[i]
                var j = i
                while j > 0 && moves[j - 1].time > m.time {
                    moves[j] = moves[j - 1]
                    j -= 1
                }
                moves[j] = m
            }
            return
        }
        if scratch.count < n { scratch = moves }
        let bits = 64 - UInt64(bitPattern: maxKey).leadingZeroBitCount
        let passes = max(1, (bits + 10) / 11)
        var inScratch = false
        withUnsafeTemporaryAllocation(of: Int.self, capacity: 2048) { counts in
            moves.withUnsafeMutableBufferPointer { a in
                scratch.withUnsafeMutableBufferPointer { b in
                    for pass in 0..<passes {
                        let shift = UInt64(11 * pass)
                        counts.initialize(repeating: 0)
                        let (src, dst) = inScratch ? (b, a) : (a, b)
                        for i in 0..<n { counts[Int(truncatingIfNeeded: (UInt64(bitPattern: src[i].time) >> shift) & 2047)] &+= 1 }
                        var sum = 0
                        for d in 0..<2048 {
                            let c = counts[d]
                            counts[d] = sum
                            sum &+= c
                        }
                        for i in 0..<n {
                            let m = src[i]
                            let d = Int(truncatingIfNeeded: (UInt64(bitPattern: m.time) >> shift) & 2047)
                            dst[counts[d]] = m
                            counts[d] &+= 1
                        }
                        inScratch.toggle()
                    }
                }
            }
        }
        if inScratch {
            moves.withUnsafeMutableBufferPointer { a in
                scratch.withUnsafeBufferPointer { b in
                    for i in 0..<n { a[i] = b[i] }
                }
            }
        }
    }
}
