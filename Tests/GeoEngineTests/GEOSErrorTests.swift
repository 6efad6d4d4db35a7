import Testing
import GeoEngine
import GeoModel

/// Bad input must come back as a GeometryError value carrying GEOS's message, never as a crash.
@Suite struct GEOSErrorTests {
    static let square = Geometry.polygon(Polygon(exterior: ring((0, 0), (4, 0), (4, 4), (0, 4), (0, 0))))
    static let bowtie = Geometry.polygon(Polygon(exterior: ring((0, 0), (2, 2), (2, 0), (0, 2), (0, 0))))
    static let nanPolygon = Geometry.polygon(Polygon(exterior: ring((0, 0), (.nan, 0), (1, 1), (0, 1), (0, 0))))
    static let twoPointRing = Geometry.polygon(Polygon(exterior: ring((0, 0), (1, 1))))

    /// The message GEOS gave, or nil when the error is of another kind.
    func geosMessage(_ error: GeometryError, operation: String) -> String? {
        if case .geos(operation, let message) = error { return message }
        return nil
    }

    @Test func intersectingASelfIntersectingPolygonReportsGEOSsTopologyError() throws {
        let error = try #require(throws: GeometryError.self) { try Self.bowtie.intersection(Self.square) }
        #expect(geosMessage(error, operation: "intersection")?.contains("Self-intersection") == true, "\(error)")
    }

    @Test func aTwoPointRingCannotBeBuilt() throws {
        let error = try #require(throws: GeometryError.self) { try Self.twoPointRing.area() }
        guard case .invalidGeometry(let reason) = error else { Issue.record("\(error)"); return }
        #expect(reason.hasPrefix("coordinates[0]: IllegalArgumentException:"))
    }

    @Test func aOnePointLineStringCannotBeBuilt() throws {
        let line = Geometry.lineString(LineString([Coordinate(x: 1, y: 1)]))
        let error = try #require(throws: GeometryError.self) { try line.length() }
        guard case .invalidGeometry(let reason) = error else { Issue.record("\(error)"); return }
        #expect(reason.hasPrefix("coordinates: "))
    }

    @Test func holesWithoutAnExteriorCannotBeBuilt() throws {
        let polygon = Geometry.polygon(Polygon(exterior: [], holes: [ring((1, 1), (2, 1), (2, 2), (1, 1))]))
        let error = try #require(throws: GeometryError.self) { try polygon.area() }
        guard case .invalidGeometry(let reason) = error else { Issue.record("\(error)"); return }
        #expect(reason.contains("shell is empty but holes are not"))
    }

    /// The path points at the unclosed hole of the second polygon of the second member.
    @Test func constructionErrorsNameTheBadRingDeepInsideACollection() throws {
        guard case .polygon(let good) = Self.square else { return }
        let openHole = ring((1, 1), (1, 2), (2, 2), (2, 1))
        let collection = Geometry.geometryCollection(GeometryCollection([
            .point(Point(x: 0, y: 0)),
            .multiPolygon(MultiPolygon([good, Polygon(exterior: good.exterior, holes: [openHole])])),
        ]))
        let error = try #require(throws: GeometryError.self) { try collection.centroid() }
        guard case .invalidGeometry(let reason) = error else { Issue.record("\(error)"); return }
        #expect(reason.hasPrefix("geometries[1].coordinates[1][1]: "), "\(reason)")
    }

    @Test func malformedWKTIsAParseError() throws {
        let error = try #require(throws: GeometryError.self) { try Geometry(wkt: "POLYGON ((0 0, 1 0, 1 1") }
        #expect(geosMessage(error, operation: "read WKT")?.contains("ParseException") == true, "\(error)")
    }

    @Test func negativeSimplifyToleranceIsRejectedByGEOS() throws {
        let error = try #require(throws: GeometryError.self) { try Self.square.simplify(tolerance: -1) }
        #expect(geosMessage(error, operation: "simplify")?.contains("non-negative") == true, "\(error)")
    }

