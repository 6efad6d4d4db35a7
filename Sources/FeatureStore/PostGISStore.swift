import Foundation
public import GeoModel
import Logging
import PostgresNIO
import Synchronization
public import OrderedCollections

/// The scale-out store: PostgreSQL 15+ with PostGIS 3, through PostgresNIO's pooled client.
///
/// Layout: the tables live in their own schema (default `planatlas`), one `features` table for
/// every layer as in `SpatiaLiteStore`. Layer names, ids, keys and values are always bound
/// parameters; the only text spliced into SQL is the schema name, which must be a plain
/// lower-case identifier (checked, then double-quoted).
///
/// Geometry is `geometry` with SRID 4326 (a CHECK constraint rather than the `geometry(Geometry,
/// 4326)` typmod, which would refuse to hold 2D and 3D features side by side), with a GiST
/// index. Distance queries prefilter with `&&` on the GiST index using a conservative lon/lat
/// box, then test `ST_DWithin` on geography (spheroid), so the index is used and the result is
/// exact in metres. Concurrent writers are safe: replace and delete check the version in the
/// same UPDATE/DELETE, and versions come from a sequence.
///
/// Every call is bounded in time (`Timeouts`): while PostgreSQL is down or restarting, calls fail
/// with `.unavailable` instead of waiting, and the pool reconnects by itself once it is back.
public final class PostGISStore: FeatureStore {
    /// How long a call waits for PostgreSQL before it fails with `.unavailable`. Set in the URL:
    /// `?connect_timeout=5&query_timeout=30` (seconds).
    public struct Timeouts: Hashable, Sendable {
        /// Getting a connection from the pool, opening a new one included. PostgresNIO's pool has
        /// no bound of its own: while PostgreSQL is away a call would wait for it forever.
        public var connection: Duration
        /// The database's answers to one call, or to one change of a batch write (an import may
        /// run for minutes, each of its features may not). A connection that stays silent longer
        /// is closed, so a server that vanished without closing the socket cannot hold a call.
        public var query: Duration

        public init(connection: Duration = .seconds(5), query: Duration = .seconds(30)) {
            self.connection = connection
            self.query = query
        }
    }

    /// The pool's size: one service instance opens at most this many connections.
    static let maximumConnections = 8

    /// The schema holding planatlas's tables.
    public let schema: String
    public let timeouts: Timeouts
    private let client: PostgresClient
    private let runTask: Task<Void, Never>
    private let isClosed = Atomic<Bool>(false)
    private let closings = ClosingConnections()
    private let logger: Logger
    private let tables: Tables

    /// Connects to `url` (`postgres://user:password@host:port/database`, optional
    /// `?sslmode=disable|prefer|require`, default prefer, and the `Timeouts`) and creates or
    /// migrates the schema.
    public init(url: String, schema: String = "planatlas") async throws(StoreError) {
        guard schema.range(of: "^[a-z_][a-z0-9_]{0,62}$", options: .regularExpression) != nil else {
            throw .invalidLocation("schema name \(quoted(schema)) must match [a-z_][a-z0-9_]{0,62}")
        }
        self.schema = schema
        tables = Tables(schema: schema)
        var logger = Logger(label: "planatlas.postgis")
        logger.logLevel = .warning
        self.logger = logger
        let settings = try ConnectionSettings(url: url)
        timeouts = settings.timeouts
        // One direct connection first: the pool would retry a refused or unauthorised
        // connection forever, while this fails at once with the server's reason.
        try await settings.probe(logger: logger)
        client = PostgresClient(configuration: settings.clientConfiguration, backgroundLogger: logger)
        runTask = Self.run(client)
        do {
            try await migrate()
        } catch {
            await close()
            throw error
        }
    }

    public func close() async {
        guard !isClosed.exchange(true, ordering: .acquiringAndReleasing) else { return }
        runTask.cancel()
        await runTask.value
    }

    // MARK: Connections and errors

