import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import PlanServer

@Suite("Viewer and Leaflet files")
struct StaticFileTests {
    @Test("Files are served with their MIME type, an ETag and Cache-Control", arguments: [
        ("/viewer/app.js", "text/javascript; charset=utf-8", ViewerFixture.appJS),
        ("/viewer/app.css", "text/css; charset=utf-8", "body{}"),
        ("/viewer/images/mark.svg", "image/svg+xml", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>"),
        ("/viewer/index.html", "text/html; charset=utf-8", ViewerFixture.indexHTML),
        ("/viewer/alias.js", "text/javascript; charset=utf-8", ViewerFixture.appJS),
    ])
    func servesFiles(uri: String, type: String, content: String) async throws {
        try await ViewerFixture.with { fixture in
            try await withService(fixture.configuration()) { client in
                let response = try await client.execute(uri: uri, method: .get)
                #expect(response.status == .ok)
                #expect(response.text == content)
                #expect(response.headers[.contentType] == type)
                #expect(response.headers[.cacheControl] == "no-cache")
                #expect(response.headers[.eTag]?.hasPrefix("\"") == true)
                #expect(response.headers[.xContentTypeOptions] == "nosniff")
            }
        }
    }

    @Test("A matching If-None-Match is answered 304 without a body")
    func notModified() async throws {
        try await ViewerFixture.with { fixture in
            try await withService(fixture.configuration()) { client in
                let first = try await client.execute(uri: "/viewer/app.js", method: .get)
                let tag = try #require(first.headers[.eTag])
                let second = try await client.execute(uri: "/viewer/app.js", method: .get, headers: [.ifNoneMatch: tag])
                #expect(second.status == .notModified)
                #expect(second.body.readableBytes == 0)
                let other = try await client.execute(uri: "/viewer/app.js", method: .get, headers: [.ifNoneMatch: "\"other\""])
                #expect(other.status == .ok)
            }
        }
    }

    @Test("Nothing outside the directory, hidden or malformed is served: all are 404", arguments: [
        "/viewer/../outside/secret.txt",
        "/viewer/%2e%2e/outside/secret.txt",
        "/viewer/%2E%2E/%2E%2E/etc/passwd",
        "/viewer/..%2foutside%2fsecret.txt",
        "/viewer/images/..%2F..%2Foutside/secret.txt",
        "/viewer/%2fetc%2fpasswd",
        "/viewer//etc/passwd",
        "/viewer/escape.txt",
        "/viewer/escape-dir/secret.txt",
        "/viewer/.env",
        "/viewer/%2eenv",
        "/viewer/app.js%00.png",
        "/viewer/images",
        "/viewer/%zz",
        "/viewer/missing.js",
    ])
    func refusesEscapes(uri: String) async throws {
        try await ViewerFixture.with { fixture in
            try await withService(fixture.configuration()) { client in
                let response = try await client.execute(uri: uri, method: .get)
                _ = try response.problem(status: .notFound)
                #expect(!response.text.contains(ViewerFixture.secret))
            }
        }
    }

    @Test("The resolver itself refuses segments that are absolute, dotted or hold separators")
    func resolverRefusesBadSegments() async throws {
        try await ViewerFixture.with { fixture in
            let directory = StaticDirectory(path: fixture.viewer.path, cacheControl: "no-cache")
            #expect(directory.resolve(rawSegments: ["app.js"]) != nil)
            for segments: [Substring] in [["/etc/passwd"], [".."], ["."], [""], ["%2e%2e", "outside"], ["a\\b"], ["..", "outside", "secret.txt"]] {
                #expect(directory.resolve(rawSegments: segments) == nil, "\(segments)")
            }
            #expect(StaticDirectory(path: "/nonexistent", cacheControl: "").resolve(rawSegments: ["x"]) == nil)
        }
    }

    @Test("Leaflet is served from Debian's libjs-leaflet install, cached for a day")
    func leaflet() async throws {
        try await ViewerFixture.with { fixture in
            try await withService(fixture.configuration()) { client in
                let script = try await client.execute(uri: "/vendor/leaflet/leaflet.js", method: .get)
                #expect(script.status == .ok)
                #expect(script.headers[.contentType] == "text/javascript; charset=utf-8")
                #expect(script.headers[.cacheControl] == "public, max-age=86400")
                let onDisk = try Data(contentsOf: URL(fileURLWithPath: "/usr/share/javascript/leaflet/leaflet.js"))
                #expect(Data(buffer: script.body) == onDisk)

                let css = try await client.execute(uri: "/vendor/leaflet/leaflet.css", method: .get)
                #expect(css.headers[.contentType] == "text/css; charset=utf-8")
                let image = try await client.execute(uri: "/vendor/leaflet/images/marker-icon.png", method: .get)
                #expect(image.headers[.contentType] == "image/png")
                _ = try await client.execute(uri: "/vendor/leaflet/../../../etc/passwd", method: .get).problem(status: .notFound)
            }
        }
    }
}
