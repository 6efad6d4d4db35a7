extension Array where Element == Neighbor {
    /// Sorts hits nearest first (equal distances by index), in expected linear time.
    ///
    /// A radius query returns a few hundred hits in random order, and a comparison sort of that
    /// mispredicts a branch on most comparisons; it was the largest single cost of a 500 m query.
    /// Hits spread over a disc have squared distances spread evenly over [0, r²], so one
    /// counting pass into `count` buckets by d²/max(d)² leaves about one hit per bucket, and
    /// each bucket is then sorted on its own. The bucket number never decreases as the distance
    /// grows (rounding is monotonic), so sorted buckets make a sorted whole; a crowded bucket
    /// (many hits at one distance) falls back to the standard sort, so the worst case stays
    /// O(n log n).
    mutating func sortByDistance() {
        let n = count
        guard n > 32 else {
            sort()
            return
        }
        var farthest = 0.0
        for hit in self { farthest = Swift.max(farthest, hit.distance) }
        let scale = Double(n) / (farthest * farthest)
        guard scale.isFinite, scale > 0 else {
            sort()
            return
        }
        self = withUnsafeBufferPointer { hits in
            withUnsafeTemporaryAllocation(of: Int.self, capacity: n + 1) { starts in
                @inline(__always) func bucket(_ d: Double) -> Int { Swift.min(Int(d * d * scale), n - 1) }
                starts.initialize(repeating: 0)
                for hit in hits { starts[bucket(hit.distance) + 1] += 1 }
                for b in 0..<n { starts[b + 1] += starts[b] }
                return [Neighbor](unsafeUninitializedCapacity: n) { sorted, initialized in
                    // Scatter: `starts[b]` is the next free slot of bucket b; afterwards it is
                    // the end of bucket b, i.e. the start of bucket b + 1.
                    for hit in hits {
                        let b = bucket(hit.distance)
                        (sorted.baseAddress! + starts[b]).initialize(to: hit)
                        starts[b] += 1
                    }
                    initialized = n
                    var start = 0
                    for b in 0..<n {
                        let end = starts[b]
                        if end - start > 16 {
                            var bucket = UnsafeMutableBufferPointer(rebasing: sorted[start..<end])
                            bucket.sort()
                        } else if end - start > 1 {
                            for i in (start + 1)..<end {
                                let hit = sorted[i]
                                var j = i
                                while j > start, hit < sorted[j - 1] {
                                    sorted[j] = sorted[j - 1]
                                    j -= 1
                                }
                                sorted[j] = hit
                            }
                        }
                        start = end
                    }
                }
            }
        }
    }
}
