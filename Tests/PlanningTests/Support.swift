import FeatureStore
import Foundation
import GeoModel
import Planning
import Testing

// MARK: Where things are

/// The package root, found from this file's place in Tests/PlanningTests.
let packageRoot = URL(filePath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()
let geoDataDirectory = packageRoot.appending(path: "GeoData", directoryHint: .isDirectory)
let stylesDirectory = packageRoot.appending(path: "Styles", directoryHint: .isDirectory)

/// A new temporary directory; the caller removes it.
func temporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appending(path: "planatlas-planning-\(UUID().uuidString)",
                                                               directoryHint: .isDirectory)
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

// MARK: Atlases over a SpatiaLite file in a temporary directory

/// Runs `body` with an atlas over a new SpatiaLite store holding `layers`, and removes it afterwards.
func withAtlas(_ layers: [FixtureLayer], catalogue: Catalogue? = nil,
               _ body: (Atlas) async throws -> Void) async throws {
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let store = try await SpatiaLiteStore(path: directory.appending(path: "atlas.sqlite").path)
    do {
        for layer in layers {
            try await store.createLayer(layer.info)
            try await store.insert(contentsOf: layer.features, into: layer.info.id)
        }
        try await body(Atlas(store: store, catalogue: catalogue))
    } catch {
        await store.close()
        throw error
    }
    await store.close()
}

/// Runs `body` with an atlas over a new SpatiaLite store seeded from the built-in GeoData.
func withGeoDataAtlas(_ body: (Atlas) async throws -> Void) async throws {
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let catalogue = try Catalogue.load(from: geoDataDirectory)
    let store = try await SpatiaLiteStore(path: directory.appending(path: "geodata.sqlite").path)
    do {
        try await catalogue.seed(store)
        try await body(Atlas(store: store, catalogue: catalogue))
    } catch {
        await store.close()
        throw error
    }
    await store.close()
}

/// Every feature of the built-in data, by layer id, read straight from the GeoJSON files.
func geoDataFeatures() throws -> [(layer: LayerDescription, features: [Feature])] {
    let catalogue = try Catalogue.load(from: geoDataDirectory)
    return try catalogue.layers.map { layer in
        let data = try Data(contentsOf: catalogue.fileURL(of: layer))
        return (layer, try GeoJSONReader().readFeatureCollection(Array(data)).features)
    }
}

// MARK: Builders

func c(_ lon: Double, _ lat: Double) -> Coordinate { Coordinate(lon: lon, lat: lat) }

func point(_ lon: Double, _ lat: Double) -> Geometry { .point(Point(c(lon, lat))) }

func line(_ coordinates: [(Double, Double)]) -> Geometry {
    .lineString(LineString(coordinates.map { c($0.0, $0.1) }))
}

/// A lon/lat box as a counter-clockwise polygon (RFC 7946 winding).
func box(_ minLon: Double, _ minLat: Double, _ maxLon: Double, _ maxLat: Double) -> Geometry {
    .polygon(Polygon(exterior: [c(minLon, minLat), c(maxLon, minLat), c(maxLon, maxLat), c(minLon, maxLat), c(minLon, minLat)]))
}

func feature(_ id: String, _ geometry: Geometry?, status: String = "planned", name: String? = nil) -> Feature {
    Feature(id: .string(id), geometry: geometry,
            properties: ["id": .string(id), "name": .string(name ?? id), "name_en": .string(name ?? id), "status": .string(status)])
}

struct FixtureLayer: Sendable {
    var info: LayerInfo
    var features: [Feature]

    init(_ id: String, _ type: GeometryType, _ features: [Feature]) {
        info = LayerInfo(id: id, titleZH: id, titleEN: id, geometryType: type)
        self.features = features
    }
}

/// Small hand-made layers near Shenyang's centre. Their known values (areas) come from
/// Tools/known-values/planning_values.py (pyproj and Shapely), see PlanningKnownValues.
enum Fixtures {
    /// A: 0.01° square; B shares A's east edge; C lies wholly inside A; D overlaps A, B and C.
    static let parcels = FixtureLayer("parcels", .polygon, [
        feature("parcel-a", box(123.400, 41.800, 123.410, 41.810), status: "planned"),
        feature("parcel-b", box(123.410, 41.800, 123.420, 41.810), status: "existing"),
        feature("parcel-c", box(123.403, 41.803, 123.406, 41.806), status: "planned"),
        feature("parcel-d", box(123.405, 41.805, 123.415, 41.815), status: "protected"),
    ])

    /// One reserve wholly inside parcel A, one sharing A's west edge, one touching B at a corner.
    static let reserves = FixtureLayer("reserves", .polygon, [
        feature("reserve-inner", box(123.401, 41.801, 123.402, 41.802)),
        feature("reserve-touching", box(123.390, 41.800, 123.400, 41.810)),
        feature("reserve-corner", box(123.420, 41.810, 123.425, 41.815)),
    ])

    /// An east-west road across A, B and D with short segments, and a north-south road east of B.
    static let roads = FixtureLayer("roads", .lineString, [
        feature("road-east-west", line([(123.395, 41.8075), (123.400, 41.8075), (123.405, 41.8075), (123.410, 41.8075),
                                        (123.4112, 41.8075), (123.415, 41.8075), (123.420, 41.8075), (123.425, 41.8075)])),
        feature("road-north-south", line([(123.430, 41.790), (123.430, 41.805), (123.430, 41.820)])),
    ])

    /// Twelve sites east of (123.45, 41.85), 0.001° apart: the six nearest are existing, the rest
    /// planned. Plus a site without geometry and one with an EMPTY point, which near never returns.
    static let sites = FixtureLayer("sites", .point, (1...12).map { i in
        feature(String(format: "site-%02d", i), point(123.45 + Double(i) * 0.001, 41.85), status: i <= 6 ? "existing" : "planned")
    } + [
        feature("site-nowhere", nil),
        feature("site-empty", .point(.empty)),
    ])

    static let all = [parcels, reserves, roads, sites]
}

// MARK: A seeded random source, so random queries are the same on every run

/// SplitMix64: small, fast, and the same sequence on every platform.
struct SeededRandom: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

// MARK: Comparing

/// True when `actual` agrees with `expected` within `metres` or `relative` of it, whichever is larger.
func agrees(_ actual: Double, _ expected: Double, metres: Double, relative: Double) -> Bool {
    abs(actual - expected) <= max(metres, relative * abs(expected))
}

extension NearHit {
    var key: String { "\(layer)/\(feature.id)" }
}

extension Overlap {
    var pairKey: String { "\(layerA)/\(featureA.map { "\($0.id)" } ?? "candidate") × \(layerB)/\(featureB.id)" }
}