    /// Starts the pool's background work. `Task.immediate` runs `run()` up to its first suspension
    /// before returning, so the client knows it runs before the first lease (PostgresNIO warns of
    /// a lease before `run()`, which a plain `Task` could not rule out).
    private static func run(_ client: PostgresClient) -> Task<Void, Never> {
        if #available(macOS 26, *) {
            Task.immediate { await client.run() }
        } else {
            Task { await client.run() }
        }
    }

    /// Runs `body` on a pooled connection within the store's `timeouts`: no connection within
    /// `timeouts.connection`, or no answer within `timeouts.query`, fails with `.unavailable`.
    private func withConnection<T: Sendable>(
        _ body: sending @escaping (PostgresConnection, CallDeadline) async throws -> T
    ) async throws(StoreError) -> T {
        guard !isClosed.load(ordering: .acquiring) else { throw .closed }
        let client = client
        let closings = closings
        let answer = FirstAnswer<T>()
        let deadline = CallDeadline(timeouts) { error in answer.give(.failure(error)) }
        let call = Task {
            do {
                answer.give(.success(try await client.withConnection { connection in
                    guard deadline.leased(connection) else { throw CancellationError() }
                    closings.watch(connection, for: deadline)
                    defer {
                        closings.unwatch(connection)
                        deadline.finish()
                    }
                    return try await body(connection, deadline)
                }))
            } catch {
                answer.give(.failure(error))
            }
        }
        let watchdog = Task {
            while let due = deadline.due {
                try await Task.sleep(until: due, clock: .continuous)
                deadline.expireIfDue()
            }
            call.cancel()  // stops a wait for a lease that came too late
        }
        defer { watchdog.cancel() }
        do {
            return try await withTaskCancellationHandler { try await answer.value } onCancel: { call.cancel() }
        } catch let error as StoreError {
            throw error
        } catch {
            // Still connecting: the pool gave up (shut down, its circuit breaker open) or the caller left.
            throw deadline.isConnecting ? .unavailable(Self.message(for: error)) : Self.storeError(error)
        }
    }

    /// Runs `body` in a transaction on one pooled connection: COMMIT if it returns, ROLLBACK if
    /// it throws.
    private func transaction<T: Sendable>(
        readOnly: Bool = false, _ body: sending @escaping (PostgresConnection, CallDeadline) async throws -> T
    ) async throws(StoreError) -> T {
        let logger = logger
        return try await withConnection { connection, deadline in
            try await connection.query(readOnly ? "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY" : "BEGIN",
                                       logger: logger)
            do {
                let result = try await body(connection, deadline)
                try await connection.query("COMMIT", logger: logger)
                return result
            } catch {
                // On a closed connection there is nothing to roll back, and the query would never be answered.
                if !connection.isClosed { _ = try? await connection.query("ROLLBACK", logger: logger) }
                throw error
            }
        }
    }

    private static func storeError(_ error: any Error) -> StoreError {
        let message = message(for: error)
        guard let error = error as? PSQLError else { return .database(message) }
        if let state = error.serverInfo?[.sqlState] {
            // Class 08: connection exception; 57P01-57P03: the server is shutting down or starting
            // up; 53100: disk full.
            if state == "53100" { return .storageFull(message) }
            if state.hasPrefix("08") || ["57P01", "57P02", "57P03"].contains(state) { return .unavailable(message) }
            return .database(message)
        }
        switch error.code {
        // The pool closes a connection the server dropped; queries still on it fail with clientClosedConnection.
        case .connectionError, .serverClosedConnection, .clientClosedConnection, .uncleanShutdown: return .unavailable(message)
        default: return .database(message)
        }
    }

    /// What went wrong, from the server's error fields when there are some. (PSQLError's own
    /// description hides them, to keep query text out of logs.)
    fileprivate static func message(for error: any Error) -> String {
        if let error = error as? PSQLError {
            if let info = error.serverInfo {
                let state = info[.sqlState].map { " (SQLSTATE \($0))" } ?? ""
                return "PostgreSQL: \(info[.message] ?? "error")\(state)"
            }
            // An underlying PSQLError would only add its generic description.
            let cause = error.underlying.flatMap { $0 is PSQLError ? nil : ": \($0)" } ?? ""
            return "PostgreSQL connection: \(error.code)\(cause)"
        }
        if let error = error as? PostgresDecodingError {
            return "PostgreSQL: cannot decode column \(error.columnName) (\(error.code))"
        }
        return "PostgreSQL: \(error)"
    }

    // MARK: Schema

    /// Qualified names of the tables (the schema is a checked identifier).
    private struct Tables {
        let schema: String
        var quotedSchema: String { "\"\(schema)\"" }
        var meta: String { "\(quotedSchema).meta" }
        var layers: String { "\(quotedSchema).layers" }
        var features: String { "\(quotedSchema).features" }
        /// As a text literal for nextval().
        var versionSequence: String { "'\(quotedSchema).feature_version'" }
    }

    static let currentVersion: Int64 = 2

    private func migrate() async throws(StoreError) {
        let t = tables
        let schema = schema
        try await transaction { connection, _ in
            let logger = self.logger
            // Several service instances may start at once: one migrates, the others wait.
            try await connection.query("SELECT pg_advisory_xact_lock(hashtext('planatlas schema ' || \(schema)))",
                                       logger: logger)
            let hasPostGIS = try await connection.rows(
                "SELECT count(*) FROM pg_extension WHERE extname = 'postgis'", logger: logger
            ).decodeFirst(Int64.self) ?? 0
            if hasPostGIS == 0 {
                throw StoreError.incompatibleDatabase(
                    "the PostGIS extension is not installed in this database (run CREATE EXTENSION postgis as its owner)")
            }
            try await connection.query("CREATE SCHEMA IF NOT EXISTS \(unescaped: t.quotedSchema)", logger: logger)
            try await connection.query(
                "CREATE TABLE IF NOT EXISTS \(unescaped: t.meta) (key text PRIMARY KEY, value bigint NOT NULL)",
                logger: logger)
            let version = try await connection.rows(
                "SELECT value FROM \(unescaped: t.meta) WHERE key = 'schema_version'", logger: logger
            ).decodeFirst(Int64.self) ?? 0
            if version > Self.currentVersion {
                throw StoreError.incompatibleDatabase(
                    "schema \(quoted(schema)) is at version \(version), newer than this build's \(Self.currentVersion)")
            }
            for number in stride(from: version + 1, through: Self.currentVersion, by: 1) {
                for statement in Self.migration(number, t) {
                    try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                }
            }
            try await connection.query("""
                INSERT INTO \(unescaped: t.meta) (key, value) VALUES ('schema_version', \(Self.currentVersion))
                ON CONFLICT (key) DO UPDATE SET value = excluded.value
                """, logger: logger)
        }
    }

    /// Migration n brings the schema from version n-1 to n. Add cases; never edit old ones.
    private static func migration(_ number: Int64, _ t: Tables) -> [String] {
        switch number {
        case 1:
            [
                """
                CREATE TABLE \(t.layers) (
                    position bigint GENERATED ALWAYS AS IDENTITY,
                    id text PRIMARY KEY,
                    title_zh text NOT NULL,
                    title_en text NOT NULL,
                    geometry_type text NOT NULL,
                    metadata json NOT NULL
                )
                """,
                """
                CREATE TABLE \(t.features) (
                    fid bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                    layer text NOT NULL REFERENCES \(t.layers) (id) ON DELETE CASCADE,
                    id text NOT NULL,
                    id_is_number boolean NOT NULL,
                    geom geometry CONSTRAINT geom_is_wgs84 CHECK (ST_SRID(geom) = 4326),
                    properties json NOT NULL,
                    properties_b jsonb GENERATED ALWAYS AS (properties::jsonb) STORED,
                    version bigint NOT NULL,
                    UNIQUE (layer, id)
                )
                """,
                "CREATE INDEX features_geom ON \(t.features) USING gist (geom)",
                "CREATE INDEX features_by_layer ON \(t.features) (layer, fid)",
                "CREATE SEQUENCE \(t.quotedSchema).feature_version",
            ]
        case 2:
            ["ALTER TABLE \(t.layers) ADD COLUMN revision bigint NOT NULL DEFAULT 0"]
        default: []
        }
    }

    // MARK: Catalogue

    public func createLayer(_ layer: LayerInfo) async throws(StoreError) {
        let metadata = try validateLayer(layer)
        let t = tables
        let logger = logger
        let inserted = try await withConnection { connection, _ in
            try await connection.rows("""
                INSERT INTO \(unescaped: t.layers) (id, title_zh, title_en, geometry_type, metadata)
                VALUES (\(layer.id), \(layer.titleZH), \(layer.titleEN), \(layer.geometryType.singular.rawValue), \(metadata)::json)
                ON CONFLICT (id) DO NOTHING RETURNING 1
                """, logger: logger).count
        }
        if inserted == 0 { throw .layerExists(layer.id) }
    }

    public func layers() async throws(StoreError) -> [LayerSummary] {
        let t = tables
        let logger = logger
        let rows = try await withConnection { connection, _ in
            var rows: [(String, String, String, String, String, Int64)] = []
            for row in try await connection.rows("""
                SELECT id, title_zh, title_en, geometry_type, metadata::text,
                       (SELECT count(*) FROM \(unescaped: t.features) f WHERE f.layer = l.id)
                FROM \(unescaped: t.layers) l ORDER BY l.position
                """, logger: logger).decode((String, String, String, String, String, Int64).self) {
                rows.append(row)
            }
            return rows.map { LayerRow(id: $0.0, titleZH: $0.1, titleEN: $0.2, type: $0.3, metadata: $0.4, count: $0.5) }
        }
        var result: [LayerSummary] = []
        for row in rows { result.append(LayerSummary(layer: try row.info(), featureCount: Int(row.count))) }
        return result
    }

    public func revisions() async throws(StoreError) -> OrderedDictionary<String, Int64> {
        let t = tables
        let logger = logger
        return try await withConnection { connection, _ in
            var result: OrderedDictionary<String, Int64> = [:]
            for (id, revision) in try await connection.rows(
                "SELECT id, revision FROM \(unescaped: t.layers) ORDER BY position", logger: logger
            ).decode((String, Int64).self) {
                result[id] = revision
            }
            return result
        }
    }

    public func layer(_ id: String) async throws(StoreError) -> LayerInfo? {
        let t = tables
        let logger = logger
        let row = try await withConnection { connection, _ in
            try await Self.layerRow(id, t, connection, logger)
        }
        return try row?.info()
    }

    public func dropLayer(_ id: String) async throws(StoreError) {
        let t = tables
        let logger = logger
        let deleted = try await withConnection { connection, _ in
            try await connection.rows("DELETE FROM \(unescaped: t.layers) WHERE id = \(id) RETURNING 1",
                                       logger: logger).count
        }
        if deleted == 0 { throw .unknownLayer(id) }
    }

    private struct LayerRow: Sendable {
        var id, titleZH, titleEN, type, metadata: String
        var count: Int64 = 0

        func info() throws(StoreError) -> LayerInfo {
            guard let geometryType = GeometryType(rawValue: type) else {
                throw .database("layer \(quoted(id)) has unknown geometry type \(quoted(type))")
            }
            do {
                return LayerInfo(id: id, titleZH: titleZH, titleEN: titleEN, geometryType: geometryType,
                                 metadata: try PropertiesJSON.decodeObject(metadata))
            } catch {
                throw .database("layer \(quoted(id)) metadata: \(error.reason)")
            }
        }
    }

    private static func layerRow(_ id: String, _ t: Tables, _ connection: PostgresConnection,
                                 _ logger: Logger) async throws -> LayerRow? {
        for (id, zh, en, type, metadata) in try await connection.rows("""
            SELECT id, title_zh, title_en, geometry_type, metadata::text FROM \(unescaped: t.layers) WHERE id = \(id)
            """, logger: logger).decode((String, String, String, String, String).self) {
            return LayerRow(id: id, titleZH: zh, titleEN: en, type: type, metadata: metadata)
        }
        return nil
    }

    // MARK: Writes

    @discardableResult
    public func apply(
        _ changes: sending some Sequence<FeatureChange>,
        options: WriteOptions,
        progress: (@Sendable (Int) -> Void)?
    ) async throws(StoreError) -> WriteSummary {
        let t = tables
        let logger = logger
        // Of a concrete type: the transaction runs in a task of its own, which may take a value of
        // an opaque type along but not its metatype (not Sendable). Still read lazily.
        let changes = AnySequence(changes)
        return try await transaction { connection, deadline in
            var layers: [String: LayerInfo] = [:]
            var summary = WriteSummary()
            var applied = 0
            var touched = Set<String>()
            for change in changes {
                // An import may run for minutes; each of its changes gets the query timeout.
                deadline.extend()
                // Layers are looked up once per batch; the lookup is async, prepare() is not.
                let layerID = change.layerID
                touched.insert(layerID)
                if layers[layerID] == nil, let row = try await Self.layerRow(layerID, t, connection, logger) {
                    layers[layerID] = try row.info()
                }
                guard let layer = layers[layerID] else { throw StoreError.unknownLayer(layerID) }
                let prepared = try prepare(change, position: applied) { _ throws(StoreError) in layer }
                switch prepared {
                case .insert(var feature):
                    if try await Self.checkGeometry(&feature, layer: layer, options: options, connection, logger) {
                        summary.repaired += 1
                    }
                    let version = try await connection.rows("""
                        INSERT INTO \(unescaped: t.features) (layer, id, id_is_number, geom, properties, version)
                        VALUES (\(layerID), \(feature.idText), \(feature.idIsNumber),
                                ST_GeomFromWKB(\(feature.exactWKB.map(ByteBuffer.init(bytes:))), 4326),
                                \(feature.propertiesJSON)::json, nextval(\(unescaped: t.versionSequence)))
                        ON CONFLICT (layer, id) DO NOTHING RETURNING version
                        """, logger: logger).decodeFirst(Int64.self)
                    guard let version else { throw StoreError.duplicateID(feature.reference) }
                    summary.inserted += 1
                    summary.lastVersion = version
                case .replace(var feature, let expectedVersion):
                    if try await Self.checkGeometry(&feature, layer: layer, options: options, connection, logger) {
                        summary.repaired += 1
                    }
                    let version = try await connection.rows("""
                        UPDATE \(unescaped: t.features)
                        SET id_is_number = \(feature.idIsNumber),
                            geom = ST_GeomFromWKB(\(feature.exactWKB.map(ByteBuffer.init(bytes:))), 4326),
                            properties = \(feature.propertiesJSON)::json,
                            version = nextval(\(unescaped: t.versionSequence))
                        WHERE layer = \(layerID) AND id = \(feature.idText)
                          AND (\(expectedVersion)::bigint IS NULL OR version = \(expectedVersion))
                        RETURNING version
                        """, logger: logger).decodeFirst(Int64.self)
                    guard let version else {
                        throw try await Self.missingOrChanged(feature.reference, idText: feature.idText,
                                                              expected: expectedVersion, t, connection, logger)
                    }
                    summary.replaced += 1
                    summary.lastVersion = version
                case let .delete(reference, idText, expectedVersion):
                    let deleted = try await connection.rows("""
                        DELETE FROM \(unescaped: t.features)
                        WHERE layer = \(layerID) AND id = \(idText)
                          AND (\(expectedVersion)::bigint IS NULL OR version = \(expectedVersion))
                        RETURNING 1
                        """, logger: logger).count
                    if deleted == 0 {
                        throw try await Self.missingOrChanged(reference, idText: idText, expected: expectedVersion,
                                                              t, connection, logger)
                    }
                    summary.deleted += 1
                }
                applied += 1
                if applied % options.progressInterval == 0 { progress?(applied) }
            }
            for layer in touched {
                try await connection.query("""
                    UPDATE \(unescaped: t.layers) SET revision = nextval(\(unescaped: t.versionSequence)) WHERE id = \(layer)
                    """, logger: logger)
            }
            if applied % options.progressInterval != 0 { progress?(applied) }
            return summary
        }
    }

    private static func missingOrChanged(_ reference: FeatureReference, idText: String, expected: Int64?, _ t: Tables,
                                         _ connection: PostgresConnection, _ logger: Logger) async throws -> StoreError {
        let current = try await connection.rows("""
            SELECT version FROM \(unescaped: t.features) WHERE layer = \(reference.layer) AND id = \(idText)
            """, logger: logger).decodeFirst(Int64.self)
        guard let current, let expected else { return .notFound(reference) }
        return .versionMismatch(reference, expected: expected, actual: current)
    }

    /// GEOS's validity check (through PostGIS) and, when asked, ST_MakeValid. Returns whether
    /// the geometry was repaired.
    private static func checkGeometry(_ feature: inout PreparedFeature, layer: LayerInfo, options: WriteOptions,
                                      _ connection: PostgresConnection, _ logger: Logger) async throws -> Bool {
        guard feature.needsValidityCheck, let wkb = feature.spatialWKB else { return false }
        let geometry = ByteBuffer(bytes: wkb)
        let reason = try await connection.rows("""
            SELECT CASE WHEN ST_IsValid(g) THEN '' ELSE ST_IsValidReason(g) END
            FROM (SELECT ST_GeomFromWKB(\(geometry), 4326) AS g) AS candidate
            """, logger: logger).decodeFirst(String.self) ?? ""
        if reason.isEmpty { return false }
        guard options.repairInvalid else { throw StoreError.invalidGeometry(feature.reference, reason: reason) }
        let repaired = try await connection.rows(
            "SELECT ST_AsBinary(ST_MakeValid(ST_GeomFromWKB(\(geometry), 4326)))", logger: logger
        ).decodeFirst(ByteBuffer.self)
        guard let repaired else {
            throw StoreError.invalidGeometry(feature.reference, reason: "\(reason); ST_MakeValid could not repair it")
        }
        try feature.adoptRepaired(wkb: Array(buffer: repaired), layer: layer)
        return true
    }

    // MARK: Reads

    /// Columns every feature read selects, in the order `FeatureRow` decodes them.
    private static let featureColumns = "f.layer, f.id, f.id_is_number, ST_AsBinary(f.geom), f.properties::text, f.version"

    private typealias FeatureColumns = (String, String, Bool, ByteBuffer?, String, Int64)

    private static func storedFeature(_ row: FeatureColumns) throws(StoreError) -> StoredFeature {
        try decodeStoredFeature(layer: row.0, idText: row.1, idIsNumber: row.2, wkb: row.3.map { Array(buffer: $0) },
                                properties: row.4, version: row.5)
    }

    public func feature(_ id: FeatureID, in layer: String) async throws(StoreError) -> StoredFeature? {
        let t = tables
        let logger = logger
        // One statement answers both "is there such a layer" and "is there such a feature".
        let rows = try await withConnection { connection, _ in
            var rows: [(String?, String?, Bool?, ByteBuffer?, String?, Int64?)] = []
            for row in try await connection.rows("""
                SELECT \(unescaped: Self.featureColumns)
                FROM \(unescaped: t.layers) l
                LEFT JOIN \(unescaped: t.features) f ON f.layer = l.id AND f.id = \(id.description)
                WHERE l.id = \(layer)
                """, logger: logger).decode((String?, String?, Bool?, ByteBuffer?, String?, Int64?).self) {
                rows.append(row)
            }
            return rows
        }
        guard let row = rows.first else { throw .unknownLayer(layer) }
        guard let layerID = row.0, let idText = row.1, let isNumber = row.2, let properties = row.4, let version = row.5
        else { return nil }
        return try Self.storedFeature((layerID, idText, isNumber, row.3, properties, version))
    }

    public func query(_ query: FeatureQuery) async throws(StoreError) -> QueryPage {
        try query.validate()
        let t = tables
        let logger = logger
        let result = try await transaction(readOnly: true) { connection, _ in
            try await Self.checkLayers(query.layers, t, connection, logger)
            var select = SQLBuilder()
            var distance = ""
            if let near = query.near {
                distance = ", ST_Distance(f.geom::geography, ST_SetSRID(ST_MakePoint(\(select.bind(near.center.lon)), "
                    + "\(select.bind(near.center.lat))), 4326)::geography) AS distance"
            }
            let filter = Self.filter(for: query, into: &select)
            let order = query.near == nil ? "f.fid" : "distance, f.fid"
            let limit = query.limit.map { select.bind(Int64($0)) } ?? "ALL"
            let offset = select.bind(Int64(query.offset))
            var matches: [(FeatureColumns, Double?)] = []
            let rows = try await connection.rows(PostgresQuery(unsafeSQL: """
                SELECT \(Self.featureColumns)\(query.near == nil ? ", NULL::float8" : distance)
                FROM \(t.features) f WHERE \(filter) ORDER BY \(order) LIMIT \(limit) OFFSET \(offset)
                """, binds: select.bindings), logger: logger)
            for row in try rows.decode((String, String, Bool, ByteBuffer?, String, Int64, Double?).self) {
                matches.append(((row.0, row.1, row.2, row.3, row.4, row.5), row.6))
            }
            var counting = SQLBuilder()
            let countFilter = Self.filter(for: query, into: &counting)
            let total = try await connection.rows(PostgresQuery(unsafeSQL: """
                SELECT count(*) FROM \(t.features) f WHERE \(countFilter)
                """, binds: counting.bindings), logger: logger).decodeFirst(Int64.self) ?? 0
            return (matches, total)
        }
        var matches: [FeatureMatch] = []
        for (columns, distance) in result.0 {
            matches.append(FeatureMatch(feature: try Self.storedFeature(columns), distanceMetres: distance))
        }
        return QueryPage(matches: matches, totalCount: Int(result.1))
    }

    public func count(_ query: FeatureQuery) async throws(StoreError) -> Int {
        try query.validate()
        let t = tables
        let logger = logger
        return try await transaction(readOnly: true) { connection, _ in
            try await Self.checkLayers(query.layers, t, connection, logger)
            var counting = SQLBuilder()
            let filter = Self.filter(for: query, into: &counting)
            let total = try await connection.rows(PostgresQuery(unsafeSQL: """
                SELECT count(*) FROM \(t.features) f WHERE \(filter)
                """, binds: counting.bindings), logger: logger).decodeFirst(Int64.self) ?? 0
            return Int(total)
        }
    }

    public func batch(ofLayer layer: String, after cursor: FeatureCursor?, limit: Int) async throws(StoreError) -> FeatureBatch {
        guard limit > 0 else { throw .invalidQuery("batch limit \(limit) must be positive") }
        let t = tables
        let logger = logger
        let rows = try await transaction(readOnly: true) { connection, _ in
            try await Self.checkLayers([layer], t, connection, logger)
            var rows: [(FeatureColumns, Int64)] = []
            for row in try await connection.rows("""
                SELECT \(unescaped: Self.featureColumns), f.fid FROM \(unescaped: t.features) f
                WHERE f.layer = \(layer) AND f.fid > \(cursor?.rowKey ?? 0) ORDER BY f.fid LIMIT \(Int64(limit))
                """, logger: logger).decode((String, String, Bool, ByteBuffer?, String, Int64, Int64).self) {
                rows.append(((row.0, row.1, row.2, row.3, row.4, row.5), row.6))
            }
            return rows
        }
        var features: [StoredFeature] = []
        for (columns, _) in rows { features.append(try Self.storedFeature(columns)) }
        let next = rows.count == limit ? rows.last.map { FeatureCursor(rowKey: $0.1) } : nil
        return FeatureBatch(features: features, next: next)
    }

    /// Throws `.unknownLayer` for the first of `layers` that does not exist.
    private static func checkLayers(_ layers: [String], _ t: Tables, _ connection: PostgresConnection,
                                    _ logger: Logger) async throws {
        guard !layers.isEmpty else { return }
        var known: Set<String> = []
        for id in try await connection.rows(
            "SELECT id FROM \(unescaped: t.layers) WHERE id = ANY(\(layers))", logger: logger
        ).decode(String.self) {
            known.insert(id)
        }
        if let missing = layers.first(where: { !known.contains($0) }) { throw StoreError.unknownLayer(missing) }
    }

    /// The WHERE clause of a query; every value goes through `builder` as a bound parameter.
    private static func filter(for query: FeatureQuery, into builder: inout SQLBuilder) -> String {
        var clauses: [String] = []
        if !query.layers.isEmpty { clauses.append("f.layer = ANY(\(builder.bind(query.layers)))") }
        func envelope(_ box: BoundingBox, _ builder: inout SQLBuilder) -> String {
            "ST_MakeEnvelope(\(builder.bind(box.minX)), \(builder.bind(box.minY)), \(builder.bind(box.maxX)), "
                + "\(builder.bind(box.maxY)), 4326)"
        }
        if let bbox = query.bbox {
            clauses.append("ST_Intersects(f.geom, \(envelope(bbox, &builder)))")
        }
        if let near = query.near {
            // && on the GiST index with a box that holds the whole circle, then the exact test.
            clauses.append("f.geom && \(envelope(near.searchBox, &builder))")
            let point = "ST_SetSRID(ST_MakePoint(\(builder.bind(near.center.lon)), \(builder.bind(near.center.lat))), 4326)"
            clauses.append("ST_DWithin(f.geom::geography, \(point)::geography, \(builder.bind(near.radiusMetres)))")
        }
        for property in query.properties {
            // validate() admitted only scalars, which always encode.
            let value = (try? PropertiesJSON.encodeValue(property.value)) ?? "null"
            clauses.append("f.properties_b -> \(builder.bind(property.key)) = \(builder.bind(value))::jsonb")
        }
        return clauses.isEmpty ? "TRUE" : clauses.joined(separator: " AND ")
    }

    /// Drops the schema with everything in it, then closes the store (tests use a schema each).
    func dropSchema() async throws(StoreError) {
        let t = tables
        let logger = logger
        _ = try await withConnection { connection, _ in
            try await connection.query("DROP SCHEMA \(unescaped: t.quotedSchema) CASCADE", logger: logger)
        }
        await close()
    }

    /// EXPLAIN of the SQL a query would run, for tests that check the GiST index is used.
    func queryPlan(_ query: FeatureQuery) async throws(StoreError) -> [String] {
        let t = tables
        let logger = logger
        return try await withConnection { connection, _ in
            var builder = SQLBuilder()
            let filter = Self.filter(for: query, into: &builder)
            // Planner settings local to this transaction: with a few test rows a sequential scan
            // is cheaper, which would hide whether the index *can* be used.
            try await connection.query("BEGIN", logger: logger)
            try await connection.query("SET LOCAL enable_seqscan = off", logger: logger)
            var lines: [String] = []
            for line in try await connection.rows(PostgresQuery(unsafeSQL: """
                EXPLAIN SELECT f.fid FROM \(t.features) f WHERE \(filter)
                """, binds: builder.bindings), logger: logger).decode(String.self) {
                lines.append(line)
            }
            try await connection.query("ROLLBACK", logger: logger)
            return lines
        }
    }
}

