public import GeoModel

/// Distance queries in metres over items stored in WGS84 longitude/latitude: "everything within
/// 500 m of this school", "the 10 nearest works".
///
/// Design: the boxes are indexed in a `MetricPlane` centred on the data, and each query prunes
/// with a bound that is a true lower bound on the caller's distance, then asks the caller for the
/// exact distance of every item that survives. The index never decides a distance itself, so
/// the answer is exactly the caller's metric (geodesic, or EPSG:4549 grid distance) — the plane
/// only decides which items are worth measuring.
///
/// The bound for a query at latitude φq that cares about paths of ellipsoidal length ≤ L: all
/// such paths stay in the band φq ± L / M(0), so plane box distance / kmax(band) is a lower
/// bound on the geodesic distance to anything in the box (see `MetricPlane`). The caller's
/// metric may differ from the geodesic by the relative `metricTolerance`, so the bound is also
/// scaled by (1 − tolerance). Searching in lon/lat directly would need the same latitude-aware
/// bound, computed per box instead of once per query, so the plane is both simpler and faster.
///
/// When no bound exists (the band reaches a pole, or the paths could cross the meridian opposite
/// the data's centre), the query measures every item instead: slow but still exact.
///
/// Item boxes must contain the item as the caller's metric sees it. A box of vertices does for
/// points; a straight 4549 edge or a geodesic edge bows out of its vertices' lon/lat box by about
/// s² · tan φ / (8R) (0.02 m for a 1 km edge), so pad the boxes of long-edged items by that much.
public struct GeographicNearIndex: Sendable {
    /// The largest relative difference allowed between the caller's metric and the ellipsoidal
    /// geodesic. EPSG:4549 grid distances over Shenyang differ from geodesic ones by under 1e-4.
    public static let metricTolerance = 1e-3

    /// The frame the boxes are indexed in, centred on the data.
    public let plane: MetricPlane
    /// The items' boxes in `plane` coordinates (metres), item indices unchanged.
    let tree: PackedRTree
    /// The lon/lat box around every item, or nil when there are none.
    public let extent: BoundingBox?

    public var count: Int { tree.count }

    /// Bytes held by the index's tree, for memory budgets and reports.
    public var memoryFootprint: Int { tree.memoryFootprint }

    /// Indexes lon/lat boxes (a point is a box with min == max). Rejects boxes with NaN or
    /// infinite coordinates, min above max, or outside −180…180 / −90…90.
    public init(boxes: [BoundingBox], nodeSize: Int = PackedRTree.defaultNodeSize) throws(SpatialIndexError) {
        let (plane, projected, extent) = try Self.project(boxes)
        self.plane = plane
        self.extent = extent
        self.tree = try PackedRTree(boxes: projected, nodeSize: nodeSize)
    }

    /// The order in which an index built from `boxes` stores its items; see
    /// `PackedRTree.storageOrder(of:)`. Store your items in this order and build from the
    /// reordered boxes, and item indices become storage positions in curve order.
    public static func storageOrder(of boxes: [BoundingBox]) throws(SpatialIndexError) -> [Int] {
        try PackedRTree.storageOrder(of: project(boxes).boxes)
    }

    /// Validates lon/lat boxes and projects them into a plane centred on their extent.
    private static func project(
        _ boxes: [BoundingBox]
    ) throws(SpatialIndexError) -> (plane: MetricPlane, boxes: [BoundingBox], extent: BoundingBox?) {
        for (index, box) in boxes.enumerated() {
            guard PackedRTree.isValid(box) else { throw .invalidBox(index: index, box: box) }
            guard box.minX >= -180, box.maxX <= 180, box.minY >= -90, box.maxY <= 90 else {
                throw .boxOutsideLonLatRange(index: index, box: box)
            }
        }
        let extent = boxes.first.map { boxes.dropFirst().reduce($0) { $0.union($1) } }
        let centre = extent?.center ?? Coordinate(lon: 0, lat: 0)
        // Data at a pole still gets a frame; its queries then fall back to measuring every item.
        let plane = try MetricPlane(origin: Coordinate(lon: centre.lon, lat: Swift.min(Swift.max(centre.lat, -89), 89)))
        return (plane, boxes.map(plane.project), extent)
    }

