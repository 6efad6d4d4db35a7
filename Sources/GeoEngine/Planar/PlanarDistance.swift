public import GeoModel

/// Euclidean distance in a projected plane (for planatlas: EPSG:4550 metres) from a point to a
/// geometry: 0 on a line or inside a polygon, otherwise to the nearest vertex or edge.
/// Pure Swift because near queries measure thousands of candidates each and a GEOS round trip
/// per candidate would cost more than the arithmetic.
public enum PlanarDistance {
    /// The distance from `point` to `geometry`, or nil when the geometry is EMPTY.
    public static func distance(from point: Coordinate, to geometry: Geometry) -> Double? {
        var best = Double.infinity
        accumulate(point, geometry, &best)
        return best.isFinite ? best : nil
    }

    private static func accumulate(_ p: Coordinate, _ geometry: Geometry, _ best: inout Double) {
        switch geometry {
        case .point(let g):
            if let c = g.coordinate { best = min(best, length(c.x - p.x, c.y - p.y)) }
        case .multiPoint(let g):
            for c in g.coordinates { best = min(best, length(c.x - p.x, c.y - p.y)) }
        case .lineString(let g):
            best = min(best, toPath(p, g.coordinates))
        case .multiLineString(let g):
            for line in g.lineStrings { best = min(best, toPath(p, line.coordinates)) }
        case .polygon(let g):
            best = min(best, toPolygon(p, g))
        case .multiPolygon(let g):
            for polygon in g.polygons where best > 0 { best = min(best, toPolygon(p, polygon)) }
        case .geometryCollection(let g):
            for member in g.geometries where best > 0 { accumulate(p, member, &best) }
        }
    }

    private static func toPolygon(_ p: Coordinate, _ polygon: Polygon) -> Double {
        guard !polygon.isEmpty else { return .infinity }
        if contains(polygon.exterior, p) && !polygon.holes.contains(where: { contains($0, p) }) { return 0 }
        var best = toPath(p, polygon.exterior)
        for hole in polygon.holes { best = min(best, toPath(p, hole)) }
        return best
    }

    /// Shortest distance from `p` to the segments of a path (a single vertex counts as a point).
    static func toPath(_ p: Coordinate, _ path: [Coordinate]) -> Double {
        path.withUnsafeBufferPointer { toPath(p, $0) }
    }

    /// `startingFromSquared`, when given, is the squared distance to one of the path's vertices
    /// (the smallest so far), measured already.
    static func toPath<Position: PlanarPosition>(
        _ p: Coordinate, _ c: UnsafeBufferPointer<Position>, startingFromSquared bound: Double = .infinity
    ) -> Double {
        guard let first = c.first else { return bound.squareRoot() }
        // The smallest square, then one square root instead of one per segment: √ is correctly
        // rounded and monotonic, so this is exactly the smallest length.
        var best = min(bound, squaredLength(first.x - p.x, first.y - p.y))
        var i = 1
        while i < c.count {
            best = min(best, squaredDistanceToSegment(p, c[i - 1], c[i]))
            i += 1
        }
        return best.squareRoot()
    }

    /// √(dx² + dy²). Not `hypot`: its guard against overflow costs a near query a tenth of its
    /// time, and squares of planar metres (below 1e15) are nowhere near overflowing.
    @inline(__always)
    static func length(_ dx: Double, _ dy: Double) -> Double {
        squaredLength(dx, dy).squareRoot()
    }

    @inline(__always)
    static func squaredLength(_ dx: Double, _ dy: Double) -> Double {
        dx * dx + dy * dy
    }

    @inline(__always)
    static func squaredDistanceToSegment<Position: PlanarPosition>(_ p: Coordinate, _ a: Position, _ b: Position) -> Double {
        let dx = b.x - a.x, dy = b.y - a.y
        let lengthSquared = dx * dx + dy * dy
        let t = lengthSquared > 0 ? ((p.x - a.x) * dx + (p.y - a.y) * dy) / lengthSquared : 0
        // A foot of the perpendicular outside the segment makes an end point the nearest, measured
        // directly: a + 1·(b − a) need not round to b, and a vertex is then measured the same
        // way whichever segment (or a shape's end, see `PlanarShapes`) it is reached from.
        if t <= 0 { return squaredLength(a.x - p.x, a.y - p.y) }
        if t >= 1 { return squaredLength(b.x - p.x, b.y - p.y) }
        return squaredLength(a.x + t * dx - p.x, a.y + t * dy - p.y)
    }

    /// Crossing-number test; points on the boundary are at distance 0 through `toPath` anyway.
    static func contains(_ ring: [Coordinate], _ p: Coordinate) -> Bool {
        ring.withUnsafeBufferPointer { contains($0, p) }
    }

    static func contains<Position: PlanarPosition>(_ r: UnsafeBufferPointer<Position>, _ p: Coordinate) -> Bool {
        guard r.count >= 4 else { return false }
        var inside = false
        var j = r.count - 1
        for i in 0..<r.count {
            let a = r[i], b = r[j]
            if (a.y > p.y) != (b.y > p.y) && p.x < (b.x - a.x) * (p.y - a.y) / (b.y - a.y) + a.x {
                inside.toggle()
            }
            j = i
        }
        return inside
    }
}

/// A position with planar x and y: a `Coordinate`, or a `PlanarPoint` of packed shapes. The
/// arithmetic above is written once for both and specialised for each.
protocol PlanarPosition {
    var x: Double { get }
    var y: Double { get }
}

extension Coordinate: PlanarPosition {}

/// x and y alone, 16 bytes: how `PlanarShapes` stores positions. A `Coordinate` is 32 bytes
/// (its optional z), and near queries are bound by how many bytes of candidates they read.
struct PlanarPoint: PlanarPosition {
    var x: Double
    var y: Double

    init(_ c: Coordinate) {
        x = c.x
        y = c.y
    }
}
