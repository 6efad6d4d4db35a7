import GeoEngine
import GeoModel
import Testing

@testable import PlanServer

@Suite("Query parameters are read strictly")
struct QueryParameterTests {
    /// The problem `body` throws, or nil when it succeeds.
    func detail(_ body: () throws -> Void) -> ProblemDetails? {
        do {
            try body()
            return nil
        } catch {
            return error as? ProblemDetails
        }
    }

    @Test("Names and values are percent-decoded, '+' is a space, order is kept")
    func decoding() throws {
        let query = try QueryParameters(rawQuery: "name=%E5%9C%B0%E9%93%81+1&layers=a%2Cb&empty=&flag")
        #expect(query.names == ["name", "layers", "empty", "flag"])
        #expect(query["name"] == "地铁 1")
        #expect(query["layers"] == "a,b")
        #expect(query["empty"] == "")
        #expect(query["flag"] == "")
        #expect(try QueryParameters(rawQuery: nil).names.isEmpty)
        #expect(try QueryParameters(rawQuery: "&&").names.isEmpty)
    }

    @Test("The contract's own example message, word for word")
    func contractMessage() throws {
        let query = try QueryParameters(rawQuery: "radius=abc")
        let problem = detail { _ = try query.value(Parameters.radius) }
        #expect(problem?.detail == "parameter 'radius' must be a number of metres between 0 and 50000, got 'abc'")
        #expect(problem?.parameter == "radius")
        #expect(problem?.status == .badRequest)
    }

    @Test("radius: 0 < r <= 50000, decimal text only", arguments: [
        ("1000", 1000.0), ("0.5", 0.5), ("50000", 50000), ("1e3", 1000), ("1.5E+2", 150), ("+7", 7),
    ])
    func radiusAccepted(text: String, value: Double) throws {
        #expect(try Parameters.radius.read(text) == value)
    }

    @Test("radius refusals", arguments: ["abc", "", "0", "-1", "50000.001", "1e9", "inf", "nan", "Infinity", "0x10", ".5", "5.",
                                         "1e", "1,000", " 5", "5 ", "--5", "1e-400x"])
    func radiusRefused(text: String) {
        let problem = detail { _ = try Parameters.radius.read(text) }
        #expect(problem?.kind == .invalidParameter)
        #expect(problem?.parameter == "radius")
    }

    @Test("k: 1 to 1000", arguments: [("1", 1), ("1000", 1000), ("007", 7)])
    func kAccepted(text: String, value: Int) throws {
        #expect(try Parameters.k.read(text) == value)
    }

    @Test("k refusals", arguments: ["0", "1001", "1.5", "-3", "+3", "", "ten", "99999999999999999999999"])
    func kRefused(text: String) {
        #expect(detail { _ = try Parameters.k.read(text) }?.detail == "parameter 'k' must be an integer between 1 and 1000, got '\(text)'")
    }

    @Test("limit: 1 to 10000, default 10; offset: 0 or more")
    func limitAndOffset() throws {
        #expect(Parameters.limit.defaultValue == 10)
        #expect(try Parameters.limit.read("10000") == 10000)
        #expect(detail { _ = try Parameters.limit.read("10001") }?.parameter == "limit")
        #expect(detail { _ = try Parameters.limit.read("0") }?.parameter == "limit")
        #expect(try Parameters.offset.read("0") == 0)
        #expect(try Parameters.offset.read("123456") == 123456)
        #expect(detail { _ = try Parameters.offset.read("-1") }?.parameter == "offset")
    }

    @Test("lon and lat ranges")
    func lonLat() throws {
        #expect(try Parameters.lon.read("123.45") == 123.45)
        #expect(try Parameters.lat.read("-90") == -90)
        #expect(detail { _ = try Parameters.lon.read("180.1") }?.detail == "parameter 'lon' must be a longitude between -180 and 180 degrees, got '180.1'")
        #expect(detail { _ = try Parameters.lat.read("91") }?.parameter == "lat")
    }

    @Test("A required parameter that is missing is named")
    func required() throws {
        let query = try QueryParameters(rawQuery: "lon=123")
        #expect(try query.require(Parameters.lon) == 123)
        #expect(detail { _ = try query.require(Parameters.lat) }?.parameter == "lat")
    }

    @Test("bbox: four numbers within lon/lat bounds, min < max; six numbers drop the heights")
    func bboxAccepted() throws {
        #expect(try Parameters.bbox.read("123.2,41.6,123.7,42.0") == BoundingBox(minX: 123.2, minY: 41.6, maxX: 123.7, maxY: 42.0))
        #expect(try Parameters.bbox.read("-180,-90,180,90") == BoundingBox(minX: -180, minY: -90, maxX: 180, maxY: 90))
        #expect(try Parameters.bbox.read("123.2,41.6,0,123.7,42.0,100") == BoundingBox(minX: 123.2, minY: 41.6, maxX: 123.7, maxY: 42.0))
    }

