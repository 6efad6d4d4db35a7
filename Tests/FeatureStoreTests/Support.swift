import Foundation
import TestSupport
import Testing
@testable import FeatureStore
import GeoModel

/// The two implementations the contract suite runs against.
enum StoreKind: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case spatiaLite
    case postGIS

    var testDescription: String { rawValue }

    /// Every kind, unless `PLANATLAS_SKIP_POSTGIS=1` asks for a quick SpatiaLite-only run
    /// (for local use; CI never sets it, so there the PostGIS cases always run).
    static var underTest: [StoreKind] {
        ProcessInfo.processInfo.environment["PLANATLAS_SKIP_POSTGIS"] == "1" ? [.spatiaLite] : allCases
    }
}

/// How to get a PostGIS database, said when the tests cannot find one.
let postgisHowTo = """
    PostGIS contract tests need a database: set PLANATLAS_TEST_POSTGRES_URL, e.g.
        eval "$(Tools/postgis-test-cluster.sh start)"   # throw-away cluster on a free loopback port
        swift test
        Tools/postgis-test-cluster.sh stop
    (For a quick local run without PostGIS only: PLANATLAS_SKIP_POSTGIS=1 swift test.)
    """

struct MissingPostGIS: Error, CustomStringConvertible {
    var description: String { postgisHowTo }
}

func postgresURL() throws -> String {
    guard let url = postgresTestURL() else { throw MissingPostGIS() }
    return url
}

/// A new temporary directory, removed by the caller.
func temporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("planatlas-store-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// A unique schema name for one test's PostGIS store.
func uniqueSchema() -> String {
    "test_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(20)
}

/// Runs `body` with a new, empty store of `kind`, and removes the store afterwards.
func withStore(_ kind: StoreKind, _ body: (any FeatureStore) async throws -> Void) async throws {
    switch kind {
    case .spatiaLite:
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try await SpatiaLiteStore(path: directory.appendingPathComponent("store.sqlite").path)
        do {
            try await body(store)
        } catch {
            await store.close()
            throw error
        }
        await store.close()
    case .postGIS:
        try await withPostGISStore { store in try await body(store) }
    }
}

/// Runs `body` with a new PostGIS store in a schema of its own, opened with `parameters` added to
/// the URL (`query_timeout=5`; they replace the test URL's own), and drops the schema afterwards.
func withPostGISStore(parameters: [URLQueryItem] = [], _ body: (PostGISStore) async throws -> Void) async throws {
    let url = try postgresURL()
    var components = try #require(URLComponents(string: url))
    if !parameters.isEmpty {
        let replaced = Set(parameters.map(\.name))
        components.queryItems = (components.queryItems ?? []).filter { !replaced.contains($0.name) } + parameters
    }
    let schema = uniqueSchema()
    let store = try await PostGISStore(url: try #require(components.string), schema: schema)
    let outcome: Result<Void, any Error>
    do {
        try await body(store)
        outcome = .success(())
    } catch {
        outcome = .failure(error)
    }
    await store.close()
    // A separate connection drops the schema, whatever state the tested store was left in.
    try await PostGISStore(url: url, schema: schema).dropSchema()
    try outcome.get()
}

// MARK: Builders

func c(_ lon: Double, _ lat: Double) -> Coordinate { Coordinate(x: lon, y: lat) }

func point(_ lon: Double, _ lat: Double) -> Geometry { .point(Point(c(lon, lat))) }

/// An axis-aligned square polygon, counter-clockwise.
func square(_ lon: Double, _ lat: Double, side: Double) -> Geometry {
    .polygon(Polygon(exterior: [c(lon, lat), c(lon + side, lat), c(lon + side, lat + side), c(lon, lat + side), c(lon, lat)]))
}

func feature(_ id: String, _ geometry: Geometry?, _ properties: JSONObject = [:]) -> Feature {
    Feature(id: .string(id), geometry: geometry, properties: properties)
}

let pointsLayer = LayerInfo(id: "sites", titleZH: "站点", titleEN: "Sites", geometryType: .point)
let roadsLayer = LayerInfo(id: "roads", titleZH: "道路", titleEN: "Roads", geometryType: .lineString)
let zonesLayer = LayerInfo(id: "zones", titleZH: "分区", titleEN: "Zones", geometryType: .polygon)
let mixedLayer = LayerInfo(id: "mixed", titleZH: "混合", titleEN: "Mixed", geometryType: .geometryCollection)

/// Features fed lazily, so a large batch never sits in memory as an array.
func generatedPoints(_ count: Int, prefix: String = "p", badAt bad: Int? = nil) -> some Sequence<Feature> & Sendable {
    (0..<count).lazy.map { i in
        let geometry: Geometry = i == bad
            ? .point(Point(c(.nan, 41.8)))  // not a coordinate
            : point(123.3 + Double(i % 1000) * 0.0002, 41.7 + Double(i / 1000) * 0.0002)
        return feature("\(prefix)\(i)", geometry, ["n": .integer(Int64(i))])
    }
}

extension FeatureStore {
    func ids(_ query: FeatureQuery) async throws -> [String] {
        try await self.query(query).matches.map(\.feature.id.description)
    }
}
