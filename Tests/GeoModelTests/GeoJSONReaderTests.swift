import Foundation
import Testing
import TestSupport
@testable import GeoModel

/// What the reader accepts, and what it makes of it.
@Suite struct GeoJSONReaderTests {
    typealias S = GeoJSONTestSupport

    static func feature(_ index: Int) -> String {
        #"{"type":"Feature","id":\#(index),"geometry":{"type":"Point","coordinates":[\#(index % 180),1]},"properties":{"i":\#(index)}}"#
    }

    static func collection(_ features: [String]) -> String {
        #"{"type":"FeatureCollection","features":[\#(features.joined(separator: ","))]}"#
    }

    // MARK: Member order and extra members

    @Test func membersMayComeInAnyOrder() throws {
        let geometry = try GeoJSONReader().readGeometry(S.bytes(#"{"coordinates":[[[0,0],[1,0],[1,1],[0,0]]],"type":"Polygon"}"#))
        #expect(geometry == .polygon(Polygon(exterior: [S.point(0, 0), S.point(1, 0), S.point(1, 1), S.point(0, 0)])))
        let feature = try GeoJSONReader().readFeature(S.bytes(#"{"properties":{"a":1},"geometry":{"coordinates":[1,2],"type":"Point"},"id":"x","type":"Feature"}"#))
        #expect(feature == Feature(id: .string("x"), geometry: .point(Point(x: 1, y: 2)), properties: ["a": 1]))
        let collection = try GeoJSONReader().readFeatureCollection(S.bytes(#"{"features":[\#(Self.feature(0))],"type":"FeatureCollection"}"#))
        #expect(collection.features.count == 1)
        let gc = try GeoJSONReader().readGeometry(S.bytes(#"{"geometries":[{"coordinates":[],"type":"Point"}],"type":"GeometryCollection"}"#))
        #expect(gc == .geometryCollection(GeometryCollection([.point(.empty)])))
    }

    @Test func foreignMembersAndBoundingBoxesAreCheckedAndSkipped() throws {
        let text = #"""
            {"type":"FeatureCollection","name":"roads","bbox":[123,41,124,42],"links":[{"href":"x","rel":"self"}],
             "features":[{"type":"Feature","bbox":[1,2,0,1,2,0],"title":"t","geometry":{"type":"Point","coordinates":[1,2],
             "bbox":[1,2,1,2],"coordinates_note":"ignored"},"properties":null,"extra":{"a":[1,{"b":null}]}}]}
            """#
        let collection = try GeoJSONReader().readFeatureCollection(S.bytes(text))
        #expect(collection == FeatureCollection([Feature(geometry: .point(Point(x: 1, y: 2)), properties: [:])]))
    }

    @Test func geometryMembersOfTheWrongTypeAreForeignMembers() throws {
        // "geometries" on a Point and "coordinates" on a GeometryCollection mean nothing: skipped.
        let point = try GeoJSONReader().readGeometry(S.bytes(#"{"type":"Point","geometries":[1],"coordinates":[1,2]}"#))
        #expect(point == .point(Point(x: 1, y: 2)))
        let collection = try GeoJSONReader().readGeometry(S.bytes(#"{"type":"GeometryCollection","coordinates":"x","geometries":[]}"#))
        #expect(collection == .geometryCollection(.empty))
    }

    @Test func nullIDAndNullPropertiesMeanNone() throws {
        let feature = try GeoJSONReader().readFeature(S.bytes(#"{"type":"Feature","id":null,"geometry":null,"properties":null}"#))
        #expect(feature == Feature(id: nil, geometry: nil, properties: [:]))
    }

    @Test func aByteOrderMarkAndAnyJSONWhitespaceAreAccepted() throws {
        let text = "\u{FEFF} \t\r\n{ \"type\" : \"Point\" ,\n\t\"coordinates\" : [ 1 , 2 ] } \n"
        #expect(try GeoJSONReader().readGeometry(S.bytes(text)) == .point(Point(x: 1, y: 2)))
    }

    @Test func anyContiguousOrNonContiguousByteCollectionIsRead() throws {
        let bytes = S.bytes(#"{"type":"Point","coordinates":[1,2]}"#)
        let expected = Geometry.point(Point(x: 1, y: 2))
        #expect(try GeoJSONReader().readGeometry(Data(bytes)) == expected)
        #expect(try GeoJSONReader().readGeometry(bytes[...]) == expected)
        #expect(try GeoJSONReader().readGeometry(AnyCollection(bytes)) == expected)
    }

    // MARK: Strings and numbers

    @Test func stringEscapesAreDecoded() throws {
        let text = #"{"type":"Feature","geometry":null,"properties":{"s":"a\"b\\c\/d\b\f\n\r\t\u00e9\u6c88\ud83d\uddfa\u0000","k\u0065y":1}}"#
        let feature = try GeoJSONReader().readFeature(S.bytes(text))
        #expect(feature.properties["s"] == .string("a\"b\\c/d\u{8}\u{C}\n\r\té沈🗺\u{0}"))
        #expect(feature.properties["key"] == 1)
    }

    @Test func escapedMemberNamesMatchGeoJSONMembers() throws {
        let text = #"{"\u0074ype":"Point","coordin\u0061tes":[1,2]}"#
        #expect(try GeoJSONReader().readGeometry(S.bytes(text)) == .point(Point(x: 1, y: 2)))
    }

    @Test func integersStayIntegersUntilTheyLeaveInt64() throws {
        let text = #"{"type":"Feature","geometry":null,"properties":{"max":9223372036854775807,"min":-9223372036854775808,"over":9223372036854775808,"long":123456789012345678901234,"float":1.0,"exp":1e2,"negzero":-0}}"#
        let properties = try GeoJSONReader().readFeature(S.bytes(text)).properties
        #expect(properties["max"] == .integer(.max))
        #expect(properties["min"] == .integer(.min))
        #expect(properties["over"] == .number(9223372036854775808.0))
        #expect(properties["long"] == .number(123456789012345678901234.0))
        #expect(properties["float"] == .number(1))
        #expect(properties["exp"] == .number(100))
        #expect(properties["negzero"] == .integer(0))
    }

    /// Decimal text converts to the nearest Double; the expected values are Swift literals,
    /// converted by the compiler, independently of the reader (2.2250738585072011e-308, the
    /// number that hung PHP and Java, is the largest subnormal, as exploringbinary.com shows).
    @Test(arguments: [
        ("0.1", 0.1), ("-0.0", -0.0), ("123.4567891", 123.4567891), ("41.796212499", 41.796212499),
        ("0.30000000000000004", 0.30000000000000004), ("1e23", 1e23), ("8.98846567431158e307", 8.98846567431158e307),
        ("9007199254740993", 9007199254740993.0), ("2.2250738585072011e-308", Double(bitPattern: 0x000F_FFFF_FFFF_FFFF)), ("2.2250738585072014e-308", 2.2250738585072014e-308),
        ("4.9e-324", .leastNonzeroMagnitude), ("1.7976931348623157e308", 1.7976931348623157e308),
        ("123456789012345678901234567890", 123456789012345678901234567890.0),
        ("1.00000000000000011102230246251565404236316680908203125", 1.00000000000000011102230246251565404236316680908203125),
        // Just above the halfway point 1 + 2^-53: the next Double up. (Written as a bit pattern:
        // on x86 the compiler rounds long literals through Float80 first and would say 1.0.)
        ("1.00000000000000011102230246251565404236316680908203126", Double(bitPattern: 0x3FF0_0000_0000_0001)),
        ("0.000000000000000000000000000000000000000000001", 1e-45), ("1E+2", 100), ("1e-0", 1), ("12.5E-1", 1.25),
        ("4503599627370497.5", 4503599627370497.5), ("0.0000001234567890123456789", 1.234567890123456789e-7),
    ] as [(String, Double)])
    func numbersConvertToTheNearestDouble(_ text: String, _ expected: Double) throws {
        let options = GeoJSONReader.Options(validatesLonLatRange: false)
        let geometry = try GeoJSONReader(options: options).readGeometry(S.bytes(#"{"type":"Point","coordinates":[\#(text),0]}"#))
        guard case .point(let point) = geometry, let x = point.coordinate?.x else {
            Issue.record("\(text) did not read as a point: \(geometry)")
            return
        }
        #expect(x.bitPattern == expected.bitPattern, "\(text) read as \(x)")
    }

    /// Random decimal strings of the shapes coordinates take agree bit for bit with the
    /// standard library's conversion.
    @Test func randomCoordinateTextsConvertExactly() throws {
        var random = SeededGenerator(seed: 4326)
        let options = GeoJSONReader.Options(validatesLonLatRange: false)
        for _ in 0..<20_000 {
            let integerDigits = Int.random(in: 1...9, using: &random)
            let fractionDigits = Int.random(in: 0...20, using: &random)
            var text = Bool.random(using: &random) ? "-" : ""
            text += String(Int.random(in: 1...9, using: &random))
            for _ in 1..<integerDigits { text += String(Int.random(in: 0...9, using: &random)) }
            if fractionDigits > 0 {
                text += "."
                for _ in 0..<fractionDigits { text += String(Int.random(in: 0...9, using: &random)) }
            }
            if Int.random(in: 0..<4, using: &random) == 0 { text += "e\(Int.random(in: -30...30, using: &random))" }
            let geometry = try GeoJSONReader(options: options).readGeometry(S.bytes(#"{"type":"Point","coordinates":[\#(text),0]}"#))
            let expected = try #require(Double(text))
            #expect(geometry == .point(Point(x: expected, y: 0)), "\(text)")
        }
    }

    // MARK: CRS and ranges

    @Test(arguments: ["urn:ogc:def:crs:OGC:1.3:CRS84", "urn:ogc:def:crs:OGC::CRS84", "EPSG:4326", "urn:ogc:def:crs:EPSG::4326",
                      "http://www.opengis.net/def/crs/OGC/1.3/CRS84"])
    func aCRSMemberNamingWGS84IsAccepted(_ name: String) throws {
        let text = #"{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"\#(name)"}},"features":[]}"#
        #expect(try GeoJSONReader().readFeatureCollection(S.bytes(text)).features.isEmpty)
    }

    @Test func projectedDocumentsReadWithRangeChecksAndCRSCheckOff() throws {
        let text = #"{"type":"Point","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::4549"}},"coordinates":[41500000.25,4630000.5]}"#
        let options = GeoJSONReader.Options(validatesLonLatRange: false, crsMember: .ignore)
        #expect(try GeoJSONReader(options: options).readGeometry(S.bytes(text)) == .point(Point(x: 41500000.25, y: 4630000.5)))
    }

    @Test func theRangeEndsAreInside() throws {
        let text = #"{"type":"MultiPoint","coordinates":[[-180,-90],[180,90]]}"#
        #expect(try GeoJSONReader().readGeometry(S.bytes(text)) == .multiPoint(MultiPoint([S.point(-180, -90), S.point(180, 90)])))
    }

    // MARK: Streaming

    @Test func forEachFeatureVisitsFeaturesInOrderWithTheirIndex() throws {
        let text = Self.collection((0..<1000).map(Self.feature))
        var seen: [Int] = []
        try GeoJSONReader().forEachFeature(in: S.bytes(text)) { index, feature in
            #expect(feature.id == .number(Int64(index)))
            seen.append(index)
        }
        #expect(seen == Array(0..<1000))
    }

    @Test func forEachFeatureReportsTheBadFeatureAfterDeliveringTheOnesBefore() throws {
        var features = (0..<20).map(Self.feature)
        features[12] = #"{"type":"Feature","geometry":{"type":"Point","coordinates":[1]},"properties":{}}"#
        var delivered = 0
        let error = #expect(throws: GeoJSONError.self) {
            try GeoJSONReader().forEachFeature(in: S.bytes(Self.collection(features))) { _, _ in delivered += 1 }
        }
        #expect(delivered == 12)
        #expect(error?.path == "features[12].geometry.coordinates")
        #expect(error?.message == "position needs at least 2 numbers, got 1")
    }

    struct Stop: Error, Equatable {}

    @Test func anErrorFromTheCallerStopsTheReadingAndComesBackUnchanged() throws {
        var delivered = 0
        #expect(throws: Stop()) {
            try GeoJSONReader().forEachFeature(in: S.bytes(Self.collection((0..<10).map(Self.feature)))) { index, _ in
                delivered += 1
                if index == 3 { throw Stop() }
            }
        }
        #expect(delivered == 4)
    }

    @Test func forEachFeatureReadsABareFeatureAsFeatureZero() throws {
        var visited: [(Int, Feature)] = []
        try GeoJSONReader().forEachFeature(in: S.bytes(Self.feature(5))) { visited.append(($0, $1)) }
        #expect(visited.count == 1 && visited[0].0 == 0 && visited[0].1.id == .number(5))
        #expect(throws: GeoJSONError(path: "type", message: "expected a Feature or FeatureCollection, found Point", offset: 8)) {
            try GeoJSONReader().forEachFeature(in: S.bytes(#"{"type":"Point","coordinates":[1,2]}"#)) { _, _ in }
        }
    }

    @Test func forEachFeatureWaitsForTheTypeWhenItComesLast() throws {
        let text = #"{"features":[\#(Self.feature(0))],"type":"Feature"}"#
        var delivered = 0
        #expect(throws: GeoJSONError.self) {
            try GeoJSONReader().forEachFeature(in: S.bytes(text)) { _, _ in delivered += 1 }
        }
        #expect(delivered == 0)
    }
}
