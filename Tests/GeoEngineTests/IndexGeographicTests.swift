import Foundation
import GeoModel
import Testing
import TestSupport
@testable import GeoEngine

@Suite("Metric plane and geographic near queries")
struct IndexGeographicTests {
    static let shenyang = BoundingBox(minX: 123.10, minY: 41.60, maxX: 123.80, maxY: 42.05)
    static let degreesPerMetreOfLatitudeAtMost = 180 / Double.pi / 6_335_439.0  // 1 / M(0)

    static func planeDistance(_ plane: MetricPlane, _ a: Coordinate, _ b: Coordinate) -> Double {
        let p = plane.project(a), q = plane.project(b)
        return ((p.x - q.x) * (p.x - q.x) + (p.y - q.y) * (p.y - q.y)).squareRoot()
    }

    static func coordinates(_ flat: [Double]) -> [Coordinate] {
        stride(from: 0, to: flat.count, by: 2).map { Coordinate(lon: flat[$0], lat: flat[$0 + 1]) }
    }

    static func pointBoxes(_ points: [Coordinate]) -> [BoundingBox] {
        points.map { BoundingBox(minX: $0.lon, minY: $0.lat, maxX: $0.lon, maxY: $0.lat) }
    }

    // MARK: The plane's distortion, checked against pyproj's geodesics

    @Test func planeDistancesStayWithinTheScaleBoundOfGeodesics() throws {
        let plane = try MetricPlane(origin: Self.shenyang.center)
        let rows = IndexKnownValues.pairs
        var worst = 0.0
        for r in stride(from: 0, to: rows.count, by: 5) {
            let a = Coordinate(lon: rows[r], lat: rows[r + 1]), b = Coordinate(lon: rows[r + 2], lat: rows[r + 3])
            let geodesic = rows[r + 4]
            let reach = geodesic * Self.degreesPerMetreOfLatitudeAtMost
            let band = (min(a.lat, b.lat) - reach)...(max(a.lat, b.lat) + reach)
            let ratio = Self.planeDistance(plane, a, b) / geodesic
            #expect(plane.scaleRange(latitudes: band).contains(ratio), "pair \(r / 5): ratio \(ratio)")
            worst = max(worst, abs(ratio - 1))
        }
        // The fixture reaches the extent's edges, where the plane is off by about 0.35 %.
        #expect(worst > 0.003)
        #expect(worst < 0.0036)
    }

    @Test func overShenyangThePlaneIsWithinZeroPointThreeSixPercentAndTheBoundIsTight() throws {
        let plane = try MetricPlane(origin: Self.shenyang.center)
        let scale = plane.scaleRange(latitudes: 41.60...42.05)
        #expect(scale.lowerBound > 0.9964 && scale.upperBound < 1.0036)
        // The worst pyproj pair sits within 1e-4 of the bound: it is not slack.
        let rows = IndexKnownValues.pairs
        let ratios = stride(from: 0, to: rows.count, by: 5).map { r in
            Self.planeDistance(plane, Coordinate(lon: rows[r], lat: rows[r + 1]), Coordinate(lon: rows[r + 2], lat: rows[r + 3])) / rows[r + 4]
        }
        #expect(scale.upperBound - ratios.max()! < 1e-4)
        #expect(ratios.min()! - scale.lowerBound < 1e-4)
    }