    @Test("bbox refusals", arguments: ["123.2,41.6,123.7", "123.2,41.6,123.7,42,1", "123.7,41.6,123.2,42.0", "123.2,42,123.7,41.6",
                                       "123.2,41.6,123.2,42.0", "-181,0,0,1", "0,-91,1,0", "0,0,181,1", "0,0,1,90.5", "a,b,c,d",
                                       "1,,2,3", "", "1;2;3;4", "0,0,100,1,1,50"])
    func bboxRefused(text: String) {
        let problem = detail { _ = try Parameters.bbox.read(text) }
        #expect(problem?.parameter == "bbox")
        #expect(problem?.detail.contains("minlon,minlat,maxlon,maxlat") == true)
    }

    @Test("Layer lists: identifiers separated by commas, repeats dropped")
    func layerLists() throws {
        #expect(try Parameters.nearLayers.read("metro-lines,parks,metro-lines") == ["metro-lines", "parks"])
        #expect(try Parameters.layerPair.read("zones,zones") == ["zones", "zones"])
        for bad in ["", "a,,b", "a b", "a/b", "../x", "地铁", String(repeating: "a", count: 101)] {
            #expect(detail { _ = try Parameters.nearLayers.read(bad) }?.parameter == "layers", "\(bad)")
        }
        #expect(detail { _ = try Parameters.layerPair.read("a") }?.detail.hasPrefix("parameter 'layers' must be 2 comma-separated layer ids A,B") == true)
        #expect(detail { _ = try Parameters.layerPair.read("a,b,c") }?.parameter == "layers")
    }

    @Test("crs accepts what GeoEngine's CRS(parsing:) accepts and names the choices otherwise")
    func crs() throws {
        #expect(try Parameters.crs.read("EPSG:4550") == .cgcs2000GK123E)
        #expect(try Parameters.crs.read("EPSG:4549") == .cgcs2000GK120E)
        #expect(try Parameters.crs.read("GCJ-02") == .gcj02)
        #expect(try Parameters.crs.read("http://www.opengis.net/def/crs/OGC/1.3/CRS84") == .wgs84)
        let problem = detail { _ = try Parameters.crs.read("EPSG:9999") }
        #expect(problem?.parameter == "crs")
        #expect(problem?.detail.contains("EPSG:4550") == true)
    }

    @Test("Booleans are exactly true or false")
    func booleans() throws {
        #expect(try Parameters.style.read("true"))
        #expect(try !Parameters.style.read("false"))
        for bad in ["1", "yes", "True", ""] { #expect(detail { _ = try Parameters.style.read(bad) }?.parameter == "style") }
    }

    @Test("datetime takes RFC 3339 instants and intervals", arguments: [
        "2021-05-01", "2021-05-01T08:00:00Z", "2021-05-01T08:00:00.250+08:00", "2021-01-01/2021-12-31", "../2021-12-31",
        "2021-01-01T00:00:00Z/..", "/2021-12-31",
    ])
    func datetimeAccepted(text: String) throws {
        #expect(try Parameters.datetime.read(text) == text)
    }

    @Test("datetime refusals", arguments: ["2021", "yesterday", "2021-5-1", "../..", "2021-01-01/2021-02-01/2021-03-01",
                                           "2021-05-01T08:00Z", "2021-05-01T08:00:00", "2021-05-01T08:00:00+0800"])
    func datetimeRefused(text: String) {
        #expect(detail { _ = try Parameters.datetime.read(text) }?.parameter == "datetime")
    }

    @Test("Unknown names are refused, unless the endpoint's own check accepts them")
    func unknownNames() throws {
        let query = try QueryParameters(rawQuery: "limit=5&status=planned")
        let problem = detail { try query.rejectUnknown(allowed: ["limit", "offset"]) }
        #expect(problem?.kind == .unknownParameter)
        #expect(problem?.parameter == "status")
        #expect(problem?.detail == "unknown parameter 'status'; this endpoint accepts 'limit', 'offset'")
        #expect(detail { try query.rejectUnknown(allowed: ["limit"], alsoAllowed: { $0 == "status" }) } == nil)
    }

    @Test("A name given twice is refused, even with the same value")
    func duplicates() {
        #expect(detail { _ = try QueryParameters(rawQuery: "k=1&k=1") }?.parameter == "k")
    }
}
