import Foundation
public import GeoModel
import Synchronization
public import OrderedCollections

/// The embedded store: one SQLite file with SpatiaLite.
///
/// Layout: one `features` table for every layer (layer is a column), so that no SQL is ever
/// built from a layer name, one R*Tree serves every query, and a search across layers is one
/// statement. Beside SpatiaLite's `geometry` column (2D, SRID 4326, R*Tree-indexed, what GEOS
/// and the distance functions see) the `wkb` column keeps the geometry exactly as written: Z,
/// EMPTY members and the order and nesting of collection members, which SpatiaLite's own model
/// would flatten.
///
/// Concurrency: one writer connection and `readerCount` reader connections, each owned by an
/// actor that runs it on its own thread. The file is in WAL mode, so readers keep reading the
/// last committed state while a write (even a million-feature import) runs.
///
/// Durability: WAL with `synchronous=FULL` on the writer. A committed write survives a process
/// crash and a power loss; an interrupted transaction leaves nothing behind. (NORMAL would save
/// one fsync per commit but could lose the last commits on power loss; an import is one commit,
/// so FULL costs it almost nothing.)
public final class SpatiaLiteStore: FeatureStore {
    /// The database file.
    public let path: String
    private let writer: SQLiteWorker
    private let readers: [SQLiteWorker]
    private let nextReader = Atomic<Int>(0)

    /// Opens (creating if needed, with its parent directory) and migrates the store at `path`.
    public init(path: String, readerCount: Int = 2) async throws(StoreError) {
        guard !path.isEmpty, !path.contains("\0") else { throw .invalidLocation("empty or NUL-containing path") }
        self.path = path
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty {
            do {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            } catch {
                throw .invalidLocation("cannot create directory \(quoted(directory)): \(error.localizedDescription)")
            }
        }
        writer = try SQLiteWorker(path: path, readOnly: false, pragmas: """
            PRAGMA journal_mode = WAL;
            PRAGMA synchronous = FULL;
            PRAGMA busy_timeout = 10000;
            PRAGMA foreign_keys = ON;
            PRAGMA cache_size = -65536;
            PRAGMA journal_size_limit = 67108864;
            """)
        try await writer.run { db throws(StoreError) in try SpatiaLiteSchema.migrate(db) }
        var readers: [SQLiteWorker] = []
        for _ in 0..<max(1, readerCount) {
            // Readers map the file: a page read is a memory access instead of a read() into the
            // page cache (a third of a bbox page's time at a million features). Writes never go
            // through the map.
            readers.append(try SQLiteWorker(path: path, readOnly: true, pragmas: """
                PRAGMA busy_timeout = 10000;
                PRAGMA cache_size = -16384;
                PRAGMA mmap_size = 1073741824;
                """))
        }
        self.readers = readers
    }

    /// Readers in turn; each serves one call at a time.
    private var reader: SQLiteWorker {
        readers[nextReader.add(1, ordering: .relaxed).oldValue % readers.count]
    }

    public func close() async {
        await writer.close()
        for reader in readers { await reader.close() }
    }

    // MARK: Catalogue

    public func createLayer(_ layer: LayerInfo) async throws(StoreError) {
        let metadata = try validateLayer(layer)
        try await writer.run { db throws(StoreError) in
            let inserted = try db.run("""
                INSERT INTO layers (id, title_zh, title_en, geometry_type, metadata) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (id) DO NOTHING
                """, [.text(layer.id), .text(layer.titleZH), .text(layer.titleEN),
                      .text(layer.geometryType.singular.rawValue), .text(metadata)])
            if inserted == 0 { throw .layerExists(layer.id) }
        }
    }

    public func layers() async throws(StoreError) -> [LayerSummary] {
        try await reader.run { db throws(StoreError) in
            var result: [LayerSummary] = []
            try db.forEachRow("""
                SELECT id, title_zh, title_en, geometry_type, metadata,
                       (SELECT count(*) FROM features f WHERE f.layer = l.id)
                FROM layers l ORDER BY l.rowid
                """, []) { row throws(StoreError) in
                result.append(LayerSummary(layer: try Self.layerInfo(row), featureCount: Int(row.int64(5))))
            }
            return result
        }
    }

    public func revisions() async throws(StoreError) -> OrderedDictionary<String, Int64> {
        try await reader.run { db throws(StoreError) in
            var result: OrderedDictionary<String, Int64> = [:]
            try db.forEachRow("SELECT id, revision FROM layers ORDER BY rowid", []) { row throws(StoreError) in
                result[row.text(0)] = row.int64(1)
            }
            return result
        }
    }

