import Testing
import TestSupport
import GeoEngine
import GeoModel

/// Value -> GEOS -> value must give back exactly the value that went in.
@Suite struct GEOSConversionTests {
    static let square = ring((0, 0), (10, 0), (10, 10), (0, 10), (0, 0))
    static let hole = ring((2, 2), (2, 4), (4, 4), (4, 2), (2, 2))
    static let awkwardNumbers = [0.1 + 0.2, 1e-300, -123.45678901234567, 6.02214076e23, -0.0, .ulpOfOne]

    static let cases: [(String, Geometry)] = [
        ("point", .point(Point(x: 123.4507, y: 41.7962))),
        ("point with Z", .point(Point(Coordinate(x: 1, y: 2, z: 3)))),
        ("point empty", .point(.empty)),
        ("line string", .lineString(LineString(awkwardNumbers.map { Coordinate(x: $0, y: -$0) }))),
        ("line string with Z", .lineString(LineString([Coordinate(x: 0, y: 0, z: 5), Coordinate(x: 1, y: 1, z: -5)]))),
        ("line string with Z on some coordinates only",
         .lineString(LineString([Coordinate(x: 0, y: 0), Coordinate(x: 1, y: 1, z: 7), Coordinate(x: 2, y: 0)]))),
        ("line string empty", .lineString(.empty)),
        ("polygon with hole", .polygon(Polygon(exterior: square, holes: [hole]))),
        ("polygon with Z", .polygon(Polygon(exterior: square.map { Coordinate(x: $0.x, y: $0.y, z: $0.x + $0.y) }))),
        ("polygon empty", .polygon(.empty)),
        ("multi point", .multiPoint(MultiPoint([Coordinate(x: 1, y: 2), Coordinate(x: 3, y: 4)]))),
        ("multi point with Z", .multiPoint(MultiPoint([Coordinate(x: 1, y: 2, z: 9), Coordinate(x: 3, y: 4)]))),
        ("multi point empty", .multiPoint(.empty)),
        ("multi line string with an empty member",
         .multiLineString(MultiLineString([LineString([Coordinate(x: 0, y: 0), Coordinate(x: 1, y: 1)]), .empty]))),
        ("multi line string empty", .multiLineString(.empty)),
        ("multi polygon with an empty member",
         .multiPolygon(MultiPolygon([Polygon(exterior: square, holes: [hole]), .empty,
                                     Polygon(exterior: square.map { Coordinate(x: $0.x + 20, y: $0.y) })]))),
        ("multi polygon empty", .multiPolygon(.empty)),
        ("nested geometry collection",
         .geometryCollection(GeometryCollection([
             .point(Point(x: 1, y: 1)), .point(.empty), .lineString(.empty), .polygon(Polygon(exterior: square)),
             .geometryCollection(GeometryCollection([.multiPoint(MultiPoint([Coordinate(x: 5, y: 5, z: 1)])),
                                                     .geometryCollection(.empty)])),
         ]))),
        ("geometry collection empty", .geometryCollection(.empty)),
    ]

    @Test(arguments: cases.indices)
    func roundTripThroughGEOSIsExact(_ index: Int) throws {
        let (name, value) = Self.cases[index]
        let context = try GEOSContext()
        let back = try Geometry(GEOSGeometry(value, in: context))
        #expect(back == value, "\(name) changed on the way through GEOS")
    }

    @Test(arguments: cases.indices)
    func emptinessSurvivesConversion(_ index: Int) throws {
        let (name, value) = Self.cases[index]
        let geos = try GEOSGeometry(value, in: GEOSContext())
        #expect(try geos.isEmpty() == value.isEmpty, "\(name)")
    }