    /// GEOS 3.11 crashes intersecting a point with a NaN x and never returns from a
    /// topology-preserving simplify of a polygon with one; such input is refused first.
    @Test func nonFiniteCoordinatesAreRefusedBeforeTheyReachGEOS() throws {
        let nanPoint = Geometry.point(Point(x: .nan, y: 1))
        #expect(throws: GeometryError.invalidGeometry(reason: "intersection needs finite coordinates, found (nan, 1.0)")) {
            try nanPoint.intersection(Self.square)
        }
        #expect(throws: GeometryError.invalidGeometry(reason: "difference needs finite coordinates, found (nan, 1.0)")) {
            try Self.square.difference(nanPoint)
        }
        #expect(throws: GeometryError.invalidGeometry(reason: "simplify needs finite coordinates, found (nan, 0.0)")) {
            try Self.nanPolygon.simplify(tolerance: 0.5)
        }
        let context = try GEOSContext()
        let fromWKT = try GEOSGeometry(wkt: "POINT (Infinity 1)", in: context)
        #expect(throws: GeometryError.invalidGeometry(reason: "prepare needs finite coordinates, found (inf, 1.0)")) {
            try PreparedGeometry(fromWKT)
        }
        let prepared = try PreparedGeometry(GEOSGeometry(Self.square, in: context))
        #expect(throws: GeometryError.self) { try prepared.intersects(fromWKT) }
        // Validity still looks at such geometries and says what is wrong.
        #expect(try nanPoint.validityReason() == "Invalid Coordinate[nan 1]")
    }

    /// GEOS 3.11 overruns a buffer writing such numbers in its trimmed WKT form.
    @Test func hugeCoordinatesStillWriteAsWKT() throws {
        let point = Geometry.point(Point(Coordinate(x: 1e308, y: -1.5e200, z: 1e100)))
        #expect(try Geometry(wkt: point.wkt()) == point)
    }

    /// WKB's convention, which GEOS follows: POINT (NaN NaN) is how POINT EMPTY is written.
    @Test func aPointWithBothCoordinatesNaNCountsAsEmptyInGEOS() throws {
        let context = try GEOSContext()
        #expect(try GEOSGeometry(.point(Point(x: .nan, y: .nan)), in: context).isEmpty())
        #expect(try Geometry.point(Point(x: .nan, y: .nan)).isValid())
    }

    @Test func bufferRejectsNonsenseParameters() {
        #expect(throws: GeometryError.invalidArgument("buffer quadrantSegments must be a positive number, got 0")) {
            try Self.square.buffer(by: 1, options: BufferOptions(quadrantSegments: 0))
        }
        #expect(throws: GeometryError.invalidArgument("buffer distance must be finite, got nan")) {
            try Self.square.buffer(by: .nan)
        }
    }

    @Test func distanceToNothingIsAnError() {
        #expect(throws: GeometryError.emptyInput(operation: "distance")) {
            try Self.square.distance(to: .point(.empty))
        }
        #expect(throws: GeometryError.emptyInput(operation: "nearestPoints")) {
            try Geometry.lineString(.empty).nearestPoints(with: Self.square)
        }
    }

    /// A failure's message must not linger into the next failure on the same context.
    @Test func eachFailureCarriesItsOwnMessage() throws {
        let context = try GEOSContext()
        let bowtie = try GEOSGeometry(Self.bowtie, in: context)
        let square = try GEOSGeometry(Self.square, in: context)
        let first = try #require(throws: GeometryError.self) { try bowtie.intersection(square) }
        #expect(try square.area() == 16)
        let second = try #require(throws: GeometryError.self) { try square.simplify(tolerance: -1) }
        #expect(geosMessage(first, operation: "intersection")?.contains("Self-intersection") == true)
        #expect(geosMessage(second, operation: "simplify")?.contains("Self-intersection") == false)
    }

    @Test func errorsDescribeThemselves() {
        #expect(GeometryError.geos(operation: "union", message: "TopologyException: x").description
                == "GEOS union failed: TopologyException: x")
        #expect(GeometryError.emptyInput(operation: "distance").description == "distance has no result for an EMPTY geometry")
        #expect(GeometryError.invalidGeometry(reason: "coordinates[0]: r").description == "invalid geometry: coordinates[0]: r")
    }

    /// Every operation on every kind of bad input either answers or throws a GeometryError; the
    /// process survives (a GEOS abort or a Swift trap would end the test run).
    @Test(arguments: [
        ("NaN", nanPolygon, false), ("bow-tie", bowtie, false), ("two-point ring", twoPointRing, false),
        ("infinity", .polygon(Polygon(exterior: ring((0, 0), (.infinity, 0), (1, 1), (0, 0)))), false),
        ("huge", .polygon(Polygon(exterior: ring((-1e308, -1e308), (1e308, -1e308), (1e308, 1e308), (-1e308, -1e308)))), true),
        ("collapsed", .polygon(Polygon(exterior: ring((0, 0), (1, 1), (2, 2), (0, 0)))), false),
        ("NaN point", .point(Point(x: .nan, y: 1)), false),
        ("NaN line", .lineString(LineString([Coordinate(x: 0, y: 0), Coordinate(x: 1, y: .nan)])), false),
    ] as [(String, Geometry, Bool)])
    func everyOperationSurvivesBadInput(_ name: String, _ bad: Geometry, _ valid: Bool) throws {
        let operations: [(String, () throws -> Void)] = [
            ("isValid", { _ = try bad.isValid() }), ("validityReason", { _ = try bad.validityReason() }),
            ("makeValid", { _ = try bad.makeValid() }), ("wkt", { _ = try bad.wkt() }),
            ("intersects", { _ = try bad.intersects(Self.square) }), ("contains", { _ = try bad.contains(Self.square) }),
            ("covers", { _ = try bad.covers(Self.square) }), ("touches", { _ = try bad.touches(Self.square) }),
            ("isWithinDistance", { _ = try bad.isWithinDistance(Self.square, distance: 1) }),
            ("intersection", { _ = try bad.intersection(Self.square) }), ("union", { _ = try bad.union(Self.square) }),
            ("difference", { _ = try bad.difference(Self.square) }), ("unaryUnion", { _ = try bad.unaryUnion() }),
            ("symmetricDifference", { _ = try bad.symmetricDifference(Self.square) }),
            ("area", { _ = try bad.area() }), ("length", { _ = try bad.length() }),
            ("distance", { _ = try bad.distance(to: Self.square) }),
            ("nearestPoints", { _ = try bad.nearestPoints(with: Self.square) }),
            ("buffer", { _ = try bad.buffer(by: 1) }), ("envelope", { _ = try bad.envelope() }),
            ("centroid", { _ = try bad.centroid() }), ("pointOnSurface", { _ = try bad.pointOnSurface() }),
            ("simplify", { _ = try bad.simplify(tolerance: 0.5) }),
            ("simplify without topology", { _ = try bad.simplify(tolerance: 0.5, preservingTopology: false) }),
            ("prepared, bad candidate", {
                let context = try GEOSContext()
                let prepared = try PreparedGeometry(GEOSGeometry(Self.square, in: context))
                let candidate = try GEOSGeometry(bad, in: context)
                _ = try prepared.intersects(candidate)
                _ = try prepared.contains(candidate)
                _ = try prepared.covers(candidate)
                _ = try prepared.containsProperly(candidate)
                _ = try prepared.isWithinDistance(candidate, distance: 1)
                _ = try prepared.distance(to: candidate)
            }),
            ("prepared bad geometry", {
                let context = try GEOSContext()
                let prepared = try PreparedGeometry(GEOSGeometry(bad, in: context))
                _ = try prepared.intersects(GEOSGeometry(Self.square, in: context))
            }),
        ]
        for (operationName, operation) in operations {
            do {
                try operation()
            } catch is GeometryError {
                // refused with a typed error: fine
            } catch {
                Issue.record("\(operationName) on \(name) threw \(error)")
            }
        }
        #expect(try bad.isValid() == valid, "\(name)")
    }
}
