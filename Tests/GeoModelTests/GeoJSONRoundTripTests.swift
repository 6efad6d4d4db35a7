import Testing
import TestSupport
@testable import GeoModel

/// Values written by GeoJSONWriter and read back by GeoJSONReader come back equal.
@Suite struct GeoJSONRoundTripTests {
    typealias S = GeoJSONTestSupport
    static let fullPrecision = GeoJSONWriter.Options(coordinatePrecision: nil)

    static let square = [S.point(0, 0), S.point(1, 0), S.point(1, 1), S.point(0, 1), S.point(0, 0)]  // counterclockwise
    static let hole = [S.point(0.25, 0.25), S.point(0.25, 0.75), S.point(0.75, 0.75), S.point(0.75, 0.25), S.point(0.25, 0.25)]  // clockwise

    /// One geometry of each type, with odd binary fractions that only survive at full precision.
    static let everyType: [Geometry] = [
        .point(Point(S.point(123.45678912345678, 41.796212345678901))),
        .lineString(LineString([S.point(123.1, 41.1), S.point(123.2000000000001, 41.2), S.point(-179.99999999999997, -89.5)])),
        .polygon(Polygon(exterior: square, holes: [hole])),
        .multiPoint(MultiPoint([S.point(1.0 / 3.0, 2.0 / 3.0), S.point(-0.1, 0.7)])),
        .multiLineString(MultiLineString([LineString([S.point(0, 0), S.point(1, 1)]), LineString([S.point(2, 2), S.point(3, 3), S.point(4, 2)])])),
        .multiPolygon(MultiPolygon([Polygon(exterior: square), Polygon(exterior: square.map { S.point($0.x + 5, $0.y) }, holes: [hole.map { S.point($0.x + 5, $0.y) }])])),
        .geometryCollection(GeometryCollection([
            .point(Point(x: 1, y: 2)),
            .lineString(LineString([S.point(0, 0), S.point(1, 1)])),
            .geometryCollection(GeometryCollection([.polygon(Polygon(exterior: square))])),
        ])),
    ]

    static let everyEmpty: [Geometry] = [
        .point(.empty), .lineString(.empty), .polygon(.empty), .multiPoint(.empty),
        .multiLineString(.empty), .multiPolygon(.empty), .geometryCollection(.empty),
        .multiLineString(MultiLineString([.empty])),
        .multiPolygon(MultiPolygon([.empty])),
        .geometryCollection(GeometryCollection([.point(.empty), .geometryCollection(.empty)])),
    ]

    @Test(arguments: everyType)
    func everyGeometryTypeRoundTripsExactlyAtFullPrecision(_ geometry: Geometry) throws {
        let bytes = try GeoJSONWriter.encode(geometry, options: Self.fullPrecision)
        #expect(try GeoJSONReader().readGeometry(bytes) == geometry)
    }

    @Test(arguments: everyType)
    func everyGeometryTypeRoundTripsInsideAFeatureCollection(_ geometry: Geometry) throws {
        let collection = FeatureCollection([Feature(id: .number(1), geometry: geometry, properties: ["k": "v"])])
        let bytes = try GeoJSONWriter.encode(collection, options: Self.fullPrecision)
        #expect(try GeoJSONReader().readFeatureCollection(bytes) == collection)
    }

    @Test(arguments: everyEmpty)
    func everyEmptyVariantRoundTrips(_ geometry: Geometry) throws {
        let bytes = try GeoJSONWriter.encode(geometry)
        let read = try GeoJSONReader().readGeometry(bytes)
        #expect(read == geometry)
        #expect(read.isEmpty)
    }

    @Test func emptyMembersOfMultiGeometriesRoundTrip() throws {
        let lines = Geometry.multiLineString(MultiLineString([.empty, LineString([S.point(1, 2), S.point(3, 4)])]))
        let polygons = Geometry.multiPolygon(MultiPolygon([.empty, Polygon(exterior: Self.square)]))
        for geometry in [lines, polygons] {
            #expect(try GeoJSONReader().readGeometry(try GeoJSONWriter.encode(geometry)) == geometry)
        }
        #expect(try S.written(lines) == #"{"type":"MultiLineString","coordinates":[[],[[1,2],[3,4]]]}"#)
    }