    /// WKT names the GEOS type, so it shows that each value became the GEOS type of the same kind
    /// (a MultiPoint did not turn into a GeometryCollection of points).
    @Test(arguments: [
        (Geometry.point(Point(x: 1, y: 2)), "POINT (1 2)"),
        (.point(Point(Coordinate(x: 1, y: 2, z: 3))), "POINT Z (1 2 3)"),
        (.point(.empty), "POINT EMPTY"),
        (.lineString(LineString([Coordinate(x: 0, y: 0), Coordinate(x: 1.5, y: 2)])), "LINESTRING (0 0, 1.5 2)"),
        (.lineString(.empty), "LINESTRING EMPTY"),
        (.polygon(Polygon(exterior: ring((0, 0), (1, 0), (1, 1), (0, 0)))), "POLYGON ((0 0, 1 0, 1 1, 0 0))"),
        (.polygon(.empty), "POLYGON EMPTY"),
        (.multiPoint(MultiPoint([Coordinate(x: 1, y: 2), Coordinate(x: 3, y: 4)])), "MULTIPOINT (1 2, 3 4)"),
        (.multiPoint(.empty), "MULTIPOINT EMPTY"),
        (.multiLineString(MultiLineString([LineString([Coordinate(x: 0, y: 0), Coordinate(x: 1, y: 1)])])),
         "MULTILINESTRING ((0 0, 1 1))"),
        (.multiLineString(.empty), "MULTILINESTRING EMPTY"),
        (.multiPolygon(MultiPolygon([Polygon(exterior: ring((0, 0), (1, 0), (1, 1), (0, 0)))])),
         "MULTIPOLYGON (((0 0, 1 0, 1 1, 0 0)))"),
        (.multiPolygon(.empty), "MULTIPOLYGON EMPTY"),
        (.geometryCollection(GeometryCollection([.point(Point(x: 1, y: 2))])), "GEOMETRYCOLLECTION (POINT (1 2))"),
        (.geometryCollection(.empty), "GEOMETRYCOLLECTION EMPTY"),
    ])
    func eachTypeBecomesTheSameGEOSType(_ value: Geometry, _ expectedWKT: String) throws {
        #expect(try value.wkt() == expectedWKT)
    }

    /// WKT has one dimension per geometry (a Z on only some coordinates cannot be written) and
    /// GEOS 3.11 writes at most 16 decimals, so only those cases take part.
    static let wktCases = cases.indices.filter { index in
        var zs: Set<Bool> = []
        cases[index].1.forEachCoordinate { zs.insert($0.z != nil) }
        return zs.count <= 1 && cases[index].0 != "line string"
    }

    @Test(arguments: wktCases)
    func wktRoundTripIsExactForUniformDimensions(_ index: Int) throws {
        let (name, value) = Self.cases[index]
        let text = try value.wkt()
        #expect(try Geometry(wkt: text) == value, "\(name) via \(text)")
    }

    @Test func wktKeepsCoordinatesWithSixteenDecimals() throws {
        let value = Geometry.lineString(LineString([Coordinate(x: 123.4507123456789, y: 41.7962000000001),
                                                    Coordinate(x: -0.0000000000000001, y: 1e15)]))
        #expect(try Geometry(wkt: value.wkt()) == value)
    }

    @Test func collapsedMultiPointMembersAreDropped() throws {
        // GEOS can hold an EMPTY point inside a MULTIPOINT; GeoModel's MultiPoint holds only coordinates.
        let value = try Geometry(wkt: "MULTIPOINT (EMPTY, (1 2))")
        #expect(value == .multiPoint(MultiPoint([Coordinate(x: 1, y: 2)])))
    }

    @Test func linearRingsFromGEOSBecomeLineStrings() throws {
        let value = try Geometry(wkt: "LINEARRING (0 0, 1 0, 1 1, 0 0)")
        #expect(value == .lineString(LineString(ring((0, 0), (1, 0), (1, 1), (0, 0)))))
    }

    @Test func largeGeometriesConvertWithoutLoss() throws {
        var random = SeededGenerator(seed: 7)
        let coordinates = (0..<100_000).map { _ in
            Coordinate(x: Double.random(in: -180...180, using: &random), y: Double.random(in: -90...90, using: &random))
        }
        let value = Geometry.lineString(LineString(coordinates))
        #expect(try Geometry(GEOSGeometry(value, in: GEOSContext())) == value)
    }
}
