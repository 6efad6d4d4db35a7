import Testing

@testable import PlanServer

@Suite("Content negotiation: f= first, then Accept")
struct ContentNegotiationTests {
    let features = ContentNegotiation(offers: [.json, .html], jsonType: MediaTypes.geoJSON)

    @Test("Accept headers as clients send them", arguments: [
        (nil, Representation.json),
        ("", .json),
        ("*/*", .json),
        ("application/json", .json),
        ("application/geo+json", .json),
        ("text/html", .html),
        // Firefox and Chromium page loads.
        ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", .html),
        ("text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8", .html),
        // fetch() from the viewer.
        ("application/json, application/geo+json", .json),
        // GDAL's OAPIF driver and OWSLib.
        ("application/geo+json, application/json;q=0.9", .json),
        ("text/html;q=0.5, application/json", .json),
        ("text/*", .html),
        ("application/*;q=0.2, text/html;q=0.1", .json),
    ] as [(String?, Representation)])
    func accept(header: String?, expected: Representation) throws {
        #expect(try features.choose(format: nil, accept: header) == expected)
    }

    @Test("f overrides Accept")
    func formatWins() throws {
        #expect(try features.choose(format: "json", accept: "text/html") == .json)
        #expect(try features.choose(format: "html", accept: "application/json") == .html)
    }

    @Test("An f the resource does not offer is a 400 naming f")
    func unknownFormat() {
        #expect(throws: ProblemDetails.self) { try features.choose(format: "xml", accept: nil) }
        let jsonOnly = ContentNegotiation(offers: [.json], jsonType: MediaTypes.openAPI)
        do throws(ProblemDetails) {
            _ = try jsonOnly.choose(format: "html", accept: nil)
            Issue.record("f=html accepted by a JSON-only resource")
        } catch {
            #expect(error.parameter == "f")
            #expect(error.detail == "parameter 'f' must be one of json, got 'html'")
        }
    }

    @Test("Nothing acceptable, or everything at q=0, is 406", arguments: ["image/png", "text/html;q=0, application/json;q=0", "*/*;q=0"])
    func notAcceptable(header: String) {
        do throws(ProblemDetails) {
            _ = try features.choose(format: nil, accept: header)
            Issue.record("\(header) was accepted")
        } catch {
            #expect(error.kind == .notAcceptable)
            #expect(error.status == .notAcceptable)
        }
    }
}
