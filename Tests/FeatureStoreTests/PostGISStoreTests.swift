import Foundation
import Testing
@testable import FeatureStore
import GeoModel

/// What only the PostGIS store has: a URL, a schema, a GiST index.
@Suite struct PostGISStoreTests {
    static let skip = ProcessInfo.processInfo.environment["PLANATLAS_SKIP_POSTGIS"] == "1"

    @Test(.disabled(if: skip, "PLANATLAS_SKIP_POSTGIS=1"))
    func spatialQueriesUseTheGiSTIndex() async throws {
        try await withStore(.postGIS) { store in
            let store = try #require(store as? PostGISStore)
            try await store.createLayer(pointsLayer)
            for query in [FeatureQuery(bbox: BoundingBox(minX: 123, minY: 41, maxX: 124, maxY: 42)),
                          FeatureQuery(near: NearFilter(center: c(123.4, 41.8), radiusMetres: 500))] {
                let plan = try await store.queryPlan(query)
                #expect(plan.contains { $0.contains("features_geom") }, "\(plan)")
            }
        }
    }

    @Test(.disabled(if: skip, "PLANATLAS_SKIP_POSTGIS=1"))
    func twoStoresOnOneSchemaShareTheirData() async throws {
        try await withStore(.postGIS) { store in
            let first = try #require(store as? PostGISStore)
            try await first.createLayer(pointsLayer)
            try await first.insert(feature("a", point(123.4, 41.8)), into: "sites")
            // A second service instance: opening the schema again migrates nothing and sees the data.
            let second = try await PostGISStore(url: try postgresURL(), schema: first.schema)
            #expect(try await second.feature(.string("a"), in: "sites") != nil)
            try await second.insert(feature("b", point(123.4, 41.8)), into: "sites")
            #expect(try await first.count(FeatureQuery()) == 2)
            await second.close()
        }
    }

    @Test(arguments: ["mysql://u:p@h/d", "postgres://", "postgres://h:5432/d", "not a url at all"])
    func urlsThatAreNotPostgresURLsAreRefused(_ url: String) async {
        let error = await #expect(throws: StoreError.self) { try await PostGISStore(url: url) }
        guard case .invalidLocation = error else {
            Issue.record("expected invalidLocation, got \(String(describing: error))")
            return
        }
    }

    @Test func aServerThatRefusesTheConnectionFailsAtOnceWithTheReason() async {
        // Port 1 on loopback: nothing listens there, the kernel refuses.
        let error = await #expect(throws: StoreError.self) { try await PostGISStore(url: "postgres://u:p@127.0.0.1:1/d") }
        guard case .database(let message) = error else {
            Issue.record("expected a database error, got \(String(describing: error))")
            return
        }
        #expect(message.hasPrefix("cannot connect to PostgreSQL at 127.0.0.1:1 as 'u'"))
        #expect(message.contains("refused"))
    }

    @Test(.disabled(if: skip, "PLANATLAS_SKIP_POSTGIS=1"))
    func aWrongPasswordFailsAtOnceWithTheServersReason() async throws {
        var url = try #require(URLComponents(string: try postgresURL()))
        url.password = "not-the-password"
        let error = await #expect(throws: StoreError.self) { try await PostGISStore(url: url.string!) }
        #expect(error.map { "\($0)" }?.contains("password authentication failed") == true)
        #expect(error.map { "\($0)" }?.contains("not-the-password") == false)
    }

    @Test func theErrorForABadURLHidesThePassword() async {
        let error = await #expect(throws: StoreError.self) { try await PostGISStore(url: "mysql://user:secret@h/d") }
        #expect(error.map { "\($0)" }?.contains("secret") == false)
    }

    @Test(arguments: ["Planatlas", "a-b", "x\"; DROP SCHEMA public CASCADE; --", "", "1abc"])
    func schemaNamesThatAreNotPlainIdentifiersAreRefused(_ schema: String) async {
        let error = await #expect(throws: StoreError.self) {
            try await PostGISStore(url: "postgres://u:p@127.0.0.1:1/d", schema: schema)
        }
        guard case .invalidLocation = error else {
            Issue.record("expected invalidLocation, got \(String(describing: error))")
            return
        }
    }
}
