import CGEOS
public import GeoModel

// The operations themselves, on geometries already inside GEOS. The value-level API
// (Geometry+GEOS.swift) converts and then calls these. All measures are planar, in the units of
// the coordinates: project to EPSG:4549 before asking for metres.

extension GEOSGeometry {
    // MARK: Validity

    /// OGC validity as GEOS checks it (rings simple, holes inside shells, no NaN coordinates ...).
    public func isValid() throws(GeometryError) -> Bool {
        try context.predicate("isValid") { GEOSisValid_r($0, handle) }
    }

    /// Why the geometry is invalid, in GEOS's words with the place: "Self-intersection[1 1]";
    /// nil when it is valid.
    public func validityReason() throws(GeometryError) -> String? {
        let reason = try context.string("isValidReason") { GEOSisValidReason_r($0, handle) }
        return reason == "Valid Geometry" ? nil : reason  // GEOS's documented answer for valid input
    }

    /// A valid geometry covering the same points (GEOS's "linework" repair): a bow-tie polygon
    /// becomes a MultiPolygon of its two triangles; collapsed parts become lines or points.
    public func makeValid() throws(GeometryError) -> GEOSGeometry {
        try result("makeValid") { GEOSMakeValid_r($0, handle) }
    }

    public func isEmpty() throws(GeometryError) -> Bool {
        try context.predicate("isEmpty") { GEOSisEmpty_r($0, handle) }
    }

    // MARK: Predicates (DE-9IM, as in OGC and PostGIS)

    public func intersects(_ other: GEOSGeometry) throws(GeometryError) -> Bool {
        try predicate("intersects", other) { GEOSIntersects_r($0, handle, other.handle) }
    }

    public func disjoint(_ other: GEOSGeometry) throws(GeometryError) -> Bool {
        try predicate("disjoint", other) { GEOSDisjoint_r($0, handle, other.handle) }
    }

    /// No point of `other` lies outside this geometry and their interiors meet.
    public func contains(_ other: GEOSGeometry) throws(GeometryError) -> Bool {
        try predicate("contains", other) { GEOSContains_r($0, handle, other.handle) }
    }

    public func within(_ other: GEOSGeometry) throws(GeometryError) -> Bool {
        try predicate("within", other) { GEOSWithin_r($0, handle, other.handle) }
    }

    /// No point of `other` lies outside this geometry (boundary contact allowed).
    public func covers(_ other: GEOSGeometry) throws(GeometryError) -> Bool {
        try predicate("covers", other) { GEOSCovers_r($0, handle, other.handle) }
    }

    public func coveredBy(_ other: GEOSGeometry) throws(GeometryError) -> Bool {
        try predicate("coveredBy", other) { GEOSCoveredBy_r($0, handle, other.handle) }
    }

    /// The geometries meet only on their boundaries.
    public func touches(_ other: GEOSGeometry) throws(GeometryError) -> Bool {
        try predicate("touches", other) { GEOSTouches_r($0, handle, other.handle) }
    }

    public func crosses(_ other: GEOSGeometry) throws(GeometryError) -> Bool {
        try predicate("crosses", other) { GEOSCrosses_r($0, handle, other.handle) }
    }

    /// OGC overlaps: same dimension, interiors meet, neither covers the other. A zone lying
    /// wholly inside another does not overlap it; use `intersects` plus the intersection's area
    /// for "shares area".
    public func overlaps(_ other: GEOSGeometry) throws(GeometryError) -> Bool {
        try predicate("overlaps", other) { GEOSOverlaps_r($0, handle, other.handle) }
    }

    /// Topological equality: the same point set, whatever the vertex order or start point.
    public func equals(_ other: GEOSGeometry) throws(GeometryError) -> Bool {
        try predicate("equals", other) { GEOSEquals_r($0, handle, other.handle) }
    }

