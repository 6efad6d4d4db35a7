import Testing
@testable import FeatureStore
import GeoModel

@Suite struct PropertiesJSONTests {
    @Test func writesCompactJSONInKeyOrder() throws {
        let object: JSONObject = ["b": 1, "a": [true, nil, 2.5], "c": ["z": "x"]]
        #expect(try PropertiesJSON.encode(object) == #"{"b":1,"a":[true,null,2.5],"c":{"z":"x"}}"#)
    }

    @Test func escapesQuotesBackslashesAndControlCharacters() throws {
        #expect(try PropertiesJSON.encode(["k\"": "a\\b\n\t\u{1}é🚇"]) == #"{"k\"":"a\\b\n\t\u0001é🚇"}"#)
    }

    @Test func readsWhatItWritesIncludingIntegerAndNumberKinds() throws {
        let object: JSONObject = [
            "int": .integer(Int64.min), "max": .integer(Int64.max), "one": 1.0, "small": 1e-300, "neg": -0.5,
            "text": "line\nbreak \"q\" \\ ✓", "list": [[], [:], [nil]], "nested": ["y": 2, "x": 1],
        ]
        let decoded = try PropertiesJSON.decodeObject(try PropertiesJSON.encode(object))
        #expect(decoded == object)
        #expect(decoded["nested"]?.objectValue?.keys.elementsEqual(["y", "x"]) == true)
    }

    @Test func readsEscapesOtherWritersUse() throws {
        let decoded = try PropertiesJSON.decodeObject(#"{ "a" : "\u00e9\ud83d\ude87\/" , "b":1E3, "c":-0 }"#)
        #expect(decoded == ["a": "é🚇/", "b": 1000.0, "c": 0])
    }

    @Test func integersBeyondInt64BecomeNumbers() throws {
        #expect(try PropertiesJSON.decodeObject(#"{"n":92233720368547758080}"#) == ["n": 9.223372036854776e19])
    }

    @Test(arguments: [#"{"a":1"#, #"{"a":}"#, #"{"a":tru}"#, #"["not","an","object"]"#, #"{"a":"\ud800"}"#,
                      #"{"a":1} x"#, "{\"a\":\"\u{1}\"}", #"{"a":01x}"#, ""])
    func refusesMalformedText(_ text: String) {
        #expect(throws: PropertiesError.self) { try PropertiesJSON.decodeObject(text) }
    }

    @Test func refusesDeepNestingWithoutRecursingWithoutBound() {
        let deep = "{\"a\":" + String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000) + "}"
        #expect(throws: PropertiesError.self) { try PropertiesJSON.decodeObject(deep) }
    }

    @Test func refusesWhatJSONOrPostgreSQLCannotHold() {
        #expect(throws: PropertiesError.self) { try PropertiesJSON.encode(["x": .number(.nan)]) }
        #expect(throws: PropertiesError.self) { try PropertiesJSON.encode(["x": .number(-.infinity)]) }
        #expect(throws: PropertiesError.self) { try PropertiesJSON.encode(["x": "nul\0"]) }
        #expect(throws: PropertiesError.self) { try PropertiesJSON.encode(["nul\0": 1]) }
    }
}
