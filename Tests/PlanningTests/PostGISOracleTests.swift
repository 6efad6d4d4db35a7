import FeatureStore
import GeoModel
import Planning
import Testing

/// planatlas's near and overlap answers agree with PostGIS's on the same data (issue 5): the same
/// ids, distances within 0.5 m or 0.1 %, polygon overlap areas within 0.1 %, corridor areas
/// within 0.5 %. Needs PLANATLAS_TEST_POSTGRES_URL; fails, rather than skips, without it.
@Suite(.disabled(if: skipPostGIS, "PLANATLAS_SKIP_POSTGIS=1"))
struct PostGISOracleTests {
    static let metres = 0.5
    static let relative = 0.001
    static let polygonAreaTolerance = 0.001
    /// GEOS's buffer in planatlas and in PostGIS can differ in how they build round joins.
    static let corridorAreaTolerance = 0.005

    static func distanceTolerance(_ d: Double) -> Double { max(metres, relative * d) }

    // MARK: near

    /// 200 places with a fixed seed: most in the city centre with radii of 100 m to 10 km, the rest
    /// anywhere in the municipality with radii up to 50 km.
    static func randomQueries() -> [(Coordinate, Double)] {
        var random = SeededRandom(seed: 5)
        return (0..<200).map { i in
            if i % 4 == 3 {
                let place = c(Double.random(in: 122.42...123.81, using: &random), Double.random(in: 41.20...43.04, using: &random))
                return (place, exp(Double.random(in: log(1000)...log(50_000), using: &random)))
            }
            let place = c(Double.random(in: 123.20...123.65, using: &random), Double.random(in: 41.65...41.98, using: &random))
            return (place, exp(Double.random(in: log(100)...log(10_000), using: &random)))
        }
    }

    /// Places where rounding and edge handling are tested hardest.
    /// On a shared edge the radius is 1 cm, not 0: the meridian 123.41 E is a geodesic (PostGIS: 0 m)
    /// but bends in EPSG:4550, whose chord between the edge's ends passes 0.1 mm from the point.
    static let edgeCases: [(String, Coordinate, Double)] = [
        ("on the edge shared by parcels A and B", c(123.410, 41.805), 0.01),
        ("on a corner shared by parcels A and B", c(123.410, 41.810), 0),
        ("on a corner of parcel A, 30 m around", c(123.400, 41.800), 30),
        ("on the east-west road's vertex", c(123.4112, 41.8075), 1),
        ("in parcel C, inside A and D", c(123.4055, 41.8055), 0),
        ("the Mukden Palace", c(123.4507, 41.7962), 1000),
        ("the municipality's south-west corner", c(122.42, 41.20), 50_000),
        ("the municipality's north-east corner", c(123.81, 43.04), 50_000),
        ("the municipality's north-west corner", c(122.42, 43.04), 50_000),
        ("the municipality's south-east corner", c(123.81, 41.20), 50_000),
    ]

    @Test func nearAgreesWithPostGISOnTwoHundredRandomPlaces() async throws {
        try await withOracle { atlas, oracle in
            for (place, radius) in Self.randomQueries() {
                try await Self.expectSameAnswer(atlas, oracle, place, radius, label: "random")
            }
        }
    }

    @Test func nearAgreesWithPostGISOnBoundariesAndAtTheEdgeOfTheCity() async throws {
        try await withOracle { atlas, oracle in
            for (label, place, radius) in Self.edgeCases {
                try await Self.expectSameAnswer(atlas, oracle, place, radius, label: label)
            }
            // Points on real boundaries: every vertex of the historic districts' rings, at 0 m.
            let historic = try await atlas.snapshot(of: "historic-districts")
            for stored in historic.features.prefix(3) {
                guard case .polygon(let polygon)? = stored.feature.geometry else { continue }
                for vertex in polygon.exterior.prefix(8) {
                    try await Self.expectSameAnswer(atlas, oracle, vertex, 0, label: "vertex of \(stored.id)")
                }
            }
        }
    }