    public func layer(_ id: String) async throws(StoreError) -> LayerInfo? {
        try await reader.run { db throws(StoreError) in try Self.loadLayer(id, db) }
    }

    public func dropLayer(_ id: String) async throws(StoreError) {
        try await writer.run { db throws(StoreError) in
            try db.transaction { () throws(StoreError) in
                try db.run("DELETE FROM features WHERE layer = ?", [.text(id)])
                if try db.run("DELETE FROM layers WHERE id = ?", [.text(id)]) == 0 { throw .unknownLayer(id) }
            }
        }
    }

    private static func loadLayer(_ id: String, _ db: SQLiteConnection) throws(StoreError) -> LayerInfo? {
        try db.firstRow("SELECT id, title_zh, title_en, geometry_type, metadata FROM layers WHERE id = ?",
                        [.text(id)], layerInfo)
    }

    private static func layerInfo(_ row: SQLiteRow) throws(StoreError) -> LayerInfo {
        let id = row.text(0)
        guard let type = GeometryType(rawValue: row.text(3)) else {
            throw .database("layer \(quoted(id)) has unknown geometry type \(quoted(row.text(3)))")
        }
        let metadata: JSONObject
        do {
            metadata = try PropertiesJSON.decodeObject(row.text(4))
        } catch {
            throw .database("layer \(quoted(id)) metadata: \(error.reason)")
        }
        return LayerInfo(id: id, titleZH: row.text(1), titleEN: row.text(2), geometryType: type, metadata: metadata)
    }

    // MARK: Writes

    @discardableResult
    public func apply(
        _ changes: sending some Sequence<FeatureChange>,
        options: WriteOptions,
        progress: (@Sendable (Int) -> Void)?
    ) async throws(StoreError) -> WriteSummary {
        try await writer.run { db throws(StoreError) in
            try db.transaction { () throws(StoreError) in
                try Self.apply(changes, options: options, progress: progress, db)
            }
        }
    }

    /// The body of `apply`, inside the write transaction.
    private static func apply(
        _ changes: some Sequence<FeatureChange>, options: WriteOptions,
        progress: (@Sendable (Int) -> Void)?, _ db: SQLiteConnection
    ) throws(StoreError) -> WriteSummary {
        var layers: [String: LayerInfo] = [:]
        func layerInfo(_ id: String) throws(StoreError) -> LayerInfo {
            if let known = layers[id] { return known }
            guard let info = try loadLayer(id, db) else { throw .unknownLayer(id) }
            layers[id] = info
            return info
        }
        var version = try db.firstRow("SELECT value FROM counters WHERE name = 'feature_version'") { $0.int64(0) } ?? 0
        var summary = WriteSummary()
        var applied = 0
        var touched = Set<String>()
        for change in changes {
            touched.insert(change.layerID)
            switch try prepare(change, position: applied, layerInfo: layerInfo) {
            case .insert(var feature):
                if try checkGeometry(&feature, layer: layerInfo(feature.reference.layer), options: options, db) {
                    summary.repaired += 1
                }
                version += 1
                let inserted = try db.run("""
                    INSERT INTO features (layer, id, id_is_number, wkb, properties, version, geometry)
                    VALUES (?, ?, ?, ?, ?, ?, CastToXY(GeomFromWKB(?, 4326)))
                    ON CONFLICT (layer, id) DO NOTHING
                    """, [.text(feature.reference.layer), .text(feature.idText), .integer(feature.idIsNumber ? 1 : 0),
                          blob(feature.exactWKB), .text(feature.propertiesJSON), .integer(version),
                          blob(feature.spatialWKB)])
                if inserted == 0 { throw .duplicateID(feature.reference) }
                summary.inserted += 1
                summary.lastVersion = version
            case .replace(var feature, let expectedVersion):
                if try checkGeometry(&feature, layer: layerInfo(feature.reference.layer), options: options, db) {
                    summary.repaired += 1
                }
                version += 1
                let updated = try db.run("""
                    UPDATE features SET id_is_number = ?, wkb = ?, properties = ?, version = ?,
                                        geometry = CastToXY(GeomFromWKB(?, 4326))
                    WHERE layer = ? AND id = ? AND (?8 IS NULL OR version = ?8)
                    """, [.integer(feature.idIsNumber ? 1 : 0), blob(feature.exactWKB), .text(feature.propertiesJSON),
                          .integer(version), blob(feature.spatialWKB), .text(feature.reference.layer),
                          .text(feature.idText), expectedVersion.map(SQLiteValue.integer) ?? .null])
                if updated == 0 {
                    throw try missingOrChanged(feature.reference, idText: feature.idText, expected: expectedVersion, db)
                }
                summary.replaced += 1
                summary.lastVersion = version
            case let .delete(reference, idText, expectedVersion):
                let deleted = try db.run("""
                    DELETE FROM features WHERE layer = ? AND id = ? AND (?3 IS NULL OR version = ?3)
                    """, [.text(reference.layer), .text(idText), expectedVersion.map(SQLiteValue.integer) ?? .null])
                if deleted == 0 { throw try missingOrChanged(reference, idText: idText, expected: expectedVersion, db) }
                version += 1  // a delete takes a number too, so that it changes the layer's revision
                summary.deleted += 1
            }
            applied += 1
            if applied % options.progressInterval == 0 { progress?(applied) }
        }
        try db.run("UPDATE counters SET value = ? WHERE name = 'feature_version'", [.integer(version)])
        for layer in touched { try db.run("UPDATE layers SET revision = ? WHERE id = ?", [.integer(version), .text(layer)]) }
        if applied % options.progressInterval != 0 { progress?(applied) }
        return summary
    }

