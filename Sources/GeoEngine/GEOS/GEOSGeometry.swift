import CGEOS
public import GeoModel

/// A geometry living inside GEOS, owned by this object and freed when it goes away.
///
/// Convert a value once and run many operations on it, or chain operations without coming back
/// to Swift values in between (`try a.intersection(b).area()`). Like its `GEOSContext`, it stays
/// inside one task; results of an operation belong to the receiver's context.
public final class GEOSGeometry {
    public let context: GEOSContext
    let handle: OpaquePointer

    /// Takes ownership of `handle`, a geometry made in `context`.
    init(owning handle: OpaquePointer, in context: GEOSContext) {
        self.context = context
        self.handle = handle
    }

    deinit {
        GEOSGeom_destroy_r(context.handle, handle)
    }

    /// Builds the GEOS form of `value`. Throws `GeometryError.invalidGeometry` when GEOS cannot
    /// represent it at all (an unclosed ring, a ring of fewer than four points, a one-point line).
    public convenience init(_ value: Geometry, in context: GEOSContext) throws(GeometryError) {
        self.init(owning: try context.makeHandle(value), in: context)
    }

    /// Parses Well-Known Text, e.g. `POLYGON ((0 0, 1 0, 1 1, 0 0))`.
    public convenience init(wkt: String, in context: GEOSContext) throws(GeometryError) {
        let reader = try context.call("create WKT reader") { GEOSWKTReader_create_r($0) }
        defer { GEOSWKTReader_destroy_r(context.handle, reader) }
        let handle = try context.call("read WKT") { GEOSWKTReader_read_r($0, reader, wkt) }
        self.init(owning: handle, in: context)
    }

    /// Wraps a result that a GEOS call returned (NULL means failure).
    func result(_ operation: String, _ body: (OpaquePointer) -> OpaquePointer?) throws(GeometryError) -> GEOSGeometry {
        GEOSGeometry(owning: try context.call(operation, body), in: context)
    }
}

extension Geometry {
    /// The value of a GEOS geometry, with every coordinate (and Z) exactly as GEOS holds it.
    /// A MULTIPOINT's EMPTY member points have no coordinate to keep and are left out.
    public init(_ geometry: GEOSGeometry) throws(GeometryError) {
        self = try geometry.context.makeValue(geometry.handle)
    }
}
