import Testing
@testable import FeatureStore
import GeoModel

/// The layer catalogue, the same for both stores.
@Suite struct CatalogueContractTests {
    @Test(arguments: StoreKind.underTest)
    func aNewStoreIsEmpty(_ kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let isEmpty = try await store.isEmpty()
            #expect(isEmpty)
            #expect(try await store.layers().isEmpty)
            #expect(try await store.hasLayer("sites") == false)
        }
    }

    @Test(arguments: StoreKind.underTest)
    func layersAreListedInCreationOrderWithTheirFeatureCounts(_ kind: StoreKind) async throws {
        try await withStore(kind) { store in
            try await store.createLayer(zonesLayer)
            try await store.createLayer(pointsLayer)
            try await store.insert(feature("a", point(123.4, 41.8)), into: "sites")
            try await store.insert(feature("b", point(123.5, 41.8)), into: "sites")
            let layers = try await store.layers()
            #expect(layers.map(\.layer) == [zonesLayer, pointsLayer])
            #expect(layers.map(\.featureCount) == [0, 2])
            #expect(try await store.isEmpty() == false)
            #expect(try await store.hasLayer("sites"))
        }
    }

    @Test(arguments: StoreKind.underTest)
    func aLayersRevisionMovesOnEveryWriteToItAndOnlyThen(_ kind: StoreKind) async throws {
        try await withStore(kind) { store in
            try await store.createLayer(zonesLayer)
            try await store.createLayer(pointsLayer)
            var seen = [try await store.revisions()]
            func expectMoved(_ layer: String, _ other: String) async throws {
                let now = try await store.revisions()
                #expect(now[layer] != seen.last![layer], "the revision of \(layer) should move")
                #expect(now[other] == seen.last![other], "the revision of \(other) should stay")
                #expect(!seen.contains { $0[layer] == now[layer] }, "a revision never comes back")
                seen.append(now)
            }
            try await store.insert(feature("a", point(123.4, 41.8)), into: "sites")
            try await expectMoved("sites", "zones")
            _ = try await store.query(FeatureQuery(layers: ["sites"]))
            #expect(try await store.revisions() == seen.last!, "reads leave revisions alone")
            try await store.replace(feature("a", point(123.5, 41.8)), in: "sites")
            try await expectMoved("sites", "zones")
            try await store.delete(.string("a"), from: "sites")
            try await expectMoved("sites", "zones")
            try await store.insert(feature("a", point(123.4, 41.8)), into: "sites")
            try await expectMoved("sites", "zones")
            try await store.dropLayer("sites")
            #expect(try await store.revisions()["sites"] == nil)
        }
    }

    @Test(arguments: StoreKind.underTest)
    func layerTitlesAndMetadataRoundTripInOrder(_ kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let layer = LayerInfo(id: "metro", titleZH: "地铁线路", titleEN: "Metro lines", geometryType: .lineString,
                                  metadata: ["plan_section": "交通", "style": ["stroke": "#e4002b", "width": 3], "order": 2.5])
            try await store.createLayer(layer)
            #expect(try await store.layer("metro") == layer)
            #expect(try await store.layer("metro")?.metadata.keys.elementsEqual(["plan_section", "style", "order"]) == true)
        }
    }

    @Test(arguments: StoreKind.underTest)
    func aMultiPartGeometryTypeIsStoredAsItsSinglePartForm(_ kind: StoreKind) async throws {
        try await withStore(kind) { store in
            try await store.createLayer(LayerInfo(id: "parks", titleZH: "公园", titleEN: "Parks", geometryType: .multiPolygon))
            #expect(try await store.layer("parks")?.geometryType == .polygon)
        }
    }

    @Test(arguments: StoreKind.underTest)
    func creatingALayerTwiceFailsWithLayerExists(_ kind: StoreKind) async throws {
        try await withStore(kind) { store in
            try await store.createLayer(pointsLayer)
            await #expect(throws: StoreError.layerExists("sites")) { try await store.createLayer(pointsLayer) }
        }
    }

    @Test(arguments: StoreKind.underTest)
    func layerIDsMustBeNonEmptyAndWithoutNUL(_ kind: StoreKind) async throws {
        try await withStore(kind) { store in
            for id in ["", "a\0b", String(repeating: "x", count: 257)] {
                let error = await #expect(throws: StoreError.self) {
                    try await store.createLayer(LayerInfo(id: id, titleZH: "", titleEN: "", geometryType: .point))
                }
                guard case .invalidLayer(let badID, _) = error else {
                    Issue.record("expected invalidLayer, got \(String(describing: error))")
                    continue
                }
                #expect(badID == id)
            }
            let layers = try await store.layers()
            #expect(layers.isEmpty)
        }
    }

    @Test(arguments: StoreKind.underTest)
    func droppingALayerRemovesItAndItsFeatures(_ kind: StoreKind) async throws {
        try await withStore(kind) { store in
            try await store.createLayer(pointsLayer)
            try await store.createLayer(zonesLayer)
            try await store.insert(feature("a", point(123.4, 41.8)), into: "sites")
            try await store.insert(feature("z", square(123.4, 41.8, side: 0.01)), into: "zones")
            try await store.dropLayer("sites")
            #expect(try await store.layers().map(\.layer.id) == ["zones"])
            #expect(try await store.count(FeatureQuery()) == 1)
            // The id is free again, in a new layer of the same name.
            try await store.createLayer(pointsLayer)
            try await store.insert(feature("a", point(123.4, 41.8)), into: "sites")
        }
    }

    @Test(arguments: StoreKind.underTest)
    func droppingAnUnknownLayerFailsWithUnknownLayer(_ kind: StoreKind) async throws {
        try await withStore(kind) { store in
            await #expect(throws: StoreError.unknownLayer("nope")) { try await store.dropLayer("nope") }
        }
    }

    @Test(arguments: StoreKind.underTest)
    func aClosedStoreRefusesCalls(_ kind: StoreKind) async throws {
        try await withStore(kind) { store in
            try await store.createLayer(pointsLayer)
            await store.close()
            await #expect(throws: StoreError.closed) { _ = try await store.layers() }
            await #expect(throws: StoreError.closed) { try await store.insert(feature("a", point(1, 2)), into: "sites") }
        }
    }
}