    /// Why a guarded update or delete changed nothing: the feature is gone, or at another version.
    private static func missingOrChanged(_ reference: FeatureReference, idText: String, expected: Int64?,
                                         _ db: SQLiteConnection) throws(StoreError) -> StoreError {
        let current = try db.firstRow("SELECT version FROM features WHERE layer = ? AND id = ?",
                                      [.text(reference.layer), .text(idText)]) { $0.int64(0) }
        guard let current, let expected else { return .notFound(reference) }
        return .versionMismatch(reference, expected: expected, actual: current)
    }

    /// Runs GEOS's validity check (through SpatiaLite) and, when asked, MakeValid. Returns
    /// whether the geometry was repaired.
    private static func checkGeometry(_ feature: inout PreparedFeature, layer: LayerInfo, options: WriteOptions,
                                      _ db: SQLiteConnection) throws(StoreError) -> Bool {
        guard feature.needsValidityCheck, let wkb = feature.spatialWKB else { return false }
        let validity = try db.firstRow("SELECT ST_IsValid(GeomFromWKB(?, 4326))", [.blob(wkb)]) { $0.int64(0) }
        switch validity {
        case 1:
            return false
        case 0:
            let reason = try db.firstRow("SELECT ST_IsValidReason(GeomFromWKB(?, 4326))", [.blob(wkb)]) {
                $0.isNull(0) ? "invalid" : $0.text(0)
            } ?? "invalid"
            guard options.repairInvalid else { throw .invalidGeometry(feature.reference, reason: reason) }
            let repaired = try db.firstRow("SELECT AsBinary(MakeValid(GeomFromWKB(?, 4326)))", [.blob(wkb)]) { $0.blob(0) }
            guard let repaired, let repaired else {
                throw .invalidGeometry(feature.reference, reason: "\(reason); MakeValid could not repair it")
            }
            try feature.adoptRepaired(wkb: repaired, layer: layer)
            return true
        default:
            throw .invalidGeometry(feature.reference, reason: "SpatiaLite cannot read this geometry")
        }
    }

    private static func blob(_ bytes: [UInt8]?) -> SQLiteValue { bytes.map(SQLiteValue.blob) ?? .null }

    // MARK: Reads

    public func feature(_ id: FeatureID, in layer: String) async throws(StoreError) -> StoredFeature? {
        try await reader.run { db throws(StoreError) in
            try db.snapshot { () throws(StoreError) in
                guard try Self.loadLayer(layer, db) != nil else { throw .unknownLayer(layer) }
                return try db.firstRow("""
                    SELECT layer, id, id_is_number, wkb, properties, version FROM features WHERE layer = ? AND id = ?
                    """, [.text(layer), .text(id.description)], Self.storedFeature)
            }
        }
    }

