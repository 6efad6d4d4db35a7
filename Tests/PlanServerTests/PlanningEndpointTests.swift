import FeatureStore
import Foundation
import GeoModel
import Hummingbird
import HummingbirdTesting
import Planning
import Synchronization
import Testing

@testable import PlanServer

/// Numbers from pyproj (PROJ's geodesic and transformation code called from Python): an oracle
/// independent of planatlas's Swift code.
func pyproj(_ script: String) async throws -> [Double] {
    let (status, output) = try await run(["python3", "-c", "from pyproj import Geod, Transformer\n" + script])
    #expect(status == 0, "\(output)")
    return output.split(whereSeparator: \.isWhitespace).compactMap { Double($0) }
}

/// The features of a FeatureCollection written by GeoModel's writer, as Foundation reads them.
func foundationFeatures(_ features: [Feature]) throws -> NSArray {
    let bytes = try GeoJSONWriter.encode(FeatureCollection(features))
    let object = try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
    return try #require(object["features"] as? NSArray)
}

@Suite("Near: what lies within a radius, or the k nearest")
struct NearEndpointTests {
    @Test("Within 1000 m of the Mukden Palace: the atlas's hits, nearest first, with layer and distance_m")
    func radiusAtTheMukdenPalace() async throws {
        try await DataFixture.withService(.geoData) { client, atlas in
            let response = try await client.execute(uri: "/near?lon=123.4507&lat=41.7962&radius=1000", method: .get)
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "application/geo+json")
            let features = try response.features()
            let expected = try await atlas.near(NearQuery(location: Coordinate(lon: 123.4507, lat: 41.7962), reach: .within(metres: 1000)))
            #expect(!expected.isEmpty)
            #expect(NSArray(array: features) == (try foundationFeatures(expected.map { $0.asFeature() })))
            let distances = features.compactMap { $0.properties["distance_m"] as? Double }
            #expect(distances.count == features.count && distances == distances.sorted() && distances.allSatisfy { $0 <= 1000 })
            #expect(features.allSatisfy { $0["id"] != nil && $0.properties["layer"] is String })
            let query = try #require(try response.jsonObject()["query"] as? [String: Any])
            #expect(query["lon"] as? Double == 123.4507 && query["lat"] as? Double == 41.7962 && query["radius"] as? Double == 1000)
            #expect(query["layers"] as? [String] == (try GeoDataFiles.layerIDs()))
        }
    }

    @Test("k nearest in chosen layers with a status filter is what the atlas answers")
    func nearestInLayers() async throws {
        try await DataFixture.withService(.geoData) { client, atlas in
            let response = try await client.execute(
                uri: "/near?lon=123.4&lat=41.8&k=5&layers=metro-stations,heritage-sites&status=planned,existing", method: .get)
            let expected = try await atlas.near(NearQuery(location: Coordinate(lon: 123.4, lat: 41.8), reach: .nearest(5),
                                                          layers: ["metro-stations", "heritage-sites"],
                                                          statuses: ["planned", "existing"]))
            #expect(expected.count == 5)
            #expect(NSArray(array: try response.features()) == (try foundationFeatures(expected.map { $0.asFeature() })))
            let query = try #require(try response.jsonObject()["query"] as? [String: Any])
            #expect(query["k"] as? Int == 5)
            #expect(query["layers"] as? [String] == ["metro-stations", "heritage-sites"])
        }
    }

    @Test("Distances agree with pyproj's geodesic to 0.01 %; 0 on the point itself")
    func distancesAgainstPyproj() async throws {
        try await DataFixture.withService(.handMade) { client, _ in
            let features = try await client.execute(uri: "/near?lon=123.40&lat=41.805&k=3&layers=wells", method: .get).features()
            #expect(features.map { "\($0["id"] ?? "")" } == ["1", "2", "3"])
            let geodesic = try await pyproj("""
                g = Geod(ellps="WGS84")
                for x in (123.40, 123.41, 123.42): print(g.inv(123.40, 41.805, x, 41.805)[2])
                """)
            let distances = features.compactMap { $0.properties["distance_m"] as? Double }
            #expect(geodesic.count == 3 && distances.count == 3)
            #expect(distances[0] == 0)
            for (ours, theirs) in zip(distances.dropFirst(), geodesic.dropFirst()) {
                #expect(abs(ours - theirs) / theirs < 1e-4, "\(ours) vs pyproj \(theirs)")
            }
        }
    }

    @Test("A point inside a polygon is 0 m from it")
    func insidePolygon() async throws {
        try await DataFixture.withService(.handMade) { client, _ in
            let features = try await client.execute(uri: "/near?lon=123.425&lat=41.805&radius=1&layers=parks", method: .get).features()
            #expect(features.map { $0["id"] as? String } == ["park-1"])
            #expect(features.first?.properties["distance_m"] as? Double == 0)
        }
    }

    @Test("Bad near queries are 400s naming the parameter", arguments: [
        ("lon=123.4&lat=41.8&radius=abc", "radius"), ("lon=123.4&lat=41.8&radius=0", "radius"),
        ("lon=123.4&lat=41.8&radius=50001", "radius"), ("lon=123.4&lat=41.8&radius=nan", "radius"),
        ("lon=123.4&lat=41.8", "radius"), ("lon=123.4&lat=41.8&radius=10&k=3", "k"), ("lon=123.4&lat=41.8&k=0", "k"),
        ("lon=200&lat=41.8&k=1", "lon"), ("lat=41.8&k=1", "lon"), ("lon=123.4&k=1", "lat"),
        ("lon=123.4&lat=41.8&k=1&layers=nope", "layers"), ("lon=123.4&lat=41.8&k=1&layers=", "layers"),
        ("lon=123.4&lat=41.8&k=1&limit=0", "limit"), ("lon=123.4&lat=41.8&k=1&radus=5", "radus"),
    ])
    func badQueries(query: String, parameter: String) async throws {
        try await DataFixture.withService(.handMade) { client, _ in
            let problem = try await client.execute(uri: "/near?\(query)", method: .get).problem(status: .badRequest, parameter: parameter)
            #expect((problem["detail"] as? String)?.contains(parameter) == true)
        }
    }
}

