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
        self.geometry = geometry
        self.handle = try geometry.context.call("prepare") { GEOSPrepare_r($0, geometry.handle) }
    }

    deinit {
        GEOSPreparedGeom_destroy_r(geometry.context.handle, handle)
    }

    private var context: GEOSContext { geometry.context }

    public func intersects(_ other: GEOSGeometry) throws(GeometryError) -> Bool {
        try context.predicate("prepared intersects") { GEOSPreparedIntersects_r($0, handle, other.handle) }
    }

    public func disjoint(_ other: GEOSGeometry) throws(GeometryError) -> Bool {
        try context.predicate("prepared disjoint") { GEOSPreparedDisjoint_r($0, handle, other.handle) }
    }

    public func contains(_ other: GEOSGeometry) throws(GeometryError) -> Bool {
        try context.predicate("prepared contains") { GEOSPreparedContains_r($0, handle, other.handle) }
    }

    /// `other` lies in this geometry's interior, not touching its boundary.
    public func containsProperly(_ other: GEOSGeometry) throws(GeometryError) -> Bool {
        try context.predicate("prepared containsProperly") { GEOSPreparedContainsProperly_r($0, handle, other.handle) }
    }

    public func covers(_ other: GEOSGeometry) throws(GeometryError) -> Bool {
        try context.predicate("prepared covers") { GEOSPreparedCovers_r($0, handle, other.handle) }
    }

    public func coveredBy(_ other: GEOSGeometry) throws(GeometryError) -> Bool {
        try context.predicate("prepared coveredBy") { GEOSPreparedCoveredBy_r($0, handle, other.handle) }
    }

    public func within(_ other: GEOSGeometry) throws(GeometryError) -> Bool {
        try context.predicate("prepared within") { GEOSPreparedWithin_r($0, handle, other.handle) }
    }

    public func touches(_ other: GEOSGeometry) throws(GeometryError) -> Bool {
        try context.predicate("prepared touches") { GEOSPreparedTouches_r($0, handle, other.handle) }
    }

    public func crosses(_ other: GEOSGeometry) throws(GeometryError) -> Bool {
        try context.predicate("prepared crosses") { GEOSPreparedCrosses_r($0, handle, other.handle) }
    }

    public func overlaps(_ other: GEOSGeometry) throws(GeometryError) -> Bool {
        try context.predicate("prepared overlaps") { GEOSPreparedOverlaps_r($0, handle, other.handle) }
    }

    /// Whether the planar distance to `other` is at most `distance`.
    public func isWithinDistance(_ other: GEOSGeometry, distance: Double) throws(GeometryError) -> Bool {
        try context.predicate("prepared isWithinDistance") {
            GEOSPreparedDistanceWithin_r($0, handle, other.handle, distance)
        }
    }

    /// The shortest planar distance. Throws `.emptyInput` when either geometry is EMPTY.
    public func distance(to other: GEOSGeometry) throws(GeometryError) -> Double {
        guard try !geometry.isEmpty(), try !other.isEmpty() else { throw .emptyInput(operation: "distance") }
        return try context.measure("prepared distance") { GEOSPreparedDistance_r($0, handle, other.handle, $1) }
    }

    /// The closest pair of points, the first on the prepared geometry.
    public func nearestPoints(with other: GEOSGeometry) throws(GeometryError) -> (Coordinate, Coordinate) {
        guard try !geometry.isEmpty(), try !other.isEmpty() else { throw .emptyInput(operation: "nearestPoints") }
        let sequence = try context.call("prepared nearestPoints") { GEOSPreparedNearestPoints_r($0, handle, other.handle) }
        return try context.coordinatePair(sequence, "prepared nearestPoints")
    }
}
