import FeatureStore
import GeoEngine
import GeoModel
import Planning
import Testing

/// "What lies near this place?" on hand-made fixtures and on the built-in data, checked against a
/// brute-force geodesic search (GeodesicOracle) that shares no code with planatlas's.
@Suite struct NearTests {
    /// Distances agree within 0.5 m or 0.1 %, whichever is larger (issue 5).
    static let metres = 0.5
    static let relative = 0.001

    // MARK: Zero distances

    @Test func aPlaceInsideAPolygonIsAtZeroMetresFromIt() async throws {
        try await withAtlas(Fixtures.all) { atlas in
            let hits = try await atlas.near(NearQuery(location: c(123.4015, 41.8015), reach: .within(metres: 0), layers: ["parcels"]))
            #expect(hits.map(\.key) == ["parcels/parcel-a"])
            #expect(hits.first?.distanceMetres == 0)
        }
    }

    @Test func theMukdenPalaceIsAtZeroMetresFromTheImperialCityAndTheDistrictAroundIt() async throws {
        try await withGeoDataAtlas { atlas in
            let hits = try await atlas.near(NearQuery(location: c(123.4507, 41.7962), reach: .within(metres: 0)))
            #expect(Set(hits.map(\.key)) == ["historic-districts/historic-shengjing-imperial-city", "districts/district-shenhe"])
            #expect(hits.allSatisfy { $0.distanceMetres == 0 })
        }
    }

    @Test func everyVertexOfABuiltInMetroLineIsAtZeroMetresFromIt() async throws {
        let metro = try #require(try geoDataFeatures().first { $0.layer.id == "metro-lines" })
        let line1 = try #require(metro.features.first { $0.id == .string("metro-line-1") })
        guard case .lineString(let route)? = line1.geometry else {
            Issue.record("metro-line-1 is not a LineString")
            return
        }
        try await withGeoDataAtlas { atlas in
            for vertex in route.coordinates {
                let hits = try await atlas.near(NearQuery(location: vertex, reach: .within(metres: 0), layers: ["metro-lines"]))
                #expect(hits.contains { $0.key == "metro-lines/metro-line-1" && $0.distanceMetres < 1e-6 }, "at \(vertex)")
            }
        }
    }

