public import GeoModel

extension PackedRTree {
    /// The `k` items nearest to `point` within `maxDistance` (inclusive), nearest first, equal
    /// distances by index. As in `neighbors(of:within:exactDistance:)`, point items are measured
    /// in the plane and other items by `exactDistance(index)`, which is asked only when the
    /// search reaches the item's box and must never be less than the distance to that box.
    /// Items for which `isIncluded` returns false are left out, as in `neighbors(of:within:including:
    /// exactDistance:)`: they do not count towards k.
    public func nearest(
        to point: Coordinate, k: Int, maxDistance: Double = .infinity, including isIncluded: ((Int) -> Bool)? = nil,
        exactDistance: (Int) -> Double
    ) throws(SpatialIndexError) -> [Neighbor] {
        try Self.validate(point: point)
        try Self.validate(neighborCount: k)
        try Self.validate(distance: maxDistance)
        return collectNearest(x: point.x, y: point.y, k: k, maxDistance: maxDistance,
                              rule: .planarWithCaller, including: isIncluded, exactDistance)
    }

    /// The `k` items whose boxes are nearest to `point`, measured to the box; exact for point data.
    public func nearest(
        to point: Coordinate, k: Int, maxDistance: Double = .infinity
    ) throws(SpatialIndexError) -> [Neighbor] {
        try Self.validate(point: point)
        try Self.validate(neighborCount: k)
        try Self.validate(distance: maxDistance)
        return collectNearest(x: point.x, y: point.y, k: k, maxDistance: maxDistance, rule: .planarBoxes,
                              including: nil) { _ in .nan }
    }

    /// Best-first search: a queue holds nodes and items keyed by a lower bound on their exact
    /// distance, and items whose exact distance is known keyed by that distance. Popping an
    /// item with a known distance means nothing left in the queue can be nearer, so it is the
    /// next answer. Items the caller measures are queued by their box bound first and measured
    /// only when they reach the front, so far items never cost a distance call.
    ///
    /// Entry codes: `known | index` for a measured item; otherwise `level << positionBits |
    /// position`, level 0 being an item still to be measured. Since `known` is the highest bit
    /// in use, at equal keys nodes and unmeasured items pop before measured ones (so a tie at
    /// the k-th distance is settled by index only once every candidate for it is measured), and
    /// measured items pop in index order.
    ///
    /// Once k exact distances are known, nothing with a bound beyond the k-th of them can be in
    /// the answer, so it is not queued at all (equal bounds are still queued: they may tie).
    func collectNearest(
        x: Double, y: Double, k: Int, maxDistance: Double, rule: DistanceRule, including isIncluded: ((Int) -> Bool)?,
        _ exactDistance: (Int) -> Double
    ) -> [Neighbor] {
        guard k > 0, count > 0 else { return [] }
        let known = 1 << 62
        var result: [Neighbor] = []
        result.reserveCapacity(Swift.min(k, count))
        var queue = NearestQueue(capacity: 4 * nodeSize + k)
        var kth = KthSmallestDistance(k: k)
        // Bound beyond which nothing can enter the answer: maxDistance, then the k-th exact
        // distance known so far.
        var limit = maxDistance
        func accept(_ distance: Double) {
            kth.insert(distance)
            limit = Swift.min(maxDistance, kth.value)
        }
        let rootLevel = levelEnds.count - 1
        let rootPosition = boxes.count - 1

        withTreeBuffers { boxes, links, levelEnds in
            withUnsafeTemporaryAllocation(of: Double.self, capacity: nodeSize) { childDistances in
                let rootBound = boxes[rootPosition].squaredDistance(x: x, y: y).squareRoot() * rule.boundScale
                if rootBound <= limit { queue.push(key: rootBound, code: rootLevel << Self.positionBits | rootPosition) }
                while let entry = queue.popMin() {
                    if entry.code >= known {
                        result.append(Neighbor(index: entry.code - known, distance: entry.key))
                        if result.count == k { return }
                        continue
                    }
                    let level = entry.code >> Self.positionBits
                    let position = entry.code & Self.positionMask
                    if level == 0 {
                        let index = Int(links[position])
                        if let isIncluded, !isIncluded(index) { continue }
                        let distance = exactDistance(index)
                        if distance <= limit {
                            queue.push(key: distance, code: known | index)
                            accept(distance)
                        }
                        continue
                    }
                    let first = Int(links[position])
                    let end = Swift.min(first + nodeSize, levelEnds[level - 1])
                    // Measure every child before queueing any: the box loads then do not wait on
                    // the queue's branches, so their cache misses overlap.
                    for child in first..<end {
                        childDistances[child - first] = boxes[child].squaredDistance(x: x, y: y).squareRoot()
                    }
                    if level == 1 {
                        for child in first..<end {
                            let planeDistance = childDistances[child - first]
                            if rule.measuresByBox(boxes[child]) {
                                if planeDistance <= limit, isIncluded?(Int(links[child])) ?? true {
                                    queue.push(key: planeDistance, code: known | Int(links[child]))
                                    accept(planeDistance)
                                }
                            } else {
                                let bound = planeDistance * rule.boundScale
                                if bound <= limit { queue.push(key: bound, code: child) }
                            }
                        }
                    } else {
                        let childTag = (level - 1) << Self.positionBits
                        for child in first..<end {
                            let bound = childDistances[child - first] * rule.boundScale
                            if bound <= limit { queue.push(key: bound, code: childTag | child) }
                        }
                    }
                }
            }
        }
        return result
    }
}
