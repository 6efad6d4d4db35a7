public import GeoModel

extension PackedRTree {
    /// Every item within `radius` of `point` (distance ≤ radius, in plane units), nearest first,
    /// equal distances by index. The plane is taken to be the metric: a point item's distance is
    /// its plane distance √(dx² + dy²); the other items whose boxes lie within `radius` are
    /// measured by `exactDistances(items)`, which returns their distances in the same order and
    /// must never give less than the distance to an item's box. A NaN distance drops the item.
    ///
    /// `exactDistances` is asked once per query, with every item to measure, so that the caller
    /// can read the items' data in passes whose cache misses overlap (as `PlanarShapes` does).
    ///
    /// `isIncluded`, when given, leaves out every item for which it returns false, as if the tree
    /// did not hold it (a filter on the items' attributes); it is asked before any measuring.
    public func neighbors(
        of point: Coordinate, within radius: Double, including isIncluded: ((Int) -> Bool)? = nil,
        exactDistances: (_ items: [Int]) -> [Double]
    ) throws(SpatialIndexError) -> [Neighbor] {
        try Self.validate(point: point)
        try Self.validate(distance: radius)
        return collectNeighbors(x: point.x, y: point.y, radius: radius, rule: .planarWithCaller,
                                including: isIncluded, exactDistances)
    }

    /// Every item whose box lies within `radius` of `point`, measured to the box; exact for
    /// point data. Nearest first, equal distances by index.
    public func neighbors(of point: Coordinate, within radius: Double) throws(SpatialIndexError) -> [Neighbor] {
        try Self.validate(point: point)
        try Self.validate(distance: radius)
        return collectNeighbors(x: point.x, y: point.y, radius: radius, rule: .planarBoxes, including: nil) {
            Array(repeating: .nan, count: $0.count)
        }
    }

    /// The radius search behind both planar and geographic queries: descend into nodes whose
    /// lower bound is within `radius`, measure the included items that survive as `rule` says
    /// (those the caller measures all at once), sort.
    func collectNeighbors(
        x: Double, y: Double, radius: Double, rule: DistanceRule, including isIncluded: ((Int) -> Bool)?,
        _ exactDistances: (_ items: [Int]) -> [Double]
    ) -> [Neighbor] {
        let reach = radius / rule.boundScale
        let reachSquared = reach * reach
        // The leaves in reach first (reading node boxes only), then the distance of every item box
        // of those leaves in one pass without branches, so that the cache misses of all the leaves
        // overlap; which items are in reach, and the caller's measuring, whose calls and branches
        // would stall those loads, come after.
        var leaves: [Range<Int>] = []
        leaves.reserveCapacity(64)
        forEachLeaf(descendInto: { $0.squaredDistance(x: x, y: y) <= reachSquared }) { leaves.append($0) }
        let candidates = leaves.reduce(0) { $0 + $1.count }
        var found: [Neighbor] = []
        found.reserveCapacity(candidates)
        var toMeasure: [Int] = []
        withTreeBuffers { boxes, links, _ in
            withUnsafeTemporaryAllocation(of: Double.self, capacity: candidates) { squaredDistances in
                var next = 0
                for leaf in leaves {
                    for position in leaf {
                        squaredDistances[next] = boxes[position].squaredDistance(x: x, y: y)
                        next += 1
                    }
                }
                next = 0
                for leaf in leaves {
                    for position in leaf {
                        let squared = squaredDistances[next]
                        next += 1
                        guard squared <= reachSquared else { continue }
                        let index = Int(links[position])
                        if let isIncluded, !isIncluded(index) { continue }
                        if rule.measuresByBox(boxes[position]) {
                            let distance = squared.squareRoot()
                            if distance <= radius { found.append(Neighbor(index: index, distance: distance)) }
                        } else {
                            toMeasure.append(index)
                        }
                    }
                }
            }
        }
        if !toMeasure.isEmpty {
            let distances = exactDistances(toMeasure)
            precondition(distances.count == toMeasure.count, "exactDistances gave \(distances.count) distances for \(toMeasure.count) items")
            for (index, distance) in zip(toMeasure, distances) where distance <= radius {
                found.append(Neighbor(index: index, distance: distance))
            }
        }
        found.sortByDistance()
        return found
    }
}
