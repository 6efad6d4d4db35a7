import Synchronization
import Testing
@testable import FeatureStore
import GeoModel

/// Inserts, replaces, deletes, batches and the checks on what goes in.
@Suite struct WriteContractTests {
    /// Every geometry form, with Z, EMPTY and nesting, comes back exactly.
    static let geometries: [Geometry?] = [
        nil,
        point(123.4315, 41.7868),
        .point(Point(Coordinate(x: 123.4, y: 41.8, z: 55.5))),
        .point(.empty),
        .lineString(LineString([c(123.40, 41.80), c(123.41, 41.81), c(123.42, 41.80)])),
        .lineString(.empty),
        .polygon(Polygon(exterior: [c(123.40, 41.80), c(123.44, 41.80), c(123.44, 41.84), c(123.40, 41.84), c(123.40, 41.80)],
                         holes: [[c(123.41, 41.81), c(123.42, 41.81), c(123.42, 41.82), c(123.41, 41.81)]])),
        .polygon(.empty),
        .multiPoint(MultiPoint([c(123.4, 41.8), c(123.5, 41.9)])),
        .multiLineString(MultiLineString([LineString([c(123.4, 41.8), c(123.5, 41.9)]), LineString([c(123.6, 41.8), c(123.7, 41.9)])])),
        .multiPolygon(MultiPolygon([Polygon(exterior: [c(123.4, 41.8), c(123.5, 41.8), c(123.5, 41.9), c(123.4, 41.8)]), .empty])),
        .geometryCollection(GeometryCollection([
            .lineString(LineString([c(123.4, 41.8), c(123.5, 41.9)])), point(123.45, 41.85), .point(.empty),
            .geometryCollection(GeometryCollection([point(123.46, 41.86)])),
        ])),
        .geometryCollection(.empty),
        .lineString(LineString([Coordinate(x: 123.4, y: 41.8, z: 10), Coordinate(x: 123.5, y: 41.9, z: 20)])),
    ]

    @Test(arguments: StoreKind.underTest)
    func everyGeometryFormRoundTripsExactly(_ kind: StoreKind) async throws {
        try await withStore(kind) { store in
            try await store.createLayer(mixedLayer)
            for (i, geometry) in Self.geometries.enumerated() {
                let original = feature("g\(i)", geometry)
                try await store.insert(original, into: "mixed")
                let stored = try #require(try await store.feature(.string("g\(i)"), in: "mixed"))
                #expect(stored.feature == original, "geometry \(i)")
            }
        }
    }

    @Test(arguments: StoreKind.underTest)
    func propertiesRoundTripWithKeyOrderAndNumberKinds(_ kind: StoreKind) async throws {
        try await withStore(kind) { store in
            try await store.createLayer(pointsLayer)
            let properties: JSONObject = [
                "zeta": "最后", "alpha": 1, "ratio": 1.0, "big": .integer(Int64.max), "tiny": 1e-300, "flag": false,
                "none": nil, "list": [1, "two", [3.5], ["k": true]],
                "nested": ["b": 2, "a": 1], "text": "tab\there \"quoted\" back\\slash\nnew line \u{1}ctl 🚇",
            ]
            try await store.insert(feature("p", point(123.4, 41.8), properties), into: "sites")
            let stored = try #require(try await store.feature(.string("p"), in: "sites"))
            #expect(stored.feature.properties == properties)
            #expect(stored.feature.properties.keys.elementsEqual(properties.keys))
            #expect(stored.feature.properties["nested"]?.objectValue?.keys.elementsEqual(["b", "a"]) == true)
        }
    }

    @Test(arguments: StoreKind.underTest)
    func numericAndStringIDsKeepTheirType(_ kind: StoreKind) async throws {
        try await withStore(kind) { store in
            try await store.createLayer(pointsLayer)
            try await store.insert(Feature(id: .number(42), geometry: point(123.4, 41.8)), into: "sites")
            try await store.insert(Feature(id: .string("043"), geometry: point(123.4, 41.8)), into: "sites")
            #expect(try await store.feature(.number(42), in: "sites")?.id == .number(42))
            #expect(try await store.feature(.number(42), in: "sites")?.feature.id == .number(42))
            #expect(try await store.feature(.string("043"), in: "sites")?.id == .string("043"))
            #expect(try await store.feature(.number(43), in: "sites") == nil)
        }
    }

