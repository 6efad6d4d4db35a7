#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CPROJ
public import GeoModel

/// Geodesics on an ellipsoid (Karney's algorithms, as shipped in PROJ's geodesic.h): shortest distances,
/// azimuths, destination points, and the areas of polygons whose edges are geodesics. Positions are
/// longitude/latitude in degrees (`x` = longitude), azimuths in degrees clockwise from north, lengths in metres.
///
/// Accuracy is about 15 nanometres for distances, whatever the distance. A value of this type is immutable
/// (geod_init's precomputed coefficients), so it is shared freely between tasks.
public struct Geodesic: Sendable {
    private let ellipsoid: geod_geodesic

    /// Semi-major axis in metres and flattening.
    private init(equatorialRadius: Double, flattening: Double) {
        var ellipsoid = geod_geodesic()
        geod_init(&ellipsoid, equatorialRadius, flattening)
        self.ellipsoid = ellipsoid
    }

    /// The WGS 84 ellipsoid (EPSG:7030), the one planatlas measures on.
    public static let wgs84 = Geodesic(equatorialRadius: 6378137, flattening: 1 / 298.257223563)
    /// The CGCS2000 ellipsoid (EPSG:1024): WGS 84's semi-major axis with GRS 80's flattening; distances differ
    /// from WGS 84's by well under a millimetre per kilometre.
    public static let cgcs2000 = Geodesic(equatorialRadius: 6378137, flattening: 1 / 298.257222101)

    public var equatorialRadius: Double { ellipsoid.a }
    public var flattening: Double { ellipsoid.f }

    /// The solution of the inverse problem between two positions.
    public struct InverseSolution: Hashable, Sendable {
        /// Length of the shortest path, metres.
        public var distance: Double
        /// Direction of travel at the start, degrees clockwise from north, in [-180, 180].
        public var initialAzimuth: Double
        /// Direction of travel on arrival (not the bearing back to the start), degrees in [-180, 180].
        public var finalAzimuth: Double
    }

    /// The shortest distance in metres between two longitude/latitude positions.
    public func distance(from start: Coordinate, to end: Coordinate) throws(ProjectionError) -> Double {
        try inverse(from: start, to: end).distance
    }

    /// Distance and azimuths of the shortest path between two positions.
    public func inverse(from start: Coordinate, to end: Coordinate) throws(ProjectionError) -> InverseSolution {
        try Self.check(start)
        try Self.check(end)
        var distance = 0.0
        var initialAzimuth = 0.0
        var finalAzimuth = 0.0
        withUnsafePointer(to: ellipsoid) { g in
            geod_inverse(g, start.y, start.x, end.y, end.x, &distance, &initialAzimuth, &finalAzimuth)
        }
        return InverseSolution(distance: distance, initialAzimuth: initialAzimuth, finalAzimuth: finalAzimuth)
    }

    /// The position reached by travelling `distance` metres from `start` along the geodesic leaving it at
    /// `azimuth` degrees. The longitude is reduced to [-180, 180].
    public func direct(from start: Coordinate, azimuth: Double, distance: Double) throws(ProjectionError) -> Coordinate {
        try Self.check(start)
        guard azimuth.isFinite, distance.isFinite else {
            let reason = "azimuth \(azimuth) and distance \(distance) must be finite"
            throw .invalidGeographicCoordinate(start, reason: reason)
        }
        var latitude = 0.0
        var longitude = 0.0
        withUnsafePointer(to: ellipsoid) { g in
            geod_direct(g, start.y, start.x, azimuth, distance, &latitude, &longitude, nil)
        }
        return Coordinate(x: longitude, y: latitude)
    }