@Suite("Overlaps: layer pairs, conflict rules and candidate geometries")
struct OverlapEndpointTests {
    @Test("A layer pair with a buffer gives the atlas's pairs and totals")
    func layerPair() async throws {
        try await DataFixture.withService(.geoData) { client, atlas in
            let response = try await client.execute(uri: "/overlaps?layers=expressways,historic-districts&buffer=50", method: .get)
            #expect(response.status == .ok)
            let report = try await atlas.overlaps(OverlapQuery(subject: .layers("expressways", "historic-districts"), bufferMetres: 50))
            #expect(NSArray(array: try response.features()) == (try foundationFeatures(report.overlaps.map { $0.asFeature() })))
            let document = try response.jsonObject()
            let summary = try #require(document["summary"] as? [String: Any])
            #expect(summary["pairs"] as? Int == report.overlaps.count)
            #expect((document["query"] as? [String: Any])?["buffer"] as? Double == 50)
        }
    }

    @Test("rules=all runs every conflict rule of GeoData/conflict-rules.json, as the atlas does")
    func allRules() async throws {
        try await DataFixture.withService(.geoData) { client, atlas in
            let response = try await client.execute(uri: "/overlaps?rules=all", method: .get)
            let report = try await atlas.overlaps(OverlapQuery(subject: .rules([])))
            #expect(!report.overlaps.isEmpty)
            let features = try response.features()
            #expect(NSArray(array: features) == (try foundationFeatures(report.overlaps.map { $0.asFeature() })))
            let ruleIDs = Set(features.compactMap { $0.properties["rule"] as? String })
            let data = try Data(contentsOf: geoDataDirectory.appending(path: "conflict-rules.json"))
            let rules = try #require((try JSONSerialization.jsonObject(with: data) as? [String: Any])?["rules"] as? [[String: Any]])
            #expect(ruleIDs.isSubset(of: Set(rules.compactMap { $0["id"] as? String })))
            #expect(features.allSatisfy { ["low", "medium", "high"].contains($0.properties["severity"] as? String ?? "") })
        }
    }

