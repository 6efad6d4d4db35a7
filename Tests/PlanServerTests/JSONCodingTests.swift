import Foundation
import GeoModel
import Testing

@testable import PlanServer

@Suite("JSON and GeoJSON in and out")
struct JSONCodingTests {
    @Test("Written JSON parses with Foundation to the same values, key order kept")
    func writerAgainstFoundation() throws {
        let value: JSONValue = [
            "name": "沈阳 \"Mukden\"\n\t\\ / \u{01}",
            "n": 12, "x": 123.456789, "neg": -0.5, "big": 1e21, "tiny": 1.5e-7, "ok": true, "none": nil,
            "list": [1, 2.5, "three", [:], []],
        ]
        let text = JSONWriter.string(value)
        #expect(text.hasPrefix(#"{"name":"#))
        #expect(text.contains(#""n":12,"x":123.456789,"neg":-0.5"#))
        let parsed = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect(parsed["name"] as? String == "沈阳 \"Mukden\"\n\t\\ / \u{01}")
        #expect(parsed["x"] as? Double == 123.456789)
        #expect(parsed["big"] as? Double == 1e21)
        #expect(parsed["tiny"] as? Double == 1.5e-7)
        #expect(parsed["none"] is NSNull)
    }

    @Test("NaN and infinity, which JSON cannot hold, are written as null")
    func nonFinite() {
        #expect(JSONWriter.string([.number(.nan), .number(.infinity)]) == "[null,null]")
    }

