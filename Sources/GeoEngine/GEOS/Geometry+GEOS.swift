public import GeoModel

// GEOS operations on GeoModel values. Each call makes its own GEOSContext, converts, runs one
// GEOSGeometry operation and converts the answer back, so these are safe to call from any task.
// For many operations on the same shapes, use GEOSContext / GEOSGeometry / PreparedGeometry
// directly and convert once. Measures are planar, in coordinate units.

extension Geometry {
    /// Parses Well-Known Text.
    public init(wkt: String) throws(GeometryError) {
        self = try Geometry(GEOSGeometry(wkt: wkt, in: GEOSContext()))
    }

    /// Well-Known Text; see `GEOSGeometry.wkt()` for its precision. Reading it back gives the same
    /// value when every coordinate has a Z or none has, and numbers need at most 16 decimals.
    public func wkt() throws(GeometryError) -> String {
        try inGEOS { g throws(GeometryError) in try g.wkt() }
    }

    // MARK: Validity

    /// Whether GEOS considers the geometry valid. A geometry GEOS cannot even build (an unclosed
    /// ring) is invalid, not an error.
    public func isValid() throws(GeometryError) -> Bool {
        try validityReason() == nil
    }

    /// nil when valid; otherwise GEOS's reason with its location, "Self-intersection[1 1]", or,
    /// for a geometry GEOS cannot build, the construction error naming the bad ring.
    public func validityReason() throws(GeometryError) -> String? {
        let geometry: GEOSGeometry
        do {
            geometry = try GEOSGeometry(self, in: GEOSContext())
        } catch {
            if case .invalidGeometry(let reason) = error { return reason }
            throw error
        }
        return try geometry.validityReason()
    }

    /// A valid geometry covering the same points; see `GEOSGeometry.makeValid()`.
    public func makeValid() throws(GeometryError) -> Geometry {
        try inGEOS { g throws(GeometryError) in try Geometry(g.makeValid()) }
    }

    // MARK: Predicates

    public func intersects(_ other: Geometry) throws(GeometryError) -> Bool {
        try inGEOS(with: other) { a, b throws(GeometryError) in try a.intersects(b) }
    }

    public func disjoint(_ other: Geometry) throws(GeometryError) -> Bool {
        try inGEOS(with: other) { a, b throws(GeometryError) in try a.disjoint(b) }
    }

    public func contains(_ other: Geometry) throws(GeometryError) -> Bool {
        try inGEOS(with: other) { a, b throws(GeometryError) in try a.contains(b) }
    }

    public func within(_ other: Geometry) throws(GeometryError) -> Bool {
        try inGEOS(with: other) { a, b throws(GeometryError) in try a.within(b) }
    }

    public func covers(_ other: Geometry) throws(GeometryError) -> Bool {
        try inGEOS(with: other) { a, b throws(GeometryError) in try a.covers(b) }
    }

    public func coveredBy(_ other: Geometry) throws(GeometryError) -> Bool {
        try inGEOS(with: other) { a, b throws(GeometryError) in try a.coveredBy(b) }
    }

    public func touches(_ other: Geometry) throws(GeometryError) -> Bool {
        try inGEOS(with: other) { a, b throws(GeometryError) in try a.touches(b) }
    }

    public func crosses(_ other: Geometry) throws(GeometryError) -> Bool {
        try inGEOS(with: other) { a, b throws(GeometryError) in try a.crosses(b) }
    }

    /// OGC overlaps; see `GEOSGeometry.overlaps(_:)` for why it is not "shares area".
    public func overlaps(_ other: Geometry) throws(GeometryError) -> Bool {
        try inGEOS(with: other) { a, b throws(GeometryError) in try a.overlaps(b) }
    }

    /// Topological equality (same point set); `==` compares the stored coordinates instead.
    public func equals(_ other: Geometry) throws(GeometryError) -> Bool {
        try inGEOS(with: other) { a, b throws(GeometryError) in try a.equals(b) }
    }

    public func isWithinDistance(_ other: Geometry, distance: Double) throws(GeometryError) -> Bool {
        try inGEOS(with: other) { a, b throws(GeometryError) in try a.isWithinDistance(b, distance: distance) }
    }

    // MARK: Overlay

    public func intersection(_ other: Geometry) throws(GeometryError) -> Geometry {
        try inGEOS(with: other) { a, b throws(GeometryError) in try Geometry(a.intersection(b)) }
    }

    public func union(_ other: Geometry) throws(GeometryError) -> Geometry {
        try inGEOS(with: other) { a, b throws(GeometryError) in try Geometry(a.union(b)) }
    }

    public func difference(_ other: Geometry) throws(GeometryError) -> Geometry {
        try inGEOS(with: other) { a, b throws(GeometryError) in try Geometry(a.difference(b)) }
    }

    public func symmetricDifference(_ other: Geometry) throws(GeometryError) -> Geometry {
        try inGEOS(with: other) { a, b throws(GeometryError) in try Geometry(a.symmetricDifference(b)) }
    }

    public func unaryUnion() throws(GeometryError) -> Geometry {
        try inGEOS { g throws(GeometryError) in try Geometry(g.unaryUnion()) }
    }

    // MARK: Measures

    public func area() throws(GeometryError) -> Double {
        try inGEOS { g throws(GeometryError) in try g.area() }
    }

    public func length() throws(GeometryError) -> Double {
        try inGEOS { g throws(GeometryError) in try g.length() }
    }

    public func distance(to other: Geometry) throws(GeometryError) -> Double {
        try inGEOS(with: other) { a, b throws(GeometryError) in try a.distance(to: b) }
    }

    public func nearestPoints(with other: Geometry) throws(GeometryError) -> (Coordinate, Coordinate) {
        try inGEOS(with: other) { a, b throws(GeometryError) in try a.nearestPoints(with: b) }
    }

    // MARK: Constructions

    public func buffer(by distance: Double, options: BufferOptions = BufferOptions()) throws(GeometryError) -> Geometry {
        try inGEOS { g throws(GeometryError) in try Geometry(g.buffer(by: distance, options: options)) }
    }

    public func envelope() throws(GeometryError) -> Geometry {
        try inGEOS { g throws(GeometryError) in try Geometry(g.envelope()) }
    }

    public func centroid() throws(GeometryError) -> Geometry {
        try inGEOS { g throws(GeometryError) in try Geometry(g.centroid()) }
    }

    public func pointOnSurface() throws(GeometryError) -> Geometry {
        try inGEOS { g throws(GeometryError) in try Geometry(g.pointOnSurface()) }
    }

    public func simplify(tolerance: Double, preservingTopology: Bool = true) throws(GeometryError) -> Geometry {
        try inGEOS { g throws(GeometryError) in
            try Geometry(g.simplify(tolerance: tolerance, preservingTopology: preservingTopology))
        }
    }

    // MARK: Plumbing

    private func inGEOS<R>(_ body: (GEOSGeometry) throws(GeometryError) -> R) throws(GeometryError) -> R {
        try body(GEOSGeometry(self, in: GEOSContext()))
    }

    private func inGEOS<R>(
        with other: Geometry, _ body: (GEOSGeometry, GEOSGeometry) throws(GeometryError) -> R
    ) throws(GeometryError) -> R {
        let context = try GEOSContext()
        return try body(GEOSGeometry(self, in: context), GEOSGeometry(other, in: context))
    }
}
