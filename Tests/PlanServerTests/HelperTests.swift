import Foundation
import GeoEngine
import GeoModel
import Hummingbird
import Testing

@testable import PlanServer

@Suite("Configuration, links, entity tags, HTML and export framing")
struct HelperTests {
    @Test("The environment sets the token, CORS origins, basemap and public URL; an empty token stays read-only")
    func environment() throws {
        var configuration = ServerConfiguration(viewerDirectory: "/tmp")
        #expect(!configuration.acceptsWrites)
        try configuration.apply(environment: [
            "PLANATLAS_TOKEN": "t0k", "PLANATLAS_CORS_ORIGINS": " https://a.example , https://b.example,",
            "PLANATLAS_TILE_URL": "https://tiles.example/{z}/{x}/{y}.png", "PLANATLAS_PUBLIC_URL": "https://plan.example/",
        ])
        #expect(configuration.writeToken == "t0k")
        #expect(configuration.acceptsWrites)
        #expect(configuration.corsAllowedOrigins == ["https://a.example", "https://b.example"])
        #expect(configuration.tileURL == "https://tiles.example/{z}/{x}/{y}.png")
        #expect(configuration.publicBaseURL == "https://plan.example")

        #expect(ServerConfiguration.sourceViewerDirectory.hasSuffix("/Sources/PlanServer/Viewer"))
        #expect(ServerConfiguration().viewerDirectory == ServerConfiguration.sourceViewerDirectory)

        var readOnly = ServerConfiguration(writeToken: "", viewerDirectory: "/tmp")
        try readOnly.apply(environment: ["PLANATLAS_TOKEN": ""])
        #expect(!readOnly.acceptsWrites)
    }

    @Test("Links use the public URL when configured, else a plausible Host, else the bind address")
    func linkBase() {
        func request(authority: String?) -> Request {
            Request(head: HTTPRequest(method: .get, scheme: "http", authority: authority, path: "/"), body: .init(buffer: ByteBuffer()))
        }
        let local = ServerConfiguration(host: "127.0.0.1", port: 8080, viewerDirectory: "/tmp")
        #expect(LinkBuilder(request: request(authority: "plan.local:8080"), configuration: local).base == "http://plan.local:8080")
        #expect(LinkBuilder(request: request(authority: "[::1]:8080"), configuration: local).base == "http://[::1]:8080")
        #expect(LinkBuilder(request: request(authority: "evil\"><script>"), configuration: local).base == "http://127.0.0.1:8080")
        #expect(LinkBuilder(request: request(authority: nil), configuration: local).base == "http://127.0.0.1:8080")
        let proxied = ServerConfiguration(viewerDirectory: "/tmp", publicBaseURL: "https://plan.example/atlas/")
        #expect(LinkBuilder(request: request(authority: "internal:8080"), configuration: proxied).url("/api")
            == "https://plan.example/atlas/api")
    }

    @Test("Query values in links are percent-encoded; commas stay readable")
    func linkEncoding() {
        let links = LinkBuilder(base: "http://h")
        #expect(links.url("/near", query: [("layers", "a,b"), ("name", "地铁 1&2")]) == "http://h/near?layers=a,b&name=%E5%9C%B0%E9%93%81%201%262")
    }

    @Test("If-Match: one strong tag names a version (its gzip variant too); * means the current one; missing is 428; weak, lists and foreign tags are 412")
    func ifMatch() throws {
        #expect(try EntityTag.version(fromIfMatch: "\"7\"") == 7)
        #expect(try EntityTag.version(fromIfMatch: " \"7\" ") == 7)
        #expect(try EntityTag.version(fromIfMatch: "\"7-gzip\"") == 7)
        #expect(try EntityTag.version(fromIfMatch: "*") == nil)
        do throws(ProblemDetails) {
            _ = try EntityTag.version(fromIfMatch: nil)
            Issue.record("a missing If-Match was accepted")
        } catch {
            #expect(error.kind == .preconditionRequired)
            #expect(error.status == .preconditionRequired)
        }
        for bad in ["W/\"7\"", "7", "\"a\", \"b\"", "\"", "\"v7\"", "\"7-zip\"", "\"\""] {
            do throws(ProblemDetails) {
                _ = try EntityTag.version(fromIfMatch: bad)
                Issue.record("accepted \(bad)")
            } catch {
                #expect(error.kind == .preconditionFailed, "\(bad)")
            }
        }
        #expect(EntityTag.header(for: 7) == "\"7\"")
        #expect(EntityTag.gzipVariant(of: "\"7\"") == "\"7-gzip\"")
        #expect(EntityTag.list("W/\"7-gzip\", \"8\"", matches: "\"7\""))
        #expect(!EntityTag.list("\"70\"", matches: "\"7\""))
    }

    @Test("HTML pages escape client text and never turn javascript: into a link")
    func htmlEscaping() {
        let document: JSONValue = [
            "links": [["href": "javascript:alert(1)", "rel": "self", "title": "x"],
                      ["href": "http://h/a?b=1&c=2", "rel": "next", "title": "<b>next</b>"]],
            "name": "<script>alert('x')</script>",
        ]
        let page = HTMLPage.html(title: "T & <T>", document: document)
        #expect(!page.contains("<script>"))
        #expect(page.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"))
        #expect(!page.contains("href=\"javascript:"))
        #expect(page.contains("<a href=\"http://h/a?b=1&amp;c=2\" rel=\"next\">&lt;b&gt;next&lt;/b&gt;</a>"))
        #expect(page.contains("<title>T &amp; &lt;T&gt; · planatlas</title>"))
    }

    @Test("The basemap template's host becomes the CSP image source", arguments: [
        ("https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png", "https://*.tile.openstreetmap.org"),
        ("http://tiles.local:8081/{z}/{x}/{y}.png", "http://tiles.local:8081"),
        ("javascript:alert(1)", nil),
        ("https://a.example;script-src */x", nil),
    ] as [(String, String?)])
    func tileOrigin(template: String, origin: String?) {
        #expect(SecurityHeadersMiddleware.origin(ofTemplate: template) == origin)
    }

    @Test("Export file names keep identifier characters only, so the header stays well-formed")
    func exportFileName() {
        #expect(PlanningEndpoints.fileName(layer: "metro-lines") == "metro-lines")
        #expect(PlanningEndpoints.fileName(layer: "a\"b\r\nc/d") == "a_b_c_d")
    }

    @Test("Route templates become Hummingbird paths and match raw request paths")
    func routeTemplates() {
        let items = CollectionEndpoints.itemOperation
        #expect(items.routerPath == "/collections/:collectionId/items/:featureId")
        #expect(ServiceEndpoints.viewerFilesOperation.routerPath == "/viewer/**")
        #expect(items.matches(path: "/collections/parks/items/p-1"))
        #expect(!items.matches(path: "/collections/parks/items"))
        #expect(ServiceEndpoints.viewerFilesOperation.matches(path: "/viewer/a/b.js"))
        #expect(!ServiceEndpoints.viewerFilesOperation.matches(path: "/viewer"))
        let operations = APIEndpoints.operations(servingData: true, writes: true)
        #expect(operations.allowedMethods(forPath: "/collections/parks/items/p-1") == [.get, .head, .put, .patch, .delete])
        #expect(operations.allowedMethods(forPath: "/overlaps") == [.get, .head, .post])
    }
}
