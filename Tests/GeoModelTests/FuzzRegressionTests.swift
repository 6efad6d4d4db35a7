import Foundation
import Testing
import GeoModel

// Replays the fuzz targets' inputs (Tools/fuzz) in the normal test suite: every input that a
// campaign found crashing or breaking a property (Tests/Fuzz/regressions/<target>) and every seed
// (Tests/Fuzz/corpus/<target>) must hold the properties the fuzz targets check. The files are
// found from this source file's path, so they need no SwiftPM resources.

/// One input file of a fuzz target.
struct FuzzInput: CustomTestStringConvertible, Sendable {
    let path: String
    var bytes: [UInt8] { get throws { [UInt8](try Data(contentsOf: URL(fileURLWithPath: path))) } }
    var name: String { (path as NSString).lastPathComponent }
    var testDescription: String { "\(((path as NSString).deletingLastPathComponent as NSString).lastPathComponent)/\(name)" }

    private static let fuzzDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fuzz")

    /// The seeds and kept regression inputs of `target`, in name order.
    static func all(_ target: String) -> [FuzzInput] {
        seeds(target) + regressions(target)
    }

    static func seeds(_ target: String) -> [FuzzInput] { files(in: "corpus/\(target)") }

    static func regressions(_ target: String) -> [FuzzInput] { files(in: "regressions/\(target)") }

    private static func files(in folder: String) -> [FuzzInput] {
        let directory = fuzzDirectory.appendingPathComponent(folder)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { !$0.hasPrefix(".") }.sorted()
            .map { FuzzInput(path: directory.appendingPathComponent($0).path) }
    }
}

@Suite struct FuzzInputsAreThere {
    @Test(arguments: ["fuzz-geojson", "fuzz-wkb", "fuzz-json"])
    func everyTargetHasASeedCorpus(target: String) {
        #expect(FuzzInput.seeds(target).count >= 20, "Tests/Fuzz/corpus/\(target) is missing or nearly empty")
    }
}

// MARK: GeoJSON

@Suite struct GeoJSONFuzzRegressions {
    /// The fuzz target's two reader configurations: the service's defaults, and projected
    /// coordinates with a small depth limit.
    static let readerOptions: [GeoJSONReader.Options] = [
        .init(),
        .init(maxDepth: 8, validatesLonLatRange: false, crsMember: .ignore),
    ]

    @Test(arguments: FuzzInput.all("fuzz-geojson"))
    func inputReadsConsistentlyAndRoundTrips(input: FuzzInput) throws {
        let bytes = try input.bytes
        for options in Self.readerOptions {
            let reader = GeoJSONReader(options: options)
            guard let object = try? reader.read(bytes) else {
                #expect(throws: GeoJSONError.self) { try reader.forEachFeature(in: bytes) { _, _ in } }
                continue
            }
            var streamed: [Feature] = []
            switch object {
            case .geometry:
                #expect(throws: GeoJSONError.self) { try reader.forEachFeature(in: bytes) { _, _ in } }
            case .feature(let feature):
                try reader.forEachFeature(in: bytes) { _, feature in streamed.append(feature) }
                #expect(streamed == [feature])
            case .featureCollection(let collection):
                try reader.forEachFeature(in: bytes) { _, feature in streamed.append(feature) }
                #expect(streamed == collection.features)
            }

            let exact = GeoJSONWriter.Options(coordinatePrecision: nil, enforcesRightHandRule: false,
                                              maxDepth: options.maxDepth)
            let written = try Self.encode(object, exact)
            #expect(try reader.read(written) == object, "written as \(String(decoding: written, as: UTF8.self))")
            var rounded = GeoJSONWriter.Options()
            rounded.maxDepth = options.maxDepth
            _ = try reader.read(try Self.encode(object, rounded))
        }
    }

    @Test(arguments: FuzzInput.seeds("fuzz-geojson"))
    func seedsNamedValidReadAndSeedsNamedInvalidAreRefused(input: FuzzInput) throws {
        let error = GeoJSONTestSupport.readError(try input.bytes)
        if input.name.hasPrefix("invalid-") {
            #expect(error != nil, "\(input.name) was read")
        } else {
            #expect(error == nil, "\(input.name): \(error.map(String.init(describing:)) ?? "")")
        }
    }

    // Found by fuzz-geojson (with a seed that puts EMPTY geometries in a collection): the writer
    // counted a MultiPolygon's coordinates as 4 levels deep even when EMPTY (`[]`, 1 level), so it
    // refused geometries that the reader had accepted at the same depth limit.
    // Tests/Fuzz/regressions/fuzz-geojson/empty-multipolygon-at-the-depth-limit.geojson

