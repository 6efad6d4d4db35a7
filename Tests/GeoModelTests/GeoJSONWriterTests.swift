import Foundation
import Testing
import TestSupport
@testable import GeoModel

@Suite struct GeoJSONWriterTests {
    typealias S = GeoJSONTestSupport

    // MARK: Layout and determinism

    @Test func aFeatureCollectionHasOneFeaturePerLineAndMembersInAFixedOrder() throws {
        let sink = ByteArraySink()
        var writer = GeoJSONWriter(to: sink)
        try writer.beginFeatureCollection(members: ["name": "metro", "bbox": [123, 41, 124, 42]])
        try writer.write(Feature(id: .string("m2"), geometry: .point(Point(x: 123.5, y: 41.75)), properties: ["z": 1, "a": "x"]))
        try writer.write(Feature(geometry: nil, properties: [:]))
        try writer.endFeatureCollection(members: ["numberReturned": 2])
        #expect(S.text(sink.bytes) == """
            {"type":"FeatureCollection","name":"metro","bbox":[123,41,124,42],"features":[
            {"type":"Feature","id":"m2","geometry":{"type":"Point","coordinates":[123.5,41.75]},"properties":{"z":1,"a":"x"}},
            {"type":"Feature","geometry":null,"properties":{}}
            ],"numberReturned":2}

            """)
    }

    @Test func anEmptyFeatureCollectionIsCompact() throws {
        #expect(S.text(try GeoJSONWriter.encode(FeatureCollection([]))) == "{\"type\":\"FeatureCollection\",\"features\":[]}\n")
    }

    @Test func writingTheSameDataTwiceGivesTheSameBytes() throws {
        let collection = try GeoJSONReader().readFeatureCollection(try S.fixture("every-geometry.geojson"))
        let first = try GeoJSONWriter.encode(collection)
        let second = try GeoJSONWriter.encode(collection)
        #expect(first == second)
        // And writing what was read gives the same bytes again (a fixed point).
        #expect(try GeoJSONWriter.encode(try GeoJSONReader().readFeatureCollection(first)) == first)
    }

    @Test func aFileSinkWritesTheSameBytesAsMemoryAcrossManyChunks() throws {
        let features = (0..<3000).map { index in
            Feature(id: .number(Int64(index)), geometry: .lineString(LineString((0..<20).map { k in
                S.point(123 + Double(k) * 0.001, 41 + Double(index) * 0.0001)
            })), properties: ["name": .string("road \(index)")])
        }
        let inMemory = try GeoJSONWriter.encode(FeatureCollection(features))
        #expect(inMemory.count > 4 * 64 * 1024)

        let path = FileManager.default.temporaryDirectory.appendingPathComponent("geojson-writer-\(UUID().uuidString).geojson").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let sink = try FileSink(path: path)
        var writer = GeoJSONWriter(to: sink)
        try writer.beginFeatureCollection()
        for feature in features { try writer.write(feature) }
        try writer.endFeatureCollection()
        try sink.close()
        #expect([UInt8](try Data(contentsOf: URL(fileURLWithPath: path))) == inMemory)
    }

    @Test func theSinkReceivesChunksWhileTheCollectionIsWritten() throws {
        let sink = ByteArraySink()
        var writer = GeoJSONWriter(to: sink)
        try writer.beginFeatureCollection()
        var index = 0
        while sink.bytes.isEmpty {
            try writer.write(Feature(geometry: .point(Point(x: 1, y: 2)), properties: ["i": .integer(Int64(index))]))
            index += 1
        }
        // Handed over at about 64 KiB, long before the end.
        #expect(sink.bytes.count >= 64 * 1024 && sink.bytes.count < 80 * 1024)
        try writer.flush()
        let chunk = sink.takeBytes()
        try writer.endFeatureCollection()
        let document = chunk + sink.bytes
        #expect(try GeoJSONReader().readFeatureCollection(document).features.count == index)
    }

    @Test func aFileSinkReportsAPathItCannotCreate() {
        #expect(throws: ByteSinkError(message: "cannot create \"/nonexistent-dir/x.geojson\": No such file or directory (errno 2)")) {
            _ = try FileSink(path: "/nonexistent-dir/x.geojson")
        }
    }

    @Test func aFailingSinkBecomesAWriterError() throws {
        // /dev/full accepts the open and refuses every write with ENOSPC.
        let sink = try FileSink(path: "/dev/full")
        var writer = GeoJSONWriter(to: sink)
        #expect(throws: GeoJSONError(message: "cannot write to \"/dev/full\": No space left on device (errno 28)")) {
            try writer.write(Geometry.point(Point(x: 1, y: 2)))
        }
        try sink.close()
        #expect(throws: ByteSinkError(message: "cannot write to \"/dev/full\": it is closed")) {
            let byte: [UInt8] = [1]
            try byte.withUnsafeBytes { try sink.write($0) }
        }
    }

    // MARK: Right-hand rule

    static let clockwise = [S.point(0, 0), S.point(0, 1), S.point(1, 1), S.point(1, 0), S.point(0, 0)]
    static let counterclockwise = Array(clockwise.reversed())

    @Test func aClockwiseExteriorIsReversed() throws {
        let written = try S.written(.polygon(Polygon(exterior: Self.clockwise)))
        #expect(written == #"{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,1],[0,0]]]}"#)
    }

    @Test func aCounterclockwiseHoleIsReversedAndAClockwiseOneKept() throws {
        let ccwHole = [S.point(0.2, 0.2), S.point(0.4, 0.2), S.point(0.4, 0.4), S.point(0.2, 0.2)]
        let cwHole = [S.point(0.6, 0.6), S.point(0.6, 0.8), S.point(0.8, 0.8), S.point(0.6, 0.6)]
        let polygon = Polygon(exterior: Self.counterclockwise, holes: [ccwHole, cwHole])
        let read = try GeoJSONReader().readGeometry(try GeoJSONWriter.encode(.polygon(polygon)))
        #expect(read == .polygon(Polygon(exterior: Self.counterclockwise, holes: [ccwHole.reversed(), cwHole])))
    }

    @Test func windingCorrectionReachesPolygonsInsideMultiPolygonsAndCollections() throws {
        let multi = Geometry.multiPolygon(MultiPolygon([Polygon(exterior: Self.clockwise)]))
        let collection = Geometry.geometryCollection(GeometryCollection([.polygon(Polygon(exterior: Self.clockwise))]))
        #expect(try GeoJSONReader().readGeometry(try GeoJSONWriter.encode(multi))
            == .multiPolygon(MultiPolygon([Polygon(exterior: Self.counterclockwise)])))
        #expect(try GeoJSONReader().readGeometry(try GeoJSONWriter.encode(collection))
            == .geometryCollection(GeometryCollection([.polygon(Polygon(exterior: Self.counterclockwise))])))
    }

    @Test func windingIsLeftAloneWhenTheRuleIsOff() throws {
        let polygon = Geometry.polygon(Polygon(exterior: Self.clockwise))
        let options = GeoJSONWriter.Options(enforcesRightHandRule: false)
        #expect(try GeoJSONReader().readGeometry(try GeoJSONWriter.encode(polygon, options: options)) == polygon)
    }

    /// The signed area agrees with shapely's LinearRing.is_ccw on the fixture's rings (see
    /// Tools/geojson-fixtures/make_expected.py); here, the sign convention on textbook rings.
    @Test func signedAreaIsPositiveForCounterclockwiseRings() {
        #expect(GeoJSONWriter.signedArea(Self.counterclockwise) == 2)
        #expect(GeoJSONWriter.signedArea(Self.clockwise) == -2)
    }

    // MARK: Numbers

    /// Cases checked against C's printf("%.Nf") with trailing zeros removed.
    @Test(arguments: [
        (0.99999999, 7, "1"), (-0.99999999, 7, "-1"), (9.99999995, 7, "9.9999999"), (9.99999996, 7, "10"), (-0.00000001, 7, "0"),
        (-0.0, 7, "0"), (0.0, 7, "0"), (0.15, 1, "0.1"), (0.25, 1, "0.2"), (0.35, 1, "0.3"), (2.5, 0, "2"),
        (3.5, 0, "4"), (-2.5, 0, "-2"), (0.125, 2, "0.12"), (0.375, 2, "0.38"), (123.45678912345, 7, "123.4567891"),
        (1e-7, 7, "0.0000001"), (1.5e-7, 7, "0.0000001"), (100, 7, "100"), (-180, 7, "-180"), (41.5, 7, "41.5"),
        (4_500_000.123456789, 3, "4500000.123"), (12345678.9, 0, "12345679"), (0.1, 15, "0.1"),
        (123456789012.5, 7, "123456789012.5"),
    ] as [(Double, Int, String)])
    func coordinatesAreRoundedToTheRequestedPlaces(_ value: Double, _ places: Int, _ expected: String) throws {
        let written = try S.written(.point(Point(x: value, y: 0)), options: .init(coordinatePrecision: places))
        #expect(written == #"{"type":"Point","coordinates":[\#(expected),0]}"#)
    }

    /// Beyond what fixed places can hold, values are written in shortest exact form.
    @Test func hugeCoordinatesFallBackToTheShortestExactForm() throws {
        #expect(try S.written(.point(Point(x: 1e20, y: -1.5e300))) == #"{"type":"Point","coordinates":[1e+20,-1.5e+300]}"#)
        #expect(try S.written(.point(Point(x: 123.456, y: 1)), options: .init(coordinatePrecision: 40))
            == #"{"type":"Point","coordinates":[123.456,1]}"#)
    }

    /// 20,000 seeded random values at every precision agree with glibc's printf, which rounds the
    /// exact binary value (ties to even); trailing zeros are trimmed on both sides.
    @Test func roundingAgreesWithPrintfOnRandomValues() throws {
        var random = SeededGenerator(seed: 0x6E0)
        for _ in 0..<20_000 {
            let places = Int.random(in: 0...10, using: &random)
            let magnitude = [1.0, 180.0, 1e6, 1e-4].randomElement(using: &random)!
            var value = Double.random(in: -magnitude...magnitude, using: &random)
            if Bool.random(using: &random) {
                // Land on or next to a decimal tie at this precision.
                let scale = pow(10.0, Double(places))
                value = ((value * scale).rounded(.down) + 0.5) / scale
            }
            guard value.magnitude * pow(10.0, Double(places)) < 0x1p52 else { continue }
            var expected = String(format: "%.\(places)f", value)
            if expected.contains(".") {
                while expected.hasSuffix("0") { expected.removeLast() }
                if expected.hasSuffix(".") { expected.removeLast() }
            }
            if expected == "-0" { expected = "0" }
            let written = try S.written(.point(Point(x: value, y: 0)), options: .init(coordinatePrecision: places))
            #expect(written == #"{"type":"Point","coordinates":[\#(expected),0]}"#, "value \(value) at \(places) places")
        }
    }

    @Test func fullPrecisionWritesTheShortestTextThatReadsBackExactly() throws {
        let options = GeoJSONWriter.Options(coordinatePrecision: nil)
        // Python's repr(123.45678912345678) is also '123.45678912345679': the same Double.
        #expect(try S.written(.point(Point(x: 0.1, y: 123.45678912345678)), options: options)
            == #"{"type":"Point","coordinates":[0.1,123.45678912345679]}"#)
        #expect(try S.written(.point(Point(x: 5, y: -0.0)), options: options) == #"{"type":"Point","coordinates":[5,0]}"#)
    }

    @Test func propertyNumbersKeepTheirKind() throws {
        let feature = Feature(geometry: nil, properties: ["i": 5, "f": 5.0, "tiny": 1e-7, "big": 1e21, "neg": -0.0])
        #expect(S.text(try GeoJSONWriter.encode(feature))
            == "{\"type\":\"Feature\",\"geometry\":null,\"properties\":{\"i\":5,\"f\":5.0,\"tiny\":1e-07,\"big\":1e+21,\"neg\":-0.0}}\n")
    }

    // MARK: Strings

    @Test func stringsEscapeOnlyWhatRFC8259Requires() throws {
        let feature = Feature(id: .string("a\"b"), geometry: nil,
                              properties: ["k\\ey": "q\" b\\ s/ n\n r\r t\t b\u{8} f\u{C} nul\u{0} us\u{1F} del\u{7F} 沈阳 🗺️"])
        let expected = "{\"type\":\"Feature\",\"id\":\"a\\\"b\",\"geometry\":null,\"properties\":{\"k\\\\ey\":"
            + "\"q\\\" b\\\\ s/ n\\n r\\r t\\t b\\b f\\f nul\\u0000 us\\u001f del\u{7F} 沈阳 🗺️\"}}\n"
        #expect(S.text(try GeoJSONWriter.encode(feature)) == expected)
    }

    // MARK: Values GeoJSON cannot hold

    @Test func aNaNCoordinateIsRefusedWithItsPath() throws {
        let sink = ByteArraySink()
        var writer = GeoJSONWriter(to: sink)
        try writer.beginFeatureCollection()
        try writer.write(Feature(geometry: .point(Point(x: 1, y: 2))))
        let bad = Feature(geometry: .lineString(LineString([S.point(1, 2), S.point(.nan, 3)])))
        #expect(throws: GeoJSONError(path: "features[1].geometry.coordinates[1]", message: "x is nan; JSON has no NaN or Infinity")) {
            try writer.write(bad)
        }
        // The refused feature left nothing behind: the writer goes on and the document is valid.
        try writer.write(Feature(geometry: .point(Point(x: 3, y: 4))))
        try writer.endFeatureCollection()
        #expect(try GeoJSONReader().readFeatureCollection(sink.bytes).features.count == 2)
    }

    @Test func anInfinitePropertyIsRefused() {
        let feature = Feature(geometry: nil, properties: ["a": ["b": [1, .number(.infinity)]]])
        #expect(throws: GeoJSONError(path: "properties.a.b[1]", message: "number inf cannot be written: JSON has no NaN or Infinity")) {
            _ = try GeoJSONWriter.encode(feature)
        }
    }

    @Test func invalidShapesAreRefused() {
        let mixed = Geometry.lineString(LineString([S.point(0, 0), S.point(1, 1, 5)]))
        #expect(throws: GeoJSONError(path: "coordinates[1]", message: "mixed dimensions: this position has z, the geometry's first position has none")) {
            _ = try GeoJSONWriter.encode(mixed)
        }
        let open = Geometry.polygon(Polygon(exterior: [S.point(0, 0), S.point(1, 0), S.point(1, 1), S.point(0, 1)]))
        #expect(throws: GeoJSONError(path: "coordinates[0]", message: "ring is not closed")) {
            _ = try GeoJSONWriter.encode(open)
        }
        let short = Geometry.multiPolygon(MultiPolygon([Polygon(exterior: [S.point(0, 0), S.point(1, 0), S.point(0, 0)])]))
        #expect(throws: GeoJSONError(path: "coordinates[0][0]", message: "ring has 3 positions; a linear ring needs at least 4")) {
            _ = try GeoJSONWriter.encode(short)
        }
        let single = Geometry.multiLineString(MultiLineString([LineString([S.point(0, 0), S.point(1, 1)]), LineString([S.point(0, 0)])]))
        #expect(throws: GeoJSONError(path: "coordinates[1]", message: "LineString has 1 position; it needs none (EMPTY) or at least 2")) {
            _ = try GeoJSONWriter.encode(single)
        }
        let holesOnly = Geometry.polygon(Polygon(exterior: [], holes: [Self.clockwise]))
        #expect(throws: GeoJSONError(path: "coordinates", message: "polygon has 1 hole(s) but no exterior ring")) {
            _ = try GeoJSONWriter.encode(holesOnly)
        }
    }

    @Test func nestingBeyondTheLimitIsRefusedInsteadOfOverflowingTheStack() {
        var value: JSONValue = 1
        for _ in 0..<1_000 { value = .array([value]) }
        let feature = Feature(geometry: nil, properties: ["deep": value])
        #expect(throws: GeoJSONError.self) { _ = try GeoJSONWriter.encode(feature) }
        var geometry = Geometry.point(Point(x: 1, y: 2))
        for _ in 0..<100 { geometry = .geometryCollection(GeometryCollection([geometry])) }
        #expect(throws: GeoJSONError.self) { _ = try GeoJSONWriter.encode(geometry) }
    }

    @Test func whatTheWriterWritesAtTheDepthLimitTheReaderReads() throws {
        var geometry = Geometry.point(Point(x: 1, y: 2))
        // Each collection adds two levels (object and geometries array); 30 of them plus the
        // point (object, coordinates) make 62 levels, inside the default limit of 64.
        for _ in 0..<30 { geometry = .geometryCollection(GeometryCollection([geometry])) }
        #expect(try GeoJSONReader().readGeometry(try GeoJSONWriter.encode(geometry)) == geometry)
    }

    // MARK: Order of calls

    @Test func callsOutOfOrderAreErrorsNotCrashes() throws {
        var writer = GeoJSONWriter(to: ByteArraySink())
        #expect(throws: GeoJSONError(message: "endFeatureCollection: no FeatureCollection was begun")) {
            try writer.endFeatureCollection()
        }
        try writer.beginFeatureCollection()
        #expect(throws: GeoJSONError(message: "write: a FeatureCollection holds Features; wrap the geometry in a Feature")) {
            try writer.write(Geometry.point(.empty))
        }
        #expect(throws: GeoJSONError(message: "beginFeatureCollection: the writer has already written a document")) {
            try writer.beginFeatureCollection()
        }
        try writer.endFeatureCollection()
        #expect(throws: GeoJSONError(message: "write: the document is complete; use a new writer for another")) {
            try writer.write(Feature(geometry: nil))
        }
    }

    @Test func collectionMembersCannotReplaceTheWritersOwn() throws {
        var writer = GeoJSONWriter(to: ByteArraySink())
        #expect(throws: GeoJSONError(message: "member \"features\" is written by the writer itself")) {
            try writer.beginFeatureCollection(members: ["features": []])
        }
        try writer.beginFeatureCollection(members: ["name": "a"])
        #expect(throws: GeoJSONError(message: "member \"name\" was already written at the start of the collection")) {
            try writer.endFeatureCollection(members: ["name": "b"])
        }
    }
}
