import Testing
import TestSupport
@testable import GeoModel

/// Bad input gets a GeoJSONError that names the member and says what is wrong; never a crash.
@Suite struct GeoJSONReaderErrorTests {
    typealias S = GeoJSONTestSupport

    func expectError(_ text: String, path: String, message: String, options: GeoJSONReader.Options = .init(),
                     sourceLocation: SourceLocation = #_sourceLocation) {
        let error = S.readError(text, options: options)
        #expect(error?.path == path, sourceLocation: sourceLocation)
        #expect(error?.message == message, sourceLocation: sourceLocation)
    }

    /// A FeatureCollection whose feature at `index` has `geometry`; the others are good points.
    func collection(badGeometry geometry: String, at index: Int) -> String {
        let features = (0...index).map { i in
            #"{"type":"Feature","geometry":\#(i == index ? geometry : #"{"type":"Point","coordinates":[1,2]}"#),"properties":{}}"#
        }
        return #"{"type":"FeatureCollection","features":[\#(features.joined(separator: ","))]}"#
    }

    // MARK: Geometry rules

    @Test func anUnclosedRingIsNamedByItsPath() {
        let text = collection(badGeometry: #"{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,1]]]}"#, at: 3)
        expectError(text, path: "features[3].geometry.coordinates[0]", message: "ring is not closed")
        let error = S.readError(text)
        // The offset points at the ring's opening bracket.
        #expect(error.flatMap(\.offset).map { Array(text.utf8)[$0] } == UInt8(ascii: "["))
    }

    @Test func aHoleThatIsNotClosedIsNamedByItsIndex() {
        expectError(#"{"type":"MultiPolygon","coordinates":[[[[0,0],[1,0],[1,1],[0,0]]],[[[0,0],[5,0],[5,5],[0,0]],[[1,1],[2,1],[2,2],[1,2]]]]}"#,
                    path: "coordinates[1][1]", message: "ring is not closed")
    }

    @Test func aRingWithFewerThanFourPositionsIsRejected() {
        expectError(#"{"type":"Polygon","coordinates":[[[0,0],[1,0],[0,0]]]}"#,
                    path: "coordinates[0]", message: "ring has 3 positions; a linear ring needs at least 4")
        expectError(#"{"type":"Polygon","coordinates":[[]]}"#,
                    path: "coordinates[0]", message: "ring has 0 positions; a linear ring needs at least 4")
    }

    @Test func aPositionWithOneNumberIsRejected() {
        expectError(collection(badGeometry: #"{"type":"LineString","coordinates":[[1,2],[3,4],[5]]}"#, at: 12),
                    path: "features[12].geometry.coordinates[2]", message: "position needs at least 2 numbers, got 1")
        expectError(#"{"type":"MultiPoint","coordinates":[[]]}"#, path: "coordinates[0]", message: "position needs at least 2 numbers, got 0")
    }

    @Test func aPositionWithFourNumbersIsRejected() {
        expectError(#"{"type":"Point","coordinates":[1,2,3,4]}"#, path: "coordinates",
                    message: "position has more than 3 numbers; only x, y and an optional z are supported")
    }

    @Test func aLineStringOfOnePositionIsRejected() {
        expectError(#"{"type":"MultiLineString","coordinates":[[[0,0],[1,1]],[[2,2]]]}"#, path: "coordinates[1]",
                    message: "LineString has 1 position; it needs none (EMPTY) or at least 2")
    }

    @Test func longitudeAndLatitudeOutOfRangeAreRejected() {
        expectError(collection(badGeometry: #"{"type":"Point","coordinates":[200,41]}"#, at: 0),
                    path: "features[0].geometry.coordinates", message: "longitude 200 is out of range -180..180")
        expectError(#"{"type":"LineString","coordinates":[[0,0],[123.5,-90.25]]}"#,
                    path: "coordinates[1]", message: "latitude -90.25 is out of range -90..90")
        expectError(#"{"type":"Point","coordinates":[-180.0000001,0]}"#,
                    path: "coordinates", message: "longitude -180.0000001 is out of range -180..180")
    }

    @Test func nanAndInfinityAreNotJSONNumbers() {
        expectError(#"{"type":"Point","coordinates":[NaN,1]}"#, path: "coordinates[0]",
                    message: #"invalid number "NaN": JSON has no NaN or Infinity"#)
        expectError(#"{"type":"Point","coordinates":[1,-Infinity]}"#, path: "coordinates[1]",
                    message: #"invalid number "-Infinity": JSON has no NaN or Infinity"#)
        expectError(#"{"type":"Feature","geometry":null,"properties":{"v":Infinity}}"#, path: "properties.v",
                    message: #"invalid number "Infinity": JSON has no NaN or Infinity"#)
        expectError(#"{"type":"Point","coordinates":[1e999,1]}"#, path: "coordinates[0]",
                    message: "number 1e999 is out of range for a 64-bit floating-point value")
    }

    @Test func mixedDimensionsInOneGeometryAreRejected() {
        expectError(#"{"type":"LineString","coordinates":[[0,0],[1,1,1]]}"#, path: "coordinates[1]",
                    message: "mixed dimensions: this position has 3 numbers, the geometry's first position has 2")
        expectError(#"{"type":"Polygon","coordinates":[[[0,0,0],[1,0,0],[1,1,0],[0,0,0]],[[0.1,0.1],[0.2,0.1],[0.2,0.2],[0.1,0.1]]]}"#,
                    path: "coordinates[1][0]", message: "mixed dimensions: this position has 2 numbers, the geometry's first position has 3")
    }

    @Test func separateGeometriesOfACollectionMayDifferInDimension() throws {
        let text = #"{"type":"GeometryCollection","geometries":[{"type":"Point","coordinates":[1,2]},{"type":"Point","coordinates":[1,2,3]}]}"#
        #expect(S.readError(text) == nil)
    }

    @Test func wrongNestingDepthIsNamedForTheGeometryType() {
        // Polygon coordinates given as a flat list of positions.
        expectError(#"{"type":"Polygon","coordinates":[[0,0],[1,0],[1,1],[0,0]]}"#, path: "coordinates[0][0]",
                    message: "wrong nesting depth for Polygon coordinates: expected an array (a position), found a number")
        expectError(#"{"type":"Point","coordinates":[[1,2]]}"#, path: "coordinates[0]",
                    message: "wrong nesting depth for Point coordinates: expected a number, found an array")
        expectError(#"{"type":"MultiPolygon","coordinates":[[[0,0],[1,0],[1,1],[0,0]]]}"#, path: "coordinates[0][0][0]",
                    message: "wrong nesting depth for MultiPolygon coordinates: expected an array (a position), found a number")
        expectError(#"{"type":"LineString","coordinates":[1,2]}"#, path: "coordinates[0]",
                    message: "wrong nesting depth for LineString coordinates: expected an array (a position), found a number")
        expectError(#"{"type":"Point","coordinates":["1","2"]}"#, path: "coordinates[0]",
                    message: "a position holds numbers, found a string")
        expectError(#"{"type":"Point","coordinates":{"x":1}}"#, path: "coordinates",
                    message: "\"coordinates\" must be an array, found an object")
    }

    // MARK: Types and members

    @Test func unknownAndMisplacedTypesAreRejected() {
        expectError(collection(badGeometry: #"{"type":"Polygn","coordinates":[]}"#, at: 1),
                    path: "features[1].geometry.type", message: "unknown geometry type \"Polygn\"")
        expectError(#"{"type":"Featurecollection","features":[]}"#, path: "type", message: "unknown GeoJSON type \"Featurecollection\"")
        expectError(#"{"type":"FeatureCollection","features":[{"type":"Point","coordinates":[1,2]}]}"#,
                    path: "features[0].type", message: "expected a Feature, found Point")
        expectError(#"{"type":"Feature","geometry":{"type":"Feature","geometry":null,"properties":{}},"properties":{}}"#,
                    path: "geometry.type", message: "expected a geometry, found Feature")
        expectError(#"{"type":7}"#, path: "type", message: "\"type\" must be a string, found a number")
        #expect(throws: GeoJSONError(path: "type", message: "expected a FeatureCollection, found Feature", offset: 8)) {
            try GeoJSONReader().readFeatureCollection(S.bytes(#"{"type":"Feature","geometry":null,"properties":{}}"#))
        }
    }

    @Test func aMissingTypeIsReportedForTheObject() {
        expectError(#"{"coordinates":[1,2]}"#, path: "", message: "missing \"type\" member")
        expectError(#"{}"#, path: "", message: "missing \"type\" member")
        expectError(collection(badGeometry: #"{"coordinates":[1,2]}"#, at: 2), path: "features[2].geometry", message: "missing \"type\" member")
        expectError(#"{"type":"FeatureCollection","features":[{"geometry":null,"properties":{}}]}"#,
                    path: "features[0]", message: "missing \"type\" member")
    }

    @Test func requiredMembersAreRequired() {
        expectError(#"{"type":"Point"}"#, path: "", message: "Point has no \"coordinates\" member")
        expectError(#"{"type":"GeometryCollection"}"#, path: "", message: "GeometryCollection has no \"geometries\" member")
        expectError(#"{"type":"FeatureCollection"}"#, path: "", message: "FeatureCollection has no \"features\" member")
        expectError(#"{"type":"Feature","properties":{}}"#, path: "",
                    message: "Feature has no \"geometry\" member (RFC 7946 requires one; use null for none)")
        expectError(#"{"type":"Feature","geometry":null}"#, path: "",
                    message: "Feature has no \"properties\" member (RFC 7946 requires one; use null or {} for none)")
    }

    @Test func badIDsAreRejected() {
        expectError(#"{"type":"Feature","id":true,"geometry":null,"properties":{}}"#, path: "id",
                    message: "\"id\" must be a string or a number, found true")
        expectError(#"{"type":"Feature","id":[1],"geometry":null,"properties":{}}"#, path: "id",
                    message: "\"id\" must be a string or a number, found an array")
        expectError(#"{"type":"Feature","id":1.5,"geometry":null,"properties":{}}"#, path: "id",
                    message: "\"id\" must be a string or an integer, found 1.5")
        expectError(#"{"type":"Feature","id":99999999999999999999,"geometry":null,"properties":{}}"#, path: "id",
                    message: "\"id\" must be a string or an integer, found 99999999999999999999")
    }

    @Test func propertiesAndGeometryMustBeObjectsOrNull() {
        expectError(#"{"type":"Feature","geometry":null,"properties":[1]}"#, path: "properties",
                    message: "\"properties\" must be an object or null, found an array")
        expectError(#"{"type":"Feature","geometry":null,"properties":"x"}"#, path: "properties",
                    message: "\"properties\" must be an object or null, found a string")
        expectError(#"{"type":"Feature","geometry":[1,2],"properties":{}}"#, path: "geometry",
                    message: "\"geometry\" must be an object or null, found an array")
        expectError(#"{"type":"FeatureCollection","features":{}}"#, path: "features", message: "\"features\" must be an array, found an object")
        expectError(#"{"type":"FeatureCollection","features":[null]}"#, path: "features[0]", message: "expected a Feature object, found null")
        expectError(#"{"type":"GeometryCollection","geometries":[[1,2]]}"#, path: "geometries[0]",
                    message: "expected a geometry object, found an array")
    }

    @Test func duplicateMemberNamesAreRejected() {
        expectError(#"{"type":"Feature","geometry":null,"properties":{"a":1,"b":2,"a":3}}"#, path: "properties.a",
                    message: "duplicate member name \"a\"")
        expectError(#"{"type":"Point","coordinates":[1,2],"coordinates":[3,4]}"#, path: "coordinates",
                    message: "duplicate member \"coordinates\"")
        expectError(#"{"type":"Point","type":"Point","coordinates":[1,2]}"#, path: "type", message: "duplicate member \"type\"")
    }

    @Test func badBoundingBoxesAreRejected() {
        expectError(#"{"type":"Point","bbox":[1,2,3],"coordinates":[1,2]}"#, path: "bbox", message: "\"bbox\" must have 4 or 6 numbers, has 3")
        expectError(#"{"type":"Point","bbox":[1,2,"3",4],"coordinates":[1,2]}"#, path: "bbox[2]", message: "\"bbox\" must hold numbers, found a string")
        expectError(#"{"type":"Point","bbox":{},"coordinates":[1,2]}"#, path: "bbox", message: "\"bbox\" must be an array of 4 or 6 numbers, found an object")
    }

    @Test func aCRSOtherThanWGS84IsRejected() {
        let text = #"{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::3857"}},"features":[]}"#
        expectError(text, path: "crs",
                    message: "coordinate reference system \"urn:ogc:def:crs:EPSG::3857\" is not supported: RFC 7946 GeoJSON is WGS84 longitude/latitude (CRS84)")
        expectError(#"{"type":"Point","crs":{"type":"link","properties":{"href":"x"}},"coordinates":[1,2]}"#, path: "crs",
                    message: #"\#("\"crs\"") must be a named CRS ({"type": "name", "properties": {"name": ...}}) naming WGS84"#)
        let wgs84 = #"{"type":"Point","crs":{"type":"name","properties":{"name":"EPSG:4326"}},"coordinates":[1,2]}"#
        expectError(wgs84, path: "crs", message: "\"crs\" members are not accepted: RFC 7946 GeoJSON is always WGS84 longitude/latitude",
                    options: .init(crsMember: .reject))
    }

    // MARK: JSON syntax

    @Test func aDocumentMustBeOneJSONObject() {
        expectError("", path: "", message: "the document is empty")
        expectError("  \n", path: "", message: "the document is empty")
        expectError("[1,2]", path: "", message: "a GeoJSON document must be a JSON object, found an array")
        expectError("null", path: "", message: "a GeoJSON document must be a JSON object, found null")
        expectError(#"{"type":"Point","coordinates":[1,2]} x"#, path: "", message: "unexpected data after the end of the document: 'x'")
        expectError(#"{"type":"Point","coordinates":[1,2]}{}"#, path: "", message: "unexpected data after the end of the document: '{'")
    }

    @Test func aTruncatedDocumentSaysSo() {
        expectError(#"{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Point","coordinates":[1,"#,
                    path: "features[0].geometry.coordinates[1]", message: "unexpected end of document (truncated?); expected a value")
        expectError(#"{"type":"Feature","geometry":null,"properties":{"name":"沈阳"#, path: "properties.name",
                    message: "unexpected end of document (truncated?) inside a string that starts at byte 55")
        expectError(#"{"type":"Point","coordinates":[1,2]"#, path: "",
                    message: "unexpected end of document (truncated?); expected ',' or '}' after an object member")
        expectError(#"{"type":"Feature","geometry":nul"#, path: "geometry", message: "unexpected end of document (truncated?) inside 'null'")
    }

    /// Every proper prefix of a valid document is an error, and never a crash.
    @Test func everyPrefixOfAValidDocumentIsAnError() throws {
        let document = try S.fixture("every-geometry.geojson")
        var end = document.count
        while end > 0, [0x20, 0x0A, 0x0D, 0x09].contains(document[end - 1]) { end -= 1 }
        #expect(S.readError(document) == nil)
        for length in 0..<end {
            let error = S.readError(Array(document[..<length]))
            #expect(error != nil, "prefix of \(length) bytes was accepted")
        }
    }

    @Test func invalidUTF8IsRejectedWhereItIs() {
        let prefix = Array(#"{"type":"Feature","geometry":null,"properties":{"name":""#.utf8)
        for bad: [UInt8] in [[0xFF], [0xC0, 0x80], [0xED, 0xA0, 0x80], [0xE6, 0xB2], [0xF4, 0x90, 0x80, 0x80], [0x80]] {
            let text = prefix + Array("ok".utf8) + bad + Array(#""}}"#.utf8)
            let error = S.readError(text)
            #expect(error?.path == "properties.name")
            #expect(error?.message == "invalid UTF-8 in a string")
            #expect(error?.offset == prefix.count + 2)
        }
    }

    @Test func badEscapesAndControlCharactersAreRejected() {
        let cases: [(String, String)] = [
            (#""a\x""#, #"invalid escape '\x' in a string"#),
            (#""\u12""#, #"invalid \u escape: expected 4 hex digits"#),
            (#""\u12G4""#, #"invalid \u escape: expected 4 hex digits"#),
            (#""\ud800""#, #"invalid \u escape: high surrogate \uD800 is not followed by a low surrogate"#),
            (#""\ud800\u0041""#, #"invalid \u escape: high surrogate \uD800 is not followed by a low surrogate"#),
            (#""\udc00""#, #"invalid \u escape: lone low surrogate \uDC00"#),
            ("\"line\nbreak\"", "control character U+000A must be escaped in a string"),
            ("\"tab\there\"", "control character U+0009 must be escaped in a string"),
        ]
        for (value, message) in cases {
            expectError(#"{"type":"Feature","geometry":null,"properties":{"s":\#(value)}}"#, path: "properties.s", message: message)
        }
    }

    @Test func numbersMustFollowTheJSONGrammar() {
        let cases: [(String, String)] = [
            ("01", "invalid number: leading zeros are not allowed"),
            ("-01.5", "invalid number: leading zeros are not allowed"),
            ("+1", #"invalid number "+1""#),
            (".5", #"invalid number ".5""#),
            ("1.", "invalid number: a digit must follow the decimal point"),
            ("1.e5", "invalid number: a digit must follow the decimal point"),
            ("1e", "invalid number: the exponent needs digits"),
            ("1e+", "invalid number: the exponent needs digits"),
            ("-", #"invalid number "-""#),
        ]
        for (number, message) in cases {
            expectError(#"{"type":"Point","coordinates":[\#(number),1]}"#, path: "coordinates[0]", message: message)
        }
        // "0" is a whole number; what follows it is out of place in the array.
        expectError(#"{"type":"Point","coordinates":[0x10,1]}"#, path: "coordinates",
                    message: "expected ',' or ']' after an array element, found 'x'")
    }

    @Test func structuralMistakesAreNamed() {
        expectError(#"{"type":"Point","coordinates":[1,2],}"#, path: "", message: "expected a member name in double quotes, found '}'")
        expectError(#"{"type":"Point","coordinates":[1,2,]}"#, path: "coordinates[2]", message: "expected a value, found ']'")
        expectError(#"{"type":"Point" "coordinates":[1,2]}"#, path: "", message: "expected ',' or '}' after an object member, found '\"'")
        expectError(#"{"type":"Point","coordinates" [1,2]}"#, path: "", message: "expected ':' after a member name, found '['")
        expectError(#"{'type':'Point'}"#, path: "", message: "expected a member name in double quotes, found '''")
        expectError(#"{"type":"Feature","geometry":null,"properties":{"a":tru}}"#, path: "properties.a", message: "invalid literal; expected 'true'")
    }

    // MARK: Limits and hostile input

    @Test func aDocumentOverTheSizeLimitIsRejectedBeforeParsing() {
        let text = #"{"type":"Point","coordinates":[1,2]}"#
        expectError(text, path: "", message: "document is 36 bytes, over the limit of 35", options: .init(maxDocumentBytes: 35))
        #expect(S.readError(text, options: .init(maxDocumentBytes: 36)) == nil)
    }

    static let deep = 100_000

    @Test func deepNestingEndsInAnErrorNotAStackOverflow() {
        let open = String(repeating: "[", count: Self.deep), close = String(repeating: "]", count: Self.deep)
        let limit = "nesting is deeper than the limit of 64 levels"
        // As the document itself.
        expectError(open + close, path: "", message: "a GeoJSON document must be a JSON object, found an array")
        // In properties: the error comes at level 65 (document 1, properties 2, then 63 arrays).
        let inProperties = S.readError(#"{"type":"Feature","geometry":null,"properties":{"a":\#(open)\#(close)}}"#)
        #expect(inProperties?.message == limit)
        #expect(inProperties?.path == "properties.a" + String(repeating: "[0]", count: 62))
        // In a foreign member, which is only syntax-checked.
        #expect(S.readError(#"{"type":"Point","coordinates":[1,2],"x":\#(open)\#(close)}"#)?.message == limit)
        // In coordinates read before their type is known.
        #expect(S.readError(#"{"coordinates":\#(open)\#(close),"type":"Point"}"#)?.message == limit)
        // Objects in objects.
        let objects = String(repeating: #"{"a":"#, count: Self.deep) + "1" + String(repeating: "}", count: Self.deep)
        #expect(S.readError(#"{"type":"Feature","geometry":null,"properties":\#(objects)}"#)?.message == limit)
        // Geometry collections in geometry collections.
        let collections = String(repeating: #"{"type":"GeometryCollection","geometries":["#, count: Self.deep)
            + String(repeating: "]}", count: Self.deep)
        #expect(S.readError(collections)?.message == limit)
        // And unterminated: no closing brackets at all.
        #expect(S.readError(#"{"type":"Feature","geometry":null,"properties":{"a":\#(open)"#)?.message == limit)
    }

    @Test func aSmallerDepthLimitApplies() {
        let text = #"{"type":"Feature","geometry":null,"properties":{"a":[[1]]}}"#
        #expect(S.readError(text, options: .init(maxDepth: 4)) == nil)
        expectError(text, path: "properties.a[0]", message: "nesting is deeper than the limit of 3 levels", options: .init(maxDepth: 3))
    }

    @Test func tenMegabytesOfRandomBytesGiveAnError() {
        var random = SeededGenerator(seed: 2021)
        let garbage = (0..<10_000_000).map { _ in UInt8.random(in: 0...255, using: &random) }
        #expect(S.readError(garbage) != nil)
        // The same garbage where a document's content should be: inside the features array,
        // inside a string, inside a coordinates array.
        for prefix in [#"{"type":"FeatureCollection","features":["#, #"{"type":"Feature","geometry":null,"properties":{"a":""#,
                       #"{"type":"MultiPoint","coordinates":[[1,2],"#] {
            let error = S.readError(Array(prefix.utf8) + garbage)
            #expect(error != nil)
            #expect((error?.offset ?? -1) >= prefix.utf8.count - 1)
        }
    }

    @Test func randomlyDamagedDocumentsGiveAResultOrAnErrorInsideTheDocument() throws {
        let document = try S.fixture("every-geometry.geojson")
        var random = SeededGenerator(seed: 46)
        var errors = 0
        for _ in 0..<3000 {
            var damaged = document
            for _ in 0..<Int.random(in: 1...4, using: &random) {
                let position = Int.random(in: 0..<damaged.count, using: &random)
                switch Int.random(in: 0..<3, using: &random) {
                case 0: damaged[position] = UInt8.random(in: 0...255, using: &random)
                case 1: damaged.remove(at: position)
                default: damaged.insert(Array(#"[]{}",:0-e"#.utf8).randomElement(using: &random)!, at: position)
                }
            }
            if let error = S.readError(damaged) {
                errors += 1
                #expect((0...damaged.count).contains(error.offset ?? -1), "\(error)")
            }
        }
        #expect(errors > 1000)
    }
}