/// Where and how to connect, read from a `postgres://` URL.
private struct ConnectionSettings {
    var host: String
    var port: Int
    var username: String
    var password: String?
    var database: String?
    var sslMode: String
    var timeouts = PostGISStore.Timeouts()

    init(url: String) throws(StoreError) {
        guard let components = URLComponents(string: url),
              let scheme = components.scheme, ["postgres", "postgresql"].contains(scheme),
              let host = components.host, !host.isEmpty, let user = components.user
        else {
            throw .invalidLocation("expected postgres://user:password@host:port/database, got \(quoted(Self.redacted(url)))")
        }
        self.host = host
        port = components.port ?? 5432
        username = user.removingPercentEncoding ?? user
        password = components.password.map { $0.removingPercentEncoding ?? $0 }
        let path = String(components.path.drop(while: { $0 == "/" }))
        database = path.isEmpty ? nil : path.removingPercentEncoding ?? path
        let parameters = components.queryItems ?? []
        sslMode = parameters.first(where: { $0.name == "sslmode" })?.value ?? "prefer"
        guard ["disable", "prefer", "require"].contains(sslMode) else {
            throw .invalidLocation("sslmode \(quoted(sslMode)) is not disable, prefer or require")
        }
        if let seconds = parameters.first(where: { $0.name == "connect_timeout" })?.value {
            timeouts.connection = try Self.timeout("connect_timeout", seconds)
        }
        if let seconds = parameters.first(where: { $0.name == "query_timeout" })?.value {
            timeouts.query = try Self.timeout("query_timeout", seconds)
        }
    }

