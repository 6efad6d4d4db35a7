import FeatureStore
import Foundation
import Planning
import PostgresNIO
import TestSupport

/// PostGIS as an independent oracle (issue 5): the same features, loaded through PostGISStore,
/// asked the same questions in plain SQL. Nothing here goes through planatlas's query code.
///
/// - near: `ST_DWithin` and `ST_Distance` on geography (the WGS84 spheroid, edges as geodesics).
/// - overlaps of polygons: `ST_Area(ST_Intersection(a::geography, b::geography))`: PostGIS
///   intersects the pair in a plane it picks for them (_ST_BestSRID: UTM zone 51N here) and
///   measures the result on the spheroid. Chosen over `ST_Area` in EPSG:4550 because it shares
///   neither planatlas's projection nor its planar area; the two differ by EPSG:4550's area scale
///   over the municipality (under 1e-4). Not `ST_Intersection(a, b)::geography`: that intersects in
///   lon/lat, where a long edge bows up to metres away from the geodesic that PostGIS and planatlas
///   both draw, and on the thin slice Huanggu cuts from the Beishichang area it is 0.07 % off.
/// - overlaps of corridors: a buffer has no geography form that matches GEOS's, so lines are
///   buffered where planatlas buffers them, in EPSG:4550 with 8 segments per quadrant (GEOS's
///   default), and the corridor's area is taken there too.
final class PostGISOracle: Sendable {
    let schema: String
    private let client: PostgresClient
    private let runTask: Task<Void, Never>

    init(url: String, schema: String) throws {
        guard let components = URLComponents(string: url), let host = components.host, let user = components.user else {
            throw OracleError("PLANATLAS_TEST_POSTGRES_URL is not a postgres://user:password@host:port/database URL")
        }
        let configuration = PostgresClient.Configuration(
            host: host, port: components.port ?? 5432, username: user, password: components.password,
            database: String(components.path.dropFirst()), tls: .disable)
        self.schema = schema
        client = PostgresClient(configuration: configuration)
        let client = client
        runTask = Task { await client.run() }
    }

    func close() async {
        runTask.cancel()
        await runTask.value
    }

    func dropSchema() async throws {
        try await client.query("DROP SCHEMA IF EXISTS \(unescaped: schema) CASCADE")
    }

    private var features: String { "\(schema).features" }

    struct Distance: Sendable {
        var key: String
        var metres: Double
    }

    /// Every feature within `radius` metres (geography) of the place, with its geography distance.
    func within(lon: Double, lat: Double, radius: Double) async throws -> [Distance] {
        let rows = try await client.query("""
            SELECT f.layer || '/' || f.id, ST_Distance(f.geom::geography, q.g)
            FROM \(unescaped: features) f, (SELECT ST_SetSRID(ST_MakePoint(\(lon), \(lat)), 4326)::geography AS g) q
            WHERE f.geom IS NOT NULL AND NOT ST_IsEmpty(f.geom) AND ST_DWithin(f.geom::geography, q.g, \(radius))
            ORDER BY 2, 1
            """)
        var result: [Distance] = []
        for try await (key, metres) in rows.decode((String, Double).self) { result.append(Distance(key: key, metres: metres)) }
        return result
    }

    /// The `count` nearest features by geography distance.
    func nearest(lon: Double, lat: Double, count: Int) async throws -> [Distance] {
        let rows = try await client.query("""
            SELECT f.layer || '/' || f.id, ST_Distance(f.geom::geography, q.g) AS d
            FROM \(unescaped: features) f, (SELECT ST_SetSRID(ST_MakePoint(\(lon), \(lat)), 4326)::geography AS g) q
            WHERE f.geom IS NOT NULL AND NOT ST_IsEmpty(f.geom)
            ORDER BY d, 1 LIMIT \(count)
            """)
        var result: [Distance] = []
        for try await (key, metres) in rows.decode((String, Double).self) { result.append(Distance(key: key, metres: metres)) }
        return result
    }

    struct Intersection: Sendable {
        /// "layerA/idA × layerB/idB"; for a layer against itself the pair in stored order.
        var key: String
        var area: Double
        var areaA: Double
        var areaB: Double
    }