    @Test(arguments: StoreKind.underTest)
    func theNumber5AndTheString5AreTheSameID(_ kind: StoreKind) async throws {
        try await withStore(kind) { store in
            try await store.createLayer(pointsLayer)
            try await store.insert(Feature(id: .number(5), geometry: point(123.4, 41.8)), into: "sites")
            await #expect(throws: StoreError.duplicateID(FeatureReference(layer: "sites", id: .string("5"), position: nil))) {
                try await store.insert(Feature(id: .string("5"), geometry: point(123.4, 41.8)), into: "sites")
            }
        }
    }

    @Test(arguments: StoreKind.underTest)
    func theSameIDMayBeUsedInTwoLayers(_ kind: StoreKind) async throws {
        try await withStore(kind) { store in
            try await store.createLayer(pointsLayer)
            try await store.createLayer(mixedLayer)
            try await store.insert(feature("x", point(123.4, 41.8)), into: "sites")
            try await store.insert(feature("x", point(123.5, 41.8)), into: "mixed")
            #expect(try await store.count(FeatureQuery()) == 2)
        }
    }

    @Test(arguments: StoreKind.underTest)
    func aFeatureWithoutIDIsRefused(_ kind: StoreKind) async throws {
        try await withStore(kind) { store in
            try await store.createLayer(pointsLayer)
            await #expect(throws: StoreError.missingID(layer: "sites", position: nil)) {
                try await store.insert(Feature(geometry: point(123.4, 41.8)), into: "sites")
            }
        }
    }

    @Test(arguments: StoreKind.underTest)
    func emptyOrNULIDsAreRefused(_ kind: StoreKind) async throws {
        try await withStore(kind) { store in
            try await store.createLayer(pointsLayer)
            for id in ["", "a\0b"] {
                let error = await #expect(throws: StoreError.self) {
                    try await store.insert(feature(id, point(123.4, 41.8)), into: "sites")
                }
                guard case .invalidID(let reference, _) = error else {
                    Issue.record("expected invalidID, got \(String(describing: error))")
                    continue
                }
                #expect(reference.id == .string(id))
            }
        }
    }

    @Test(arguments: StoreKind.underTest)
    func aDuplicateIDIsRefused(_ kind: StoreKind) async throws {
        try await withStore(kind) { store in
            try await store.createLayer(pointsLayer)
            try await store.insert(feature("a", point(123.4, 41.8), ["v": 1]), into: "sites")
            await #expect(throws: StoreError.duplicateID(FeatureReference(layer: "sites", id: .string("a"), position: nil))) {
                try await store.insert(feature("a", point(123.5, 41.9), ["v": 2]), into: "sites")
            }
            #expect(try await store.feature(.string("a"), in: "sites")?.feature.properties == ["v": 1])
        }
    }

    @Test(arguments: StoreKind.underTest)
    func writesToAnUnknownLayerAreRefused(_ kind: StoreKind) async throws {
        try await withStore(kind) { store in
            await #expect(throws: StoreError.unknownLayer("nowhere")) {
                try await store.insert(feature("a", point(123.4, 41.8)), into: "nowhere")
            }
            await #expect(throws: StoreError.unknownLayer("nowhere")) {
                try await store.delete(.string("a"), from: "nowhere")
            }
            await #expect(throws: StoreError.unknownLayer("nowhere")) { _ = try await store.feature(.string("a"), in: "nowhere") }
        }
    }

    @Test(arguments: StoreKind.underTest)
    func aLayerTakesItsTypeAndItsMultiFormButNoOther(_ kind: StoreKind) async throws {
        try await withStore(kind) { store in
            try await store.createLayer(zonesLayer)
            try await store.insert(feature("single", square(123.4, 41.8, side: 0.01)), into: "zones")
            try await store.insert(feature("multi", .multiPolygon(MultiPolygon([
                Polygon(exterior: [c(123.5, 41.8), c(123.6, 41.8), c(123.6, 41.9), c(123.5, 41.8)])]))), into: "zones")
            try await store.insert(feature("unplaced", nil), into: "zones")
            try await store.insert(feature("empty", .polygon(.empty)), into: "zones")
            let line = feature("line", .lineString(LineString([c(123.4, 41.8), c(123.5, 41.9)])))
            await #expect(throws: StoreError.geometryTypeMismatch(
                FeatureReference(layer: "zones", id: .string("line"), position: nil), expected: .polygon, got: .lineString)) {
                try await store.insert(line, into: "zones")
            }
            let collection = feature("gc", .geometryCollection(GeometryCollection([square(123.4, 41.8, side: 0.01)])))
            await #expect(throws: StoreError.geometryTypeMismatch(
                FeatureReference(layer: "zones", id: .string("gc"), position: nil), expected: .polygon, got: .geometryCollection)) {
                try await store.insert(collection, into: "zones")
            }
            #expect(try await store.count(FeatureQuery(layers: ["zones"])) == 4)
        }
    }

    @Test(arguments: StoreKind.underTest)
    func invalidGeometryIsRefusedWithGEOSReason(_ kind: StoreKind) async throws {
        try await withStore(kind) { store in
            try await store.createLayer(zonesLayer)
            // A bow tie; shapely/GEOS: "Self-intersection[123.405 41.805]" (Tools/store-test-fixtures.py).
            let bowTie = Geometry.polygon(Polygon(exterior: [
                c(123.40, 41.80), c(123.41, 41.81), c(123.41, 41.80), c(123.40, 41.81), c(123.40, 41.80)]))
            let error = await #expect(throws: StoreError.self) {
                try await store.insert(feature("bow", bowTie), into: "zones")
            }
            guard case .invalidGeometry(let reference, let reason) = error else {
                Issue.record("expected invalidGeometry, got \(String(describing: error))")
                return
            }
            #expect(reference == FeatureReference(layer: "zones", id: .string("bow"), position: nil))
            #expect(reason.hasPrefix("Self-intersection[123.405"))
            #expect(reason.contains("41.805"))
            #expect(try await store.count(FeatureQuery()) == 0)
        }
    }

    @Test(arguments: StoreKind.underTest)
    func aHoleOutsideItsShellIsRefusedWithGEOSReason(_ kind: StoreKind) async throws {
        try await withStore(kind) { store in
            try await store.createLayer(zonesLayer)
            // shapely/GEOS: "Hole lies outside shell[20 20]" for the same shape at (0 0).
            let polygon = Geometry.polygon(Polygon(
                exterior: [c(0, 0), c(10, 0), c(10, 10), c(0, 10), c(0, 0)],
                holes: [[c(20, 20), c(21, 20), c(21, 21), c(20, 20)]]))
            await #expect(throws: StoreError.invalidGeometry(
                FeatureReference(layer: "zones", id: .string("h"), position: nil), reason: "Hole lies outside shell[20 20]")) {
                try await store.insert(feature("h", polygon), into: "zones")
            }
        }
    }

    @Test(arguments: StoreKind.underTest)
    func invalidGeometryIsRepairedWhenAsked(_ kind: StoreKind) async throws {
        try await withStore(kind) { store in
            try await store.createLayer(zonesLayer)
            let bowTie = Geometry.polygon(Polygon(exterior: [
                c(123.40, 41.80), c(123.41, 41.81), c(123.41, 41.80), c(123.40, 41.81), c(123.40, 41.80)]))
            let summary = try await store.apply([.insert(feature("bow", bowTie), layer: "zones")],
                                                options: WriteOptions(repairInvalid: true), progress: nil)
            #expect(summary.repaired == 1)
            #expect(summary.inserted == 1)
            let stored = try #require(try await store.feature(.string("bow"), in: "zones"))
            // shapely's make_valid gives a MultiPolygon of 2 triangles (Tools/store-test-fixtures.py).
            guard case .multiPolygon(let repaired) = stored.feature.geometry else {
                Issue.record("expected a MultiPolygon, got \(String(describing: stored.feature.geometry))")
                return
            }
            #expect(repaired.polygons.count == 2)
            #expect(repaired.polygons.allSatisfy { $0.exterior.count == 4 })
        }
    }

    @Test(arguments: StoreKind.underTest)
    func geometryGEOSCannotBuildIsRefusedWithTheFault(_ kind: StoreKind) async throws {
        try await withStore(kind) { store in
            try await store.createLayer(mixedLayer)
            let cases: [(Geometry, String)] = [
                (.lineString(LineString([c(123.4, 41.8)])), "Too few points"),
                (.polygon(Polygon(exterior: [c(123.4, 41.8), c(123.5, 41.8), c(123.4, 41.8)])), "Too few points"),
                (.polygon(Polygon(exterior: [c(123.4, 41.8), c(123.5, 41.8), c(123.5, 41.9), c(123.4, 41.9)])), "Ring is not closed"),
                (point(.nan, 41.8), "Invalid Coordinate[nan 41.8]"),
                (point(.infinity, 41.8), "Invalid Coordinate[inf 41.8]"),
                (point(200, 41.8), "Coordinate outside WGS84"),
                (.geometryCollection(GeometryCollection([point(123.4, 95)])), "Coordinate outside WGS84"),
            ]
            for (i, (geometry, expected)) in cases.enumerated() {
                let error = await #expect(throws: StoreError.self) {
                    try await store.insert(feature("bad\(i)", geometry), into: "mixed")
                }
                guard case .invalidGeometry(let reference, let reason) = error else {
                    Issue.record("case \(i): expected invalidGeometry, got \(String(describing: error))")
                    continue
                }
                #expect(reference.id == .string("bad\(i)"))
                #expect(reason.contains(expected), "case \(i): \(reason)")
            }
            #expect(try await store.count(FeatureQuery()) == 0)
        }
    }

    @Test(arguments: StoreKind.underTest)
    func propertiesJSONCannotHoldAreRefused(_ kind: StoreKind) async throws {
        try await withStore(kind) { store in
            try await store.createLayer(pointsLayer)
            let bad: [JSONObject] = [["x": .number(.nan)], ["list": [.number(.infinity)]], ["s": "a\0b"], ["k\0": 1]]
            for (i, properties) in bad.enumerated() {
                let error = await #expect(throws: StoreError.self) {
                    try await store.insert(feature("f\(i)", point(123.4, 41.8), properties), into: "sites")
                }
                guard case .invalidProperties(let reference, _) = error else {
                    Issue.record("case \(i): expected invalidProperties, got \(String(describing: error))")
                    continue
                }
                #expect(reference.id == .string("f\(i)"))
            }
        }
    }

    @Test(arguments: StoreKind.underTest)
    func sqlMetacharactersAreStoredLiterally(_ kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let hostile = ["'; DROP TABLE features; --", "\"quoted\" 'single' `back`", "back\\slash\\", "$1 ? ?1 :a @a",
                           "路线 🚇 ñ", "%_*[]", "; DELETE FROM layers; SELECT '"]
            for (i, name) in hostile.enumerated() {
                try await store.createLayer(LayerInfo(id: name, titleZH: name, titleEN: name, geometryType: .point,
                                                      metadata: [name: .string(name)]))
                for (j, id) in hostile.enumerated() {
                    try await store.insert(Feature(id: .string(id), geometry: point(123.4 + Double(j) * 0.001, 41.8),
                                                   properties: [name: .string(id), "layer#": .integer(Int64(i))]), into: name)
                }
            }
            let layers = try await store.layers()
            #expect(layers.map(\.layer.id) == hostile)
            #expect(layers.allSatisfy { $0.featureCount == hostile.count })
            #expect(layers.map(\.layer.metadata) == hostile.map { [$0: .string($0)] })
            for name in hostile {
                for id in hostile {
                    let stored = try #require(try await store.feature(.string(id), in: name))
                    #expect(stored.feature.properties[name] == .string(id))
                }
                // Filters bind keys and values: a hostile key and value match exactly one feature.
                let hits = try await store.ids(FeatureQuery(layers: [name], properties: [PropertyFilter(key: name, value: .string(name))]))
                #expect(hits == [name])
            }
            #expect(try await store.count(FeatureQuery()) == hostile.count * hostile.count)
        }
    }

    @Test(arguments: StoreKind.underTest)
    func aBatchIsAllOrNothingAndTheErrorNamesTheBadFeature(_ kind: StoreKind) async throws {
        try await withStore(kind) { store in
            try await store.createLayer(pointsLayer)
            try await store.insert(feature("before", point(123.4, 41.8)), into: "sites")
            let versionBefore = try #require(try await store.feature(.string("before"), in: "sites")).version
            await #expect(throws: StoreError.invalidGeometry(
                FeatureReference(layer: "sites", id: .string("p1500"), position: 1500), reason: "Invalid Coordinate[nan 41.8]")) {
                try await store.insert(contentsOf: generatedPoints(2000, badAt: 1500), into: "sites")
            }
            #expect(try await store.count(FeatureQuery()) == 1)
            #expect(try await store.feature(.string("p0"), in: "sites") == nil)
            // Versions keep increasing after a failed batch.
            let next = try await store.insert(feature("after", point(123.4, 41.8)), into: "sites")
            #expect(next > versionBefore)
        }
    }

    @Test(arguments: StoreKind.underTest)
    func aDuplicateInsideABatchRollsBackTheBatch(_ kind: StoreKind) async throws {
        try await withStore(kind) { store in
            try await store.createLayer(pointsLayer)
            let changes: [FeatureChange] = [
                .insert(feature("a", point(123.4, 41.8)), layer: "sites"),
                .insert(feature("b", point(123.4, 41.8)), layer: "sites"),
                .insert(feature("a", point(123.4, 41.8)), layer: "sites"),
            ]
            await #expect(throws: StoreError.duplicateID(FeatureReference(layer: "sites", id: .string("a"), position: 2))) {
                try await store.apply(changes, options: WriteOptions(), progress: nil)
            }
            #expect(try await store.count(FeatureQuery()) == 0)
        }
    }

    @Test(arguments: StoreKind.underTest)
    func aBatchMixesInsertsReplacesAndDeletes(_ kind: StoreKind) async throws {
        try await withStore(kind) { store in
            try await store.createLayer(pointsLayer)
            try await store.insert(feature("old", point(123.4, 41.8)), into: "sites")
            try await store.insert(feature("gone", point(123.4, 41.8)), into: "sites")
            let summary = try await store.apply([
                .insert(feature("new", point(123.5, 41.8)), layer: "sites"),
                .replace(feature("old", point(123.6, 41.8), ["v": 2]), layer: "sites", expectedVersion: nil),
                .delete(.string("gone"), layer: "sites", expectedVersion: nil),
            ], options: WriteOptions(), progress: nil)
            #expect(summary.inserted == 1 && summary.replaced == 1 && summary.deleted == 1)
            #expect(try await store.feature(.string("old"), in: "sites")?.feature.properties == ["v": 2])
            #expect(try await store.feature(.string("gone"), in: "sites") == nil)
            #expect(try await store.ids(FeatureQuery()) == ["old", "new"])
        }
    }

    @Test(arguments: StoreKind.underTest)
    func progressIsReportedAsTheBatchAdvances(_ kind: StoreKind) async throws {
        try await withStore(kind) { store in
            try await store.createLayer(pointsLayer)
            let reports = Mutex<[Int]>([])
            try await store.insert(contentsOf: generatedPoints(2500), into: "sites",
                                   options: WriteOptions(progressInterval: 1000)) { count in
                reports.withLock { $0.append(count) }
            }
            #expect(reports.withLock { $0 } == [1000, 2000, 2500])
            #expect(try await store.count(FeatureQuery(layers: ["sites"])) == 2500)
        }
    }

    @Test(arguments: StoreKind.underTest)
    func replaceAndDeleteWithTheCurrentVersionSucceed(_ kind: StoreKind) async throws {
        try await withStore(kind) { store in
            try await store.createLayer(pointsLayer)
            let v1 = try await store.insert(feature("a", point(123.4, 41.8), ["v": 1]), into: "sites")
            #expect(try await store.feature(.string("a"), in: "sites")?.version == v1)
            let v2 = try await store.replace(feature("a", point(123.5, 41.8), ["v": 2]), in: "sites", expectedVersion: v1)
            #expect(v2 > v1)
            #expect(try await store.feature(.string("a"), in: "sites")?.version == v2)
            try await store.delete(.string("a"), from: "sites", expectedVersion: v2)
            #expect(try await store.feature(.string("a"), in: "sites") == nil)
        }
    }

    @Test(arguments: StoreKind.underTest)
    func aStaleVersionIsRefusedWithVersionMismatch(_ kind: StoreKind) async throws {
        try await withStore(kind) { store in
            try await store.createLayer(pointsLayer)
            let v1 = try await store.insert(feature("a", point(123.4, 41.8), ["v": 1]), into: "sites")
            let v2 = try await store.replace(feature("a", point(123.4, 41.8), ["v": 2]), in: "sites")  // someone else
            let reference = FeatureReference(layer: "sites", id: .string("a"), position: nil)
            await #expect(throws: StoreError.versionMismatch(reference, expected: v1, actual: v2)) {
                try await store.replace(feature("a", point(123.4, 41.8), ["v": 3]), in: "sites", expectedVersion: v1)
            }
            await #expect(throws: StoreError.versionMismatch(reference, expected: v1, actual: v2)) {
                try await store.delete(.string("a"), from: "sites", expectedVersion: v1)
            }
            #expect(try await store.feature(.string("a"), in: "sites")?.feature.properties == ["v": 2])
        }
    }

    @Test(arguments: StoreKind.underTest)
    func replacingOrDeletingAMissingFeatureFailsWithNotFound(_ kind: StoreKind) async throws {
        try await withStore(kind) { store in
            try await store.createLayer(pointsLayer)
            let reference = FeatureReference(layer: "sites", id: .string("ghost"), position: nil)
            await #expect(throws: StoreError.notFound(reference)) {
                try await store.replace(feature("ghost", point(123.4, 41.8)), in: "sites")
            }
            await #expect(throws: StoreError.notFound(reference)) {
                try await store.delete(.string("ghost"), from: "sites", expectedVersion: 7)
            }
        }
    }

    @Test(arguments: StoreKind.underTest)
    func versionsNeverRepeatEvenAfterDeleteAndReinsert(_ kind: StoreKind) async throws {
        try await withStore(kind) { store in
            try await store.createLayer(pointsLayer)
            var seen: [Int64] = []
            for _ in 0..<3 {
                seen.append(try await store.insert(feature("a", point(123.4, 41.8)), into: "sites"))
                seen.append(try await store.replace(feature("a", point(123.5, 41.8)), in: "sites"))
                try await store.delete(.string("a"), from: "sites")
            }
            #expect(seen == seen.sorted())
            #expect(Set(seen).count == seen.count)
        }
    }

    @Test(arguments: StoreKind.underTest)
    func aReplacedFeatureKeepsItsPlaceInTheLayerOrder(_ kind: StoreKind) async throws {
        try await withStore(kind) { store in
            try await store.createLayer(pointsLayer)
            for id in ["a", "b", "c"] { try await store.insert(feature(id, point(123.4, 41.8)), into: "sites") }
            try await store.replace(feature("a", point(123.9, 41.9)), in: "sites")
            var streamed: [String] = []
            for try await stored in store.features(inLayer: "sites") { streamed.append(stored.id.description) }
            #expect(streamed == ["a", "b", "c"])
        }
    }
}
