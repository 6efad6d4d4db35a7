import CGEOS
public import GeoModel

/// A geometry indexed for many predicate and distance tests against other geometries: prepare a
/// zone once, then test each candidate. The index is built lazily by GEOS on first use.
///
/// Convert each candidate once (`GEOSGeometry(value, in: context)`) and run every test it needs
/// on that one conversion. Like the geometry it wraps, a prepared geometry stays in one task
/// (GEOS updates its index while answering, so it cannot be shared between threads).
public final class PreparedGeometry {
    /// The geometry that was prepared; kept alive as long as its prepared form.
    public let geometry: GEOSGeometry
    private let handle: OpaquePointer

    public init(_ geometry: GEOSGeometry) throws(GeometryError) {
        try geometry.requireFinite("prepare")
        self.geometry = geometry
        self.handle = try geometry.context.call("prepare") { GEOSPrepare_r($0, geometry.handle) }
    }

    deinit {
        GEOSPreparedGeom_destroy_r(geometry.context.handle, handle)
    }

    private var context: GEOSContext { geometry.context }

    /// Runs a prepared predicate; the prepared side was checked for NaN when it was prepared.
    private func predicate(
        _ operation: String, _ other: GEOSGeometry, _ body: (OpaquePointer) -> CChar
    ) throws(GeometryError) -> Bool {
        try other.requireFinite(operation)
        return try context.predicate(operation, body)
    }

    public func intersects(_ other: GEOSGeometry) throws(GeometryError) -> Bool {
        try predicate("prepared intersects", other) { GEOSPreparedIntersects_r($0, handle, other.handle) }
    }

    public func disjoint(_ other: GEOSGeometry) throws(GeometryError) -> Bool {
        try predicate("prepared disjoint", other) { GEOSPreparedDisjoint_r($0, handle, other.handle) }
    }

    public func contains(_ other: GEOSGeometry) throws(GeometryError) -> Bool {
        try predicate("prepared contains", other) { GEOSPreparedContains_r($0, handle, other.handle) }
    }

    /// `other` lies in this geometry's interior, not touching its boundary.
    public func containsProperly(_ other: GEOSGeometry) throws(GeometryError) -> Bool {
        try predicate("prepared containsProperly", other) { GEOSPreparedContainsProperly_r($0, handle, other.handle) }
    }

    public func covers(_ other: GEOSGeometry) throws(GeometryError) -> Bool {
        try predicate("prepared covers", other) { GEOSPreparedCovers_r($0, handle, other.handle) }
    }

    public func coveredBy(_ other: GEOSGeometry) throws(GeometryError) -> Bool {
        try predicate("prepared coveredBy", other) { GEOSPreparedCoveredBy_r($0, handle, other.handle) }
    }

    public func within(_ other: GEOSGeometry) throws(GeometryError) -> Bool {
        try predicate("prepared within", other) { GEOSPreparedWithin_r($0, handle, other.handle) }
    }

    public func touches(_ other: GEOSGeometry) throws(GeometryError) -> Bool {
        try predicate("prepared touches", other) { GEOSPreparedTouches_r($0, handle, other.handle) }
    }

    public func crosses(_ other: GEOSGeometry) throws(GeometryError) -> Bool {
        try predicate("prepared crosses", other) { GEOSPreparedCrosses_r($0, handle, other.handle) }
    }

    public func overlaps(_ other: GEOSGeometry) throws(GeometryError) -> Bool {
        try predicate("prepared overlaps", other) { GEOSPreparedOverlaps_r($0, handle, other.handle) }
    }

    // Distances. GEOS before 3.12.1 measures a prepared line lying inside a polygon as far from
    // it (GEOS issue 960: 30 instead of 0 in GEOS 3.11.1), and GEOS 3.12.0's within-distance test
    // misses lines inside the other geometry's envelope (issue 958). Hence intersecting pairs (an
    // indexed test) are at distance 0, and within-distance is decided from that distance.

    /// Whether the planar distance to `other` is at most `distance`; false when either is EMPTY.
    public func isWithinDistance(_ other: GEOSGeometry, distance: Double) throws(GeometryError) -> Bool {
        try other.requireFinite("prepared isWithinDistance")
        guard try !geometry.isEmpty(), try !other.isEmpty() else { return false }
        return try self.distance(to: other) <= distance
    }

    /// The shortest planar distance. Throws `.emptyInput` when either geometry is EMPTY.
    public func distance(to other: GEOSGeometry) throws(GeometryError) -> Double {
        try other.requireFinite("prepared distance")
        guard try !geometry.isEmpty(), try !other.isEmpty() else { throw .emptyInput(operation: "distance") }
        if try intersects(other) { return 0 }
        return try context.measure("prepared distance") { GEOSPreparedDistance_r($0, handle, other.handle, $1) }
    }

    /// The closest pair of points, the first on the prepared geometry.
    public func nearestPoints(with other: GEOSGeometry) throws(GeometryError) -> (Coordinate, Coordinate) {
        try other.requireFinite("prepared nearestPoints")
        if try intersects(other) { return try geometry.nearestPoints(with: other) }
        guard try !geometry.isEmpty(), try !other.isEmpty() else { throw .emptyInput(operation: "nearestPoints") }
        let sequence = try context.call("prepared nearestPoints") { GEOSPreparedNearestPoints_r($0, handle, other.handle) }
        return try context.coordinatePair(sequence, "prepared nearestPoints")
    }
}
