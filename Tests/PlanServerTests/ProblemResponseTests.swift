import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Testing

@testable import PlanServer

@Suite("Errors are problem details with the right status")
struct ProblemResponseTests {
    @Test("An unknown path is a 404 problem naming the path")
    func unknownPath() async throws {
        try await ViewerFixture.with { fixture in
            try await withService(fixture.configuration()) { client in
                let response = try await client.execute(uri: "/nowhere?x=1", method: .get)
                let problem = try response.problem(status: .notFound)
                #expect(problem["instance"] as? String == "/nowhere")
                #expect((problem["detail"] as? String)?.contains("'/nowhere'") == true)
            }
        }
    }

    @Test("A known path under the wrong method is 405 with Allow listing the served methods")
    func wrongMethod() async throws {
        try await ViewerFixture.with { fixture in
            try await withService(fixture.configuration()) { client in
                for method: HTTPRequest.Method in [.post, .put, .delete, .patch] {
                    let response = try await client.execute(uri: "/conformance", method: method)
                    _ = try response.problem(status: .methodNotAllowed)
                    #expect(response.headers[.allow] == "GET, HEAD")
                }
            }
        }
    }

    @Test("HEAD answers like GET without a body")
    func head() async throws {
        try await ViewerFixture.with { fixture in
            try await withService(fixture.configuration()) { client in
                let response = try await client.execute(uri: "/conformance", method: .head)
                #expect(response.status == .ok)
                #expect(response.body.readableBytes == 0)
                #expect(response.headers[.contentType] == "application/json")
            }
        }
    }

    @Test("A query string that is not percent-encoded UTF-8 is a 400, not a crash", arguments: [
        "/?f=%", "/?f=%zz", "/?f=%C3%28", "/?%FF=1",
    ])
    func badPercentEncoding(uri: String) async throws {
        try await ViewerFixture.with { fixture in
            try await withService(fixture.configuration()) { client in
                _ = try await client.execute(uri: uri, method: .get).problem(status: .badRequest)
            }
        }
    }

    @Test("Client text echoed in a detail is cut short and stripped of control characters")
    func echoedTextIsBounded() async throws {
        try await ViewerFixture.with { fixture in
            try await withService(fixture.configuration()) { client in
                let long = String(repeating: "x", count: 5000)
                let response = try await client.execute(uri: "/?f=\(long)%0A%1B", method: .get)
                let detail = try #require(try response.problem(status: .badRequest, parameter: "f")["detail"] as? String)
                #expect(detail.count < 300)
                #expect(!detail.contains("\n") && !detail.contains("\u{1B}"))
            }
        }
    }

    @Test("After a run of bad requests the service still answers good ones")
    func keepsServing() async throws {
        try await ViewerFixture.with { fixture in
            try await withService(fixture.configuration()) { client in
                let bad = ["/?f=%", "/nowhere", "/?f=1&f=2", "/viewer/..%2f..%2fetc/passwd", "/api?f=html"]
                for uri in bad {
                    let response = try await client.execute(uri: uri, method: .get)
                    #expect((400..<500).contains(response.status.code), "\(uri)")
                }
                #expect(try await client.execute(uri: "/conformance", method: .get).status == .ok)
            }
        }
    }

    struct Unexpected: Error, CustomStringConvertible {
        var description: String { "database password is hunter2" }
    }

    @Test("An error nobody expected is a 500 with a generic message; the detail goes to the log only")
    func unexpectedError() async throws {
        let (logger, log) = capturingLogger()
        let router = Router(context: PlanContext.self)
        router.add(middleware: ProblemMiddleware(operations: []))
        router.get("/fails") { _, _ -> Response in throw Unexpected() }
        let app = Application(router: router, logger: logger)
        try await app.test(.router) { client in
            let response = try await client.execute(uri: "/fails", method: .get)
            let problem = try response.problem(status: .internalServerError)
            #expect(!response.text.contains("hunter2"))
            #expect((problem["detail"] as? String)?.contains("request id") == true)
        }
        let logged = log.entries.filter { $0.level == .error }
        #expect(logged.count == 1)
        #expect(logged.first?.metadata["error.message"]?.description == "database password is hunter2")
    }
}
