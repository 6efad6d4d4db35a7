import Foundation
import Testing
@testable import FeatureStore
import GeoModel

/// What only the SpatiaLite store has: a file, its schema version, its R*Tree.
@Suite struct SpatiaLiteStoreTests {
    func withFile(_ body: (String) async throws -> Void) async throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try await body(directory.appendingPathComponent("store.sqlite").path)
    }

    func pragma(_ name: String, _ path: String) throws -> String {
        let connection = try SQLiteConnection(path: path, readOnly: true)
        return try connection.firstRow("PRAGMA \(name)") { $0.text(0) } ?? ""
    }

    @Test func theFileIsInWALModeAndMarkedWithItsSchemaVersion() async throws {
        try await withFile { path in
            try await SpatiaLiteStore(path: path).close()
            #expect(try pragma("journal_mode", path) == "wal")
            #expect(try pragma("user_version", path) == String(SpatiaLiteSchema.currentVersion))
            #expect(try pragma("application_id", path) == String(SpatiaLiteSchema.applicationID))
        }
    }

    @Test func featuresSurviveClosingAndReopening() async throws {
        try await withFile { path in
            let first = try await SpatiaLiteStore(path: path)
            try await first.createLayer(pointsLayer)
            let version = try await first.insert(feature("a", point(123.4, 41.8), ["k": "v"]), into: "sites")
            await first.close()
            let second = try await SpatiaLiteStore(path: path)
            let stored = try #require(try await second.feature(.string("a"), in: "sites"))
            #expect(stored.version == version)
            #expect(stored.feature == feature("a", point(123.4, 41.8), ["k": "v"]))
            #expect(try await second.insert(feature("b", point(123.4, 41.8)), into: "sites") > version)
            await second.close()
        }
    }

    @Test func missingParentDirectoriesAreCreated() async throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("a/b/c/store.sqlite").path
        try await SpatiaLiteStore(path: path).close()
        #expect(FileManager.default.fileExists(atPath: path))
    }

    @Test func aSQLiteFileOfAnotherApplicationIsRefused() async throws {
        try await withFile { path in
            try SQLiteConnection(path: path, readOnly: false).execute("CREATE TABLE customers (name TEXT)")
            await #expect(throws: StoreError.incompatibleDatabase("the file is a SQLite database but not a planatlas store")) {
                try await SpatiaLiteStore(path: path)
            }
        }
    }

    @Test func aFileFromANewerSchemaIsRefused() async throws {
        try await withFile { path in
            try await SpatiaLiteStore(path: path).close()
            try SQLiteConnection(path: path, readOnly: false).execute("PRAGMA user_version = 99")
            await #expect(throws: StoreError.incompatibleDatabase(
                "schema version 99 is newer than this build's \(SpatiaLiteSchema.currentVersion)")) {
                try await SpatiaLiteStore(path: path)
            }
        }
    }

    @Test func aFileFromTheFirstSchemaIsMigratedAndKeepsItsFeatures() async throws {
        try await withFile { path in
            let store = try await SpatiaLiteStore(path: path)
            try await store.createLayer(pointsLayer)
            try await store.insert(feature("a", point(123.4, 41.8)), into: "sites")
            await store.close()
            // Schema 1 had no layer revisions.
            try SQLiteConnection(path: path, readOnly: false).execute(
                "ALTER TABLE layers DROP COLUMN revision; PRAGMA user_version = 1")
            let reopened = try await SpatiaLiteStore(path: path)
            #expect(try await reopened.revisions() == ["sites": 0])
            #expect(try await reopened.feature(.string("a"), in: "sites") != nil)
            try await reopened.insert(feature("b", point(123.5, 41.8)), into: "sites")
            #expect(try await reopened.revisions()["sites"] != 0)
            await reopened.close()
        }
    }

    @Test func aFileThatIsNotSQLiteIsRefused() async throws {
        try await withFile { path in
            try Data("this is not a database, just text long enough to fill a header".utf8).write(to: URL(fileURLWithPath: path))
            let error = await #expect(throws: StoreError.self) { try await SpatiaLiteStore(path: path) }
            guard case .database(let message) = error else {
                Issue.record("expected a database error, got \(String(describing: error))")
                return
            }
            #expect(message.contains("not a database"))
        }
    }

    @Test func spatialQueriesGoThroughTheRTree() async throws {
        try await withFile { path in
            let store = try await SpatiaLiteStore(path: path)
            try await store.createLayer(pointsLayer)
            let box = BoundingBox(minX: 123, minY: 41, maxX: 124, maxY: 42)
            let around = NearFilter(center: c(123.4, 41.8), radiusMetres: 500)
            for query in [FeatureQuery(bbox: box), FeatureQuery(near: around),
                          FeatureQuery(layers: ["sites"], bbox: box), FeatureQuery(layers: ["sites"], near: around)] {
                let plan = try await store.queryPlan(query)
                // A constrained R*Tree search (idxNum 2), then primary-key lookups (not the layer
                // index as well), never a table scan.
                #expect(plan.contains { $0.contains("idx_features_geometry VIRTUAL TABLE INDEX 2:") }, "\(plan)")
                #expect(plan.contains { $0.contains("SEARCH f USING INTEGER PRIMARY KEY") }, "\(plan)")
                #expect(!plan.contains { $0.hasPrefix("SCAN f") }, "\(plan)")
            }
            await store.close()
        }
    }

    @Test func layerQueriesUseTheLayerIndex() async throws {
        try await withFile { path in
            let store = try await SpatiaLiteStore(path: path)
            try await store.createLayer(pointsLayer)
            let plan = try await store.queryPlan(FeatureQuery(layers: ["sites"]))
            #expect(plan.contains { $0.contains("features_by_layer") }, "\(plan)")
            await store.close()
        }
    }

    @Test func anEmptyPathIsRefused() async {
        await #expect(throws: StoreError.invalidLocation("empty or NUL-containing path")) { try await SpatiaLiteStore(path: "") }
    }
}

@Suite struct StoreLocationTests {
    @Test func postgresURLsSelectPostGISAndAnythingElseIsAPath() {
        #expect(StoreLocation("postgres://u:p@h:5432/d") == .postGIS(url: "postgres://u:p@h:5432/d"))
        #expect(StoreLocation("postgresql://h/d") == .postGIS(url: "postgresql://h/d"))
        #expect(StoreLocation("data/plan.sqlite") == .spatiaLite(path: "data/plan.sqlite"))
    }

    @Test func theDefaultFollowsPlanatlasDatabaseThenXDGThenHome() {
        #expect(StoreLocation.default(environment: ["PLANATLAS_DATABASE": "/srv/p.sqlite", "HOME": "/home/u"])
            == .spatiaLite(path: "/srv/p.sqlite"))
        #expect(StoreLocation.default(environment: ["PLANATLAS_DATABASE": "postgres://u@h/d"]) == .postGIS(url: "postgres://u@h/d"))
        #expect(StoreLocation.default(environment: ["XDG_DATA_HOME": "/data", "HOME": "/home/u"])
            == .spatiaLite(path: "/data/planatlas/planatlas.sqlite"))
        #expect(StoreLocation.default(environment: ["XDG_DATA_HOME": "relative", "HOME": "/home/u"])
            == .spatiaLite(path: "/home/u/.local/share/planatlas/planatlas.sqlite"))
        #expect(StoreLocation.default(environment: [:]) == .spatiaLite(path: "planatlas.sqlite"))
    }

    @Test func descriptionsHideThePassword() {
        #expect(StoreLocation("postgres://user:secret@db:5432/plan").description == "postgres://user:***@db:5432/plan")
    }
}