    /// A URL's timeout parameter: a positive number of seconds, at most a day.
    private static func timeout(_ name: String, _ text: String) throws(StoreError) -> Duration {
        guard let seconds = Double(text), seconds > 0, seconds <= 86_400 else {
            throw .invalidLocation("\(name) must be a number of seconds between 0 and 86400, got \(quoted(text))")
        }
        return .milliseconds(Int64((seconds * 1000).rounded(.up)))
    }

    /// The URL without its password, for messages.
    static func redacted(_ url: String) -> String {
        guard var components = URLComponents(string: url), components.password != nil else { return url }
        components.password = "***"
        return components.string ?? "(unparsable URL)"
    }

    var clientConfiguration: PostgresClient.Configuration {
        let tls: PostgresClient.Configuration.TLS = switch sslMode {
        case "disable": .disable
        case "require": .require(.makeClientConfiguration())
        default: .prefer(.makeClientConfiguration())
        }
        var configuration = PostgresClient.Configuration(host: host, port: port, username: username, password: password,
                                                         database: database, tls: tls)
        configuration.options.maximumConnections = PostGISStore.maximumConnections
        // Opening a connection (TCP and PostgreSQL's startup) within the bound on getting one.
        configuration.options.connectTimeout = timeouts.connection
        return configuration
    }