    /// Every pair of the two polygon layers whose geometries intersect at all (touching too), with
    /// the geography area of the intersection and of each side.
    func polygonIntersections(_ a: String, _ b: String) async throws -> [Intersection] {
        let rows = try await client.query("""
            SELECT a.layer || '/' || a.id || ' × ' || b.layer || '/' || b.id,
                   ST_Area(ST_Intersection(a.geom::geography, b.geom::geography)), ST_Area(a.geom::geography),
                   ST_Area(b.geom::geography)
            FROM \(unescaped: features) a JOIN \(unescaped: features) b ON ST_Intersects(a.geom, b.geom)
            WHERE a.layer = \(a) AND b.layer = \(b) AND (a.layer <> b.layer OR a.fid < b.fid)
            """)
        return try await intersections(rows)
    }

    /// Every pair whose zones intersect, the zones being each layer's geometry in EPSG:4550,
    /// buffered by the layer's corridor (if not 0) with 8 segments per quadrant; planar areas.
    func corridorIntersections(_ a: String, buffer bufferA: Double, _ b: String, buffer bufferB: Double) async throws -> [Intersection] {
        let rows = try await client.query("""
            WITH za AS (
                SELECT fid, layer, id, CASE WHEN \(bufferA) > 0
                    THEN ST_Buffer(ST_Transform(geom, 4550), \(bufferA), 'quad_segs=8') ELSE ST_Transform(geom, 4550) END AS g
                FROM \(unescaped: features) WHERE layer = \(a) AND geom IS NOT NULL AND NOT ST_IsEmpty(geom)
            ), zb AS (
                SELECT fid, layer, id, CASE WHEN \(bufferB) > 0
                    THEN ST_Buffer(ST_Transform(geom, 4550), \(bufferB), 'quad_segs=8') ELSE ST_Transform(geom, 4550) END AS g
                FROM \(unescaped: features) WHERE layer = \(b) AND geom IS NOT NULL AND NOT ST_IsEmpty(geom)
            )
            SELECT za.layer || '/' || za.id || ' × ' || zb.layer || '/' || zb.id,
                   ST_Area(ST_Intersection(za.g, zb.g)), ST_Area(za.g), ST_Area(zb.g)
            FROM za JOIN zb ON ST_Intersects(za.g, zb.g)
            WHERE za.layer <> zb.layer OR za.fid < zb.fid
            """)
        return try await intersections(rows)
    }

    private func intersections(_ rows: PostgresRowSequence) async throws -> [Intersection] {
        var result: [Intersection] = []
        for try await (key, area, areaA, areaB) in rows.decode((String, Double, Double, Double).self) {
            result.append(Intersection(key: key, area: area, areaA: areaA, areaB: areaB))
        }
        return result
    }
}

struct OracleError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// How to get a PostGIS database, said when the oracle tests cannot find one.
let postgisHowTo = """
    The PostGIS oracle tests need a database: set PLANATLAS_TEST_POSTGRES_URL, e.g.
        eval "$(Tools/postgis-test-cluster.sh start)"   # throw-away cluster on a free loopback port
        swift test
        Tools/postgis-test-cluster.sh stop
    (For a quick local run without PostGIS only: PLANATLAS_SKIP_POSTGIS=1 swift test.)
    """

/// `PLANATLAS_SKIP_POSTGIS=1` asks for a quick local run without PostGIS; CI never sets it.
let skipPostGIS = ProcessInfo.processInfo.environment["PLANATLAS_SKIP_POSTGIS"] == "1"

/// Runs `body` with an atlas over a PostGISStore in a schema of its own, seeded with the built-in
/// data and the hand-made fixtures, and a PostGIS oracle over the same schema; drops the schema after.
func withOracle(_ body: (Atlas, PostGISOracle) async throws -> Void) async throws {
    guard let url = postgresTestURL() else {
        throw OracleError(postgisHowTo)
    }
    let schema = "oracle_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(20)
    let oracle = try PostGISOracle(url: url, schema: schema)
    var failure: (any Error)?
    do {
        let store = try await PostGISStore(url: url, schema: schema)
        do {
            let catalogue = try Catalogue.load(from: geoDataDirectory)
            try await catalogue.seed(store)
            for layer in [Fixtures.parcels, Fixtures.reserves, Fixtures.roads] {
                try await store.createLayer(layer.info)
                try await store.insert(contentsOf: layer.features, into: layer.info.id)
            }
            try await body(Atlas(store: store, catalogue: catalogue), oracle)
        } catch {
            failure = error
        }
        await store.close()
    } catch {
        failure = error
    }
    do { try await oracle.dropSchema() } catch { failure = failure ?? error }
    await oracle.close()
    if let failure { throw failure }
}