    @Test("/rules lists the catalogue's rules with titles built from their layers")
    func ruleCatalogue() async throws {
        try await DataFixture.withService(.geoData) { client, _ in
            let data = try Data(contentsOf: geoDataDirectory.appending(path: "conflict-rules.json"))
            let file = try #require((try JSONSerialization.jsonObject(with: data) as? [String: Any])?["rules"] as? [[String: Any]])
            let served = try #require(try await client.execute(uri: "/rules", method: .get).jsonObject()["rules"] as? [[String: Any]])
            #expect(served.compactMap { $0["id"] as? String } == file.compactMap { $0["id"] as? String })
            for (rule, original) in zip(served, file) {
                #expect(rule["layers"] as? [String] == original["layers"] as? [String])
                #expect((rule["buffer_m"] as? NSDictionary) == (original["buffer_m"] as? NSDictionary ?? [:]))
                #expect(rule["severity"] as? String == original["severity"] as? String)
                #expect((rule["title"] as? String)?.contains(" × ") == true)
                #expect((rule["title_zh"] as? String)?.isEmpty == false)
            }
            // Titles join the layers' titles from layers.json.
            let layersData = try Data(contentsOf: geoDataDirectory.appending(path: "layers.json"))
            let layerList = try #require((try JSONSerialization.jsonObject(with: layersData) as? [String: Any])?["layers"] as? [[String: Any]])
            func title(_ id: String, _ language: String) -> String? {
                (layerList.first { $0["id"] as? String == id }?["title"] as? [String: Any])?[language] as? String
            }
            for rule in served {
                let ids = rule["layers"] as? [String] ?? []
                #expect(rule["title"] as? String == ids.compactMap { title($0, "en") }.joined(separator: " × "))
                #expect(rule["title_zh"] as? String == ids.compactMap { title($0, "zh") }.joined(separator: " × "))
            }
        }
    }

