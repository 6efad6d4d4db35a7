import Foundation
import GeoModel
import Hummingbird
import HummingbirdTesting
import Planning
import Testing

@testable import PlanServer

/// Geometries with more vertices than the service accepts (ServerConfiguration.maximumVertices)
/// are refused with 413 before GEOS or the store sees them, whichever way they come in.
@Suite("Vertex limit: writes and candidate geometries")
struct VertexLimitTests {
    static let token = "vertex-token"
    static let limit = 20

    static func headers(ifMatch: String? = nil, type: String = "application/geo+json") -> HTTPFields {
        var headers: HTTPFields = [.authorization: "Bearer \(token)", .contentType: type]
        if let ifMatch { headers[.ifMatch] = ifMatch }
        return headers
    }

    /// A simple polygon of `positions` GeoJSON positions (the closing one included) around 123.45, 41.805.
    static func ring(_ positions: Int) -> String {
        let corners = (0..<positions - 1).map { i in
            let angle = Double(i) / Double(positions - 1) * 2 * .pi
            return "[\(123.45 + 0.004 * cos(angle)),\(41.805 + 0.003 * sin(angle))]"
        }
        return #"{"type":"Polygon","coordinates":[[\#((corners + [corners[0]]).joined(separator: ","))]]}"#
    }

    static func park(_ id: String, positions: Int) -> String {
        #"{"type":"Feature","id":"\#(id)","geometry":\#(ring(positions)),"properties":{"name":"ring park"}}"#
    }

    @Test("The default limit is the planning layer's standard one: 100,000 vertices")
    func defaultLimit() {
        #expect(ServerConfiguration(viewerDirectory: "/tmp").maximumVertices == 100_000)
        #expect(VertexLimit.standard.maximum == 100_000)
    }

    @Test("POST of a feature over the limit is 413 naming body.geometry and the count; at the limit it is stored")
    func create() async throws {
        try await DataFixture.withService(.handMade, token: Self.token, maximumVertices: Self.limit) { client, atlas in
            let over = try await client.execute(uri: "/collections/parks/items", method: .post, headers: Self.headers(),
                                                body: ByteBuffer(string: Self.park("big", positions: Self.limit + 1)))
            let problem = try over.problem(status: .contentTooLarge, parameter: "body.geometry")
            #expect(problem["detail"] as? String == "the geometry has 21 vertices, more than the limit of 20")
            #expect(try await atlas.store.feature(.string("big"), in: "parks") == nil)

            let at = try await client.execute(uri: "/collections/parks/items", method: .post, headers: Self.headers(),
                                              body: ByteBuffer(string: Self.park("fits", positions: Self.limit)))
            #expect(at.status == .created, "\(at.text)")
        }
    }

    @Test("PUT over the limit is 413 and leaves the feature as it was")
    func replace() async throws {
        try await DataFixture.withService(.handMade, token: Self.token, maximumVertices: Self.limit) { client, atlas in
            let uri = "/collections/parks/items/park-1"
            let tag = try #require(try await client.execute(uri: uri, method: .get).headers[.eTag])
            let before = try await atlas.store.feature(.string("park-1"), in: "parks")
            _ = try await client.execute(uri: uri, method: .put, headers: Self.headers(ifMatch: tag),
                                         body: ByteBuffer(string: Self.park("park-1", positions: Self.limit + 1)))
                .problem(status: .contentTooLarge, parameter: "body.geometry")
            #expect(try await atlas.store.feature(.string("park-1"), in: "parks") == before)
        }
    }

    @Test("A merge patch that would take the feature over the limit is 413 and leaves it as it was")
    func patch() async throws {
        try await DataFixture.withService(.handMade, token: Self.token, maximumVertices: Self.limit) { client, atlas in
            let uri = "/collections/parks/items/park-1"
            let tag = try #require(try await client.execute(uri: uri, method: .get).headers[.eTag])
            let before = try await atlas.store.feature(.string("park-1"), in: "parks")
            let patch = #"{"geometry":\#(Self.ring(Self.limit + 1))}"#
            _ = try await client.execute(uri: uri, method: .patch,
                                         headers: Self.headers(ifMatch: tag, type: "application/merge-patch+json"),
                                         body: ByteBuffer(string: patch))
                .problem(status: .contentTooLarge, parameter: "body.geometry")
            #expect(try await atlas.store.feature(.string("park-1"), in: "parks") == before)
        }
    }

    @Test("A candidate for /overlaps over the limit is 413, as a bare geometry and as a Feature", arguments: [
        (ring(limit + 1), "body"),
        (park("candidate", positions: limit + 1), "body.geometry"),
    ])
    func candidate(body: String, member: String) async throws {
        try await DataFixture.withService(.handMade, maximumVertices: Self.limit) { client, _ in
            let response = try await client.execute(uri: "/overlaps?layers=parks", method: .post,
                                                    headers: [.contentType: "application/geo+json"], body: ByteBuffer(string: body))
            _ = try response.problem(status: .contentTooLarge, parameter: member)
        }
    }

    @Test("A candidate at the limit is answered")
    func candidateAtTheLimit() async throws {
        try await DataFixture.withService(.handMade, maximumVertices: Self.limit) { client, _ in
            let response = try await client.execute(uri: "/overlaps?layers=parks", method: .post,
                                                    headers: [.contentType: "application/geo+json"],
                                                    body: ByteBuffer(string: Self.ring(Self.limit)))
            #expect(response.status == .ok, "\(response.text)")
        }
    }

    @Test("A collection counts all of its features' vertices together: per body, not only per geometry")
    func collectionCountsItsWholeBody() throws {
        let reader = RequestBodyReader(maximumBytes: 1 << 20, vertexLimit: VertexLimit(maximum: Self.limit))
        let half = try GeoJSONReader().read(Array(Self.park("a", positions: Self.limit / 2 + 1).utf8))
        guard case .feature(let feature) = half else {
            Issue.record("expected a Feature, got \(half)")
            return
        }
        #expect(throws: Never.self) { try reader.checkVertices(of: .featureCollection(FeatureCollection([feature]))) }
        let problem = #expect(throws: ProblemDetails.self) {
            try reader.checkVertices(of: .featureCollection(FeatureCollection([feature, feature])))
        }
        #expect(problem?.kind == .contentTooLarge)
        #expect(problem?.parameter == "body.features")
        #expect(problem?.detail == "the request body has 22 vertices, more than the limit of 20")
    }
}