    /// Whether the planar distance to `other` is at most `distance` (PostGIS ST_DWithin).
    public func isWithinDistance(_ other: GEOSGeometry, distance: Double) throws(GeometryError) -> Bool {
        try predicate("isWithinDistance", other) { GEOSDistanceWithin_r($0, handle, other.handle, distance) }
    }

    // MARK: Overlay

    public func intersection(_ other: GEOSGeometry) throws(GeometryError) -> GEOSGeometry {
        try result("intersection", other) { GEOSIntersection_r($0, handle, other.handle) }
    }

    public func union(_ other: GEOSGeometry) throws(GeometryError) -> GEOSGeometry {
        try result("union", other) { GEOSUnion_r($0, handle, other.handle) }
    }

    /// The part of this geometry outside `other`.
    public func difference(_ other: GEOSGeometry) throws(GeometryError) -> GEOSGeometry {
        try result("difference", other) { GEOSDifference_r($0, handle, other.handle) }
    }

    public func symmetricDifference(_ other: GEOSGeometry) throws(GeometryError) -> GEOSGeometry {
        try result("symmetricDifference", other) { GEOSSymDifference_r($0, handle, other.handle) }
    }

    /// The union of this geometry's own parts (dissolves the polygons of a MultiPolygon).
    public func unaryUnion() throws(GeometryError) -> GEOSGeometry {
        try result("unaryUnion") { GEOSUnaryUnion_r($0, handle) }
    }

    // MARK: Measures (planar, in coordinate units)

    public func area() throws(GeometryError) -> Double {
        try measure("area") { GEOSArea_r($0, handle, $1) }
    }

    public func length() throws(GeometryError) -> Double {
        try measure("length") { GEOSLength_r($0, handle, $1) }
    }

    /// The shortest planar distance. Throws `.emptyInput` when either geometry is EMPTY.
    public func distance(to other: GEOSGeometry) throws(GeometryError) -> Double {
        guard try !isEmpty(), try !other.isEmpty() else { throw .emptyInput(operation: "distance") }
        return try measure("distance", other) { GEOSDistance_r($0, handle, other.handle, $1) }
    }

    /// The closest pair of points, one on each geometry. Throws `.emptyInput` when either is EMPTY.
    public func nearestPoints(with other: GEOSGeometry) throws(GeometryError) -> (Coordinate, Coordinate) {
        try requireFinite("nearestPoints", other)
        guard try !isEmpty(), try !other.isEmpty() else { throw .emptyInput(operation: "nearestPoints") }
        let sequence = try context.call("nearestPoints") { GEOSNearestPoints_r($0, handle, other.handle) }
        return try context.coordinatePair(sequence, "nearestPoints")
    }

    // MARK: Constructions

    /// The area within `distance` of this geometry; a negative distance shrinks polygons.
    public func buffer(by distance: Double, options: BufferOptions = BufferOptions()) throws(GeometryError) -> GEOSGeometry {
        guard options.quadrantSegments >= 1, let segments = Int32(exactly: options.quadrantSegments) else {
            throw .invalidArgument("buffer quadrantSegments must be a positive number, got \(options.quadrantSegments)")
        }
        guard distance.isFinite else { throw .invalidArgument("buffer distance must be finite, got \(distance)") }
        try requireFinite("buffer")
        let parameters = try context.call("buffer parameters") { GEOSBufferParams_create_r($0) }
        defer { GEOSBufferParams_destroy_r(context.handle, parameters) }
        let cap: GEOSBufCapStyles = switch options.cap {
        case .round: GEOSBUF_CAP_ROUND
        case .flat: GEOSBUF_CAP_FLAT
        case .square: GEOSBUF_CAP_SQUARE
        }
        let join: GEOSBufJoinStyles = switch options.join {
        case .round: GEOSBUF_JOIN_ROUND
        case .mitre: GEOSBUF_JOIN_MITRE
        case .bevel: GEOSBUF_JOIN_BEVEL
        }
        let h = context.handle
        guard GEOSBufferParams_setQuadrantSegments_r(h, parameters, segments) != 0,
              GEOSBufferParams_setEndCapStyle_r(h, parameters, Int32(cap.rawValue)) != 0,
              GEOSBufferParams_setJoinStyle_r(h, parameters, Int32(join.rawValue)) != 0,
              GEOSBufferParams_setMitreLimit_r(h, parameters, options.mitreLimit) != 0,
              GEOSBufferParams_setSingleSided_r(h, parameters, options.singleSided ? 1 : 0) != 0
        else { throw context.failure("buffer parameters") }
        return try result("buffer") { GEOSBufferWithParams_r($0, handle, parameters, distance) }
    }

