import GeoModel
import Testing
@testable import GeoEngine

@Suite struct ProjectionTransformTests {
    static let projectedSystems: [CRS] = [.cgcs2000GK120E, .cgcs2000GK123E, .utm51N, .webMercator]

    @Test("Mukden Palace lands where pyproj puts it, within 1 mm", arguments: projectedSystems)
    func mukdenPalaceMatchesPyproj(target: CRS) throws {
        let projected = try CoordinateTransform(from: .wgs84, to: target).transform(KnownValues.mukdenPalace)
        let expected = try #require(KnownValues.mukdenIn[target])
        #expect(abs(projected.x - expected.x) < 1e-3)
        #expect(abs(projected.y - expected.y) < 1e-3)
    }

    @Test("Projecting and unprojecting the Mukden Palace moves it by less than 1 mm", arguments: projectedSystems)
    func roundTripIsBelowAMillimetre(target: CRS) throws {
        let forward = CoordinateTransform(from: .wgs84, to: target)
        let back = try forward.inverse.transform(try forward.transform(KnownValues.mukdenPalace))
        #expect(try Geodesic.wgs84.distance(from: KnownValues.mukdenPalace, to: back) < 1e-3)
    }

    @Test func wgs84AndCGCS2000LonLatAreTheSameNumbers() throws {
        // PROJ links the two datums by a ballpark no-op; pyproj agrees.
        let converted = try CoordinateTransform(from: .wgs84, to: .cgcs2000).transform(KnownValues.mukdenPalace)
        #expect(converted == KnownValues.mukdenIn[.cgcs2000])
    }

    @Test func outputAxisOrderIsEastThenNorthForEveryPair() throws {
        // Registry order would put latitude (4326, 4490) or northing (4549, 4550) first.
        let gk = try CoordinateTransform(from: .wgs84, to: .cgcs2000GK123E).transform(KnownValues.mukdenPalace)
        #expect(gk.x > 500_000 && gk.x < 600_000 && gk.y > 4_600_000)
        let lonLat = try CoordinateTransform(from: .cgcs2000GK123E, to: .cgcs2000).transform(gk)
        #expect(abs(lonLat.x - 123.4507) < 1e-9 && abs(lonLat.y - 41.7962) < 1e-9)
    }

    @Test func projectedToProjectedGoesDirectly() throws {
        let gk = try #require(KnownValues.mukdenIn[.cgcs2000GK123E])
        let utm = try CoordinateTransform(from: .cgcs2000GK123E, to: .utm51N).transform(gk)
        let expected = try #require(KnownValues.mukdenIn[.utm51N])
        #expect(abs(utm.x - expected.x) < 1e-3 && abs(utm.y - expected.y) < 1e-3)
    }

    @Test("A 1 km square of each Gauss-Kruger zone has pyproj's corners and geodesic area",
          arguments: [KnownValues.squareGK123E, KnownValues.squareGK120E])
    func kilometreSquareMatchesPyproj(square: KnownValues.Square) throws {
        let sw = square.southWest
        let corners = [sw, Coordinate(x: sw.x + 1000, y: sw.y), Coordinate(x: sw.x + 1000, y: sw.y + 1000),
                       Coordinate(x: sw.x, y: sw.y + 1000)]
        #expect(planarArea(corners) == 1_000_000)

        var lonLat = corners
        try CoordinateTransform(from: square.crs, to: .wgs84).transform(&lonLat)
        for (ours, theirs) in zip(lonLat, square.cornersLonLat) {
            #expect(abs(ours.x - theirs.x) < 1e-9 && abs(ours.y - theirs.y) < 1e-9)
        }
        let polygon = Polygon(exterior: lonLat + [lonLat[0]])
        #expect(abs(try Geodesic.wgs84.area(of: polygon) - square.geodesicAreaWGS84) < 1e-3)
        #expect(abs(try Geodesic.cgcs2000.area(of: polygon) - square.geodesicAreaCGCS2000) < 1e-3)

        var back = lonLat
        try CoordinateTransform(from: .wgs84, to: square.crs).transform(&back)
        #expect(abs(planarArea(back) - 1_000_000) < 1e-3)
    }

    @Test("The metric frame agrees with PROJ's exact Transverse Mercator to a tenth of a millimetre, both ways, in and beyond its zone")
    func metricFrameAgreesWithTheExactTransverseMercator() throws {
        let toMetric = CoordinateTransform(from: .wgs84, to: CRS.metricFrame)
        for (lonLat, exact) in KnownValues.metricFrameExact {
            let ours = try toMetric.transform(lonLat)
            #expect(hypot(ours.x - exact.x, ours.y - exact.y) < 1e-4, "\(lonLat)")
            let back = try toMetric.inverse.transform(exact)
            // On the ground: a degree of latitude is about 111 km, one of longitude 111 km × cos φ.
            let north = (back.lat - lonLat.lat) * 111_000
            let east = (back.lon - lonLat.lon) * 111_000 * cos(lonLat.lat * .pi / 180)
            #expect(hypot(north, east) < 1e-4, "\(exact)")
        }
    }

    @Test func metricFrameMeasuresShenyangAreasToWithinTwoHundredthsOfAPercent() throws {
        // Why the metric frame is the CM 123E zone: a 1 km square there is 0.0035% off its true (geodesic) area,
        // while in the CM 120E zone (EPSG:4549) it is 0.2% off; pyproj's numbers above agree.
        let centre = try CoordinateTransform(from: .wgs84, to: CRS.metricFrame).transform(KnownValues.mukdenPalace)
        var square = [(-500.0, -500.0), (500, -500), (500, 500), (-500, 500), (-500, -500)]
            .map { Coordinate(x: centre.x + $0.0, y: centre.y + $0.1) }
        try CoordinateTransform(from: CRS.metricFrame, to: .wgs84).transform(&square)
        let trueArea = try Geodesic.wgs84.area(of: Polygon(exterior: square))
        #expect(abs(trueArea / 1e6 - 1) < 2e-4)
    }