    @Test func aPlaneNeedsAnOriginOffThePoles() {
        #expect(throws: SpatialIndexError.invalidPlaneOrigin(Coordinate(lon: 0, lat: 90))) {
            try MetricPlane(origin: Coordinate(lon: 0, lat: 90))
        }
        #expect(throws: SpatialIndexError.self) { try MetricPlane(origin: Coordinate(lon: .infinity, lat: 0)) }
    }

    @Test func theBoundIsInfiniteForABandReachingAPole() throws {
        let plane = try MetricPlane(origin: Coordinate(lon: 0, lat: 80))
        #expect(plane.scaleRange(latitudes: 85...90).upperBound == .infinity)
    }

    // MARK: Radius and nearest queries with geodesic distances

    @Test func radiusSearchFindsExactlyTheGeodesicHitsEvenWhereThePlaneIsWorst() throws {
        let points = Self.coordinates(IndexKnownValues.ringPoints)
        let queries = Self.coordinates(IndexKnownValues.ringQueries)
        let index = try GeographicNearIndex(boxes: Self.pointBoxes(points))
        var missedByPlainPlane = 0
        for (row, q) in queries.enumerated() {
            let geodesic = { (i: Int) in IndexKnownValues.ringDistances[row * points.count + i] }
            let found = try index.neighbors(of: q, within: 500, exactDistance: geodesic)
            #expect(found == BruteForce.within(500, count: points.count, distance: geodesic))
            missedByPlainPlane += points.indices.filter { geodesic($0) <= 500 && Self.planeDistance(index.plane, q, points[$0]) > 500 }.count
        }
        // The fixture has points that a search trusting plane distances would miss.
        #expect(missedByPlainPlane > 0)
    }

    @Test("k nearest by geodesic distance equal a brute-force ranking", arguments: [1, 10, 60])
    func nearestMatchesGeodesicRanking(k: Int) throws {
        let points = Self.coordinates(IndexKnownValues.ringPoints)
        let index = try GeographicNearIndex(boxes: Self.pointBoxes(points))
        for (row, q) in Self.coordinates(IndexKnownValues.ringQueries).enumerated() {
            let geodesic = { (i: Int) in IndexKnownValues.ringDistances[row * points.count + i] }
            #expect(try index.nearest(to: q, k: k, exactDistance: geodesic) == BruteForce.nearest(k, count: points.count, distance: geodesic))
            #expect(try index.nearest(to: q, k: k, maxDistance: 499, exactDistance: geodesic)
                    == BruteForce.nearest(k, maxDistance: 499, count: points.count, distance: geodesic))
        }
    }

    @Test("queries far from the data still rank by geodesic distance (Beijing, North Pole, opposite meridian)")
    func farQueriesMatchGeodesicRanking() throws {
        let points = Self.coordinates(IndexKnownValues.farPoints)
        let index = try GeographicNearIndex(boxes: Self.pointBoxes(points))
        for (row, q) in Self.coordinates(IndexKnownValues.farQueries).enumerated() {
            let geodesic = { (i: Int) in IndexKnownValues.farDistances[row * points.count + i] }
            let ranking = BruteForce.ranked(count: points.count, distance: geodesic)
            #expect(try index.nearest(to: q, k: 5, exactDistance: geodesic) == Array(ranking.prefix(5)))
            let radius = ranking[9].distance
            #expect(try index.neighbors(of: q, within: radius, exactDistance: geodesic) == Array(ranking.prefix(10)))
        }
    }

    /// A stand-in for the caller's metric in randomised tests: the ellipsoidal distance of a flat
    /// step at the mean latitude, within 1e-4 of the geodesic at city scale (well inside the
    /// index's tolerance of 1e-3). Items are lon/lat boxes, measured to the nearest point of the
    /// box in longitude and latitude.
    static func cityMetric(from q: Coordinate, to box: BoundingBox) -> Double {
        let lon = min(max(q.lon, box.minX), box.maxX), lat = min(max(q.lat, box.minY), box.maxY)
        let a = 6_378_137.0, e2 = 0.00669437999014
        let phi = (q.lat + lat) / 2 * .pi / 180
        let w = 1 - e2 * sin(phi) * sin(phi)
        let meridian = a * (1 - e2) / (w * w.squareRoot()), parallel = a * cos(phi) / w.squareRoot()
        let north = meridian * (lat - q.lat) * .pi / 180, east = parallel * (lon - q.lon) * .pi / 180
        return (north * north + east * east).squareRoot()
    }

    @Test func theStandInMetricIsWithinTheToleranceOfGeodesics() {
        let rows = IndexKnownValues.pairs
        for r in stride(from: 0, to: rows.count, by: 5) {
            let b = BoundingBox(minX: rows[r + 2], minY: rows[r + 3], maxX: rows[r + 2], maxY: rows[r + 3])
            let d = Self.cityMetric(from: Coordinate(lon: rows[r], lat: rows[r + 1]), to: b)
            #expect(abs(d / rows[r + 4] - 1) < 1e-4)
        }
    }

    @Test("random radius and nearest queries equal brute force under an ellipsoidal metric", arguments: [0.0, 30, 500, 5000])
    func randomQueriesMatchBruteForce(radius: Double) throws {
        let boxes = IndexFixtures.mixedBoxes(count: 2500, seed: 21, in: Self.shenyang, smallSize: 0.003, largeSize: 0.02)
        let index = try GeographicNearIndex(boxes: boxes)
        var random = SeededGenerator(seed: 22)
        for _ in 0..<80 {
            let q = Coordinate(lon: random.uniform(122.9, 124.0), lat: random.uniform(41.4, 42.25))
            let metric = { (i: Int) in Self.cityMetric(from: q, to: boxes[i]) }
            #expect(try index.neighbors(of: q, within: radius, exactDistance: metric) == BruteForce.within(radius, count: boxes.count, distance: metric))
            #expect(try index.nearest(to: q, k: 10, maxDistance: radius * 2, exactDistance: metric)
                    == BruteForce.nearest(10, maxDistance: radius * 2, count: boxes.count, distance: metric))
        }
    }

    @Test func geographicIndexRejectsBoxesOutsideLonLatAndBadQueries() throws {
        #expect(throws: SpatialIndexError.boxOutsideLonLatRange(index: 1, box: BoundingBox(minX: 170, minY: 0, maxX: 181, maxY: 1))) {
            try GeographicNearIndex(boxes: [Self.shenyang, BoundingBox(minX: 170, minY: 0, maxX: 181, maxY: 1)])
        }
        #expect { try GeographicNearIndex(boxes: [BoundingBox(minX: 0, minY: .nan, maxX: 1, maxY: 1)]) } throws: { error in
            if case SpatialIndexError.invalidBox(index: 0, _) = error { true } else { false }
        }
        let index = try GeographicNearIndex(boxes: [Self.shenyang])
        #expect(throws: SpatialIndexError.invalidQueryPoint(Coordinate(lon: 123, lat: 91))) {
            try index.nearest(to: Coordinate(lon: 123, lat: 91), k: 1) { _ in 0 }
        }
        #expect(throws: SpatialIndexError.invalidDistance(-5)) {
            try index.neighbors(of: Coordinate(lon: 123, lat: 41), within: -5) { _ in 0 }
        }
    }

    @Test func storingItemsInStorageOrderMakesIndexOrderTheIdentity() throws {
        let boxes = IndexFixtures.mixedBoxes(count: 3000, seed: 23, in: Self.shenyang, smallSize: 0.003, largeSize: 0.02)
        let order = try GeographicNearIndex.storageOrder(of: boxes)
        #expect(order.sorted() == Array(boxes.indices))
        let index = try GeographicNearIndex(boxes: order.map { boxes[$0] })
        #expect(index.tree.links.prefix(index.count).map(Int.init) == Array(boxes.indices))
    }

    @Test func anEmptyGeographicIndexAnswersNothing() throws {
        let index = try GeographicNearIndex(boxes: [])
        let q = Coordinate(lon: 123.4, lat: 41.8)
        #expect(try index.neighbors(of: q, within: 1e7) { _ in 0 }.isEmpty)
        #expect(try index.nearest(to: q, k: 3) { _ in 0 }.isEmpty)
    }
}