    @Test("A candidate over half of two parks overlaps each by half; the area agrees with pyproj's geodesic area")
    func candidate() async throws {
        try await DataFixture.withService(.handMade) { client, atlas in
            let candidate = #"{"type":"Feature","geometry":{"type":"Polygon","coordinates":[[[123.405,41.80],[123.425,41.80],[123.425,41.81],[123.405,41.81],[123.405,41.80]]]},"properties":{"name":"new road depot"}}"#
            let response = try await client.execute(uri: "/overlaps?layers=parks", method: .post,
                                                    headers: [.contentType: "application/geo+json"], body: ByteBuffer(string: candidate))
            #expect(response.status == .ok, "\(response.text)")
            let features = try response.features()
            #expect(features.map { $0.properties["id_b"] as? String } == ["park-0", "park-1"])
            #expect(features.allSatisfy { $0.properties["layer_a"] as? String == "candidate" && $0.properties["id_a"] is NSNull })
            for feature in features {
                let share = try #require(feature.properties["share_b_pct"] as? Double)
                #expect(abs(share - 50) < 0.01, "\(share)")
            }
            let halves = try await pyproj("""
                g = Geod(ellps="WGS84")
                for x in (123.405, 123.42):
                    print(abs(g.polygon_area_perimeter([x, x + 0.005, x + 0.005, x], [41.80, 41.80, 41.81, 41.81])[0]))
                """)
            let areas = features.compactMap { $0.properties["area_m2"] as? Double }
            #expect(halves.count == 2 && areas.count == 2)
            for (ours, theirs) in zip(areas, halves) { #expect(abs(ours - theirs) / theirs < 1e-4, "\(ours) vs pyproj \(theirs)") }
            let summary = try #require(try response.jsonObject()["summary"] as? [String: Any])
            let total = try #require(summary["area_m2"] as? Double)
            #expect(abs(total - areas.reduce(0, +)) < 0.02)
            #expect(abs(try #require(summary["area_mu"] as? Double) - total * 15 / 10_000) < 0.01)
            #expect(abs(try #require(summary["area_ha"] as? Double) - total / 10_000) < 0.0001)

            let geometry = try GeoJSONReader().readGeometry(Array(#"{"type":"Polygon","coordinates":[[[123.405,41.80],[123.425,41.80],[123.425,41.81],[123.405,41.81],[123.405,41.80]]]}"#.utf8))
            let direct = try await atlas.overlaps(OverlapQuery(subject: .candidate(geometry, name: "new road depot", layers: ["parks"])))
            #expect(NSArray(array: features) == (try foundationFeatures(direct.overlaps.map { $0.asFeature() })))
        }
    }

    @Test("A bare geometry is a candidate too; a point needs a buffer")
    func bareGeometryCandidate() async throws {
        try await DataFixture.withService(.handMade) { client, _ in
            let point = #"{"type":"Point","coordinates":[123.405,41.805]}"#
            let buffered = try await client.execute(uri: "/overlaps?buffer=100", method: .post,
                                                    headers: [.contentType: "application/json"], body: ByteBuffer(string: point))
            #expect(try buffered.features().map { $0.properties["id_b"] as? String } == ["park-0"])
            let bare = try await client.execute(uri: "/overlaps", method: .post, headers: [.contentType: "application/json"],
                                                body: ByteBuffer(string: point))
            let problem = try bare.problem(status: .unprocessableContent, parameter: "body")
            #expect((problem["detail"] as? String)?.contains("buffer") == true)
        }
    }

    @Test("An invalid candidate is 422 with GEOS's reason")
    func invalidCandidate() async throws {
        try await DataFixture.withService(.handMade) { client, _ in
            let bowtie = #"{"type":"Polygon","coordinates":[[[123.40,41.80],[123.41,41.81],[123.41,41.80],[123.40,41.81],[123.40,41.80]]]}"#
            let response = try await client.execute(uri: "/overlaps", method: .post, headers: [.contentType: "application/geo+json"],
                                                    body: ByteBuffer(string: bowtie))
            let problem = try response.problem(status: .unprocessableContent, parameter: "body")
            #expect((problem["detail"] as? String)?.contains("Self-intersection") == true, "\(problem)")
        }
    }

    @Test("Malformed candidates are 400s pointing into the body", arguments: [
        (#"{"type":"Polygon","coordinates":[[[123.40,41.80],[123.41,41.81],[123.41,41.80]]]}"#, "body.coordinates[0]"),
        (#"{"type":"Point","coordinates":[41.8,123.4]}"#, "body.coordinates"),
        (#"{"type":"Circle","coordinates":[1,2]}"#, "body.type"),
        (#"{"type":"FeatureCollection","features":[]}"#, "body.type"),
        (#"{"type":"Feature","geometry":null,"properties":{}}"#, "body.geometry"),
        (#"{"type":"Point","coordinates":[123.4,41.8]"#, "body"),
    ])
    func malformedCandidate(body: String, member: String) async throws {
        try await DataFixture.withService(.handMade) { client, _ in
            let response = try await client.execute(uri: "/overlaps", method: .post, headers: [.contentType: "application/geo+json"],
                                                    body: ByteBuffer(string: body))
            let problem = try response.problem(status: .badRequest, parameter: member)
            #expect((problem["detail"] as? String)?.isEmpty == false)
        }
    }

    @Test("Bad overlap queries are 400s naming the parameter", arguments: [
        ("", "layers"), ("layers=parks", "layers"), ("layers=parks,nope", "layers"), ("layers=a,b,c", "layers"),
        ("layers=parks,parks&rules=all", "rules"), ("rules=all", "rules"), ("layers=parks,parks&buffer=-1", "buffer"),
        ("layers=parks,parks&buffer=5001", "buffer"), ("layers=wells,parks", "buffer"), ("layer=parks,parks", "layer"),
    ])
    func badQueries(query: String, parameter: String) async throws {
        try await DataFixture.withService(.handMade) { client, _ in
            _ = try await client.execute(uri: "/overlaps?\(query)", method: .get).problem(status: .badRequest, parameter: parameter)
        }
    }

    @Test("Unknown rules, and a buffer with rules, are 400s", arguments: [("rules=nope", "rules"), ("rules=all&buffer=5", "buffer")])
    func badRuleQueries(query: String, parameter: String) async throws {
        try await DataFixture.withService(.geoData) { client, _ in
            _ = try await client.execute(uri: "/overlaps?\(query)", method: .get).problem(status: .badRequest, parameter: parameter)
        }
    }

    @Test("A layer against itself reports each overlapping pair once, never a feature with itself")
    func selfOverlap() async throws {
        try await DataFixture.withService(.handMade) { client, _ in
            let response = try await client.execute(uri: "/overlaps?layers=parks,parks", method: .get)
            #expect(try response.features().isEmpty)
            #expect((try response.jsonObject()["summary"] as? [String: Any])?["pairs"] as? Int == 0)
        }
    }
}

@Suite("Export: a whole layer as a GeoJSON attachment")
struct ExportEndpointTests {
    @Test("The export is an attachment holding every feature of the layer")
    func wgs84() async throws {
        try await DataFixture.withService(.geoData) { client, _ in
            let response = try await client.execute(uri: "/export/market-relocations", method: .get)
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "application/geo+json")
            #expect(response.headers[.contentDisposition] == "attachment; filename=\"market-relocations.geojson\"")
            let document = try response.jsonObject()
            #expect(document["name"] as? String == "market-relocations")
            #expect(document["crs"] == nil)
            let features = try response.features()
            #expect(features.count == 11)
            let expected = try GeoDataFiles.features("market-relocations")
            #expect(features.compactMap { $0["id"] as? String } == expected.compactMap { $0["id"] as? String })
            #expect(NSArray(array: features.map { $0["geometry"] ?? NSNull() }) == NSArray(array: expected.map { $0["geometry"] ?? NSNull() }))
        }
    }

    @Test("In EPSG:4550 coordinates are Gauss-Kruger metres as pyproj computes them, and the file names its CRS")
    func projected() async throws {
        try await DataFixture.withService(.geoData) { client, _ in
            let response = try await client.execute(uri: "/export/market-relocations?crs=EPSG:4550", method: .get)
            #expect(response.headers[.contentCrs] == "<http://www.opengis.net/def/crs/EPSG/0/4550>")
            let document = try response.jsonObject()
            let crs = try #require(((document["crs"] as? [String: Any])?["properties"] as? [String: Any])?["name"] as? String)
            #expect(crs == "urn:ogc:def:crs:EPSG::4550")
            let original = try #require(GeoDataFiles.positions((try GeoDataFiles.features("market-relocations").first?["geometry"]
                as? [String: Any])?["coordinates"]).first)
            let projected = try #require(GeoDataFiles.positions((try response.features().first?["geometry"] as? [String: Any])?["coordinates"]).first)
            let expected = try await pyproj("""
                t = Transformer.from_crs("EPSG:4326", "EPSG:4550", always_xy=True)
                print(*t.transform(\(original[0]), \(original[1])))
                """)
            #expect(expected.count == 2)
            #expect(abs(projected[0] - expected[0]) < 0.002 && abs(projected[1] - expected[1]) < 0.002, "\(projected) vs \(expected)")
        }
    }

    @Test("style=true adds the layer's simplestyle properties to every feature")
    func styled() async throws {
        try await DataFixture.withService(.geoData) { client, _ in
            let features = try await client.execute(uri: "/export/metro-lines?style=true&crs=GCJ-02", method: .get).features()
            #expect(features.count == 9)
            #expect(features.allSatisfy { $0.properties["stroke"] is String })
        }
    }

    @Test("Exports are gzipped for clients that accept it")
    func gzipped() async throws {
        try await DataFixture.withService(.geoData) { client, _ in
            let response = try await client.execute(uri: "/export/districts", method: .get, headers: [.acceptEncoding: "gzip, br"])
            #expect(response.status == .ok)
            #expect(response.headers[.contentEncoding] == "gzip")
        }
    }

    @Test("Bad export parameters are 400s naming them", arguments: [("crs=EPSG:9999", "crs"), ("style=yes", "style"), ("bbox=1,2,3,4", "bbox")])
    func badParameters(query: String, parameter: String) async throws {
        try await DataFixture.withService(.geoData) { client, _ in
            _ = try await client.execute(uri: "/export/metro-lines?\(query)", method: .get).problem(status: .badRequest, parameter: parameter)
        }
    }
}

/// Records what reaches the HTTP layer, write by write.
private struct RecordingBodyWriter: ResponseBodyWriter {
    let log: ChunkLog

    mutating func write(_ buffer: ByteBuffer) async throws {
        log.append(Array(buffer.readableBytesView))
    }

    consuming func finish(_ trailingHeaders: HTTPFields?) async throws {
        log.finish()
    }
}

private final class ChunkLog: Sendable {
    private let state = Mutex<(chunks: [[UInt8]], finished: Bool)>(([], false))
    func append(_ bytes: [UInt8]) { state.withLock { $0.chunks.append(bytes) } }
    func finish() { state.withLock { $0.finished = true } }
    var chunks: [[UInt8]] { state.withLock { $0.chunks } }
    var finished: Bool { state.withLock { $0.finished } }
}

@Suite("Streaming: exports reach the HTTP layer in pieces")
struct StreamingTests {
    @Test("An export is handed to the response writer chunk by chunk as it is written, not in one piece at the end")
    func exportIsStreamed() async throws {
        try await DataFixture.withService(.geoData) { _, atlas in
            let log = ChunkLog()
            let sink = ResponseSink(writer: RecordingBodyWriter(log: log))
            let written = try await atlas.export(ExportRequest(layer: "districts"), to: sink)
            #expect(!log.finished)
            #expect(log.chunks.count >= 1, "nothing reached the writer while the export ran")
            try await sink.finish()
            #expect(log.finished)
            let chunks = log.chunks
            // districts.geojson is ~137 KB: GeoJSONWriter hands over ~64 KiB at a time.
            #expect(chunks.count >= 2, "\(chunks.map(\.count))")
            #expect(chunks.allSatisfy { $0.count < 128 * 1024 }, "\(chunks.map(\.count))")
            let document = try JSONSerialization.jsonObject(with: Data(chunks.joined())) as? [String: Any]
            #expect((document?["features"] as? [Any])?.count == written)
            #expect(written == 13)
        }
    }
}