    public func query(_ query: FeatureQuery) async throws(StoreError) -> QueryPage {
        try query.validate()
        return try await reader.run { db throws(StoreError) in
            try db.snapshot { () throws(StoreError) in
                let filter = try Self.filter(for: query, db)
                let distance = query.near.map { Self.distance(to: $0) }
                let order = query.near == nil ? "f.fid" : "distance, f.fid"
                var binds = distance?.binds ?? []
                binds += filter.binds
                binds += [.integer(Int64(query.limit ?? -1)), .integer(Int64(query.offset))]
                var matches: [FeatureMatch] = []
                try db.forEachRow("""
                    SELECT f.layer, f.id, f.id_is_number, f.wkb, f.properties, f.version\(distance.map { ", \($0.sql) AS distance" } ?? "")
                    FROM features f WHERE \(filter.sql) ORDER BY \(order) LIMIT ? OFFSET ?
                    """, binds) { row throws(StoreError) in
                    matches.append(FeatureMatch(feature: try Self.storedFeature(row),
                                                distanceMetres: query.near == nil ? nil : row.double(6)))
                }
                let total = try db.firstRow("SELECT count(*) FROM features f WHERE \(filter.sql)", filter.binds) {
                    Int($0.int64(0))
                } ?? 0
                return QueryPage(matches: matches, totalCount: total)
            }
        }
    }

    public func count(_ query: FeatureQuery) async throws(StoreError) -> Int {
        try query.validate()
        return try await reader.run { db throws(StoreError) in
            try db.snapshot { () throws(StoreError) in
                let filter = try Self.filter(for: query, db)
                return try db.firstRow("SELECT count(*) FROM features f WHERE \(filter.sql)", filter.binds) {
                    Int($0.int64(0))
                } ?? 0
            }
        }
    }

    public func batch(ofLayer layer: String, after cursor: FeatureCursor?, limit: Int) async throws(StoreError) -> FeatureBatch {
        guard limit > 0 else { throw .invalidQuery("batch limit \(limit) must be positive") }
        return try await reader.run { db throws(StoreError) in
            try db.snapshot { () throws(StoreError) in
                guard try Self.loadLayer(layer, db) != nil else { throw .unknownLayer(layer) }
                var features: [StoredFeature] = []
                var lastKey: Int64?
                try db.forEachRow("""
                    SELECT layer, id, id_is_number, wkb, properties, version, fid FROM features
                    WHERE layer = ? AND fid > ? ORDER BY fid LIMIT ?
                    """, [.text(layer), .integer(cursor?.rowKey ?? 0), .integer(Int64(limit))]) { row throws(StoreError) in
                    features.append(try Self.storedFeature(row))
                    lastKey = row.int64(6)
                }
                let next = features.count == limit ? lastKey.map(FeatureCursor.init) : nil
                return FeatureBatch(features: features, next: next)
            }
        }
    }

    /// The WHERE clause of a query, built from fixed fragments; every value is a parameter.
    /// Spatial filters go through the R*Tree (`idx_features_geometry`) before the exact test.
    private static func filter(for query: FeatureQuery, _ db: SQLiteConnection) throws(StoreError)
        -> (sql: String, binds: [SQLiteValue]) {
        var clauses: [String] = []
        var binds: [SQLiteValue] = []
        let spatial = query.bbox != nil || query.near != nil
        if !query.layers.isEmpty {
            for layer in query.layers where try loadLayer(layer, db) == nil { throw .unknownLayer(layer) }
            // With a spatial filter the R*Tree's ids lead, each looked up by rowid; the unary plus
            // keeps SQLite from going through the layer index as well (one b-tree search per hit
            // instead of two).
            clauses.append("\(spatial ? "+" : "")f.layer IN (\(Array(repeating: "?", count: query.layers.count).joined(separator: ", ")))")
            binds += query.layers.map(SQLiteValue.text)
        }
        let rtree = "f.fid IN (SELECT pkid FROM idx_features_geometry WHERE xmin <= ? AND xmax >= ? AND ymin <= ? AND ymax >= ?)"
        func boxBinds(_ box: BoundingBox) -> [SQLiteValue] {
            [.double(box.maxX), .double(box.minX), .double(box.maxY), .double(box.minY)]
        }
        if let bbox = query.bbox {
            clauses.append(rtree)
            binds += boxBinds(bbox)
            // A geometry whose box lies inside the query box intersects it: MbrWithin reads the boxes
            // from the blobs' headers, so only the features on the edge go through GEOS.
            clauses.append("(MbrWithin(f.geometry, BuildMbr(?, ?, ?, ?, 4326)) = 1 OR ST_Intersects(f.geometry, BuildMbr(?, ?, ?, ?, 4326)) = 1)")
            let corners: [SQLiteValue] = [.double(bbox.minX), .double(bbox.minY), .double(bbox.maxX), .double(bbox.maxY)]
            binds += corners + corners
        }
        if let near = query.near {
            clauses.append(rtree)
            binds += boxBinds(near.searchBox)
            let distance = Self.distance(to: near)
            clauses.append("\(distance.sql) <= ?")
            binds += distance.binds + [.double(near.radiusMetres)]
        }
        for property in query.properties {
            // json_each binds the key as a plain value: no JSON path is built from it.
            let match: String
            switch property.value {
            case .string(let s):
                match = "p.type = 'text' AND p.atom = ?"
                binds += [.text(property.key), .text(s)]
            case .integer(let i):
                match = "p.type IN ('integer', 'real') AND p.atom = ?"
                binds += [.text(property.key), .integer(i)]
            case .number(let d):
                match = "p.type IN ('integer', 'real') AND p.atom = ?"
                binds += [.text(property.key), .double(d)]
            case .bool(let b):
                match = b ? "p.type = 'true'" : "p.type = 'false'"
                binds += [.text(property.key)]
            case .null, .array, .object:  // arrays and objects were refused by validate()
                match = "p.type = 'null'"
                binds += [.text(property.key)]
            }
            clauses.append("EXISTS (SELECT 1 FROM json_each(f.properties) AS p WHERE p.key = ? AND \(match))")
        }
        return (clauses.isEmpty ? "1" : clauses.joined(separator: " AND "), binds)
    }

