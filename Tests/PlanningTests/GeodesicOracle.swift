import GeoEngine
import GeoModel

/// The shortest distance from a place to a geometry by brute force on the WGS84 ellipsoid, with
/// Karney's geodesics (PROJ's geod_*) alone: no projection, no spatial index, no planar code, so
/// it checks planatlas's near search (EPSG:4550 plane, R-tree) from outside.
///
/// Edges are taken as geodesics, as PostGIS geography takes them. planatlas draws them straight in
/// EPSG:4550, whose images of geodesics bend by centimetres over a 20 km edge in the city, so both
/// agree far inside the 0.5 m tolerance. Only inside/outside of a polygon is judged in lon/lat
/// (GEOS `covers`), where a long edge bows away from the geodesic by L²·tanφ/8R (6 m for 19 km);
/// a place that close to a boundary gets the range 0...boundary distance instead of one value.
struct GeodesicOracle {
    let geodesic = Geodesic.wgs84
    /// Iterations of the golden-section search along an edge: 0.618^60 × 20 km < 1 nm.
    let iterations = 60

    /// The distance in metres, as a range when inside/outside is ambiguous; nil for a geometry
    /// without coordinates or when the geometry is certainly farther than `cutoff`.
    func distance(from q: Coordinate, to geometry: Geometry, cutoff: Double = .infinity) throws -> ClosedRange<Double>? {
        switch geometry {
        case .point(let p):
            guard let c = p.coordinate else { return nil }
            let d = try geodesic.distance(from: q, to: c)
            return d <= cutoff ? d...d : nil
        case .multiPoint(let m):
            return try m.coordinates.map { try geodesic.distance(from: q, to: $0) }.min().flatMap { $0 <= cutoff ? $0...$0 : nil }
        case .lineString(let l):
            return try pathDistance(q, l.coordinates, cutoff: cutoff).map { $0...$0 }
        case .multiLineString(let m):
            return try minimum(m.lineStrings.map { try pathDistance(q, $0.coordinates, cutoff: cutoff).map { $0...$0 } })
        case .polygon(let p):
            return try polygonDistance(q, p, cutoff: cutoff)
        case .multiPolygon(let m):
            return try minimum(m.polygons.map { try polygonDistance(q, $0, cutoff: cutoff) })
        case .geometryCollection(let g):
            return try minimum(g.geometries.map { try distance(from: q, to: $0, cutoff: cutoff) })
        }
    }

    private func minimum(_ ranges: [ClosedRange<Double>?]) -> ClosedRange<Double>? {
        let present = ranges.compactMap { $0 }
        guard let lower = present.map(\.lowerBound).min(), let upper = present.map(\.upperBound).min() else { return nil }
        return lower...upper
    }

    private func polygonDistance(_ q: Coordinate, _ polygon: Polygon, cutoff: Double) throws -> ClosedRange<Double>? {
        guard !polygon.isEmpty else { return nil }
        let inside = try Geometry.polygon(polygon).covers(.point(Point(q)))
        // Inside: the boundary distance only matters for the ambiguity test, so search it fully.
        let boundary = try polygon.rings.compactMap { try pathDistance(q, $0, cutoff: inside ? .infinity : cutoff) }.min()
        var longestEdge = 0.0
        for ring in polygon.rings {
            for (a, b) in zip(ring, ring.dropFirst()) { longestEdge = max(longestEdge, try geodesic.distance(from: a, to: b)) }
        }
        let bow = longestEdge * longestEdge * tan(q.lat * .pi / 180) / (8 * 6_356_752) + 0.01
        guard let boundary else { return inside ? 0...0 : nil }
        if boundary <= bow { return 0...boundary }
        return inside ? 0...0 : boundary...boundary
    }

    /// The distance to a path of geodesic edges, or nil when it is certainly beyond `cutoff`.
    private func pathDistance(_ q: Coordinate, _ path: [Coordinate], cutoff: Double) throws -> Double? {
        guard let first = path.first else { return nil }
        var best = try geodesic.distance(from: q, to: first)
        var previous = (coordinate: first, distance: best)
        for c in path.dropFirst() {
            let d = try geodesic.distance(from: q, to: c)
            best = min(best, d)
            let edge = try geodesic.inverse(from: previous.coordinate, to: c)
            // By the triangle inequality no point of the edge is nearer than (d1 + d2 - L) / 2.
            if (previous.distance + d - edge.distance) / 2 < min(best, cutoff) {
                best = min(best, try edgeDistance(q, from: previous.coordinate, azimuth: edge.initialAzimuth, length: edge.distance))
            }
            previous = (c, d)
        }
        return best <= cutoff ? best : nil
    }

    /// Golden-section search for the nearest point of one geodesic edge.
    private func edgeDistance(_ q: Coordinate, from a: Coordinate, azimuth: Double, length: Double) throws -> Double {
        func f(_ t: Double) throws -> Double {
            try geodesic.distance(from: q, to: try geodesic.direct(from: a, azimuth: azimuth, distance: t))
        }
        let ratio = (5.0.squareRoot() - 1) / 2
        var (low, high) = (0.0, length)
        var left = (t: high - ratio * (high - low), d: 0.0)
        var right = (t: low + ratio * (high - low), d: 0.0)
        left.d = try f(left.t)
        right.d = try f(right.t)
        for _ in 0..<iterations {
            if left.d <= right.d {
                // The minimum lies left of right.t: the old left point becomes the new right one.
                high = right.t
                right = left
                left.t = high - ratio * (high - low)
                left.d = try f(left.t)
            } else {
                low = left.t
                left = right
                right.t = low + ratio * (high - low)
                right.d = try f(right.t)
            }
        }
        return min(left.d, right.d, try f(0), try f(length))
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