    /// The EMPTY encoding, documented on GeoJSONWriter: an empty coordinates array for every
    /// type (RFC 7946 §3.1 allows empty arrays), an empty geometries array for a collection.
    @Test func emptyGeometriesAreWrittenAsEmptyArrays() throws {
        #expect(try S.written(.point(.empty)) == #"{"type":"Point","coordinates":[]}"#)
        #expect(try S.written(.lineString(.empty)) == #"{"type":"LineString","coordinates":[]}"#)
        #expect(try S.written(.polygon(.empty)) == #"{"type":"Polygon","coordinates":[]}"#)
        #expect(try S.written(.multiPoint(.empty)) == #"{"type":"MultiPoint","coordinates":[]}"#)
        #expect(try S.written(.multiLineString(.empty)) == #"{"type":"MultiLineString","coordinates":[]}"#)
        #expect(try S.written(.multiPolygon(.empty)) == #"{"type":"MultiPolygon","coordinates":[]}"#)
        #expect(try S.written(.geometryCollection(.empty)) == #"{"type":"GeometryCollection","geometries":[]}"#)
        #expect(try S.written(.multiPolygon(MultiPolygon([.empty]))) == #"{"type":"MultiPolygon","coordinates":[[]]}"#)
    }

    @Test func threeDimensionalCoordinatesKeepTheirHeight() throws {
        let line = Geometry.lineString(LineString([S.point(123.1, 41.1, 52.5), S.point(123.2, 41.2, -3.25)]))
        let ring = [S.point(0, 0, 1), S.point(1, 0, 2), S.point(1, 1, 3), S.point(0, 0, 1)]
        let polygon = Geometry.polygon(Polygon(exterior: ring))
        for geometry in [line, polygon, .point(Point(S.point(1, 2, 0)))] {
            #expect(try GeoJSONReader().readGeometry(try GeoJSONWriter.encode(geometry)) == geometry)
        }
        #expect(try S.written(line) == #"{"type":"LineString","coordinates":[[123.1,41.1,52.5],[123.2,41.2,-3.25]]}"#)
    }

    @Test func defaultPrecisionRoundTripsCoordinatesThatHaveSevenDecimals() throws {
        let geometry = Geometry.polygon(Polygon(exterior: [
            S.point(123.4567891, 41.7962123), S.point(123.4577891, 41.7962123),
            S.point(123.4577891, 41.7972123), S.point(123.4567891, 41.7962123),
        ]))
        #expect(try GeoJSONReader().readGeometry(try GeoJSONWriter.encode(geometry)) == geometry)
    }

    static let everyKindOfProperty: JSONObject = [
        "null": nil,
        "true": true,
        "false": false,
        "zero": 0,
        "int_min": .integer(.min),
        "int_max": .integer(.max),
        "float": 80.5,
        "float_whole": 5.0,
        "float_tiny": .number(.leastNonzeroMagnitude),
        "float_huge": 1.7976931348623157e308,
        "float_third": .number(1.0 / 3.0),
        "negative_zero": -0.0,
        "string": "planned",
        "chinese": "沈阳地铁2号线南延线",
        "emoji_and_combining": "🗺️ é e\u{301} שלום",
        "escapes": "quote \" backslash \\ slash / newline \n return \r tab \t nul \u{0} bell \u{7} del \u{7F}",
        "array": [1, "two", 3.5, nil, false, [], [:]],
        "nested": ["level1": ["level2": ["level3": [1, 2, ["deep": true]]]]],
        "empty_object": [:],
        "empty_array": [],
        "键": "non-ASCII key",
    ]