    /// The geodesic distance in metres from the filter's centre to the nearest point of
    /// `f.geometry`, as SQL with its parameters.
    ///
    /// SpatiaLite's own `ST_Distance(g, point, 1)` finds the nearest point of a line or polygon
    /// in plain lon/lat degrees, where a degree of longitude is shorter than one of latitude;
    /// for slanted edges it lands on the wrong point and overstates the distance (by 10 % and
    /// more, checked against PostGIS's geography). So the nearest point is found where the two
    /// are scaled to equal length near the centre (longitude times cos φ·N/M, exact at the
    /// centre), and only the distance to that point is measured on the ellipsoid, point to point,
    /// which SpatiaLite does exactly. `ShortestLine` measures to a polygon's boundary, so a centre
    /// inside a geometry is caught first by `ST_Intersects`.
    private static func distance(to near: NearFilter) -> (sql: String, binds: [SQLiteValue]) {
        let lat = near.center.lat * .pi / 180
        let e2 = 0.00669437999014  // WGS84 first eccentricity squared
        let scale = max(1e-9, cos(lat) * (1 - e2 * sin(lat) * sin(lat)) / (1 - e2))
        let lon = SQLiteValue.double(near.center.lon), latitude = SQLiteValue.double(near.center.lat)
        let sql = """
            (CASE WHEN ST_Intersects(f.geometry, MakePoint(?, ?, 4326)) = 1 THEN 0.0 \
            ELSE ST_Distance(ScaleCoords(StartPoint(ShortestLine(ScaleCoords(f.geometry, ?, 1.0), \
            MakePoint(?, ?, 4326))), ?, 1.0), MakePoint(?, ?, 4326), 1) END)
            """
        let binds: [SQLiteValue] = [lon, latitude, .double(scale), .double(near.center.lon * scale), latitude,
                                    .double(1 / scale), lon, latitude]
        return (sql, binds)
    }

    /// Columns: layer, id, id_is_number, wkb, properties, version.
    private static func storedFeature(_ row: SQLiteRow) throws(StoreError) -> StoredFeature {
        try decodeStoredFeature(layer: row.text(0), idText: row.text(1), idIsNumber: row.int64(2) != 0,
                                wkb: row.blob(3), properties: row.text(4), version: row.int64(5))
    }

    /// EXPLAIN QUERY PLAN of the SQL a query would run, for tests that check the R*Tree is used.
    func queryPlan(_ query: FeatureQuery) async throws(StoreError) -> [String] {
        try await reader.run { db throws(StoreError) in
            let filter = try Self.filter(for: query, db)
            var lines: [String] = []
            try db.forEachRow("EXPLAIN QUERY PLAN SELECT f.fid FROM features f WHERE \(filter.sql)", filter.binds) { row in
                lines.append(row.text(3))
            }
            return lines
        }
    }
}

