import Foundation
import GeoModel
import Hummingbird
import HummingbirdTesting
import Testing

@testable import PlanServer

@Suite("The OpenAPI document describes the API completely and validly")
struct OpenAPITests {
    /// Validates with the Python openapi-spec-validator package (an independent implementation of the
    /// OpenAPI 3.0 schema); returns its complaint, or nil when the document is valid.
    func validate(_ document: Data) async throws -> String? {
        let file = FileManager.default.temporaryDirectory.appending(path: "planatlas-openapi-\(UUID().uuidString).json")
        try document.write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let script = """
            import json, sys
            from openapi_spec_validator import validate
            spec = json.load(open(sys.argv[1]))
            assert spec["openapi"].startswith("3.0"), spec["openapi"]
            validate(spec)
            print("valid")
            """
        let (status, output) = try await run(["python3", "-c", script, file.path])
        return status == 0 && output.contains("valid") ? nil : output
    }

    @Test("The /api served without data validates, names its server from the request, and lists what the router serves")
    func servedDocument() async throws {
        try await ViewerFixture.with { fixture in
            try await withService(fixture.configuration()) { client in
                let response = try await client.execute(uri: "/api", method: .get)
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "application/vnd.oai.openapi+json;version=3.0")
                let complaint = try await validate(Data(buffer: response.body))
                #expect(complaint == nil, "\(complaint ?? "")")
                let document = try response.jsonObject()
                let servers = try #require(document["servers"] as? [[String: Any]])
                #expect(servers.first?["url"] as? String == "http://localhost")
                let paths = try #require(document["paths"] as? [String: Any])
                #expect(Set(paths.keys) == ["/", "/conformance", "/api", "/viewer/config.json", "/viewer/{path}",
                                            "/vendor/leaflet/{path}"])
            }
        }
    }

    @Test("/api offers JSON only")
    func jsonOnly() async throws {
        try await ViewerFixture.with { fixture in
            try await withService(fixture.configuration()) { client in
                _ = try await client.execute(uri: "/api?f=html", method: .get).problem(status: .badRequest, parameter: "f")
                let browser = try await client.execute(uri: "/api", method: .get,
                                                       headers: [.accept: "text/html,application/xhtml+xml,*/*;q=0.8"])
                #expect(browser.status == .ok)
            }
        }
    }

    static let full = OpenAPIDocument.build(operations: APIEndpoints.operations(servingData: true, writes: true),
                                            serverURL: "http://127.0.0.1:8080")

    @Test("The full document (data, planning, writes) validates")
    func fullDocumentValidates() async throws {
        let complaint = try await validate(Data(Self.full.jsonText.utf8))
        #expect(complaint == nil, "\(complaint ?? "")")
    }

    func operation(_ method: String, _ path: String) throws -> JSONObject {
        let paths = try #require(Self.full.objectValue?["paths"]?.objectValue)
        let item = try #require(paths[path]?.objectValue, "no path \(path)")
        return try #require(item[method]?.objectValue, "no \(method) on \(path)")
    }

    func parameterNames(_ method: String, _ path: String) throws -> Set<String> {
        Set(try operation(method, path)["parameters"]?.arrayValue?.compactMap { $0.objectValue?["name"]?.stringValue } ?? [])
    }

    @Test("Every endpoint and parameter of the HTTP contract is described", arguments: [
        ("get", "/", ["f"]),
        ("get", "/conformance", ["f"]),
        ("get", "/api", ["f"]),
        ("get", "/collections", ["f"]),
        ("get", "/collections/{collectionId}", ["collectionId", "f"]),
        ("get", "/collections/{collectionId}/items", ["collectionId", "bbox", "limit", "offset", "datetime", "f"]),
        ("get", "/collections/{collectionId}/items/{featureId}", ["collectionId", "featureId", "f"]),
        ("post", "/collections/{collectionId}/items", ["collectionId"]),
        ("put", "/collections/{collectionId}/items/{featureId}", ["collectionId", "featureId"]),
        ("patch", "/collections/{collectionId}/items/{featureId}", ["collectionId", "featureId"]),
        ("delete", "/collections/{collectionId}/items/{featureId}", ["collectionId", "featureId"]),
        ("get", "/near", ["lon", "lat", "radius", "k", "layers", "status", "limit"]),
        ("get", "/overlaps", ["layers", "buffer", "rules"]),
        ("post", "/overlaps", ["layers", "buffer"]),
        ("get", "/export/{layer}", ["layer", "crs", "style"]),
        ("get", "/rules", []),
        ("get", "/viewer/{path}", ["path"]),
        ("get", "/vendor/leaflet/{path}", ["path"]),
    ] as [(String, String, Set<String>)])
    func contractCovered(method: String, path: String, parameters: Set<String>) throws {
        #expect(try parameterNames(method, path) == parameters)
    }

    @Test("Writes require the bearer token and document 401, 412, 413, 415, 422 and 428")
    func writesDocumented() throws {
        for (method, path) in [("put", "/collections/{collectionId}/items/{featureId}"),
                               ("patch", "/collections/{collectionId}/items/{featureId}"),
                               ("delete", "/collections/{collectionId}/items/{featureId}")] {
            let op = try operation(method, path)
            #expect(op["security"] == [["bearerAuth": []]])
            let statuses = Set(op["responses"]?.objectValue?.keys.map { $0 } ?? [])
            #expect(statuses.isSuperset(of: ["401", "412", "413", "415", "422", "428"]), "\(method) \(path)")
        }
        #expect(try operation("get", "/collections/{collectionId}/items")["security"] == nil)
    }

    @Test("radius and k are documented with the ranges the parser enforces")
    func rangesMatchParser() throws {
        let parameters = try operation("get", "/near")["parameters"]?.arrayValue ?? []
        let radius = try #require(parameters.first { $0.objectValue?["name"] == "radius" }?.objectValue?["schema"]?.objectValue)
        #expect(radius["minimum"]?.doubleValue == 0 && radius["exclusiveMinimum"] == true && radius["maximum"]?.doubleValue == 50000)
        let k = try #require(parameters.first { $0.objectValue?["name"] == "k" }?.objectValue?["schema"]?.objectValue)
        #expect(k["minimum"]?.doubleValue == 1 && k["maximum"]?.doubleValue == 1000)
    }

    @Test("Operation ids are unique")
    func uniqueOperationIDs() {
        let ids = APIEndpoints.operations(servingData: true, writes: true).map(\.operationID)
        #expect(Set(ids).count == ids.count)
    }

    @Test("Without data, the router serves exactly the operations the document lists")
    func routerMatchesDocument() {
        let served = APIEndpoints(configuration: ServerConfiguration(viewerDirectory: "/tmp"), atlas: nil).all
            .map { "\($0.method.rawValue) \($0.path)" }
        let documented = APIEndpoints.operations(servingData: false, writes: false).map { "\($0.method.rawValue) \($0.path)" }
        #expect(served == documented)
    }
}