    @Test func bulkTransformEqualsOneAtATime() throws {
        let transform = CoordinateTransform(from: .wgs84, to: .cgcs2000GK123E)
        let grid = shenyangGrid(step: 0.1)
        var bulk = grid
        try transform.transform(&bulk)
        let single = try grid.map { c throws(ProjectionError) in try transform.transform(c) }
        #expect(bulk == single)
    }

    @Test func geometryKeepsItsShapeAndEmptyPartsWhileEveryCoordinateMoves() throws {
        let transform = CoordinateTransform(from: .wgs84, to: .cgcs2000GK123E)
        let polygon = Polygon(exterior: KnownValues.polygonExterior, holes: [KnownValues.polygonHole])
        let line = LineString(KnownValues.line)
        let geometry = Geometry.geometryCollection(GeometryCollection([
            .point(Point(KnownValues.mukdenPalace)),
            .point(.empty),
            .lineString(line),
            .polygon(polygon),
            .multiPolygon(MultiPolygon([polygon, .empty])),
            .multiLineString(MultiLineString([line, .empty])),
            .multiPoint(MultiPoint(KnownValues.line)),
            .geometryCollection(.empty),
        ]))
        let projected = try transform.transform(geometry)
        let expected = try geometry.mapCoordinates { c throws(ProjectionError) in try transform.transform(c) }
        #expect(projected == expected)
        #expect(projected.coordinateCount == geometry.coordinateCount)
        for empty in [Geometry.point(.empty), .polygon(.empty), .geometryCollection(.empty)] {
            #expect(try transform.transform(empty) == empty)
        }
    }

    @Test func heightIsCarriedAndFlatCoordinatesStayFlat() throws {
        let transform = CoordinateTransform(from: .wgs84, to: .cgcs2000GK123E)
        #expect(try transform.transform(Coordinate(x: 123.4507, y: 41.7962, z: 45.5)).z == 45.5)
        #expect(try transform.transform(KnownValues.mukdenPalace).z == nil)
    }

    @Test func sameSystemIsTheIdentity() throws {
        for crs in CRS.allCases {
            #expect(try CoordinateTransform(from: crs, to: crs).transform(KnownValues.mukdenPalace) == KnownValues.mukdenPalace)
        }
    }

    @Test("Bad input coordinates are refused, naming the value", arguments: [
        (Coordinate(lon: 123, lat: 100), "latitude 100.0"),
        (Coordinate(lon: 200, lat: 41), "longitude 200.0"),
        (Coordinate(lon: .nan, lat: 41), "finite"),
        (Coordinate(lon: 123, lat: .infinity), "finite"),
        (Coordinate(x: 123, y: 41, z: .nan), "finite"),
    ])
    func badGeographicInputIsRefused(coordinate: Coordinate, phrase: String) {
        let transform = CoordinateTransform(from: .wgs84, to: .cgcs2000GK123E)
        #expect {
            _ = try transform.transform(coordinate)
        } throws: { error in
            guard case .transformFailed(.wgs84, .cgcs2000GK123E, _, let reason) = error as? ProjectionError else { return false }
            return reason.contains(phrase)
        }
    }

    @Test func pointOutsideTheProjectionsDomainIsAnErrorNotInfinity() throws {
        let far = Coordinate(x: 1e12, y: 1e12)
        let error = #expect(throws: ProjectionError.self) {
            _ = try CoordinateTransform(from: .cgcs2000GK123E, to: .wgs84).transform(far)
        }
        guard case .transformFailed(.cgcs2000GK123E, .wgs84, let coordinate, let reason) = error else {
            Issue.record("unexpected error \(String(describing: error))")
            return
        }
        #expect(coordinate == far)
        #expect(!reason.isEmpty)
        #expect(error?.description.contains("1000000000000.0") == true)
    }

    @Test func failedBulkTransformNamesTheBadCoordinateAndLeavesTheArrayAlone() {
        let original = [Coordinate(x: 537459, y: 4629098), Coordinate(x: 1e12, y: 1e12), Coordinate(x: 537000, y: 4629000)]
        var coordinates = original
        #expect {
            try CoordinateTransform(from: .cgcs2000GK123E, to: .gcj02).transform(&coordinates)
        } throws: { error in
            guard case .transformFailed(.cgcs2000GK123E, .gcj02, let coordinate, _) = error as? ProjectionError else { return false }
            return coordinate == original[1]
        }
        #expect(coordinates == original)
    }
}

/// Shoelace area of a closed or open ring in a planar CRS.
func planarArea(_ ring: [Coordinate]) -> Double {
    var twice = 0.0
    for (a, b) in zip(ring, ring.dropFirst() + [ring[0]]) { twice += a.x * b.y - b.x * a.y }
    return abs(twice) / 2
}

/// Lon/lat points covering Shenyang's urban area and its outskirts.
func shenyangGrid(step: Double) -> [Coordinate] {
    var points: [Coordinate] = []
    for i in 0...Int((123.90 - 122.40) / step + 0.5) {
        for j in 0...Int((42.20 - 41.10) / step + 0.5) {
            points.append(Coordinate(lon: 122.40 + Double(i) * step, lat: 41.10 + Double(j) * step))
        }
    }
    return points
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