    /// Every item within `radius` metres of `point` (lon/lat) by the caller's metric, nearest
    /// first, equal distances by index. `exactDistance(index)` returns the distance in metres
    /// from `point` to item `index`; it is asked only for items the bound cannot rule out.
    public func neighbors(
        of point: Coordinate, within radius: Double, exactDistance: (Int) -> Double
    ) throws(SpatialIndexError) -> [Neighbor] {
        try Self.validate(lonLat: point)
        try PackedRTree.validate(distance: radius)
        guard !tree.isEmpty else { return [] }
        let reach = radius / (1 - Self.metricTolerance)
        guard let rule = pruningRule(at: point, reach: reach) else {
            return measureAll(exactDistance).filter { $0.distance <= radius }
        }
        let q = plane.project(point)
        return tree.collectNeighbors(x: q.x, y: q.y, radius: radius, rule: rule, including: nil) { $0.map(exactDistance) }
    }

    /// The `k` items nearest to `point` (lon/lat) within `maxDistance` metres by the caller's
    /// metric, nearest first, equal distances by index. `exactDistance` as for `neighbors`.
    public func nearest(
        to point: Coordinate, k: Int, maxDistance: Double = .infinity, exactDistance: (Int) -> Double
    ) throws(SpatialIndexError) -> [Neighbor] {
        try Self.validate(lonLat: point)
        try PackedRTree.validate(neighborCount: k)
        try PackedRTree.validate(distance: maxDistance)
        guard let extent, k > 0 else { return [] }
        let q = plane.project(point)
        // The farthest any item can be (along the plane segment's preimage, whose latitudes lie
        // between the query's and the data's), capped by the caller's limit: no answer needs
        // a bound beyond that reach.
        let latitudes = Swift.min(point.lat, extent.minY)...Swift.max(point.lat, extent.maxY)
        let farthestInPlane = tree.extent.map { Self.farthestCornerDistance(from: q, in: $0) } ?? 0
        let farthest = farthestInPlane / plane.scaleRange(latitudes: latitudes).lowerBound
        let reach = Swift.min(farthest, maxDistance / (1 - Self.metricTolerance))
        guard let rule = pruningRule(at: point, reach: reach) else {
            return Array(measureAll(exactDistance).lazy.filter { $0.distance <= maxDistance }.prefix(k))
        }
        return tree.collectNearest(x: q.x, y: q.y, k: k, maxDistance: maxDistance, rule: rule, including: nil, exactDistance)
    }

    /// The lower-bound rule for paths from `point` no longer than `reach` metres, or nil when the
    /// plane cannot bound them.
    func pruningRule(at point: Coordinate, reach: Double) -> DistanceRule? {
        let reachDegrees = reach / MetricPlane.smallestMeridianRadius * (180 / .pi)
        let south = point.lat - reachDegrees
        let north = point.lat + reachDegrees
        guard south > -90, north < 90 else { return nil }
        let scale = plane.scaleRange(latitudes: south...north)
        // Along such a path longitude moves at most reach / (shortest parallel in the band);
        // it must not reach the frame's seam, 180° from the origin.
        let shortestParallel = MetricPlane.parallelRadius(latitude: Swift.max(Swift.abs(south), Swift.abs(north)))
        let longitudeReach = reach / shortestParallel * (180 / .pi)
        let offset = Swift.abs(MetricPlane.longitudeOffset(point.lon - plane.origin.lon))
        guard offset + longitudeReach < 180, scale.upperBound.isFinite else { return nil }
        return DistanceRule(
            boundScale: (1 - Self.metricTolerance) / scale.upperBound * DistanceRule.roundingMargin,
            measure: .caller)
    }

    /// Every item measured, nearest first: the fallback when the plane gives no bound.
    private func measureAll(_ exactDistance: (Int) -> Double) -> [Neighbor] {
        var all = (0..<count).map { Neighbor(index: $0, distance: exactDistance($0)) }.filter { !$0.distance.isNaN }
        all.sort()
        return all
    }

    private static func farthestCornerDistance(from q: Coordinate, in box: BoundingBox) -> Double {
        let dx = Swift.max(Swift.abs(q.x - box.minX), Swift.abs(q.x - box.maxX))
        let dy = Swift.max(Swift.abs(q.y - box.minY), Swift.abs(q.y - box.maxY))
        return (dx * dx + dy * dy).squareRoot()
    }

    private static func validate(lonLat point: Coordinate) throws(SpatialIndexError) {
        guard (-180...180).contains(point.lon), (-90...90).contains(point.lat) else { throw .invalidQueryPoint(point) }
    }
}
