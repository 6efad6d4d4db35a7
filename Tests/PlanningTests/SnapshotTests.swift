import FeatureStore
import GeoModel
import Planning
import Testing

/// Queries run on cached layer snapshots; writes through the atlas must never leave them stale.
@Suite struct SnapshotTests {
    @Test func nearSeesAFeatureInsertedThroughTheAtlas() async throws {
        try await withAtlas(Fixtures.all) { atlas in
            let query = NearQuery(location: c(123.50, 41.90), reach: .within(metres: 100), layers: ["sites"])
            #expect(try await atlas.near(query).isEmpty)  // builds and caches the snapshot
            try await atlas.apply([.insert(feature("site-new", point(123.5005, 41.90)), layer: "sites")])
            let hits = try await atlas.near(query)
            #expect(hits.map(\.key) == ["sites/site-new"])
        }
    }

    @Test func nearForgetsAFeatureDeletedThroughTheAtlas() async throws {
        try await withAtlas(Fixtures.all) { atlas in
            let query = NearQuery(location: c(123.451, 41.85), reach: .nearest(1), layers: ["sites"])
            #expect(try await atlas.near(query).map(\.key) == ["sites/site-01"])
            try await atlas.apply([.delete(.string("site-01"), layer: "sites", expectedVersion: nil)])
            #expect(try await atlas.near(query).map(\.key) == ["sites/site-02"])
        }
    }

    @Test func nearSeesAFeatureMovedThroughTheAtlas() async throws {
        try await withAtlas(Fixtures.all) { atlas in
            let query = NearQuery(location: c(123.60, 41.60), reach: .within(metres: 50), layers: ["sites"])
            #expect(try await atlas.near(query).isEmpty)
            try await atlas.apply([.replace(feature("site-12", point(123.60, 41.60)), layer: "sites", expectedVersion: nil)])
            #expect(try await atlas.near(query).map(\.key) == ["sites/site-12"])
        }
    }

    @Test func aFailedWriteLeavesTheSnapshotAnsweringAsBefore() async throws {
        try await withAtlas(Fixtures.all) { atlas in
            let query = NearQuery(location: c(123.451, 41.85), reach: .nearest(1), layers: ["sites"])
            let before = try await atlas.near(query)
            #expect(before.map(\.key) == ["sites/site-01"])
            // The second change repeats an id: the batch fails whole.
            let changes: [FeatureChange] = [.delete(.string("site-01"), layer: "sites", expectedVersion: nil),
                                            .insert(feature("site-02", point(123.0, 41.0)), layer: "sites")]
            let error = await #expect(throws: StoreError.self) { try await atlas.apply(changes) }
            #expect(error?.description.contains("site-02") == true, "\(String(describing: error))")
            let after = try await atlas.near(query)
            #expect(after == before)
        }
    }

    @Test func aWriteByAnotherInstanceIsSeenOnceTheRevisionsAreReadAgain() async throws {
        try await withAtlas(Fixtures.all) { atlas in
            // Two service instances on one store: this one never re-reads revisions on its own.
            let reader = Atlas(store: atlas.store, revisionCheckInterval: .seconds(3600))
            let query = NearQuery(location: c(123.50, 41.90), reach: .within(metres: 100), layers: ["sites"])
            #expect(try await reader.near(query).isEmpty)
            try await atlas.apply([.insert(feature("site-elsewhere", point(123.50, 41.90)), layer: "sites")])
            #expect(try await reader.near(query).isEmpty, "within the check interval the old revision holds")
            reader.invalidate()
            #expect(try await reader.near(query).map(\.key) == ["sites/site-elsewhere"])
        }
    }

    @Test func anInstanceThatChecksEveryTimeSeesAnotherInstancesWriteAtOnce() async throws {
        try await withAtlas(Fixtures.all) { atlas in
            let reader = Atlas(store: atlas.store, revisionCheckInterval: .zero)
            let query = NearQuery(location: c(123.50, 41.90), reach: .within(metres: 100), layers: ["sites"])
            #expect(try await reader.near(query).isEmpty)
            try await atlas.store.insert(feature("site-elsewhere", point(123.50, 41.90)), into: "sites")
            #expect(try await reader.near(query).map(\.key) == ["sites/site-elsewhere"])
        }
    }

    @Test func theExtentSpansEveryFeatureAcrossSlicesAndSkipsFeaturesWithoutGeometry() async throws {
        // Enough features for the projection to run in several slices.
        let layer = LayerInfo(id: "grid", titleZH: "", titleEN: "", geometryType: .point)
        var features: [StoredFeature] = (0..<20_000).map { (n: Int) -> StoredFeature in
            let lon = 123.1 + Double(n % 100) * 0.007
            let lat = 41.6 + Double(n / 100) * 0.002
            return StoredFeature(layer: "grid", id: .string("p\(n)"), feature: feature("p\(n)", point(lon, lat)), version: 1)
        }
        features.append(StoredFeature(layer: "grid", id: .string("none"), feature: feature("none", nil), version: 1))
        let snapshot = try await LayerSnapshot(layer: layer, features: features)
        let extent = try #require(snapshot.extent)
        #expect(abs(extent.minX - 123.1) < 1e-12 && abs(extent.maxX - 123.793) < 1e-12)
        #expect(abs(extent.minY - 41.6) < 1e-12 && abs(extent.maxY - 41.998) < 1e-12)
        let withoutGeometry = try await LayerSnapshot(layer: layer, features: [features.last!])
        #expect(withoutGeometry.extent == nil)
    }
}
