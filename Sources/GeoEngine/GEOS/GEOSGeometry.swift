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
    /// A coordinate with NaN or infinite x or y, found when the geometry came from a value or
    /// from WKT. GEOS 3.11 crashes (overlay) or hangs (topology-preserving simplify) on such
    /// input, so every operation except the validity checks refuses it. Results of GEOS
    /// operations on finite input are taken to be finite.
    let nonFiniteCoordinate: Coordinate?

    /// Takes ownership of `handle`, a geometry made in `context`.
    init(owning handle: OpaquePointer, in context: GEOSContext, nonFiniteCoordinate: Coordinate? = nil) {
        self.context = context
        self.handle = handle
        self.nonFiniteCoordinate = nonFiniteCoordinate
    }

    deinit {
        GEOSGeom_destroy_r(context.handle, handle)
    }

    /// Builds the GEOS form of `value`. Throws `GeometryError.invalidGeometry` when GEOS cannot
    /// represent it at all (an unclosed ring, a ring of fewer than four points, a one-point line).
    public convenience init(_ value: Geometry, in context: GEOSContext) throws(GeometryError) {
        let (handle, nonFinite) = try context.makeHandle(value)
        self.init(owning: handle, in: context, nonFiniteCoordinate: nonFinite)
    }

    /// Parses Well-Known Text, e.g. `POLYGON ((0 0, 1 0, 1 1, 0 0))`.
    public convenience init(wkt: String, in context: GEOSContext) throws(GeometryError) {
        let reader = try context.call("create WKT reader") { GEOSWKTReader_create_r($0) }
        defer { GEOSWKTReader_destroy_r(context.handle, reader) }
        let handle = try context.call("read WKT") { GEOSWKTReader_read_r($0, reader, wkt) }
        // WKT may spell NaN and Infinity, so look, as the conversion from values does.
        let nonFinite: Coordinate?
        do {
            nonFinite = try context.firstCoordinate(in: handle) { !$0.x.isFinite || !$0.y.isFinite }
        } catch {
            GEOSGeom_destroy_r(context.handle, handle)
            throw error
        }
        self.init(owning: handle, in: context, nonFiniteCoordinate: nonFinite)
    }

    // MARK: Running operations

    /// Refuses NaN and infinite coordinates in this geometry or `other` (see nonFiniteCoordinate).
    func requireFinite(_ operation: String, _ other: GEOSGeometry? = nil) throws(GeometryError) {
        if let c = nonFiniteCoordinate ?? other?.nonFiniteCoordinate {
            throw .invalidGeometry(reason: "\(operation) needs finite coordinates, found (\(c.x), \(c.y))")
        }
    }

    /// Runs an operation returning a new geometry (NULL means failure).
    func result(
        _ operation: String, _ other: GEOSGeometry? = nil, _ body: (OpaquePointer) -> OpaquePointer?
    ) throws(GeometryError) -> GEOSGeometry {
        try requireFinite(operation, other)
        return GEOSGeometry(owning: try context.call(operation, body), in: context)
    }

    /// Runs a predicate on finite input.
    func predicate(
        _ operation: String, _ other: GEOSGeometry? = nil, _ body: (OpaquePointer) -> CChar
    ) throws(GeometryError) -> Bool {
        try requireFinite(operation, other)
        return try context.predicate(operation, body)
    }

    /// Runs a measure on finite input.
    func measure(
        _ operation: String, _ other: GEOSGeometry? = nil,
        _ body: (OpaquePointer, UnsafeMutablePointer<Double>) -> Int32
    ) throws(GeometryError) -> Double {
        try requireFinite(operation, other)
        return try context.measure(operation, body)
    }
}

extension Geometry {
    /// The value of a GEOS geometry, with every coordinate (and Z) exactly as GEOS holds it.
    /// A MULTIPOINT's EMPTY member points have no coordinate to keep and are left out.
    public init(_ geometry: GEOSGeometry) throws(GeometryError) {
        self = try geometry.context.makeValue(geometry.handle)
    }
}