    /// A longitude/latitude box certain to contain every position within `radius` metres of `center`: the
    /// pre-filter for "what lies within r metres" searches over a lon/lat index.
    ///
    /// The latitude edges are exact (the meridian is the shortest way north or south). The longitude half-width
    /// is radius / (N cos φ) at the box's latitude farthest from the equator, where N cos φ is the radius of the
    /// parallel: no path of length `radius` inside the box can change longitude by more. It overestimates by about
    /// tan φ · radius / 6370 km relative (8e-5 for 500 m at Shenyang). A box that would reach a pole or cross the
    /// antimeridian spans all longitudes.
    public func boundingBox(around center: Coordinate, radius: Double) throws(ProjectionError) -> BoundingBox {
        try Self.check(center)
        guard radius.isFinite, radius >= 0 else {
            throw .invalidGeographicCoordinate(center, reason: "radius \(radius) must be a finite number of metres >= 0")
        }
        let north = try direct(from: center, azimuth: 0, distance: radius)
        let south = try direct(from: center, azimuth: 180, distance: radius)
        // Travelling along the meridian past a pole comes back down on the opposite meridian.
        let maxY = Self.longitudeGap(north.x, center.x) > 90 ? 90 : north.y
        let minY = Self.longitudeGap(south.x, center.x) > 90 ? -90 : south.y
        let farthestLatitude = max(abs(minY), abs(maxY)) * .pi / 180
        let eccentricitySquared = flattening * (2 - flattening)
        let sinLatitude = sin(farthestLatitude)
        let parallelRadius = equatorialRadius / (1 - eccentricitySquared * sinLatitude * sinLatitude).squareRoot()
            * cos(farthestLatitude)
        let halfWidth = radius / parallelRadius * 180 / .pi
        guard maxY < 90, minY > -90, halfWidth.isFinite, center.x - halfWidth >= -180, center.x + halfWidth <= 180 else {
            return BoundingBox(minX: -180, minY: minY, maxX: 180, maxY: maxY)
        }
        return BoundingBox(minX: center.x - halfWidth, minY: minY, maxX: center.x + halfWidth, maxY: maxY)
    }

    /// The difference between two longitudes, in [0, 180].
    private static func longitudeGap(_ a: Double, _ b: Double) -> Double {
        let gap = abs(a - b).truncatingRemainder(dividingBy: 360)
        return gap > 180 ? 360 - gap : gap
    }

    /// The length in metres of a line whose segments are geodesics.
    public func length(of line: LineString) throws(ProjectionError) -> Double {
        try measure(line.coordinates, asRing: false).perimeter
    }

    /// The sum of the lengths of the lines.
    public func length(of lines: MultiLineString) throws(ProjectionError) -> Double {
        var total = 0.0
        for line in lines.lineStrings { total += try length(of: line) }
        return total
    }

    /// The area in m² enclosed by a polygon with geodesic edges: the exterior's area minus its holes'. Ring
    /// orientation does not matter. EMPTY is 0.
    public func area(of polygon: Polygon) throws(ProjectionError) -> Double {
        var area = abs(try measure(polygon.exterior, asRing: true).area)
        for hole in polygon.holes { area -= abs(try measure(hole, asRing: true).area) }
        return area
    }

    /// The sum of the polygons' areas, m² (the parts of a valid MultiPolygon do not overlap).
    public func area(of polygons: MultiPolygon) throws(ProjectionError) -> Double {
        var total = 0.0
        for polygon in polygons.polygons { total += try area(of: polygon) }
        return total
    }

    /// Signed area (counter-clockwise positive) and perimeter of a ring, or length of a line. A ring's closing
    /// point (equal to its first) is dropped: geod_polygon closes rings itself.
    private func measure(_ points: [Coordinate], asRing: Bool)
        throws(ProjectionError) -> (area: Double, perimeter: Double) {
        var count = points.count
        if asRing, count > 1, points[0].x == points[count - 1].x, points[0].y == points[count - 1].y { count -= 1 }
        var polygon = geod_polygon()
        var area = 0.0
        var perimeter = 0.0
        geod_polygon_init(&polygon, asRing ? 0 : 1)
        for point in points[..<count] {
            try Self.check(point)
            withUnsafePointer(to: ellipsoid) { g in geod_polygon_addpoint(g, &polygon, point.y, point.x) }
        }
        withUnsafePointer(to: ellipsoid) { g in
            _ = geod_polygon_compute(g, &polygon, 0, 1, &area, &perimeter)
        }
        return (area, perimeter)
    }

    private static func check(_ c: Coordinate) throws(ProjectionError) {
        guard c.x.isFinite, c.y.isFinite else {
            throw .invalidGeographicCoordinate(c, reason: "longitude and latitude must be finite numbers")
        }
        guard (-90.0...90.0).contains(c.y) else {
            throw .invalidGeographicCoordinate(c, reason: "latitude \(c.y) is outside [-90, 90]")
        }
    }
}
