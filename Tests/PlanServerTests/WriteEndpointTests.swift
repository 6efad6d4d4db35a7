import FeatureStore
import Foundation
import GeoModel
import Hummingbird
import HummingbirdTesting
import Planning
import Testing

@testable import PlanServer

/// OGC API - Features Part 4 against a real store: create, replace, update, delete, with ETags.
@Suite("Writes: POST, PUT, PATCH and DELETE with the bearer token and ETags")
struct WriteEndpointTests {
    static let token = "write-token-沈阳"
    static let auth: HTTPFields = [.authorization: "Bearer \(token)", .contentType: "application/geo+json"]

    static func headers(ifMatch: String? = nil, type: String = "application/geo+json") -> HTTPFields {
        var headers: HTTPFields = [.authorization: "Bearer \(token)", .contentType: type]
        if let ifMatch { headers[.ifMatch] = ifMatch }
        return headers
    }

    static func park(_ id: String?, x: Double = 123.46, name: String = "New park") -> String {
        let idMember = id.map { #""id":"\#($0)","# } ?? ""
        return #"{"type":"Feature",\#(idMember)"geometry":{"type":"Polygon","coordinates":[[[\#(x),41.80],[\#(x + 0.01),41.80],[\#(x + 0.01),41.81],[\#(x),41.81],[\#(x),41.80]]]},"properties":{"name":"\#(name)","status":"open"}}"#
    }

    @Test("POST creates a feature: 201 with Location and ETag, then GET returns it with the same ETag")
    func create() async throws {
        try await DataFixture.withService(.handMade, token: Self.token) { client, atlas in
            let response = try await client.execute(uri: "/collections/parks/items", method: .post, headers: Self.auth,
                                                    body: ByteBuffer(string: Self.park("park-9")))
            #expect(response.status == .created, "\(response.text)")
            #expect(response.headers[.location] == "http://localhost/collections/parks/items/park-9")
            let tag = try #require(response.headers[.eTag])
            let stored = try #require(try await atlas.store.feature(.string("park-9"), in: "parks"))
            #expect(tag == "\"\(stored.version)\"")
            #expect(stored.feature.properties["name"] == "New park")

            let read = try await client.execute(uri: "/collections/parks/items/park-9", method: .get)
            #expect(read.headers[.eTag] == tag)
            #expect(try read.jsonObject().properties["name"] as? String == "New park")
            #expect(try await client.execute(uri: "/collections/parks", method: .get).jsonObject()["planatlas:itemCount"] as? Int == 4)
        }
    }

    @Test("POST without an id gets one assigned, named by Location")
    func createWithoutID() async throws {
        try await DataFixture.withService(.handMade, token: Self.token) { client, _ in
            let response = try await client.execute(uri: "/collections/parks/items", method: .post, headers: Self.auth,
                                                    body: ByteBuffer(string: Self.park(nil)))
            #expect(response.status == .created)
            let location = try #require(response.headers[.location])
            let id = try #require(try response.jsonObject()["id"] as? String)
            #expect(location.hasSuffix("/collections/parks/items/\(id)"))
            #expect(try await client.execute(uri: try pathAndQuery(location), method: .get).status == .ok)
        }
    }

    @Test("A new feature is found by /near at once: writes go through the atlas")
    func writesReachTheAtlas() async throws {
        try await DataFixture.withService(.handMade, token: Self.token) { client, _ in
            let before = try await client.execute(uri: "/near?lon=123.465&lat=41.805&radius=1&layers=parks", method: .get).features()
            #expect(before.isEmpty)
            _ = try await client.execute(uri: "/collections/parks/items", method: .post, headers: Self.auth,
                                         body: ByteBuffer(string: Self.park("park-9")))
            let after = try await client.execute(uri: "/near?lon=123.465&lat=41.805&radius=1&layers=parks", method: .get).features()
            #expect(after.map { $0["id"] as? String } == ["park-9"])
        }
    }

    @Test("POST with a taken id is 409")
    func duplicate() async throws {
        try await DataFixture.withService(.handMade, token: Self.token) { client, _ in
            let response = try await client.execute(uri: "/collections/parks/items", method: .post, headers: Self.auth,
                                                    body: ByteBuffer(string: Self.park("park-1")))
            let problem = try response.problem(status: .conflict)
            #expect((problem["detail"] as? String)?.contains("park-1") == true)
        }
    }

    @Test("An invalid polygon is 422 with GEOS's reason; nothing is stored")
    func invalidGeometry() async throws {
        try await DataFixture.withService(.handMade, token: Self.token) { client, atlas in
            let bowtie = #"{"type":"Feature","id":"bad","geometry":{"type":"Polygon","coordinates":[[[123.40,41.80],[123.41,41.81],[123.41,41.80],[123.40,41.81],[123.40,41.80]]]},"properties":{}}"#
            let response = try await client.execute(uri: "/collections/parks/items", method: .post, headers: Self.auth,
                                                    body: ByteBuffer(string: bowtie))
            let problem = try response.problem(status: .unprocessableContent, parameter: "body.geometry")
            #expect((problem["detail"] as? String)?.contains("Self-intersection") == true, "\(problem)")
            #expect(try await atlas.store.feature(.string("bad"), in: "parks") == nil)
        }
    }

    @Test("A geometry of the wrong type for the layer is 422")
    func wrongGeometryType() async throws {
        try await DataFixture.withService(.handMade, token: Self.token) { client, _ in
            let point = #"{"type":"Feature","id":"p","geometry":{"type":"Point","coordinates":[123.4,41.8]},"properties":{}}"#
            let problem = try await client.execute(uri: "/collections/parks/items", method: .post, headers: Self.auth,
                                                   body: ByteBuffer(string: point)).problem(status: .unprocessableContent,
                                                                                            parameter: "body.geometry")
            #expect((problem["detail"] as? String)?.contains("Polygon") == true)
        }
    }

    @Test("A body that is no Feature is 400", arguments: [
        (#"{"type":"Point","coordinates":[123.4,41.8]}"#, "body.type"),
        (#"{"type":"FeatureCollection","features":[]}"#, "body.type"),
        (#"{"type":"Feature","geometry":{"type":"Point","coordinates":[123.4]},"properties":{}}"#, "body.geometry.coordinates"),
        (#"{"type":"Feature","id":1.5,"geometry":null,"properties":{}}"#, "body.id"),
        (#"{"type":"Feature","geometry":null,"properties":{},"properties":{}}"#, "body.properties"),
        ("[]", "body"),
    ])
    func notAFeature(body: String, member: String) async throws {
        try await DataFixture.withService(.handMade, token: Self.token) { client, _ in
            _ = try await client.execute(uri: "/collections/parks/items", method: .post, headers: Self.auth,
                                         body: ByteBuffer(string: body)).problem(status: .badRequest, parameter: member)
        }
    }

    @Test("PUT needs If-Match (428), refuses a stale ETag (412) and replaces with the current one")
    func replace() async throws {
        try await DataFixture.withService(.handMade, token: Self.token) { client, _ in
            let uri = "/collections/parks/items/park-1"
            let tag = try #require(try await client.execute(uri: uri, method: .get).headers[.eTag])
            let body = Self.park("park-1", x: 123.42, name: "Renamed park")

            _ = try await client.execute(uri: uri, method: .put, headers: Self.headers(), body: ByteBuffer(string: body))
                .problem(status: .preconditionRequired, parameter: "If-Match")
            _ = try await client.execute(uri: uri, method: .put, headers: Self.headers(ifMatch: "\"1\""), body: ByteBuffer(string: body))
                .problem(status: .preconditionFailed, parameter: "If-Match")
            _ = try await client.execute(uri: uri, method: .put, headers: Self.headers(ifMatch: "W/\(tag)"), body: ByteBuffer(string: body))
                .problem(status: .preconditionFailed, parameter: "If-Match")

            let replaced = try await client.execute(uri: uri, method: .put, headers: Self.headers(ifMatch: tag), body: ByteBuffer(string: body))
            #expect(replaced.status == .ok, "\(replaced.text)")
            let newTag = try #require(replaced.headers[.eTag])
            #expect(newTag != tag)
            let read = try await client.execute(uri: uri, method: .get)
            #expect(read.headers[.eTag] == newTag)
            #expect(try read.jsonObject().properties["name"] as? String == "Renamed park")

            // The old ETag is stale now.
            _ = try await client.execute(uri: uri, method: .put, headers: Self.headers(ifMatch: tag), body: ByteBuffer(string: body))
                .problem(status: .preconditionFailed, parameter: "If-Match")
        }
    }

    @Test("PUT with If-Match: * replaces whatever version is current; a numeric id stays a number")
    func replaceAnyVersion() async throws {
        try await DataFixture.withService(.handMade, token: Self.token) { client, _ in
            let body = #"{"type":"Feature","geometry":{"type":"Point","coordinates":[123.45,41.805]},"properties":{"name":"Well 3 moved"}}"#
            let response = try await client.execute(uri: "/collections/wells/items/3", method: .put, headers: Self.headers(ifMatch: "*"),
                                                    body: ByteBuffer(string: body))
            #expect(response.status == .ok, "\(response.text)")
            let read = try await client.execute(uri: "/collections/wells/items/3", method: .get).jsonObject()
            #expect(read["id"] as? Int == 3)
            #expect(read.properties["name"] as? String == "Well 3 moved")
        }
    }

    @Test("PUT to a missing feature is 404; a body id that differs from the URL is 400")
    func replaceErrors() async throws {
        try await DataFixture.withService(.handMade, token: Self.token) { client, _ in
            _ = try await client.execute(uri: "/collections/parks/items/park-7", method: .put, headers: Self.headers(ifMatch: "*"),
                                         body: ByteBuffer(string: Self.park(nil))).problem(status: .notFound)
            _ = try await client.execute(uri: "/collections/parks/items/park-1", method: .put, headers: Self.headers(ifMatch: "*"),
                                         body: ByteBuffer(string: Self.park("park-2"))).problem(status: .badRequest, parameter: "body.id")
        }
    }

    @Test("PATCH merges a JSON merge patch into the feature; null removes a property")
    func patch() async throws {
        try await DataFixture.withService(.handMade, token: Self.token) { client, atlas in
            let uri = "/collections/parks/items/park-0"
            let tag = try #require(try await client.execute(uri: uri, method: .get).headers[.eTag])
            let patch = #"{"properties":{"status":"closed","lit":null,"opened":2021}}"#
            let response = try await client.execute(uri: uri, method: .patch,
                                                    headers: Self.headers(ifMatch: tag, type: "application/merge-patch+json"),
                                                    body: ByteBuffer(string: patch))
            #expect(response.status == .ok, "\(response.text)")
            let stored = try #require(try await atlas.store.feature(.string("park-0"), in: "parks"))
            #expect(stored.feature.properties["status"] == "closed")
            #expect(stored.feature.properties["lit"] == nil)
            #expect(stored.feature.properties["opened"] == 2021)
            #expect(stored.feature.properties["name"] == "Park 0")
            #expect(stored.feature.geometry == HandMade.parks[0].geometry)
            #expect(response.headers[.eTag] == "\"\(stored.version)\"")

            _ = try await client.execute(uri: uri, method: .patch, headers: Self.headers(ifMatch: tag, type: "application/merge-patch+json"),
                                         body: ByteBuffer(string: patch)).problem(status: .preconditionFailed, parameter: "If-Match")
        }
    }

    @Test("A patch that breaks the feature is refused and changes nothing", arguments: [
        (#"{"geometry":{"type":"Polygon","coordinates":[[[123.40,41.80],[123.41,41.81],[123.41,41.80],[123.40,41.81],[123.40,41.80]]]}}"#, 422),
        (#"{"type":"Point"}"#, 400),
        (#"{"id":"other"}"#, 400),
        (#"{"geometry":{"type":"Point","coordinates":[123.4,41.8]}}"#, 422),
    ])
    func badPatch(patch: String, status: Int) async throws {
        try await DataFixture.withService(.handMade, token: Self.token) { client, atlas in
            let before = try #require(try await atlas.store.feature(.string("park-0"), in: "parks"))
            let response = try await client.execute(uri: "/collections/parks/items/park-0", method: .patch,
                                                    headers: Self.headers(ifMatch: "*", type: "application/merge-patch+json"),
                                                    body: ByteBuffer(string: patch))
            #expect(Int(response.status.code) == status, "\(response.text)")
            #expect(response.headers[.contentType] == "application/problem+json")
            #expect(try await atlas.store.feature(.string("park-0"), in: "parks") == before)
        }
    }

    @Test("DELETE needs If-Match; with the ETag the feature is gone (204, then 404)")
    func delete() async throws {
        try await DataFixture.withService(.handMade, token: Self.token) { client, _ in
            let uri = "/collections/wells/items/2"
            let tag = try #require(try await client.execute(uri: uri, method: .get).headers[.eTag])
            _ = try await client.execute(uri: uri, method: .delete, headers: [.authorization: "Bearer \(Self.token)"])
                .problem(status: .preconditionRequired, parameter: "If-Match")
            _ = try await client.execute(uri: uri, method: .delete, headers: [.authorization: "Bearer \(Self.token)", .ifMatch: "\"99999\""])
                .problem(status: .preconditionFailed, parameter: "If-Match")
            let deleted = try await client.execute(uri: uri, method: .delete, headers: [.authorization: "Bearer \(Self.token)", .ifMatch: tag])
            #expect(deleted.status == .noContent)
            _ = try await client.execute(uri: uri, method: .get).problem(status: .notFound)
            _ = try await client.execute(uri: uri, method: .delete, headers: [.authorization: "Bearer \(Self.token)", .ifMatch: "*"])
                .problem(status: .notFound)
        }
    }

    @Test("An ETag read with gzip is accepted back in If-Match")
    func gzipETag() async throws {
        try await DataFixture.withService(.handMade, token: Self.token) { client, _ in
            // A long property makes the feature worth compressing.
            let long = String(repeating: "long name ", count: 200)
            _ = try await client.execute(uri: "/collections/parks/items", method: .post, headers: Self.auth,
                                         body: ByteBuffer(string: Self.park("park-9", name: long)))
            let read = try await client.execute(uri: "/collections/parks/items/park-9", method: .get, headers: [.acceptEncoding: "gzip"])
            #expect(read.headers[.contentEncoding] == "gzip")
            let tag = try #require(read.headers[.eTag])
            #expect(tag.hasSuffix("-gzip\""))
            let response = try await client.execute(uri: "/collections/parks/items/park-9", method: .delete,
                                                    headers: [.authorization: "Bearer \(Self.token)", .ifMatch: tag])
            #expect(response.status == .noContent)
        }
    }

    @Test("Writes without the token are 401; the wrong media type 415; a body past the limit 413")
    func guards() async throws {
        try await DataFixture.withService(.handMade, token: Self.token, maximumBodyBytes: 2048) { client, atlas in
            _ = try await client.execute(uri: "/collections/parks/items", method: .post, headers: [.contentType: "application/geo+json"],
                                         body: ByteBuffer(string: Self.park("x"))).problem(status: .unauthorized, parameter: "Authorization")
            _ = try await client.execute(uri: "/collections/parks/items", method: .post, headers: Self.headers(type: "text/plain"),
                                         body: ByteBuffer(string: Self.park("x"))).problem(status: .unsupportedMediaType, parameter: "Content-Type")
            let big = Self.park("x", name: String(repeating: "x", count: 4096))
            _ = try await client.execute(uri: "/collections/parks/items", method: .post, headers: Self.auth,
                                         body: ByteBuffer(string: big)).problem(status: .contentTooLarge)
            _ = try await client.execute(uri: "/collections/nope/items", method: .post, headers: Self.auth,
                                         body: ByteBuffer(string: Self.park("x"))).problem(status: .notFound)
            #expect(try await atlas.store.feature(.string("x"), in: "parks") == nil)
        }
    }

    @Test("Without a token the service is read-only: writes are 405 naming what is allowed")
    func readOnly() async throws {
        try await DataFixture.withService(.handMade) { client, _ in
            for method in [HTTPRequest.Method.post] {
                let response = try await client.execute(uri: "/collections/parks/items", method: method, headers: Self.auth,
                                                        body: ByteBuffer(string: Self.park("x")))
                _ = try response.problem(status: .methodNotAllowed)
                #expect(response.headers[.allow] == "GET, HEAD")
            }
            for method in [HTTPRequest.Method.put, .patch, .delete] {
                let response = try await client.execute(uri: "/collections/parks/items/park-1", method: method,
                                                        headers: Self.headers(ifMatch: "*"), body: ByteBuffer(string: Self.park("park-1")))
                _ = try response.problem(status: .methodNotAllowed)
                #expect(response.headers[.allow] == "GET, HEAD")
            }
            let conformance = try #require(try await client.execute(uri: "/conformance", method: .get).jsonObject()["conformsTo"] as? [String])
            #expect(!conformance.contains { $0.contains("ogcapi-features-4") })
        }
    }

    @Test("After a run of bad requests the service still answers correctly")
    func keepsServing() async throws {
        try await DataFixture.withService(.handMade, token: Self.token, maximumBodyBytes: 4096) { client, _ in
            let bad: [(String, HTTPRequest.Method, HTTPFields, String)] = [
                ("/collections/parks/items", .post, Self.auth, "{"),
                ("/collections/parks/items", .post, Self.auth, String(repeating: "[", count: 3000)),
                ("/collections/parks/items", .post, Self.auth, "\u{0}\u{1}\u{2}"),
                ("/collections/parks/items", .post, Self.auth, String(repeating: "9", count: 5000)),
                ("/collections/parks/items?limit=%FF", .get, [:], ""),
                ("/collections/%FF/items", .get, [:], ""),
                ("/near?lon=1e999&lat=0&k=1", .get, [:], ""),
                ("/overlaps", .post, Self.auth, #"{"type":"GeometryCollection","geometries":[{"type":"GeometryCollection","geometries":[]}]}"#),
                ("/collections/parks/items/park-1", .patch, Self.headers(ifMatch: "*", type: "application/merge-patch+json"), "[1,2]"),
            ]
            for (uri, method, headers, body) in bad {
                let response = try await client.execute(uri: uri, method: method, headers: headers, body: ByteBuffer(string: body))
                #expect((400..<500).contains(Int(response.status.code)), "\(method) \(uri): \(response.status) \(response.text)")
                #expect(response.headers[.contentType] == "application/problem+json", "\(uri)")
            }
            let good = try await client.execute(uri: "/collections/parks/items", method: .get)
            #expect(good.status == .ok)
            #expect(try good.features().count == 3)
        }
    }
}