/// Builds a `StoredFeature` from stored columns (shared with the PostGIS store).
func decodeStoredFeature(layer: String, idText: String, idIsNumber: Bool, wkb: [UInt8]?, properties: String,
                         version: Int64) throws(StoreError) -> StoredFeature {
    let id: FeatureID
    if idIsNumber {
        guard let number = Int64(idText) else {
            throw .database("feature \(quoted(idText)) in layer \(quoted(layer)) is flagged numeric but is not a number")
        }
        id = .number(number)
    } else {
        id = .string(idText)
    }
    let geometry: Geometry?
    do {
        geometry = try wkb.map { bytes throws(WKBError) in try Geometry(wkb: bytes) }
    } catch {
        throw .database("stored geometry of feature \(quoted(idText)) in layer \(quoted(layer)) is unreadable: \(error)")
    }
    let object: JSONObject
    do {
        object = try PropertiesJSON.decodeObject(properties)
    } catch {
        throw .database("stored properties of feature \(quoted(idText)) in layer \(quoted(layer)): \(error.reason)")
    }
    return StoredFeature(layer: layer, id: id, feature: Feature(id: id, geometry: geometry, properties: object),
                         version: version)
}

/// The SpatiaLite schema and its migrations. `PRAGMA user_version` holds how many migrations
/// have run; `PRAGMA application_id` marks the file as a planatlas store.
enum SpatiaLiteSchema {
    /// "PLat" in ASCII.
    static let applicationID: Int64 = 0x504C_6174

    /// The schema version this build writes: the number of migrations.
    static let currentVersion = 2

    /// Migration n brings the schema from version n-1 to n. Add cases; never edit old ones.
    private static func migration(_ number: Int, _ db: SQLiteConnection) throws(StoreError) {
        switch number {
        case 1: try createSchema(db)
        case 2: try db.execute("ALTER TABLE layers ADD COLUMN revision INTEGER NOT NULL DEFAULT 0")
        default: throw .database("no SpatiaLite schema migration \(number)")
        }
    }

    static func migrate(_ db: SQLiteConnection) throws(StoreError) {
        try db.transaction { () throws(StoreError) in
            let applicationID = try db.firstRow("PRAGMA application_id") { $0.int64(0) } ?? 0
            let version = Int(try db.firstRow("PRAGMA user_version") { $0.int64(0) } ?? 0)
            if applicationID != Self.applicationID {
                let tables = try db.firstRow("SELECT count(*) FROM sqlite_master") { $0.int64(0) } ?? 0
                if applicationID != 0 || tables > 0 {
                    throw .incompatibleDatabase("the file is a SQLite database but not a planatlas store")
                }
            }
            if version > currentVersion {
                throw .incompatibleDatabase("schema version \(version) is newer than this build's \(currentVersion)")
            }
            for number in stride(from: version + 1, through: currentVersion, by: 1) { try migration(number, db) }
            try db.execute("PRAGMA application_id = \(Self.applicationID); PRAGMA user_version = \(currentVersion)")
        }
    }

    private static func createSchema(_ db: SQLiteConnection) throws(StoreError) {
        try expectOne(db, "SELECT InitSpatialMetadata(0, 'WGS84_ONLY')")
        try db.execute("""
            CREATE TABLE layers (
                id TEXT NOT NULL PRIMARY KEY,
                title_zh TEXT NOT NULL,
                title_en TEXT NOT NULL,
                geometry_type TEXT NOT NULL,
                metadata TEXT NOT NULL
            );
            CREATE TABLE features (
                fid INTEGER PRIMARY KEY,
                layer TEXT NOT NULL REFERENCES layers (id),
                id TEXT NOT NULL,
                id_is_number INTEGER NOT NULL,
                wkb BLOB,
                properties TEXT NOT NULL,
                version INTEGER NOT NULL,
                UNIQUE (layer, id)
            );
            -- Per-layer scans in fid order (streaming, paging) walk this index: it holds the rowid.
            CREATE INDEX features_by_layer ON features (layer);
            CREATE TABLE counters (name TEXT NOT NULL PRIMARY KEY, value INTEGER NOT NULL);
            INSERT INTO counters VALUES ('feature_version', 0);
            """)
        try expectOne(db, "SELECT AddGeometryColumn('features', 'geometry', 4326, 'GEOMETRY', 'XY')")
        try expectOne(db, "SELECT CreateSpatialIndex('features', 'geometry')")
    }

    /// SpatiaLite's management functions report failure by returning 0, not by an SQL error.
    private static func expectOne(_ db: SQLiteConnection, _ sql: String) throws(StoreError) {
        let result = try db.firstRow(sql) { $0.int64(0) }
        if result != 1 { throw .database("SpatiaLite refused: \(sql)") }
    }
}