    /// Opens and closes one connection, turning a refusal into a clear error.
    func probe(logger: Logger) async throws(StoreError) {
        let place = "PostgreSQL at \(host):\(port) as \(quoted(username))"
        do {
            let tls: PostgresConnection.Configuration.TLS = switch sslMode {
            case "disable": .disable
            case "require": .require(try NIOSSLContext(configuration: .makeClientConfiguration()))
            default: .prefer(try NIOSSLContext(configuration: .makeClientConfiguration()))
            }
            var configuration = PostgresConnection.Configuration(host: host, port: port, username: username,
                                                                 password: password, database: database, tls: tls)
            configuration.options.connectTimeout = TimeAmount(timeouts.connection)
            let connection = try await PostgresConnection.connect(configuration: configuration, id: 0, logger: logger)
            try await connection.close()
        } catch {
            throw .database("cannot connect to \(place): \(PostGISStore.message(for: error))")
        }
    }
}

/// SQL text with `$n` placeholders and their values.
private struct SQLBuilder {
    var bindings = PostgresBindings()

    /// Appends a value and returns its placeholder.
    mutating func bind(_ value: some PostgresDynamicTypeEncodable) -> String {
        bindings.append(value)
        return "$\(bindings.count)"
    }
}

extension PostgresConnection {
    /// Runs `query` and reads all of its rows at once. Not through PostgresNIO's row stream: while
    /// a stream waits for its consumer, a server closing the connection (a restart) makes
    /// PostgresNIO 1.33 trap in RowStreamStateMachine ("How can we receive a body part, after a
    /// channelReadComplete, but no read has been forwarded yet"), which would end the process.
    /// Every caller here keeps all the rows anyway.
    func rows(_ query: PostgresQuery, logger: Logger) async throws -> [PostgresRow] {
        let result: EventLoopFuture<PostgresQueryResult> = self.query(query, logger: logger)
        return try await result.get().rows
    }
}

extension [PostgresRow] {
    /// Each row's columns as `columns`.
    func decode<each Column: PostgresDecodable>(_ columns: (repeat each Column).Type) throws -> [(repeat each Column)] {
        try map { try $0.decode(columns) }
    }

    /// The first column of the first row, or nil without rows.
    func decodeFirst<T: PostgresDecodable>(_ type: T.Type) throws -> T? {
        try first?.decode(T.self)
    }
}
