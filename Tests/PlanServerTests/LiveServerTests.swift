import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import PlanServer

/// The same service over a real socket, driven partly by curl (an independent HTTP client that
/// sends exactly the bytes it is told to with --path-as-is).
@Suite("Over a real connection")
struct LiveServerTests {
    func curl(_ arguments: [String]) async throws -> (status: Int, headers: String, body: String) {
        let files = FileManager.default.temporaryDirectory.appending(path: "planatlas-curl-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: files, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: files) }
        let headers = files.appending(path: "headers"), body = files.appending(path: "body")
        let (_, output) = try await run(["curl", "--silent", "--max-time", "20", "--dump-header", headers.path,
                                         "--output", body.path, "--write-out", "%{http_code}"] + arguments)
        return (Int(output) ?? 0, ((try? String(contentsOf: headers, encoding: .utf8)) ?? "").lowercased(),
                (try? String(contentsOf: body, encoding: .utf8)) ?? "")
    }

    @Test("curl reads gzipped JSON, gets problems for traversal and bad parameters, and the service keeps serving")
    func withCurl() async throws {
        try await ViewerFixture.with { fixture in
            var configuration = fixture.configuration()
            configuration.port = 0
            let app = buildApplication(configuration: configuration, atlas: nil, logger: quietLogger)
            try await app.test(.live) { client in
                let base = "http://127.0.0.1:\(try #require(client.port))"

                let api = try await curl(["--compressed", "\(base)/api"])
                #expect(api.status == 200)
                #expect(api.headers.contains("content-encoding: gzip"))
                let document = try JSONSerialization.jsonObject(with: Data(api.body.utf8)) as? [String: Any]
                #expect(document?["openapi"] as? String == "3.0.3")

                for path in ["/viewer/../outside/secret.txt", "/viewer/%2e%2e/outside/secret.txt", "/viewer/escape.txt",
                             "/vendor/leaflet/../../../../etc/passwd"] {
                    let response = try await curl(["--path-as-is", "\(base)\(path)"])
                    #expect(response.status == 404, "\(path)")
                    #expect(!response.body.contains(ViewerFixture.secret) && !response.body.contains("root:"), "\(path)")
                }

                let bad = try await curl(["\(base)/?f=%ZZ&f=html"])
                #expect(bad.status == 400)
                #expect(bad.headers.contains("content-type: application/problem+json"))

                let head = try await curl(["--head", "\(base)/viewer/app.js"])
                #expect(head.status == 200)
                #expect(head.headers.contains("content-length: \(ViewerFixture.appJS.utf8.count)"))

                let page = try await curl(["-H", "Accept: text/html", "\(base)/"])
                #expect(page.body == ViewerFixture.indexHTML)

                // The Hummingbird client too, on one keep-alive connection after all that.
                #expect(try await client.execute(uri: "/conformance", method: .get).status == .ok)
            }
        }
    }

    @Test("A body streamed past the limit over the wire is refused with 413")
    func streamedBodyTooLarge() async throws {
        let router = Router(context: PlanContext.self)
        router.add(middleware: ProblemMiddleware(operations: []))
        let reader = RequestBodyReader(maximumBytes: 1024)
        router.post("/echo") { request, _ -> Response in
            try Responses.json(try await reader.json(from: request, accepting: [MediaTypes.json]))
        }
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)), logger: quietLogger)
        try await app.test(.live) { client in
            let base = "http://127.0.0.1:\(try #require(client.port))"
            let body = "[" + String(repeating: "0,", count: 4000) + "0]"
            // Chunked: no Content-Length to refuse early, so the limit must hold while reading.
            let chunked = try await curl(["-H", "Content-Type: application/json", "-H", "Transfer-Encoding: chunked",
                                    "--data-binary", body, "\(base)/echo"])
            #expect(chunked.status == 413)
            let declared = try await curl(["-H", "Content-Type: application/json", "--data-binary", body, "\(base)/echo"])
            #expect(declared.status == 413)
            let small = try await curl(["-H", "Content-Type: application/json", "--data-binary", "[1,2]", "\(base)/echo"])
            #expect(small.status == 200)
            #expect(small.body == "[1,2]")
        }
    }
}
