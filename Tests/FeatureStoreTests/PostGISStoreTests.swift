import Foundation
import Testing
@testable import FeatureStore
import GeoModel
import PostgresNIO

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

    // MARK: Bounded waits: PostgreSQL that does not answer is `.unavailable`, not a hang

    @Test(.disabled(if: skip, "PLANATLAS_SKIP_POSTGIS=1"), .timeLimit(.minutes(1)))
    func aCallTheDatabaseDoesNotAnswerWithinTheQueryTimeoutFailsAsUnavailableAndTheNextCallIsServed() async throws {
        try await withPostGISStore(parameters: [URLQueryItem(name: "query_timeout", value: "5")]) { store in
            #expect(store.timeouts.query == .seconds(5))
            try await store.createLayer(pointsLayer)
            try await store.insert(feature("a", point(123.4, 41.8)), into: "sites")
            try await withFeaturesLocked(in: store.schema) { _ in
                let error = await #expect(throws: StoreError.self) { try await store.feature(.string("a"), in: "sites") }
                guard case .unavailable(let message) = error else {
                    Issue.record("expected unavailable, got \(String(describing: error))")
                    return
                }
                #expect(message == "PostgreSQL did not answer within 5.0 seconds")
            }
            // The silent connection was closed; the pool opens another one.
            #expect(try await store.feature(.string("a"), in: "sites") != nil)
        }
    }

    @Test(.disabled(if: skip, "PLANATLAS_SKIP_POSTGIS=1"), .timeLimit(.minutes(1)))
    func aCallThatGetsNoConnectionWithinTheConnectTimeoutFailsAsUnavailableAndHarmsNoOtherCall() async throws {
        // Long enough to open a connection on a busy machine, one at a time.
        let parameters = [URLQueryItem(name: "connect_timeout", value: "3"), URLQueryItem(name: "query_timeout", value: "50")]
        try await withPostGISStore(parameters: parameters) { store in
            try await store.createLayer(pointsLayer)
            try await store.insert(feature("a", point(123.4, 41.8)), into: "sites")
            try await withFeaturesLocked(in: store.schema) { lock in
                try await withThrowingTaskGroup(of: StoredFeature?.self) { waiting in
                    // Every pooled connection taken by a call that waits for the lock.
                    for taken in 1...PostGISStore.maximumConnections {
                        waiting.addTask { try await store.feature(.string("a"), in: "sites") }
                        try await lock.waitForSessions(blockedOn: store.schema, count: taken)
                    }
                    let error = await #expect(throws: StoreError.self) { try await store.feature(.string("a"), in: "sites") }
                    try await lock.query("ROLLBACK")
                    // The calls that had a connection go on once the lock is gone.
                    for try await answer in waiting { #expect(answer?.id == .string("a")) }
                    guard case .unavailable(let message) = error else {
                        Issue.record("expected unavailable, got \(String(describing: error))")
                        return
                    }
                    #expect(message == "no connection to PostgreSQL within 3.0 seconds")
                }
            }
        }
    }

    @Test(arguments: ["connect_timeout=0", "connect_timeout=-1", "query_timeout=soon", "query_timeout=", "query_timeout=1e9"])
    func timeoutsThatAreNotAPositiveNumberOfSecondsAreRefused(_ parameter: String) async {
        let error = await #expect(throws: StoreError.self) { try await PostGISStore(url: "postgres://u:p@127.0.0.1:1/d?\(parameter)") }
        guard case .invalidLocation(let message) = error else {
            Issue.record("expected invalidLocation, got \(String(describing: error))")
            return
        }
        #expect(message.hasPrefix(String(parameter.prefix { $0 != "=" })))
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

/// Another session on the test database holding an exclusive lock on `schema`'s features table
/// while `body` runs, as a long migration or a forgotten transaction would: the store's queries
/// wait for it. `body` gets the session and may end the transaction itself (ROLLBACK; a second
/// one is only a warning).
func withFeaturesLocked(in schema: String, _ body: (PostgresConnection) async throws -> Void) async throws {
    let url = try #require(URLComponents(string: try postgresURL()))
    let configuration = PostgresConnection.Configuration(
        host: try #require(url.host), port: url.port ?? 5432, username: try #require(url.user), password: url.password,
        database: String(url.path.dropFirst()), tls: .disable)
    let logger = Logger(label: "planatlas.test.lock")
    let connection = try await PostgresConnection.connect(configuration: configuration, id: 1, logger: logger)
    do {
        try await connection.query("BEGIN", logger: logger)
        try await connection.query(PostgresQuery(unsafeSQL: "LOCK TABLE \"\(schema)\".features IN ACCESS EXCLUSIVE MODE"),
                                   logger: logger)
        try await body(connection)
        try await connection.query("ROLLBACK", logger: logger)
    } catch {
        try? await connection.close()
        throw error
    }
    try await connection.close()
}

extension PostgresConnection {
    func query(_ sql: String) async throws {
        try await query(PostgresQuery(unsafeSQL: sql), logger: Logger(label: "planatlas.test.lock"))
    }

    /// Returns once `count` sessions wait for a lock in a statement naming `schema`; gives up after 300 looks.
    func waitForSessions(blockedOn schema: String, count: Int) async throws {
        for _ in 0..<300 {
            // Inside a transaction PostgreSQL keeps showing the first look at pg_stat_activity.
            try await query("SELECT pg_stat_clear_snapshot()")
            let rows = try await query("""
                SELECT count(*) FROM pg_stat_activity
                WHERE wait_event_type = 'Lock' AND position(\(schema) IN query) > 0
                """, logger: Logger(label: "planatlas.test.lock"))
            for try await blocked in rows.decode(Int64.self) where blocked >= count { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        Issue.record("\(count) sessions never waited for the lock on \(schema)")
    }
}
