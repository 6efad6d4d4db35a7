import Foundation
import GeoModel
import Hummingbird
import HummingbirdTesting
import Testing

@testable import PlanServer

/// /collections/{id}/items and /collections/{id}/items/{fid} over a real store.
@Suite("Items: pages, links, bbox, property filters and single features")
struct ItemEndpointTests {
    @Test("Following next links from the first page returns every feature of the layer exactly once")
    func pagingThroughALayer() async throws {
        try await DataFixture.withService(.geoData) { client, _ in
            let expectedIDs = try GeoDataFiles.features("metro-stations").compactMap { $0["id"] as? String }
            #expect(expectedIDs.count == 166)
            var uri: String? = "/collections/metro-stations/items?limit=50"
            var seen: [String] = []
            var pages = 0
            while let next = uri {
                let response = try await client.execute(uri: next, method: .get)
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "application/geo+json")
                let page = try response.jsonObject()
                #expect(page["type"] as? String == "FeatureCollection")
                #expect(page["numberMatched"] as? Int == 166)
                let features = try response.features()
                #expect(page["numberReturned"] as? Int == features.count)
                seen += features.compactMap { $0["id"] as? String }
                #expect((page.link("prev") != nil) == (pages > 0), "page \(pages)")
                uri = try page.link("next").map(pathAndQuery)
                pages += 1
            }
            #expect(pages == 4)
            #expect(seen == expectedIDs)
        }
    }

    @Test("limit and offset choose the page; prev and next point at its neighbours", arguments: [
        (10, 0, 10, false, true), (50, 150, 16, true, false), (100, 100, 66, true, false), (10, 166, 0, true, false),
        (10000, 0, 166, false, false),
    ])
    func limitAndOffset(limit: Int, offset: Int, returned: Int, hasPrev: Bool, hasNext: Bool) async throws {
        try await DataFixture.withService(.geoData) { client, _ in
            let response = try await client.execute(uri: "/collections/metro-stations/items?limit=\(limit)&offset=\(offset)",
                                                    method: .get)
            let page = try response.jsonObject()
            #expect(page["numberReturned"] as? Int == returned)
            #expect(try response.features().count == returned)
            #expect(page["numberMatched"] as? Int == 166)
            #expect((page.link("prev") != nil) == hasPrev)
            #expect((page.link("next") != nil) == hasNext)
            if let next = page.link("next") { #expect(next.contains("offset=\(offset + limit)") && next.contains("limit=\(limit)")) }
            if let prev = page.link("prev") { #expect(prev.contains("offset=\(max(offset - limit, 0))")) }
        }
    }

    @Test("Without limit a page holds 10 features")
    func defaultLimit() async throws {
        try await DataFixture.withService(.geoData) { client, _ in
            let page = try await client.execute(uri: "/collections/metro-stations/items", method: .get).jsonObject()
            #expect(page["numberReturned"] as? Int == 10)
        }
    }

    @Test("bbox keeps the features whose geometry meets the box", arguments: [
        ("123.395,41.795,123.405,41.815", "parks", ["park-0"]),
        ("123.405,41.79,123.425,41.82", "parks", ["park-0", "park-1"]),
        ("123.395,41.80,123.425,41.81", "wells", ["1", "2", "3"]),
        ("123.5,41.9,123.6,42.0", "wells", []),
        ("-180,-90,180,90", "parks", ["park-0", "park-1", "park-2"]),
    ])
    func boundingBox(bbox: String, layer: String, expected: [String]) async throws {
        try await DataFixture.withService(.handMade) { client, _ in
            let response = try await client.execute(uri: "/collections/\(layer)/items?bbox=\(bbox)", method: .get)
            let features = try response.features()
            #expect(features.map { "\($0["id"] ?? "")" } == expected)
            #expect(try response.jsonObject()["numberMatched"] as? Int == expected.count)
        }
    }

    @Test("Property filters compare strings, numbers and booleans as the layer holds them", arguments: [
        ("status=open", "parks", ["park-0", "park-1"]),
        ("status=closed&lit=true", "parks", ["park-2"]),
        ("area_rank=2", "parks", ["park-1"]),
        ("area_rank=2.0", "parks", ["park-1"]),
        ("lit=false", "parks", ["park-1"]),
        ("status=planned", "parks", []),
        ("depth_m=31.5", "wells", ["3"]),
        ("name=Well%204", "wells", ["4"]),
    ])
    func propertyFilters(query: String, layer: String, expected: [String]) async throws {
        try await DataFixture.withService(.handMade) { client, _ in
            let response = try await client.execute(uri: "/collections/\(layer)/items?\(query)", method: .get)
            #expect(try response.features().map { "\($0["id"] ?? "")" } == expected)
        }
    }

    @Test("A status filter on the plan's data matches what the GeoData file holds")
    func statusFilterOnGeoData() async throws {
        try await DataFixture.withService(.geoData) { client, _ in
            let expected = try GeoDataFiles.features("metro-stations")
                .filter { $0.properties["status"] as? String == "under_construction" }
            #expect(!expected.isEmpty)
            let response = try await client.execute(uri: "/collections/metro-stations/items?status=under_construction&limit=1000",
                                                    method: .get)
            #expect(try response.features().compactMap { $0["id"] as? String } == expected.compactMap { $0["id"] as? String })
            let next = try #require(try await client.execute(uri: "/collections/metro-stations/items?status=under_construction&limit=1",
                                                             method: .get).jsonObject().link("next"))
            #expect(next.contains("status=under_construction"), "the filter must carry over to the next page")
        }
    }

    @Test("Bad or unknown parameters are 400s naming them", arguments: [
        ("limit=0", "limit"), ("limit=10001", "limit"), ("limit=ten", "limit"), ("offset=-1", "offset"),
        ("bbox=1,2,3", "bbox"), ("bbox=123.5,41,123.4,42", "bbox"), ("bbox=a,b,c,d", "bbox"), ("limt=5", "limt"),
        ("area_rank=big", "area_rank"), ("lit=yes", "lit"), ("target=1", "target"), ("datetime=yesterday", "datetime"),
        ("f=xml", "f"), ("limit=1&limit=2", "limit"),
    ])
    func badParameters(query: String, parameter: String) async throws {
        try await DataFixture.withService(.handMade) { client, _ in
            let response = try await client.execute(uri: "/collections/parks/items?\(query)", method: .get)
            _ = try response.problem(status: .badRequest, parameter: parameter)
        }
    }

    @Test("A single feature carries its version as ETag and its links; If-None-Match gives 304")
    func singleFeature() async throws {
        try await DataFixture.withService(.geoData) { client, atlas in
            let expected = try #require(try GeoDataFiles.features("metro-lines").first)
            let id = try #require(expected["id"] as? String)
            let response = try await client.execute(uri: "/collections/metro-lines/items/\(id)", method: .get,
                                                    headers: [.acceptEncoding: "identity"])
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "application/geo+json")
            let stored = try #require(try await atlas.store.feature(.string(id), in: "metro-lines"))
            #expect(response.headers[.eTag] == "\"\(stored.version)\"")
            let feature = try response.jsonObject()
            #expect(feature["id"] as? String == id)
            #expect((feature["properties"] as? NSDictionary) == (expected["properties"] as? NSDictionary))
            #expect(feature.link("self")?.hasSuffix("/collections/metro-lines/items/\(id)?f=json") == true)
            #expect(feature.link("collection")?.hasSuffix("/collections/metro-lines") == true)

            let again = try await client.execute(uri: "/collections/metro-lines/items/\(id)", method: .get,
                                                 headers: [.ifNoneMatch: "\"\(stored.version)\""])
            #expect(again.status == .notModified)
            #expect(again.body.readableBytes == 0)
        }
    }

    @Test("Numeric feature ids are found by their text and come back as numbers")
    func numericID() async throws {
        try await DataFixture.withService(.handMade) { client, _ in
            let feature = try await client.execute(uri: "/collections/wells/items/3", method: .get).jsonObject()
            #expect(feature["id"] as? Int == 3)
            #expect(feature.properties["depth_m"] as? Double == 31.5)
        }
    }

    @Test("A missing feature is 404 naming it", arguments: ["nope", "park-9", "%E5%85%AC%E5%9B%AD", String(repeating: "x", count: 5000)])
    func missingFeature(id: String) async throws {
        try await DataFixture.withService(.handMade) { client, _ in
            _ = try await client.execute(uri: "/collections/parks/items/\(id)", method: .get).problem(status: .notFound)
        }
    }

    @Test("Items and features are offered as HTML too")
    func html() async throws {
        try await DataFixture.withService(.handMade) { client, _ in
            for uri in ["/collections/parks/items?f=html", "/collections/parks/items/park-1?f=html"] {
                let response = try await client.execute(uri: uri, method: .get)
                #expect(response.status == .ok, "\(uri)")
                #expect(response.headers[.contentType] == "text/html; charset=utf-8")
                #expect(response.text.contains("Park 1"), "\(uri)")
                #expect(response.headers[.eTag] == nil, "the ETag belongs to the GeoJSON that writes quote")
                try response.expectSecurityHeadersOfAnHTMLPage()
            }
            for uri in ["/collections/parks/items", "/collections/parks/items/park-1", "/collections", "/collections/parks", "/"] {
                let response = try await client.execute(uri: uri, method: .get, headers: [.acceptEncoding: "gzip"])
                #expect(response.headers[values: .vary].contains("Accept"), "\(uri): the representation depends on Accept")
            }
        }
    }

    @Test("Pages are gzipped for clients that accept it, and decompress to the same features")
    func gzip() async throws {
        try await DataFixture.withService(.geoData) { client, _ in
            let plain = try await client.execute(uri: "/collections/districts/items?limit=13", method: .get)
            let zipped = try await client.execute(uri: "/collections/districts/items?limit=13", method: .get,
                                                  headers: [.acceptEncoding: "gzip"])
            #expect(zipped.headers[.contentEncoding] == "gzip")
            #expect(zipped.body.readableBytes < plain.body.readableBytes / 2)
        }
    }
}
