import GeoModel

/// How a tree's plane distances relate to the caller's exact distance, for radius and nearest
/// queries. The queries only need two facts: a factor that turns the plane distance to a box
/// into a lower bound on the exact distance to anything inside it, and which items the tree may
/// measure itself instead of asking the caller.
struct DistanceRule {
    enum Measure {
        /// Every item is measured by its box: the plane is the metric and boxes are the items.
        case boxes
        /// The plane is the metric: a point's box distance is exact, other items ask the caller.
        case pointsByBoxOthersByCaller
        /// The plane only approximates the metric: every item asks the caller.
        case caller
    }

    /// Plane box distance × `boundScale` never exceeds the exact distance (≤ 1).
    var boundScale: Double
    var measure: Measure

    /// Shaves off far more than the rounding error of a caller's distance (a few ulps), so that a
    /// caller computing an exact distance slightly differently from `squaredDistance` is never
    /// pruned by a bound that rounded the other way.
    static let roundingMargin = 1 - 1e-12

    static let planarBoxes = DistanceRule(boundScale: roundingMargin, measure: .boxes)
    static let planarWithCaller = DistanceRule(boundScale: roundingMargin, measure: .pointsByBoxOthersByCaller)

    @inline(__always)
    func measuresByBox(_ box: BoundingBox) -> Bool {
        switch measure {
        case .boxes: true
        case .pointsByBoxOthersByCaller: box.isPoint
        case .caller: false
        }
    }
}

extension PackedRTree {
    static func validate(point: Coordinate) throws(SpatialIndexError) {
        guard point.x.isFinite, point.y.isFinite else { throw .invalidQueryPoint(point) }
    }

    static func validate(distance: Double) throws(SpatialIndexError) {
        guard distance >= 0 else { throw .invalidDistance(distance) }  // also rejects NaN
    }

    static func validate(neighborCount k: Int) throws(SpatialIndexError) {
        guard k >= 0 else { throw .invalidNeighborCount(k) }
    }
}
