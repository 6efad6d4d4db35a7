import Testing
@testable import GeoModel

/// Fixtures read and written again match the expected files made by
/// Tools/geojson-fixtures/make_expected.py (Python json + shapely), compared with sorted keys.
@Suite struct GeoJSONGoldenFileTests {
    typealias S = GeoJSONTestSupport

    static let cases: [(input: String, members: JSONObject)] = [
        ("every-geometry", ["name": "every-geometry"]),
        ("winding-and-precision", [:]),
    ]

    @Test(arguments: cases.map(\.input))
    func rewritingAFixtureGivesTheExpectedFile(_ name: String) throws {
        let members = Self.cases.first { $0.input == name }!.members
        let collection = try GeoJSONReader().readFeatureCollection(try S.fixture("\(name).geojson"))
        let written = try GeoJSONWriter.encode(collection, members: members)
        let expected = try S.fixture("\(name).expected.geojson")
        #expect(try S.canonicalJSON(written) == S.canonicalJSON(expected))
    }

    @Test(arguments: cases.map(\.input))
    func theExpectedFileReadsBackToWhatWeWrote(_ name: String) throws {
        let collection = try GeoJSONReader().readFeatureCollection(try S.fixture("\(name).geojson"))
        let written = try GeoJSONWriter.encode(collection)
        let expected = try GeoJSONReader().readFeatureCollection(try S.fixture("\(name).expected.geojson"))
        #expect(try GeoJSONReader().readFeatureCollection(written) == expected)
    }

    @Test func theFixtureHoldsEveryGeometryTypeAndEveryEmptyForm() throws {
        let collection = try GeoJSONReader().readFeatureCollection(try S.fixture("every-geometry.geojson"))
        let geometries = collection.features.compactMap(\.geometry)
        #expect(Set(geometries.map(\.type)) == Set(GeometryType.allCases))
        #expect(Set(geometries.filter(\.isEmpty).map(\.type)) == Set(GeometryType.allCases))
        #expect(collection.features.contains { $0.geometry == nil })
    }
}