    /// The bounding rectangle as a polygon (a point or EMPTY for degenerate input).
    public func envelope() throws(GeometryError) -> GEOSGeometry {
        try result("envelope") { GEOSEnvelope_r($0, handle) }
    }

    /// The centre of mass of the highest-dimension parts; POINT EMPTY for EMPTY input.
    public func centroid() throws(GeometryError) -> GEOSGeometry {
        try result("centroid") { GEOSGetCentroid_r($0, handle) }
    }

    /// A point guaranteed to lie on the geometry (inside a polygon, unlike a centroid).
    public func pointOnSurface() throws(GeometryError) -> GEOSGeometry {
        try result("pointOnSurface") { GEOSPointOnSurface_r($0, handle) }
    }

    /// Fewer vertices, no vertex moved farther than `tolerance`. Preserving topology (the
    /// default) keeps rings simple and holes inside; Douglas-Peucker alone may not.
    public func simplify(tolerance: Double, preservingTopology: Bool = true) throws(GeometryError) -> GEOSGeometry {
        if preservingTopology {
            try result("simplify") { GEOSTopologyPreserveSimplify_r($0, handle, tolerance) }
        } else {
            try result("simplify") { GEOSSimplify_r($0, handle, tolerance) }
        }
    }

    // MARK: Well-Known Text

    /// Well-Known Text, trailing zeros trimmed, Z written when the geometry has it. GEOS 3.11
    /// writes numbers in fixed notation with at most 16 decimals, so WKT is for reading and for
    /// tests, not a lossless exchange format (1e-300 comes out as 0). Geometries with numbers of
    /// 1e100 or more are written untrimmed (every number with 16 decimals).
    public func wkt() throws(GeometryError) -> String {
        let writer = try context.call("create WKT writer") { GEOSWKTWriter_create_r($0) }
        defer { GEOSWKTWriter_destroy_r(context.handle, writer) }
        // GEOS 3.11's trimmed number formatting overruns a fixed buffer for numbers of more
        // than about 110 digits (GEOS issue 970, fixed in 3.12.1); the untrimmed form is safe.
        let huge = try context.firstCoordinate(in: handle) { c in
            [c.x, c.y, c.z ?? 0].contains { $0.isFinite && abs($0) >= 1e100 }
        }
        GEOSWKTWriter_setTrim_r(context.handle, writer, huge == nil ? 1 : 0)
        // Z only when GEOS sees one: a collection with an EMPTY member otherwise counts as 3D
        // and GEOS 3.11 writes its missing Z values as 0.
        let hasZ = try context.predicate("hasZ") { GEOSHasZ_r($0, handle) }
        GEOSWKTWriter_setOutputDimension_r(context.handle, writer, hasZ ? 3 : 2)
        return try context.string("write WKT") { GEOSWKTWriter_write_r($0, writer, handle) }
    }
}

extension GEOSContext {
    /// Reads the two-point sequence GEOS's nearest-points functions return, then frees it.
    func coordinatePair(_ sequence: OpaquePointer, _ operation: String) throws(GeometryError) -> (Coordinate, Coordinate) {
        defer { GEOSCoordSeq_destroy_r(handle, sequence) }
        let points = try readCoordinates(sequence: sequence)
        guard points.count == 2 else {
            throw .geos(operation: operation, message: "expected 2 points, GEOS returned \(points.count)")
        }
        return (points[0], points[1])
    }
}
