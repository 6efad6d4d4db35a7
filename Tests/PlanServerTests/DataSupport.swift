import FeatureStore
import Foundation
import GeoModel
import Hummingbird
import HummingbirdTesting
import Planning
import Testing

@testable import PlanServer

/// The repository's root, found from this file: Tests/PlanServerTests/DataSupport.swift.
let repositoryRoot = URL(filePath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
let geoDataDirectory = repositoryRoot.appending(path: "GeoData")

/// A real SpatiaLite store in a temporary folder, removed afterwards, with the atlas over it.
enum DataFixture {
    /// What the store holds.
    enum Content: Sendable {
        /// Shenyang's plan, seeded from GeoData/ as `planatlas serve` seeds it, with the catalogue.
        case geoData
        /// The small hand-made layers below, without a catalogue.
        case handMade
    }

    /// Makes the store, runs `body` with the router of a service over it, removes the store.
    static func withService<T: Sendable>(_ content: Content, token: String? = nil, maximumBodyBytes: Int = 1024 * 1024,
                                         maximumVertices: Int = VertexLimit.standard.maximum,
                                         _ body: @Sendable (any TestClientProtocol, Atlas) async throws -> T) async throws -> T {
        let folder = FileManager.default.temporaryDirectory.appending(path: "planserver-data-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try await SpatiaLiteStore(path: folder.appending(path: "plan.sqlite").path)
        do {
            let atlas: Atlas
            switch content {
            case .geoData:
                let catalogue = try Catalogue.load(from: geoDataDirectory)
                try await catalogue.seed(store)
                atlas = Atlas(store: store, catalogue: catalogue)
            case .handMade:
                try await HandMade.fill(store)
                atlas = Atlas(store: store)
            }
            let configuration = ServerConfiguration(writeToken: token, maximumBodyBytes: maximumBodyBytes,
                                                    maximumVertices: maximumVertices,
                                                    viewerDirectory: ServerConfiguration.sourceViewerDirectory)
            let app = buildApplication(configuration: configuration, atlas: atlas, logger: quietLogger)
            let result = try await app.test(.router) { client in try await body(client, atlas) }
            await store.close()
            return result
        } catch {
            await store.close()
            throw error
        }
    }
}

/// Small layers whose answers are obvious by construction: squares and points on a 0.01° grid
/// east of Shenyang's centre, so bbox and filter results can be counted by eye.
enum HandMade {
    /// Parks: three unit squares (0.01°) at x = 123.40, 123.42, 123.44, y = 41.80; park-2 is closed.
    static let parks: [Feature] = (0..<3).map(park)

    /// Wells: five points along y = 41.805, x = 123.400 ... 123.440; ids are numbers.
    static let wells: [Feature] = (0..<5).map(well)

    static func park(_ i: Int) -> Feature {
        let x = 123.40 + 0.02 * Double(i)
        let properties: JSONObject = [
            "name": .string("Park \(i)"), "status": i == 2 ? "closed" : "open", "area_rank": .integer(Int64(i + 1)),
            "lit": .bool(i != 1), "target": ["value": 1, "unit": "ha"],
        ]
        return Feature(id: .string("park-\(i)"), geometry: .polygon(square(x: x, y: 41.80, size: 0.01)), properties: properties)
    }

    static func well(_ i: Int) -> Feature {
        let x = 123.40 + 0.01 * Double(i)
        let properties: JSONObject = ["name": .string("Well \(i + 1)"), "depth_m": .number(10.5 * Double(i + 1))]
        return Feature(id: .number(Int64(i + 1)), geometry: .point(Point(x: x, y: 41.805)), properties: properties)
    }

    static func square(x: Double, y: Double, size: Double) -> Polygon {
        Polygon(exterior: [Coordinate(x: x, y: y), Coordinate(x: x + size, y: y), Coordinate(x: x + size, y: y + size),
                           Coordinate(x: x, y: y + size), Coordinate(x: x, y: y)])
    }

    static func fill(_ store: any FeatureStore) async throws {
        try await store.createLayer(LayerInfo(id: "parks", titleZH: "公园", titleEN: "Parks", geometryType: .polygon,
                                              metadata: ["context": false, "plan_section": "green"]))
        try await store.createLayer(LayerInfo(id: "wells", titleZH: "水井", titleEN: "Wells", geometryType: .point))
        try await store.insert(contentsOf: parks, into: "parks")
        try await store.insert(contentsOf: wells, into: "wells")
    }
}

/// GeoData's own files read with Foundation: the independent source the answers are checked against.
enum GeoDataFiles {
    static func collection(_ layer: String) throws -> [String: Any] {
        let data = try Data(contentsOf: geoDataDirectory.appending(path: "\(layer).geojson"))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    static func features(_ layer: String) throws -> [[String: Any]] {
        try #require(try collection(layer)["features"] as? [[String: Any]])
    }

    static func layerIDs() throws -> [String] {
        let data = try Data(contentsOf: geoDataDirectory.appending(path: "layers.json"))
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        return try #require(object["layers"] as? [[String: Any]]).compactMap { $0["id"] as? String }
    }

    /// Every position of a GeoJSON geometry object, however deeply nested.
    static func positions(_ coordinates: Any?) -> [[Double]] {
        guard let array = coordinates as? [Any] else { return [] }
        if let numbers = array as? [Double], numbers.count >= 2 { return [numbers] }
        return array.flatMap(positions)
    }
}

extension TestResponse {
    /// The features of a FeatureCollection body.
    func features(sourceLocation: SourceLocation = #_sourceLocation) throws -> [[String: Any]] {
        try #require(try jsonObject(sourceLocation: sourceLocation)["features"] as? [[String: Any]],
                     "no features in \(text.prefix(300))", sourceLocation: sourceLocation)
    }
}

extension Dictionary where Key == String, Value == Any {
    var properties: [String: Any] { self["properties"] as? [String: Any] ?? [:] }
    /// A link's href by relation.
    func link(_ rel: String) -> String? {
        (self["links"] as? [[String: Any]])?.first { $0["rel"] as? String == rel }?["href"] as? String
    }
}

/// The path and query of an absolute link, to request it from the test client.
func pathAndQuery(_ href: String) throws -> String {
    let components = try #require(URLComponents(string: href))
    return components.percentEncodedPath + (components.percentEncodedQuery.map { "?" + $0 } ?? "")
}