    @Test("The reader keeps key order, integers and Unicode escapes")
    func reader() throws {
        let value = try JSONReader.parse(Array(#"{"b":1,"a":[true,null,-2.5e2,"\u6c88\ud83d\ude00\/"],"c":{}}"#.utf8))
        #expect(value == ["b": 1, "a": [true, nil, .number(-250), "沈😀/"], "c": [:]])
        #expect(value.objectValue.map { Array($0.keys) } == ["b", "a", "c"])
        #expect(try JSONReader.parse(Array("9223372036854775807".utf8)) == .integer(Int64.max))
        #expect(try JSONReader.parse(Array("9223372036854775808".utf8)) == .number(9223372036854775808))
    }

    @Test("The reader refuses what RFC 8259 refuses", arguments: [
        "", " ", "{", "}", "[1,]", "{\"a\":1,}", "01", "1.", ".5", "-", "+1", "1e", "NaN", "Infinity", "'a'", "\"\\x\"",
        "\"a\nb\"", "\"\\ud83d\"", "[1 2]", "{\"a\" 1}", "{1:2}", "tru", "nulll", "[] []", "1e999",
    ])
    func readerRefuses(text: String) {
        #expect(throws: JSONReader.Failure.self) { try JSONReader.parse(Array(text.utf8)) }
    }

    @Test("Invalid UTF-8 in a string is refused")
    func invalidUTF8() {
        #expect(throws: JSONReader.Failure.self) { try JSONReader.parse([0x22, 0xC3, 0x28, 0x22]) }
    }

    @Test("Deep nesting is refused instead of exhausting the stack")
    func deepNesting() {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(throws: JSONReader.Failure.self) { try JSONReader.parse(Array(deep.utf8)) }
        let fine = String(repeating: "[", count: 60) + String(repeating: "]", count: 60)
        #expect((try? JSONReader.parse(Array(fine.utf8))) != nil)
    }

    @Test("GeoJSON features are written with id, geometry, then properties plus the extra ones")
    func featureOut() {
        let feature = Feature(id: .string("line-1"), geometry: .lineString(LineString([Coordinate(x: 123.4, y: 41.8),
                                                                                      Coordinate(x: 123.5, y: 41.9, z: 12)])),
                              properties: ["name": "一号线"])
        #expect(JSONWriter.string(GeoJSONOutput.feature(feature, extraProperties: ["distance_m": 0]))
            == #"{"type":"Feature","id":"line-1","geometry":{"type":"LineString","coordinates":[[123.4,41.8],[123.5,41.9,12]]},"properties":{"name":"一号线","distance_m":0}}"#)
        #expect(JSONWriter.string(GeoJSONOutput.feature(Feature(id: .number(7), geometry: nil)))
            == #"{"type":"Feature","id":7,"geometry":null,"properties":{}}"#)
        #expect(JSONWriter.string(GeoJSONOutput.geometry(.point(.empty))) == #"{"type":"Point","coordinates":[]}"#)
    }

    @Test("Every geometry type survives writing and reading back")
    func roundTrip() throws {
        let ring = [Coordinate(x: 123, y: 41), Coordinate(x: 124, y: 41), Coordinate(x: 124, y: 42), Coordinate(x: 123, y: 41)]
        let hole = [Coordinate(x: 123.5, y: 41.2), Coordinate(x: 123.8, y: 41.2), Coordinate(x: 123.6, y: 41.5), Coordinate(x: 123.5, y: 41.2)]
        let geometries: [Geometry] = [
            .point(Point(x: 123.4, y: 41.8)), .point(.empty), .lineString(LineString(Array(ring.prefix(2)))), .lineString(.empty),
            .polygon(Polygon(exterior: ring, holes: [hole])), .polygon(.empty), .multiPoint(MultiPoint(ring)),
            .multiLineString(MultiLineString([LineString(ring)])), .multiPolygon(MultiPolygon([Polygon(exterior: ring)])),
            .geometryCollection(GeometryCollection([.point(Point(x: 1, y: 2)), .lineString(LineString(ring))])),
        ]
        for geometry in geometries {
            let text = JSONWriter.buffer(GeoJSONOutput.geometry(geometry))
            let back = try GeoJSONInput.geometry(try JSONReader.parse(text.readableBytesView), member: "g")
            #expect(back == geometry)
        }
    }

    @Test("Shape errors are 400s naming the member; ring and range rules are 422s", arguments: [
        (#"{"type":"Polygon"}"#, 400, "body.coordinates"),
        (#"{"type":"Circle","coordinates":[1,2]}"#, 400, "body.type"),
        (#"{"coordinates":[1,2]}"#, 400, "body"),
        (#"{"type":"Point","coordinates":[1]}"#, 400, "body.coordinates"),
        (#"{"type":"Point","coordinates":[1,"2"]}"#, 400, "body.coordinates"),
        (#"{"type":"LineString","coordinates":[[1,2]]}"#, 422, "body.coordinates"),
        (#"{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1]]]}"#, 422, "body.coordinates[0]"),
        (#"{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,1]]]}"#, 422, "body.coordinates[0]"),
        (#"{"type":"Point","coordinates":[41.8,123.4]}"#, 422, "body.coordinates"),
        (#"{"type":"MultiPolygon","coordinates":[[[[0,0],[1,0],[1,1],[0,0]]],[[[0,0],[1,0]]]]}"#, 422, "body.coordinates[1][0]"),
        (#"{"type":"Feature","geometry":null}"#, 400, "body.geometry"),
        (#"{"type":"Feature","id":1.5,"geometry":{"type":"Point","coordinates":[1,2]}}"#, 400, "body.id"),
        (#"{"type":"Feature","geometry":{"type":"Point","coordinates":[1,2]},"properties":[]}"#, 400, "body.properties"),
    ])
    func candidateErrors(text: String, status: Int, member: String) throws {
        let value = try JSONReader.parse(Array(text.utf8))
        do throws(ProblemDetails) {
            _ = try GeoJSONInput.candidateGeometry(value)
            Issue.record("accepted \(text)")
        } catch {
            #expect(Int(error.status.code) == status, "\(error.detail)")
            #expect(error.parameter == member, "\(error.detail)")
        }
    }

    @Test("A Feature's geometry is the candidate; properties and ids are read")
    func featureIn() throws {
        let value = try JSONReader.parse(Array(#"{"type":"Feature","id":"p-1","geometry":{"type":"Point","coordinates":[123.4,41.8]},"properties":{"name":"x"}}"#.utf8))
        #expect(try GeoJSONInput.candidateGeometry(value) == .point(Point(x: 123.4, y: 41.8)))
        let feature = try GeoJSONInput.feature(value)
        #expect(feature.id == .string("p-1"))
        #expect(feature.properties == ["name": "x"])
    }

    @Test("JSON merge patch (RFC 7396 appendix A examples)", arguments: [
        (#"{"a":"b"}"#, #"{"a":"c"}"#, #"{"a":"c"}"#),
        (#"{"a":"b"}"#, #"{"b":"c"}"#, #"{"a":"b","b":"c"}"#),
        (#"{"a":"b"}"#, #"{"a":null}"#, #"{}"#),
        (#"{"a":"b","b":"c"}"#, #"{"a":null}"#, #"{"b":"c"}"#),
        (#"{"a":["b"]}"#, #"{"a":"c"}"#, #"{"a":"c"}"#),
        (#"{"a":"c"}"#, #"{"a":["b"]}"#, #"{"a":["b"]}"#),
        (#"{"a":{"b":"c"}}"#, #"{"a":{"b":"d","c":null}}"#, #"{"a":{"b":"d"}}"#),
        (#"{"a":[{"b":"c"}]}"#, #"{"a":[1]}"#, #"{"a":[1]}"#),
        (#"["a","b"]"#, #"["c","d"]"#, #"["c","d"]"#),
        (#"{"a":"b"}"#, #"["c"]"#, #"["c"]"#),
        (#"{"a":"foo"}"#, "null", "null"),
        (#"{"a":"foo"}"#, #""bar""#, #""bar""#),
        (#"{"e":null}"#, #"{"a":1}"#, #"{"e":null,"a":1}"#),
        (#"[1,2]"#, #"{"a":"b","c":null}"#, #"{"a":"b"}"#),
        (#"{}"#, #"{"a":{"bb":{"ccc":null}}}"#, #"{"a":{"bb":{}}}"#),
    ])
    func mergePatch(target: String, patch: String, expected: String) throws {
        let result = MergePatch.apply(try JSONReader.parse(Array(patch.utf8)), to: try JSONReader.parse(Array(target.utf8)))
        #expect(result == (try JSONReader.parse(Array(expected.utf8))))
    }
}
