import Foundation
import Hummingbird
import HummingbirdTesting
import InMemoryLogging
import Logging
import Testing

@testable import PlanServer

/// The guards every write passes before it reaches the store: the bearer token, the body's media
/// type and size, and JSON well-formedness. They are exercised on a route that echoes what passed
/// (no store is involved), built from the same middleware and reader the service uses.
@Suite("Write guards: token, media type, size, JSON")
struct WriteGuardTests {
    static let token = "s3cret-token-Ω"

    func withGuardedRoute(maximumBytes: Int = 1024, logger: Logger = quietLogger,
                          _ body: @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        let router = Router(context: PlanContext.self)
        router.add(middleware: AccessLogMiddleware())
        router.add(middleware: ProblemMiddleware(operations: []))
        let reader = RequestBodyReader(maximumBytes: maximumBytes)
        router.group().add(middleware: BearerTokenMiddleware(token: Self.token))
            .post("/echo") { request, _ -> Response in
                let value = try await reader.json(from: request, accepting: [MediaTypes.geoJSON, MediaTypes.json])
                return try Responses.json(value)
            }
        try await Application(router: router, logger: logger).test(.router, body)
    }

    static let json: HTTPFields = [.contentType: "application/geo+json", .authorization: "Bearer \(token)"]

    @Test("The right token passes and the body arrives intact")
    func rightToken() async throws {
        try await withGuardedRoute { client in
            let response = try await client.execute(uri: "/echo", method: .post, headers: Self.json,
                                                    body: ByteBuffer(string: #"{"type":"Point","coordinates":[123.4,41.8]}"#))
            #expect(response.status == .ok)
            #expect(response.text == #"{"type":"Point","coordinates":[123.4,41.8]}"#)
        }
    }

    @Test("The scheme name is case-insensitive")
    func schemeCase() async throws {
        try await withGuardedRoute { client in
            let response = try await client.execute(uri: "/echo", method: .post,
                                                    headers: [.contentType: "application/json", .authorization: "bearer \(Self.token)"],
                                                    body: ByteBuffer(string: "{}"))
            #expect(response.status == .ok)
        }
    }

    @Test("No token is 401 with a Bearer challenge")
    func missingToken() async throws {
        try await withGuardedRoute { client in
            let response = try await client.execute(uri: "/echo", method: .post, headers: [.contentType: "application/json"],
                                                    body: ByteBuffer(string: "{}"))
            _ = try response.problem(status: .unauthorized, parameter: "Authorization")
            #expect(response.headers[.wwwAuthenticate] == #"Bearer realm="planatlas""#)
        }
    }

    @Test("A wrong token is 401 invalid_token, whatever its length or scheme", arguments: [
        "Bearer wrong", "Bearer \(token)x", "Bearer s3cret-token-", "Basic \(token)", "Bearer", "Bearer  ", token,
    ])
    func wrongToken(header: String) async throws {
        try await withGuardedRoute { client in
            let response = try await client.execute(uri: "/echo", method: .post,
                                                    headers: [.contentType: "application/json", .authorization: header],
                                                    body: ByteBuffer(string: "{}"))
            _ = try response.problem(status: .unauthorized, parameter: "Authorization")
            #expect(response.headers[.wwwAuthenticate] == #"Bearer realm="planatlas", error="invalid_token""#)
        }
    }

    @Test("The token never reaches the log, the response or a problem detail")
    func tokenNotLogged() async throws {
        let (logger, log) = capturingLogger()
        try await withGuardedRoute(logger: logger) { client in
            for header in ["Bearer \(Self.token)", "Bearer \(Self.token)-wrong"] {
                let response = try await client.execute(uri: "/echo?note=\(Self.token.utf8.count)", method: .post,
                                                        headers: [.contentType: "application/json", .authorization: header],
                                                        body: ByteBuffer(string: "{}"))
                #expect(!response.text.contains(Self.token))
            }
        }
        let everything = log.entries.map { "\($0.message) \($0.metadata)" }.joined(separator: "\n")
        #expect(!everything.contains(Self.token))
        #expect(!everything.contains("note="))
    }

    @Test("Constant-time comparison agrees with plain equality")
    func constantTimeCompare() {
        let cases: [(String, String)] = [("", "a"), ("a", "a"), ("ab", "a"), ("a", "ab"), ("abc", "abd"), ("Ω", "Ω"), ("abcabc", "abc")]
        for (presented, expected) in cases {
            #expect(BearerTokenMiddleware.constantTimeEqual(Array(presented.utf8), Array(expected.utf8)) == (presented == expected),
                    "\(presented) vs \(expected)")
        }
    }

    @Test("A body not sent as JSON is 415 naming Content-Type", arguments: [nil, "text/plain", "application/xml", "multipart/form-data"])
    func wrongMediaType(type: String?) async throws {
        try await withGuardedRoute { client in
            var headers: HTTPFields = [.authorization: "Bearer \(Self.token)"]
            if let type { headers[.contentType] = type }
            let response = try await client.execute(uri: "/echo", method: .post, headers: headers, body: ByteBuffer(string: "{}"))
            _ = try response.problem(status: .unsupportedMediaType, parameter: "Content-Type")
        }
    }

    @Test("Media type parameters and case do not matter")
    func mediaTypeParameters() async throws {
        try await withGuardedRoute { client in
            let response = try await client.execute(uri: "/echo", method: .post,
                                                    headers: [.contentType: "Application/GEO+JSON; charset=utf-8",
                                                              .authorization: "Bearer \(Self.token)"],
                                                    body: ByteBuffer(string: "[]"))
            #expect(response.status == .ok)
        }
    }

    @Test("A body past the limit is 413; one at the limit passes")
    func sizeLimit() async throws {
        try await withGuardedRoute(maximumBytes: 64) { client in
            let atLimit = "[" + String(repeating: "1,", count: 30) + "11]"
            #expect(atLimit.utf8.count == 64)
            let ok = try await client.execute(uri: "/echo", method: .post, headers: Self.json, body: ByteBuffer(string: atLimit))
            #expect(ok.status == .ok)
            let over = "[" + String(repeating: "1,", count: 31) + "1]"
            #expect(over.utf8.count == 65)
            let response = try await client.execute(uri: "/echo", method: .post, headers: Self.json, body: ByteBuffer(string: over))
            _ = try response.problem(status: .contentTooLarge)
        }
    }

    @Test("A 16 MiB default limit refuses a 17 MiB body with 413")
    func defaultLimit() async throws {
        let limit = ServerConfiguration(viewerDirectory: "/tmp").maximumBodyBytes
        #expect(limit == 16 * 1024 * 1024)
        try await withGuardedRoute(maximumBytes: limit) { client in
            let body = ByteBuffer(repeating: UInt8(ascii: " "), count: 17 * 1024 * 1024)
            let response = try await client.execute(uri: "/echo", method: .post, headers: Self.json, body: body)
            _ = try response.problem(status: .contentTooLarge)
        }
    }

    @Test("An unauthorised body is refused before it is read: 401, not 413")
    func authBeforeSize() async throws {
        try await withGuardedRoute(maximumBytes: 8) { client in
            let response = try await client.execute(uri: "/echo", method: .post, headers: [.contentType: "application/json"],
                                                    body: ByteBuffer(string: String(repeating: " ", count: 100)))
            _ = try response.problem(status: .unauthorized, parameter: "Authorization")
        }
    }

    @Test("Malformed or empty JSON is a 400 naming where in the body", arguments: [
        ("", "body"), ("{", "body"), (#"{"a":1,}"#, "body"), ("[1 2]", "body"), (#"{"a":1,"a":2}"#, "body.a"), ("nul", "body"),
        (#"{"a":[1,{"b":tru}]}"#, "body.a[1].b"),
    ])
    func malformedJSON(text: String, member: String) async throws {
        try await withGuardedRoute { client in
            let response = try await client.execute(uri: "/echo", method: .post, headers: Self.json, body: ByteBuffer(string: text))
            _ = try response.problem(status: .badRequest, parameter: member)
        }
    }

    @Test("A byte order mark before the JSON is skipped, as RFC 8259 allows")
    func byteOrderMark() async throws {
        try await withGuardedRoute { client in
            let response = try await client.execute(uri: "/echo", method: .post, headers: Self.json, body: ByteBuffer(string: "\u{FEFF}{}"))
            #expect(response.status == .ok)
            #expect(response.text == "{}")
        }
    }
}
