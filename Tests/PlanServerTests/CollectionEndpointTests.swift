import Foundation
import GeoModel
import Hummingbird
import HummingbirdTesting
import Testing

@testable import PlanServer

/// /collections and /collections/{id} over the real seeded store, checked against GeoData's files
/// and Styles/ read with Foundation.
@Suite("Collections: the store's layers with counts, extents and styles")
struct CollectionEndpointTests {
    @Test("/collections lists every GeoData layer in catalogue order with its feature count, extent and style")
    func collections() async throws {
        try await DataFixture.withService(.geoData) { client, _ in
            let response = try await client.execute(uri: "/collections", method: .get)
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "application/json")
            let collections = try #require(try response.jsonObject()["collections"] as? [[String: Any]])
            #expect(collections.compactMap { $0["id"] as? String } == (try GeoDataFiles.layerIDs()))
            for collection in collections {
                let id = try #require(collection["id"] as? String)
                let features = try GeoDataFiles.features(id)
                #expect(collection["planatlas:itemCount"] as? Int == features.count, "\(id)")
                #expect(collection["itemType"] as? String == "feature")
                #expect((collection["title"] as? String)?.isEmpty == false)
                #expect((collection["planatlas:title_zh"] as? String)?.isEmpty == false)
                #expect(collection["planatlas:context"] is Bool)

                // The extent is the box of every position in the layer's file.
                let positions = features.flatMap { GeoDataFiles.positions(($0["geometry"] as? [String: Any])?["coordinates"]) }
                let extent = try #require((collection["extent"] as? [String: Any])?["spatial"] as? [String: Any])
                #expect(extent["crs"] as? String == "http://www.opengis.net/def/crs/OGC/1.3/CRS84")
                let box = try #require((extent["bbox"] as? [[Double]])?.first)
                let expected = [positions.map { $0[0] }.min(), positions.map { $0[1] }.min(),
                                positions.map { $0[0] }.max(), positions.map { $0[1] }.max()].compactMap { $0 }
                #expect(zip(box, expected).allSatisfy { abs($0 - $1) < 1e-9 }, "\(id): \(box) vs \(expected)")

                // The style is Styles/<id>.json as it stands.
                let styleData = try Data(contentsOf: repositoryRoot.appending(path: "Styles/\(id).json"))
                let style = try #require(try JSONSerialization.jsonObject(with: styleData) as? NSDictionary)
                #expect((collection["planatlas:style"] as? NSDictionary) == style, "\(id)")

                let items = try #require(collection.link("items"))
                #expect(items.hasSuffix("/collections/\(id)/items?f=json"))
            }
        }
    }

    @Test("/collections/{id} describes one layer the same way; context layers say so")
    func oneCollection() async throws {
        try await DataFixture.withService(.geoData) { client, _ in
            let all = try #require(try await client.execute(uri: "/collections", method: .get).jsonObject()["collections"]
                as? [[String: Any]])
            let districts = try await client.execute(uri: "/collections/districts", method: .get)
            #expect(districts.status == .ok)
            let object = try districts.jsonObject()
            #expect(NSDictionary(dictionary: object) == NSDictionary(dictionary: try #require(all.first { $0["id"] as? String == "districts" })))
            #expect(object["planatlas:context"] as? Bool == true)
            #expect(object["planatlas:geometryType"] as? String == "Polygon")
            #expect(object.link("self")?.hasSuffix("/collections/districts?f=json") == true)
        }
    }

    @Test("An unknown collection is 404 for the collection, its items and its features")
    func unknownCollection() async throws {
        try await DataFixture.withService(.geoData) { client, _ in
            for uri in ["/collections/parks", "/collections/parks/items", "/collections/parks/items/1", "/export/parks"] {
                let problem = try await client.execute(uri: uri, method: .get).problem(status: .notFound)
                #expect((problem["detail"] as? String)?.contains("'parks'") == true, "\(uri)")
            }
        }
    }

    @Test("Browsers get the collections as an HTML page")
    func collectionsHTML() async throws {
        try await DataFixture.withService(.geoData) { client, _ in
            let response = try await client.execute(uri: "/collections?f=html", method: .get)
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "text/html; charset=utf-8")
            #expect(response.text.contains("metro-lines"))
            try response.expectSecurityHeadersOfAnHTMLPage()
        }
    }

    @Test("HEAD answers with GET's headers and no body: the length when known, none for a stream")
    func head() async throws {
        try await DataFixture.withService(.geoData) { client, _ in
            let get = try await client.execute(uri: "/collections", method: .get)
            let head = try await client.execute(uri: "/collections", method: .head)
            #expect(head.status == .ok)
            #expect(head.body.readableBytes == 0)
            #expect(head.headers[.contentType] == get.headers[.contentType])
            #expect(head.headers[.contentLength] == String(get.body.readableBytes))
            let export = try await client.execute(uri: "/export/districts", method: .head)
            #expect(export.status == .ok)
            #expect(export.headers[.contentDisposition] == "attachment; filename=\"districts.geojson\"")
            #expect(export.headers[.contentLength] == nil)
            #expect(try await client.execute(uri: "/collections/nope", method: .head).status == .notFound)
        }
    }

    @Test("A layer without a catalogue entry is described from the store alone")
    func handMadeLayer() async throws {
        try await DataFixture.withService(.handMade) { client, _ in
            let object = try await client.execute(uri: "/collections/parks", method: .get).jsonObject()
            #expect(object["title"] as? String == "Parks")
            #expect(object["planatlas:title_zh"] as? String == "公园")
            #expect(object["planatlas:itemCount"] as? Int == 3)
            #expect(object["planatlas:planSection"] as? String == "green")
            #expect(object["planatlas:style"] == nil)
            let box = try #require(((object["extent"] as? [String: Any])?["spatial"] as? [String: Any])?["bbox"] as? [[Double]])
            #expect(box.count == 1 && zip(box[0], [123.40, 41.80, 123.45, 41.81]).allSatisfy { abs($0 - $1) < 1e-9 }, "\(box)")
        }
    }
}