    @Test func propertiesOfEveryJSONKindRoundTripInOrder() throws {
        let feature = Feature(id: .string("f-1"), geometry: nil, properties: Self.everyKindOfProperty)
        let read = try GeoJSONReader().readFeature(try GeoJSONWriter.encode(feature))
        #expect(read == feature)
        #expect(Array(read.properties.keys) == Array(Self.everyKindOfProperty.keys))
        // Integers stay integers and whole floats stay floats.
        #expect(read.properties["zero"] == .integer(0))
        #expect(read.properties["float_whole"] == .number(5.0))
    }

    @Test(arguments: [FeatureID.string("a/b c"), .string(""), .string("地块-7"), .number(0), .number(-5), .number(.max), .number(.min)])
    func featureIDsRoundTrip(_ id: FeatureID) throws {
        let feature = Feature(id: id, geometry: .point(Point(x: 1, y: 2)))
        #expect(try GeoJSONReader().readFeature(try GeoJSONWriter.encode(feature)).id == id)
    }

    @Test func aFeatureWithoutIDOrGeometryRoundTrips() throws {
        let feature = Feature(geometry: nil)
        let bytes = try GeoJSONWriter.encode(feature)
        #expect(S.text(bytes) == "{\"type\":\"Feature\",\"geometry\":null,\"properties\":{}}\n")
        #expect(try GeoJSONReader().readFeature(bytes) == feature)
    }

    @Test func readReturnsWhicheverObjectIsAtTheTop() throws {
        let geometry = Geometry.point(Point(x: 1, y: 2))
        let feature = Feature(id: .number(7), geometry: geometry)
        let collection = FeatureCollection([feature, feature])
        #expect(try GeoJSONReader().read(try GeoJSONWriter.encode(geometry)) == .geometry(geometry))
        #expect(try GeoJSONReader().read(try GeoJSONWriter.encode(feature)) == .feature(feature))
        #expect(try GeoJSONReader().read(try GeoJSONWriter.encode(collection)) == .featureCollection(collection))
    }

    /// Seeded random features (random shapes, sizes and coordinates) survive a full-precision trip.
    @Test func randomFeaturesRoundTrip() throws {
        var random = SeededGenerator(seed: 7946)
        func coordinate(_ hasZ: Bool) -> Coordinate {
            Coordinate(x: .random(in: -180...180, using: &random), y: .random(in: -90...90, using: &random),
                       z: hasZ ? .random(in: -500...9000, using: &random) : nil)
        }
        func ring(_ hasZ: Bool) -> [Coordinate] {
            var ring = (0..<Int.random(in: 3...12, using: &random)).map { _ in coordinate(hasZ) }
            ring.append(ring[0])
            return ring
        }
        var features: [Feature] = []
        for index in 0..<500 {
            let hasZ = Bool.random(using: &random)
            let geometry: Geometry = switch index % 6 {
            case 0: .point(Point(coordinate(hasZ)))
            case 1: .lineString(LineString((0..<Int.random(in: 2...20, using: &random)).map { _ in coordinate(hasZ) }))
            case 2: .polygon(Polygon(exterior: ring(hasZ), holes: [ring(hasZ)]))
            case 3: .multiPoint(MultiPoint((0..<5).map { _ in coordinate(hasZ) }))
            case 4: .multiLineString(MultiLineString([LineString([coordinate(hasZ), coordinate(hasZ)])]))
            default: .multiPolygon(MultiPolygon([Polygon(exterior: ring(hasZ)), Polygon(exterior: ring(hasZ))]))
            }
            features.append(Feature(id: .number(Int64(index)), geometry: geometry,
                                    properties: ["value": .number(.random(in: -1e9...1e9, using: &random)), "index": .integer(Int64(index))]))
        }
        // Winding is left alone here: random rings go either way and must come back as they were.
        let options = GeoJSONWriter.Options(coordinatePrecision: nil, enforcesRightHandRule: false)
        let collection = FeatureCollection(features)
        #expect(try GeoJSONReader().readFeatureCollection(try GeoJSONWriter.encode(collection, options: options)) == collection)
    }
}
