import Testing
@testable import GeoEngine

@Suite struct ProjectionCRSTests {
    @Test("Names as users and standards write them", arguments: [
        ("EPSG:4326", CRS.wgs84),
        ("epsg:4326", .wgs84),
        (" EPSG:4326 ", .wgs84),
        ("CRS84", .wgs84),
        ("OGC:CRS84", .wgs84),
        ("urn:ogc:def:crs:OGC:1.3:CRS84", .wgs84),
        ("http://www.opengis.net/def/crs/OGC/1.3/CRS84", .wgs84),
        ("EPSG:4490", .cgcs2000),
        ("EPSG:4549", .cgcs2000GK120E),
        ("EPSG:4550", .cgcs2000GK123E),
        ("http://www.opengis.net/def/crs/EPSG/0/4550", .cgcs2000GK123E),
        ("https://www.opengis.net/def/crs/EPSG/0/4549", .cgcs2000GK120E),
        ("urn:ogc:def:crs:EPSG::32651", .utm51N),
        ("EPSG::3857", .webMercator),
        ("GCJ-02", .gcj02),
        ("gcj02", .gcj02),
    ])
    func parsesKnownNames(text: String, expected: CRS) throws {
        #expect(try CRS(parsing: text) == expected)
    }

    @Test("Anything else is refused with the text in the error", arguments: [
        "", "EPSG:", "EPSG:9999", "EPSG:4326x", "EPSG:-4326", "EPSG: 4326", "4326", "WGS84", "GCJ", "BD-09",
        "http://www.opengis.net/def/crs/EPSG/0/", "urn:ogc:def:crs:EPSG::abc", "EPSG:43２6",
    ])
    func refusesUnknownNames(text: String) {
        #expect(throws: ProjectionError.unknownCRS(text)) { try CRS(parsing: text) }
    }

    @Test func errorMessageNamesTheTextAndTheSupportedSystems() {
        let message = ProjectionError.unknownCRS("EPSG:9999").description
        #expect(message.contains("'EPSG:9999'"))
        for crs in CRS.allCases { #expect(message.contains(crs.identifier)) }
    }

    @Test func everyIdentifierParsesBackToItsSystem() throws {
        for crs in CRS.allCases { #expect(try CRS(parsing: crs.identifier) == crs) }
    }

    @Test func onlyTheLonLatSystemsAreGeographic() {
        #expect(CRS.allCases.filter(\.isGeographic) == [.wgs84, .cgcs2000, .gcj02])
    }

    @Test func namesMatchTheEPSGRegistry() {
        // Names as proj.db gives them (see Tools/known-values/proj_values.txt).
        #expect(CRS.cgcs2000GK120E.name == "CGCS2000 / 3-degree Gauss-Kruger CM 120E")
        #expect(CRS.cgcs2000GK123E.name == "CGCS2000 / 3-degree Gauss-Kruger CM 123E")
        #expect(CRS.gcj02.epsgCode == nil)
    }
}
