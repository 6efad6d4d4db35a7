import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import PlanServer

@Suite("Landing page, conformance and viewer settings")
struct ServiceEndpointTests {
    @Test("GET / without Accept is the OGC landing JSON linking the API, conformance and nothing it does not serve")
    func landingJSON() async throws {
        try await ViewerFixture.with { fixture in
            try await withService(fixture.configuration()) { client in
                let response = try await client.execute(uri: "/", method: .get)
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "application/json")
                let links = try #require(try response.jsonObject()["links"] as? [[String: Any]])
                let rels = links.compactMap { $0["rel"] as? String }
                #expect(rels.contains("service-desc"))
                #expect(rels.contains("conformance"))
                // Without data services there are no collections to link to.
                #expect(!rels.contains("data"))
                let serviceDesc = try #require(links.first { $0["rel"] as? String == "service-desc" })
                #expect(serviceDesc["href"] as? String == "http://localhost/api")
                #expect(serviceDesc["type"] as? String == "application/vnd.oai.openapi+json;version=3.0")
            }
        }
    }

    @Test("A browser asking for HTML gets the viewer's index.html with the security headers; so does its own URL", arguments: [
        ("/", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"),
        ("/?f=html", "*/*"),
        ("/viewer/index.html", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"),
    ])
    func landingHTML(uri: String, accept: String) async throws {
        try await ViewerFixture.with { fixture in
            try await withService(fixture.configuration()) { client in
                let response = try await client.execute(uri: uri, method: .get, headers: [.accept: accept])
                #expect(response.status == .ok)
                #expect(response.text == ViewerFixture.indexHTML)
                #expect(response.headers[.contentType] == "text/html; charset=utf-8")
                #expect(response.headers[.contentSecurityPolicy]?.contains("img-src 'self' data:;") == true)
                try response.expectSecurityHeadersOfAnHTMLPage()

                let head = try await client.execute(uri: uri, method: .head, headers: [.accept: accept])
                #expect(head.status == .ok && head.body.readableBytes == 0)
                try head.expectSecurityHeadersOfAnHTMLPage()
            }
        }
    }

    @Test("Without the viewer's files, the HTML landing page is a plain page of the same links")
    func landingHTMLWithoutViewer() async throws {
        let configuration = ServerConfiguration(viewerDirectory: "/nonexistent/planatlas-viewer")
        try await withService(configuration) { client in
            let response = try await client.execute(uri: "/?f=html", method: .get)
            #expect(response.status == .ok)
            #expect(response.text.contains("<a href=\"http://localhost/api\" rel=\"service-desc\">"))
            try response.expectSecurityHeadersOfAnHTMLPage()
        }
    }

    @Test("f must be json or html")
    func badFormat() async throws {
        try await ViewerFixture.with { fixture in
            try await withService(fixture.configuration()) { client in
                let response = try await client.execute(uri: "/?f=xml", method: .get)
                let problem = try response.problem(status: .badRequest, parameter: "f")
                #expect(problem["detail"] as? String == "parameter 'f' must be one of json, html, got 'xml'")
            }
        }
    }

    @Test("An Accept header naming nothing offered is 406")
    func notAcceptable() async throws {
        try await ViewerFixture.with { fixture in
            try await withService(fixture.configuration()) { client in
                let response = try await client.execute(uri: "/conformance", method: .get, headers: [.accept: "image/png"])
                _ = try response.problem(status: .notAcceptable, parameter: "Accept")
            }
        }
    }

    @Test("Conformance without data declares only OpenAPI 3.0; its HTML page lists the same")
    func conformance() async throws {
        try await ViewerFixture.with { fixture in
            try await withService(fixture.configuration()) { client in
                let json = try await client.execute(uri: "/conformance", method: .get)
                #expect(json.status == .ok)
                let classes = try #require(try json.jsonObject()["conformsTo"] as? [String])
                #expect(classes == ["http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30"])

                let html = try await client.execute(uri: "/conformance?f=html", method: .get)
                #expect(html.headers[.contentType] == "text/html; charset=utf-8")
                #expect(html.text.contains("http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30"))
                try html.expectSecurityHeadersOfAnHTMLPage()
            }
        }
    }

    @Test("Conformance with data and writes declares Part 1 core, GeoJSON, HTML, OpenAPI and Part 4")
    func conformanceClassesWithDataAndWrites() {
        let endpoints = ServiceEndpoints(configuration: ServerConfiguration(viewerDirectory: "/tmp"), servesData: true,
                                         servesWrites: true)
        #expect(endpoints.conformsTo == [
            "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
            "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
            "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/html",
            "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
            "http://www.opengis.net/spec/ogcapi-features-4/1.0/conf/create-replace-delete",
            "http://www.opengis.net/spec/ogcapi-features-4/1.0/conf/update",
            "http://www.opengis.net/spec/ogcapi-features-4/1.0/conf/optimistic-locking-etags",
            "http://www.opengis.net/spec/ogcapi-features-4/1.0/conf/features",
        ])
    }

    @Test("Unknown query parameters are refused with 400 naming them", arguments: ["/?limt=5", "/conformance?foo=1", "/api?x"])
    func unknownParameter(uri: String) async throws {
        try await ViewerFixture.with { fixture in
            try await withService(fixture.configuration()) { client in
                let response = try await client.execute(uri: uri, method: .get)
                let name = String(uri.split(separator: "?")[1].split(separator: "=")[0])
                let problem = try response.problem(status: .badRequest, parameter: name)
                #expect((problem["detail"] as? String)?.hasPrefix("unknown parameter '\(name)'") == true)
            }
        }
    }

    @Test("A parameter given twice is refused")
    func repeatedParameter() async throws {
        try await ViewerFixture.with { fixture in
            try await withService(fixture.configuration()) { client in
                let response = try await client.execute(uri: "/?f=json&f=html", method: .get)
                _ = try response.problem(status: .badRequest, parameter: "f")
            }
        }
    }

    @Test("/viewer/config.json is 404 without a basemap and carries the tile URL with one; the CSP then allows its host")
    func viewerConfig() async throws {
        try await ViewerFixture.with { fixture in
            try await withService(fixture.configuration()) { client in
                let response = try await client.execute(uri: "/viewer/config.json", method: .get)
                _ = try response.problem(status: .notFound)
            }
            let tiles = "https://{s}.tile.example.org/{z}/{x}/{y}.png"
            try await withService(fixture.configuration(tileURL: tiles)) { client in
                let response = try await client.execute(uri: "/viewer/config.json", method: .get)
                #expect(response.status == .ok)
                #expect(try response.jsonObject()["tileUrl"] as? String == tiles)
                let page = try await client.execute(uri: "/", method: .get, headers: [.accept: "text/html"])
                #expect(page.headers[.contentSecurityPolicy]?.contains("img-src 'self' data: https://*.tile.example.org;") == true)
            }
        }
    }
}
