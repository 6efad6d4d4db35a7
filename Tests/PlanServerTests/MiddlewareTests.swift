import CompressNIO
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Testing

@testable import PlanServer

@Suite("CORS, compression and access logs")
struct MiddlewareTests {
    static let viewerOrigin = "https://maps.example.org"

    @Test("A preflight from an allowed origin is answered with the CORS grant")
    func preflightAllowed() async throws {
        try await ViewerFixture.with { fixture in
            try await withService(fixture.configuration(cors: [Self.viewerOrigin])) { client in
                let response = try await client.execute(uri: "/collections/metro-lines/items", method: .options, headers: [
                    .origin: Self.viewerOrigin, .accessControlRequestMethod: "PUT",
                    .accessControlRequestHeaders: "authorization, if-match, content-type",
                ])
                #expect(response.status == .noContent)
                #expect(response.headers[.accessControlAllowOrigin] == Self.viewerOrigin)
                let methods = try #require(response.headers[.accessControlAllowMethods])
                #expect(methods.contains("PUT") && methods.contains("DELETE") && methods.contains("PATCH"))
                let headers = try #require(response.headers[.accessControlAllowHeaders]).lowercased()
                #expect(headers.contains("authorization") && headers.contains("if-match") && headers.contains("content-type"))
                #expect(response.headers[.accessControlMaxAge] == "600")
            }
        }
    }

    @Test("A simple request from an allowed origin gets Allow-Origin and the exposed headers")
    func simpleAllowed() async throws {
        try await ViewerFixture.with { fixture in
            try await withService(fixture.configuration(cors: [Self.viewerOrigin])) { client in
                let response = try await client.execute(uri: "/conformance", method: .get, headers: [.origin: Self.viewerOrigin])
                #expect(response.status == .ok)
                #expect(response.headers[.accessControlAllowOrigin] == Self.viewerOrigin)
                #expect(response.headers[values: .vary].contains("Origin"))
                // Errors carry the grant too, so a page on another origin can read the problem.
                let problem = try await client.execute(uri: "/?f=bad", method: .get, headers: [.origin: Self.viewerOrigin])
                #expect(problem.headers[.accessControlAllowOrigin] == Self.viewerOrigin)
            }
        }
    }

    @Test("Other origins get no grant, and without configured origins nobody does")
    func otherOrigins() async throws {
        try await ViewerFixture.with { fixture in
            try await withService(fixture.configuration(cors: [Self.viewerOrigin])) { client in
                let response = try await client.execute(uri: "/conformance", method: .get, headers: [.origin: "https://evil.example"])
                #expect(response.status == .ok)
                #expect(response.headers[.accessControlAllowOrigin] == nil)
                let preflight = try await client.execute(uri: "/conformance", method: .options,
                                                         headers: [.origin: "https://evil.example", .accessControlRequestMethod: "GET"])
                #expect(preflight.headers[.accessControlAllowOrigin] == nil)
            }
            try await withService(fixture.configuration()) { client in
                let response = try await client.execute(uri: "/conformance", method: .get, headers: [.origin: Self.viewerOrigin])
                #expect(response.headers[.accessControlAllowOrigin] == nil)
            }
        }
    }

    @Test("'*' allows any origin")
    func anyOrigin() async throws {
        try await ViewerFixture.with { fixture in
            try await withService(fixture.configuration(cors: ["*"])) { client in
                let response = try await client.execute(uri: "/conformance", method: .get, headers: [.origin: "https://anyone.example"])
                #expect(response.headers[.accessControlAllowOrigin] == "*")
            }
        }
    }

    @Test("Large JSON is gzipped when the client accepts it, and decompresses to the plain body")
    func gzip() async throws {
        try await ViewerFixture.with { fixture in
            try await withService(fixture.configuration()) { client in
                let plain = try await client.execute(uri: "/api", method: .get)
                #expect(plain.headers[.contentEncoding] == nil)
                #expect(plain.body.readableBytes > CompressionMiddleware.minimumBytes)
                #expect(plain.headers[values: .vary].contains("Accept-Encoding"))

                let zipped = try await client.execute(uri: "/api", method: .get, headers: [.acceptEncoding: "br;q=1, gzip;q=0.8"])
                #expect(zipped.headers[.contentEncoding] == "gzip")
                #expect(zipped.headers[.contentLength] == nil)
                #expect(zipped.body.readableBytes < plain.body.readableBytes / 3)
                var compressed = zipped.body
                let inflated = try compressed.decompress(with: .gzip())
                #expect(inflated == plain.body)
            }
        }
    }

    @Test("No gzip when refused (q=0), not asked for, or the body is small", arguments: [
        ("/api", "gzip;q=0"), ("/api", "identity"), ("/conformance", "gzip"),
    ])
    func noGzip(uri: String, acceptEncoding: String) async throws {
        try await ViewerFixture.with { fixture in
            try await withService(fixture.configuration()) { client in
                let response = try await client.execute(uri: uri, method: .get, headers: [.acceptEncoding: acceptEncoding])
                #expect(response.headers[.contentEncoding] == nil)
                #expect(try response.jsonObject().isEmpty == false)
            }
        }
    }

    @Test("A gzipped response gets its own strong ETag (the bytes differ), and revalidates with either tag")
    func gzipVariantETag() async throws {
        try await ViewerFixture.with { fixture in
            let big = String(repeating: "export const x = 1;\n", count: 200)
            try big.write(to: fixture.viewer.appending(path: "big.js"), atomically: true, encoding: .utf8)
            try await withService(fixture.configuration()) { client in
                let plain = try await client.execute(uri: "/viewer/big.js", method: .get)
                let zipped = try await client.execute(uri: "/viewer/big.js", method: .get, headers: [.acceptEncoding: "gzip"])
                let tag = try #require(plain.headers[.eTag])
                #expect(zipped.headers[.eTag] == String(tag.dropLast()) + "-gzip\"")
                var body = zipped.body
                #expect(String(buffer: try body.decompress(with: .gzip())) == big)
                for validator in [tag, try #require(zipped.headers[.eTag])] {
                    let again = try await client.execute(uri: "/viewer/big.js", method: .get,
                                                         headers: [.acceptEncoding: "gzip", .ifNoneMatch: validator])
                    #expect(again.status == .notModified, "\(validator)")
                }
            }
        }
    }

    @Test("Each request leaves one access-log line: method, path without query, status, duration")
    func accessLog() async throws {
        let (logger, log) = capturingLogger()
        try await ViewerFixture.with { fixture in
            try await withService(fixture.configuration(), logger: logger) { client in
                _ = try await client.execute(uri: "/conformance?f=json", method: .get)
                _ = try await client.execute(uri: "/nowhere?secret=abc", method: .get)
                _ = try await client.execute(uri: "/conformance", method: .head)
            }
        }
        let lines = log.entries.filter { $0.message.description == "request" }
        #expect(lines.count == 3)
        #expect(lines.last?.metadata["http.method"]?.description == "HEAD")
        let first = try #require(lines.first)
        #expect(first.metadata["http.method"]?.description == "GET")
        #expect(first.metadata["http.path"]?.description == "/conformance")
        #expect(first.metadata["http.status"]?.description == "200")
        #expect(Double(first.metadata["http.duration_ms"]?.description ?? "") != nil)
        #expect(lines[1].metadata["http.status"]?.description == "404")
        #expect(!log.entries.map { "\($0.message) \($0.metadata)" }.joined().contains("secret=abc"))
    }
}