    @Test func anEmptyGeometryTheReaderAcceptsAtTheDepthLimitIsWrittenAtThatLimit() throws {
        // 30 nested collections (2 levels each), the MultiPolygon object (61) and its `[]` (62):
        // within the default limit of 64, where a non-empty MultiPolygon would need 65.
        let text = String(repeating: #"{"type":"GeometryCollection","geometries":["#, count: 30)
            + #"{"type":"MultiPolygon","coordinates":[]}"# + String(repeating: "]}", count: 30)
        let geometry = try GeoJSONReader().readGeometry(Array(text.utf8))
        let written = try GeoJSONWriter.encode(geometry)
        #expect(String(decoding: written, as: UTF8.self) == text + "\n")
    }

    static func encode(_ object: GeoJSONObject, _ options: GeoJSONWriter.Options) throws(GeoJSONError) -> [UInt8] {
        switch object {
        case .geometry(let geometry): try GeoJSONWriter.encode(geometry, options: options)
        case .feature(let feature): try GeoJSONWriter.encode(feature, options: options)
        case .featureCollection(let collection): try GeoJSONWriter.encode(collection, options: options)
        }
    }
}

// MARK: WKB

@Suite struct WKBFuzzRegressions {
    @Test(arguments: FuzzInput.all("fuzz-wkb"))
    func inputIsRefusedOrRoundTripsInBothByteOrders(input: FuzzInput) throws {
        let bytes = try input.bytes
        guard let geometry = try? Geometry(wkb: bytes) else {
            #expect(throws: WKBError.self) { try Geometry(wkb: bytes) }
            return
        }
        let little = geometry.wkb(byteOrder: .littleEndian)
        for order in [WKBByteOrder.littleEndian, .bigEndian] {
            let again = try Geometry(wkb: geometry.wkb(byteOrder: order))
            // NaN != NaN, so geometries with NaN coordinates compare by their bytes only.
            #expect(again.wkb(byteOrder: .littleEndian) == little, "\(order): \(geometry) became \(again)")
            #expect(Self.hasNaN(geometry) || again == geometry, "\(order): \(geometry) became \(again)")
        }
    }

    static func hasNaN(_ geometry: Geometry) -> Bool {
        var found = false
        geometry.forEachCoordinate { c in
            if c.x.isNaN || c.y.isNaN || (c.z?.isNaN ?? false) { found = true }
        }
        return found
    }

    @Test(arguments: FuzzInput.seeds("fuzz-wkb"))
    func seedsNamedValidReadAndSeedsNamedInvalidAreRefused(input: FuzzInput) throws {
        let bytes = try input.bytes
        if input.name.hasPrefix("invalid-") {
            #expect(throws: WKBError.self) { try Geometry(wkb: bytes) }
        } else {
            #expect(throws: Never.self) { try Geometry(wkb: bytes) }
        }
    }

    // Found by fuzz-wkb: a polygon with an empty exterior ring and one more (empty) ring read as
    // Polygon(exterior: [], holes: [[]]), which writes as POLYGON EMPTY and so did not round-trip.
    // GEOS reads the same bytes as POLYGON EMPTY and refuses a non-empty hole in it
    // ("shell is empty but holes are not"); Tools/fuzz/geos-verdicts.py prints both.

    @Test func emptyRingsOfAPolygonWithAnEmptyExteriorReadAsPolygonEmpty() throws {
        // Big endian POLYGON, 2 rings of 0 points: Tests/Fuzz/regressions/fuzz-wkb/polygon-empty-exterior-empty-hole.wkb
        let bytes: [UInt8] = [0, 0, 0, 0, 3, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0]
        #expect(try Geometry(wkb: bytes) == .polygon(.empty))
    }

    @Test func aHoleInAPolygonWithAnEmptyExteriorIsRefused() throws {
        var bytes: [UInt8] = [1, 3, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 4, 0, 0, 0]
        for value in [0.0, 0, 1, 0, 1, 1, 0, 0] { withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes += $0 } }
        #expect(throws: WKBError.holeInEmptyPolygon(offset: 13)) { try Geometry(wkb: bytes) }
    }
}

// MARK: JSON

@Suite struct JSONFuzzRegressions {
    @Test(arguments: FuzzInput.all("fuzz-json"))
    func inputIsRefusedOrRoundTripsAsAPropertyValue(input: FuzzInput) throws {
        let bytes = try input.bytes
        guard let value = try? JSONValue(parsing: bytes) else {
            #expect(throws: GeoJSONError.self) { try JSONValue(parsing: bytes) }
            return
        }
        let feature = Feature(geometry: nil, properties: ["value": value])
        let written = try GeoJSONWriter.encode(feature, options: .init(maxDepth: 66))
        #expect(try GeoJSONReader(options: .init(maxDepth: 66)).readFeature(written) == feature)
    }

    @Test(arguments: FuzzInput.seeds("fuzz-json"))
    func seedsNamedValidParseAndSeedsNamedInvalidAreRefused(input: FuzzInput) throws {
        let bytes = try input.bytes
        if input.name.hasPrefix("invalid-") {
            #expect(throws: GeoJSONError.self) { try JSONValue(parsing: bytes) }
        } else {
            #expect(throws: Never.self) { try JSONValue(parsing: bytes) }
        }
    }
}