    @Test func aPlaceInsideAHoleIsNotInsideThePolygon() async throws {
        let ring = FixtureLayer("rings", .polygon, [
            Feature(id: .string("ring"), geometry: .polygon(Polygon(
                exterior: [c(123.40, 41.80), c(123.42, 41.80), c(123.42, 41.82), c(123.40, 41.82), c(123.40, 41.80)],
                holes: [[c(123.405, 41.805), c(123.405, 41.815), c(123.415, 41.815), c(123.415, 41.805), c(123.405, 41.805)]])),
                properties: [:]),
        ])
        try await withAtlas([ring]) { atlas in
            let centre = c(123.41, 41.81)
            let hits = try await atlas.near(NearQuery(location: centre, reach: .nearest(1)))
            let expected = try #require(try GeodesicOracle().distance(from: centre, to: ring.features[0].geometry!))
            #expect(hits.count == 1)
            #expect(hits[0].distanceMetres > 400, "the hole's edge is about 415 m away")
            #expect(agrees(hits[0].distanceMetres, expected.lowerBound, metres: Self.metres, relative: Self.relative),
                    "planatlas \(hits[0].distanceMetres) m, geodesic \(expected)")
        }
    }

    @Test func aPlaceOnAVertexOfALineIsAtZeroMetres() async throws {
        try await withAtlas(Fixtures.all) { atlas in
            let hits = try await atlas.near(NearQuery(location: c(123.4112, 41.8075), reach: .nearest(1), layers: ["roads"]))
            #expect(hits.map(\.key) == ["roads/road-east-west"])
            #expect(try #require(hits.first).distanceMetres < 1e-6)
        }
    }

    @Test func aPlaceHalfwayAlongAShortSegmentIsWithinACentimetreOfTheLine() async throws {
        // 123.4100 -> 123.4112 is a 100 m segment: straight in lon/lat and in EPSG:4550 alike to 0.2 mm.
        try await withAtlas(Fixtures.all) { atlas in
            let hits = try await atlas.near(NearQuery(location: c(123.4106, 41.8075), reach: .within(metres: 0.01), layers: ["roads"]))
            #expect(hits.map(\.key) == ["roads/road-east-west"])
            #expect(try #require(hits.first).distanceMetres < 0.01)
        }
    }

    // MARK: Radius search against brute force

    @Test func aRadiusSearchOnTheFixturesFindsExactlyWhatBruteForceFinds() async throws {
        try await withAtlas(Fixtures.all) { atlas in
            for (location, radius) in [(c(123.412, 41.812), 1500.0), (c(123.455, 41.851), 400.0), (c(123.3995, 41.8005), 50.0)] {
                try await Self.expectRadiusSearchAgreesWithBruteForce(atlas, location, radius, layers: Fixtures.all.map { ($0.info.id, $0.features) })
            }
        }
    }

    @Test func aRadiusSearchOnTheBuiltInDataFindsExactlyWhatBruteForceFinds() async throws {
        let layers = try geoDataFeatures().map { ($0.layer.id, $0.features) }
        var random = SeededRandom(seed: 2021_0206)
        // The Mukden Palace, the edge of the municipality, and random places in the city centre.
        var queries: [(Coordinate, Double)] = [(c(123.4507, 41.7962), 1000), (c(122.42, 41.20), 50_000), (c(123.81, 43.04), 20_000)]
        for _ in 0..<12 {
            queries.append((c(Double.random(in: 123.25...123.60, using: &random), Double.random(in: 41.70...41.95, using: &random)),
                            Double.random(in: 200...3000, using: &random)))
        }
        try await withGeoDataAtlas { atlas in
            for (location, radius) in queries {
                try await Self.expectRadiusSearchAgreesWithBruteForce(atlas, location, radius, layers: layers)
            }
        }
    }

    /// Sorted nearest first, every hit within the radius and at the brute-force distance, and
    /// every feature brute force puts clearly inside the radius found.
    static func expectRadiusSearchAgreesWithBruteForce(_ atlas: Atlas, _ location: Coordinate, _ radius: Double,
                                                       layers: [(String, [Feature])]) async throws {
        let hits = try await atlas.near(NearQuery(location: location, reach: .within(metres: radius)))
        let label = "at \(location.lon),\(location.lat) r=\(radius)"
        #expect(hits.map(\.distanceMetres) == hits.map(\.distanceMetres).sorted(), "\(label): not sorted")
        #expect(hits.allSatisfy { $0.distanceMetres <= radius }, "\(label): a hit beyond the radius")
        let found = Dictionary(uniqueKeysWithValues: hits.map { ($0.key, $0.distanceMetres) })
        let oracle = GeodesicOracle()
        let slack = max(metres, relative * radius)
        for (layer, features) in layers {
            for feature in features {
                guard let geometry = feature.geometry, let id = feature.id else { continue }
                let key = "\(layer)/\(id)"
                let expected = try oracle.distance(from: location, to: geometry, cutoff: radius + slack)
                if let actual = found[key] {
                    let range = try #require(expected, "\(label): \(key) found at \(actual) m, brute force says beyond \(radius + slack) m")
                    let tolerance = max(metres, relative * range.upperBound)
                    #expect(actual >= range.lowerBound - tolerance && actual <= range.upperBound + tolerance,
                            "\(label): \(key) at \(actual) m, brute force \(range)")
                } else if let expected, expected.upperBound < radius - slack {
                    Issue.record("\(label): missed \(key) at \(expected) m")
                }
            }
        }
    }

    // MARK: k nearest

    @Test func theKNearestWithAStatusFilterAreStillK() async throws {
        try await withAtlas(Fixtures.all) { atlas in
            // Six existing sites lie nearer than any planned one.
            let hits = try await atlas.near(NearQuery(location: c(123.45, 41.85), reach: .nearest(3), layers: ["sites"], statuses: ["planned"]))
            #expect(hits.map(\.key) == ["sites/site-07", "sites/site-08", "sites/site-09"])
        }
    }

    @Test func theKNearestAreTheKSmallestBruteForceDistances() async throws {
        let layers = try geoDataFeatures().map { ($0.layer.id, $0.features) }
        let oracle = GeodesicOracle()
        try await withGeoDataAtlas { atlas in
            for location in [c(123.4507, 41.7962), c(123.30, 41.75), c(122.42, 41.20)] {
                let hits = try await atlas.near(NearQuery(location: location, reach: .nearest(10)))
                #expect(hits.count == 10)
                var all: [(String, ClosedRange<Double>)] = []
                for (layer, features) in layers {
                    for feature in features {
                        if let g = feature.geometry, let range = try oracle.distance(from: location, to: g) { all.append(("\(layer)/\(feature.id!)", range)) }
                    }
                }
                all.sort { $0.1.lowerBound < $1.1.lowerBound }
                let tenth = all[9].1.upperBound
                for (key, range) in all where range.upperBound < tenth - Self.metres {
                    #expect(hits.contains { $0.key == key }, "k=10 at \(location): missed \(key) at \(range) m")
                }
                #expect(abs((hits.last?.distanceMetres ?? 0) - tenth) <= max(Self.metres, Self.relative * tenth))
            }
        }
    }

    @Test func aPlaceFarFromEverythingStillGetsItsKNearest() async throws {
        try await withAtlas(Fixtures.all) { atlas in
            // Beijing, 600 km away.
            let hits = try await atlas.near(NearQuery(location: c(116.39, 39.91), reach: .nearest(2), layers: ["sites"]))
            #expect(hits.map(\.key) == ["sites/site-01", "sites/site-02"])
            let expected = try Geodesic.wgs84.distance(from: c(116.39, 39.91), to: c(123.451, 41.85))
            // Far from the metric frame's central meridian the plane stretches; 0.5 % still tells 600 km apart.
            #expect(agrees(hits[0].distanceMetres, expected, metres: 0, relative: 0.005), "\(hits[0].distanceMetres) vs \(expected)")
        }
    }

    // MARK: Several layers

    @Test func hitsFromSeveralLayersMergeIntoOneListNearestFirst() async throws {
        try await withAtlas(Fixtures.all) { atlas in
            let location = c(123.425, 41.812)
            var separately: [NearHit] = []
            for layer in ["parcels", "roads", "reserves"] {
                separately += try await atlas.near(NearQuery(location: location, reach: .within(metres: 2000), layers: [layer]))
            }
            let merged = try await atlas.near(NearQuery(location: location, reach: .within(metres: 2000), layers: ["parcels", "roads", "reserves"]))
            #expect(Set(merged.map(\.key)) == Set(separately.map(\.key)))
            #expect(Set(merged.map(\.layer)) == ["parcels", "roads", "reserves"])
            #expect(merged.map(\.distanceMetres) == merged.map(\.distanceMetres).sorted())
            let limited = try await atlas.near(NearQuery(location: location, reach: .within(metres: 2000),
                                                         layers: ["parcels", "roads", "reserves"], limit: 3))
            #expect(limited.map(\.key) == Array(merged.prefix(3)).map(\.key))
        }
    }

    @Test func noLayerNamedMeansEveryLayer() async throws {
        try await withAtlas(Fixtures.all) { atlas in
            let hits = try await atlas.near(NearQuery(location: c(123.41, 41.81), reach: .within(metres: 8000)))
            #expect(Set(hits.map(\.layer)) == ["parcels", "reserves", "roads", "sites"])
            #expect(!hits.contains { $0.key == "sites/site-nowhere" || $0.key == "sites/site-empty" })
        }
    }

    // MARK: Bad questions

    @Test(arguments: [
        (NearQuery(location: c(200, 41.8), reach: .within(metres: 100)), "lon"),
        (NearQuery(location: c(.nan, 41.8), reach: .within(metres: 100)), "lon"),
        (NearQuery(location: c(123.4, -91), reach: .within(metres: 100)), "lat"),
        (NearQuery(location: c(123.4, .infinity), reach: .nearest(1)), "lat"),
        (NearQuery(location: c(123.4, 41.8), reach: .within(metres: -1)), "radius"),
        (NearQuery(location: c(123.4, 41.8), reach: .within(metres: .nan)), "radius"),
        (NearQuery(location: c(123.4, 41.8), reach: .within(metres: 50_001)), "radius"),
        (NearQuery(location: c(123.4, 41.8), reach: .nearest(0)), "k"),
        (NearQuery(location: c(123.4, 41.8), reach: .nearest(1001)), "k"),
        (NearQuery(location: c(123.4, 41.8), reach: .nearest(5), limit: 0), "limit"),
    ])
    func aBadParameterIsRefusedByName(_ query: NearQuery, _ parameter: String) async throws {
        try await withAtlas(Fixtures.all) { atlas in
            let error = await #expect(throws: PlanningError.self) { try await atlas.near(query) }
            guard case .invalidParameter(let name, _)? = error else {
                Issue.record("expected invalidParameter(\(parameter)), got \(String(describing: error))")
                return
            }
            #expect(name == parameter)
            #expect(error?.description.hasPrefix("\(parameter): ") == true, "\(String(describing: error))")
        }
    }

    @Test func anUnknownLayerIsRefusedByName() async throws {
        try await withAtlas(Fixtures.all) { atlas in
            let error = await #expect(throws: PlanningError.self) {
                try await atlas.near(NearQuery(location: c(123.4, 41.8), reach: .nearest(1), layers: ["parcels", "no-such-layer"]))
            }
            #expect(error == .unknownLayer("no-such-layer"))
            #expect(error?.description.contains("'no-such-layer'") == true)
        }
    }
}
