public import GeoModel

extension PackedRTree {
    /// Every item within `radius` of `point` (distance ≤ radius, in plane units), nearest first,
    /// equal distances by index. The plane is taken to be the metric: a point item's distance is
    /// its plane distance √(dx² + dy²); any other item's comes from `exactDistance(index)`, which
    /// is asked only for items whose box lies within `radius` and must never be less than the
    /// distance to the item's box. A NaN from `exactDistance` drops the item.
    ///
    /// `isIncluded`, when given, leaves out every item for which it returns false, as if the tree
    /// did not hold it (a filter on the items' attributes); it is asked before any measuring.
    public func neighbors(
        of point: Coordinate, within radius: Double, including isIncluded: ((Int) -> Bool)? = nil,
        exactDistance: (Int) -> Double
    ) throws(SpatialIndexError) -> [Neighbor] {
        try Self.validate(point: point)
        try Self.validate(distance: radius)
        return collectNeighbors(x: point.x, y: point.y, radius: radius, rule: .planarWithCaller,
                                including: isIncluded, exactDistance)
    }

    /// Every item whose box lies within `radius` of `point`, measured to the box; exact for
    /// point data. Nearest first, equal distances by index.
    public func neighbors(of point: Coordinate, within radius: Double) throws(SpatialIndexError) -> [Neighbor] {
        try Self.validate(point: point)
        try Self.validate(distance: radius)
        return collectNeighbors(x: point.x, y: point.y, radius: radius, rule: .planarBoxes, including: nil) { _ in .nan }
    }

    /// The radius search behind both planar and geographic queries: descend into nodes whose
    /// lower bound is within `radius`, measure the included items that survive as `rule` says, sort.
    func collectNeighbors(
        x: Double, y: Double, radius: Double, rule: DistanceRule, including isIncluded: ((Int) -> Bool)?,
        _ exactDistance: (Int) -> Double
    ) -> [Neighbor] {
        let reach = radius / rule.boundScale
        let reachSquared = reach * reach
        var found: [Neighbor] = []
        found.reserveCapacity(256)
        links.withUnsafeBufferPointer { links in
            forEachCandidate(descendInto: { $0.squaredDistance(x: x, y: y) <= reachSquared }) { position, box in
                let squared = box.squaredDistance(x: x, y: y)
                guard squared <= reachSquared else { return }
                let index = Int(links[position])
                if let isIncluded, !isIncluded(index) { return }
                let distance = rule.measuresByBox(box) ? squared.squareRoot() : exactDistance(index)
                if distance <= radius { found.append(Neighbor(index: index, distance: distance)) }
            }
        }
        found.sortByDistance()
        return found
    }
}