    @Test func theKNearestAgreeWithPostGIS() async throws {
        var random = SeededRandom(seed: 55)
        try await withOracle { atlas, oracle in
            for i in 0..<50 {
                let place = i % 5 == 4
                    ? c(Double.random(in: 122.42...123.81, using: &random), Double.random(in: 41.20...43.04, using: &random))
                    : c(Double.random(in: 123.20...123.65, using: &random), Double.random(in: 41.65...41.98, using: &random))
                let k = Int.random(in: 1...20, using: &random)
                let hits = try await atlas.near(NearQuery(location: place, reach: .nearest(k)))
                let expected = try await oracle.nearest(lon: place.lon, lat: place.lat, count: k + 10)
                let label = "k=\(k) at \(place.lon),\(place.lat)"
                #expect(hits.count == k, "\(label)")
                // The i-th distance is the i-th distance, whoever holds it.
                for (hit, truth) in zip(hits, expected) {
                    #expect(abs(hit.distanceMetres - truth.metres) <= Self.distanceTolerance(truth.metres),
                            "\(label): \(hit.key) at \(hit.distanceMetres) m where PostGIS's is \(truth.key) at \(truth.metres) m")
                }
                // Each hit is where PostGIS puts it, and nothing clearly nearer than the k-th is missing.
                let byKey = Dictionary(expected.map { ($0.key, $0.metres) }, uniquingKeysWith: min)
                for hit in hits {
                    let truth = try #require(byKey[hit.key], "\(label): \(hit.key) is not among PostGIS's \(k + 10) nearest")
                    #expect(abs(hit.distanceMetres - truth) <= Self.distanceTolerance(truth), "\(label): \(hit.key)")
                }
                let kth = expected[k - 1].metres
                for truth in expected where truth.metres < kth - Self.distanceTolerance(kth) {
                    #expect(hits.contains { $0.key == truth.key }, "\(label): missed \(truth.key) at \(truth.metres) m")
                }
            }
        }
    }

    /// Same ids and distances, except features whose distance is within tolerance of the radius.
    static func expectSameAnswer(_ atlas: Atlas, _ oracle: PostGISOracle, _ place: Coordinate, _ radius: Double,
                                 label: String) async throws {
        let hits = try await atlas.near(NearQuery(location: place, reach: .within(metres: radius)))
        let slack = distanceTolerance(radius)
        let truth = try await oracle.within(lon: place.lon, lat: place.lat, radius: radius + slack)
        let context = "\(label) (\(place.lon), \(place.lat), r=\(radius))"
        let expected = Dictionary(truth.map { ($0.key, $0.metres) }, uniquingKeysWith: min)
        let found = Dictionary(hits.map { ($0.key, $0.distanceMetres) }, uniquingKeysWith: min)
        for (key, metres) in expected where metres < radius - slack || metres == 0 {
            #expect(found[key] != nil, "\(context): planatlas misses \(key) at \(metres) m")
        }
        for (key, metres) in found {
            guard let truth = expected[key] else {
                Issue.record("\(context): planatlas finds \(key) at \(metres) m, PostGIS not within \(radius + slack) m")
                continue
            }
            #expect(abs(metres - truth) <= distanceTolerance(truth), "\(context): \(key) at \(metres) m, PostGIS \(truth) m")
            if truth == 0 { #expect(metres < 0.001, "\(context): \(key) is at 0 m in PostGIS, \(metres) m in planatlas") }
        }
    }

    // MARK: overlaps

    @Test(arguments: [("historic-districts", "business-districts"), ("districts", "afforestation-zones"),
                      ("districts", "historic-districts"), ("districts", "districts"), ("parcels", "parcels"),
                      ("parcels", "reserves")])
    func polygonOverlapsAgreeWithPostGIS(_ a: String, _ b: String) async throws {
        try await withOracle { atlas, oracle in
            let report = try await atlas.overlaps(OverlapQuery(subject: .layers(a, b)))
            let truth = try await oracle.polygonIntersections(a, b)
            try Self.expectSameOverlaps(report, truth, tolerance: Self.polygonAreaTolerance, label: "\(a) × \(b)")
        }
    }

    @Test func districtsThatOnlyShareABoundaryInPostGISDoNotOverlapInPlanatlas() async throws {
        try await withOracle { atlas, oracle in
            let truth = try await oracle.polygonIntersections("districts", "districts")
            let touching = truth.filter { $0.area == 0 }
            // The district outlines share their boundaries vertex for vertex: many neighbours, no overlap.
            #expect(touching.count >= 10, "\(truth.map(\.key))")
            let report = try await atlas.overlaps(OverlapQuery(subject: .layers("districts", "districts")))
            #expect(report.overlaps.map(\.pairKey).filter { key in touching.contains { Self.unordered($0.key) == Self.unordered(key) } } == [])
        }
    }

    @Test(arguments: [("metro-lines", 50.0, "historic-districts"), ("expressways", 50.0, "historic-districts"),
                      ("railways", 100.0, "districts"), ("roads", 25.0, "parcels")])
    func corridorOverlapsAgreeWithPostGIS(_ lines: String, _ buffer: Double, _ polygons: String) async throws {
        try await withOracle { atlas, oracle in
            let report = try await atlas.overlaps(OverlapQuery(subject: .layers(lines, polygons), bufferMetres: buffer))
            let truth = try await oracle.corridorIntersections(lines, buffer: buffer, polygons, buffer: 0)
            try Self.expectSameOverlaps(report, truth, tolerance: Self.corridorAreaTolerance, label: "\(lines) +\(buffer) m × \(polygons)")
        }
    }

    @Test func everyConflictRuleAgreesWithPostGIS() async throws {
        try await withOracle { atlas, oracle in
            let rules = try #require(atlas.catalogue?.rules)
            #expect(!rules.isEmpty)
            for rule in rules {
                let report = try await atlas.overlaps(OverlapQuery(subject: .rules([rule.id])))
                let (a, b) = (rule.layers[0], rule.layers[1])
                let truth = try await oracle.corridorIntersections(a, buffer: rule.bufferMetres[a] ?? 0, b, buffer: rule.bufferMetres[b] ?? 0)
                try Self.expectSameOverlaps(report, truth, tolerance: Self.corridorAreaTolerance, label: rule.id)
            }
        }
    }

    /// The pairs PostGIS finds with positive area are exactly planatlas's, with the same areas and
    /// shares; pairs that only touch (PostGIS: ST_Intersects, area 0) are absent.
    static func expectSameOverlaps(_ report: OverlapReport, _ truth: [PostGISOracle.Intersection], tolerance: Double,
                                   label: String) throws {
        let found = Dictionary(report.overlaps.map { (unordered($0.pairKey), $0) }, uniquingKeysWith: { first, _ in first })
        #expect(found.count == report.overlaps.count, "\(label): a pair reported twice")
        var positive = 0
        for pair in truth {
            let key = unordered(pair.key)
            // Touching in PostGIS means exactly zero; anything bigger is an overlap both must see.
            guard pair.area > 0 else {
                #expect(found[key] == nil, "\(label): \(key) only touches (PostGIS area 0) but planatlas reports \(found[key]!.area.squareMetres) m²")
                continue
            }
            positive += 1
            guard let overlap = found[key] else {
                Issue.record("\(label): planatlas misses \(key), \(pair.area) m² in PostGIS")
                continue
            }
            #expect(agrees(overlap.area.squareMetres, pair.area, metres: 0, relative: tolerance),
                    "\(label): \(key) \(overlap.area.squareMetres) m², PostGIS \(pair.area) m²")
            let (shareA, shareB) = overlap.pairKey == pair.key
                ? (100 * pair.area / pair.areaA, 100 * pair.area / pair.areaB) : (100 * pair.area / pair.areaB, 100 * pair.area / pair.areaA)
            #expect(agrees(overlap.shareAPercent, shareA, metres: 0, relative: 2 * tolerance), "\(label): \(key) share of A")
            #expect(agrees(overlap.shareBPercent, shareB, metres: 0, relative: 2 * tolerance), "\(label): \(key) share of B")
        }
        let known = Set(truth.map { unordered($0.key) })
        for key in found.keys where !known.contains(key) {
            Issue.record("\(label): planatlas reports \(key), which PostGIS says does not intersect")
        }
        #expect(report.overlaps.count == positive, "\(label): \(report.overlaps.count) pairs, PostGIS \(positive) with positive area")
    }

    /// "A × B" and "B × A" name the same pair of a layer with itself.
    static func unordered(_ key: String) -> String {
        let sides = key.components(separatedBy: " × ")
        return sides.count == 2 && sides[0] > sides[1] ? "\(sides[1]) × \(sides[0])" : key
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
