import GeoModel
import Testing
@testable import GeoEngine

@Suite struct GeodesicTests {
    let mukden = KnownValues.mukdenPalace
    let taoxian = KnownValues.taoxianAirport

    @Test func mukdenPalaceToTaoxianAirportMatchesPyprojToTheMillimetre() throws {
        let metres = try Geodesic.wgs84.distance(from: mukden, to: taoxian)
        #expect(abs(metres - KnownValues.mukdenToTaoxianDistanceWGS84) < 1e-3)
        let onCGCS2000 = try Geodesic.cgcs2000.distance(from: mukden, to: taoxian)
        #expect(abs(onCGCS2000 - KnownValues.mukdenToTaoxianDistanceCGCS2000) < 1e-3)
    }

    @Test func inverseGivesTheAzimuthsAtBothEnds() throws {
        let solution = try Geodesic.wgs84.inverse(from: mukden, to: taoxian)
        #expect(abs(solution.initialAzimuth - KnownValues.mukdenToTaoxianInitialAzimuth) < 1e-9)
        #expect(abs(solution.finalAzimuth - KnownValues.mukdenToTaoxianFinalAzimuth) < 1e-9)
    }

    @Test func distanceIsSymmetricAndZeroToItself() throws {
        let there = try Geodesic.wgs84.distance(from: mukden, to: taoxian)
        let back = try Geodesic.wgs84.distance(from: taoxian, to: mukden)
        #expect(abs(there - back) < 1e-9)
        #expect(try Geodesic.wgs84.distance(from: mukden, to: mukden) == 0)
    }

    @Test func directReachesPyprojsDestination() throws {
        let end = try Geodesic.wgs84.direct(from: mukden, azimuth: 30, distance: 10_000)
        #expect(abs(end.x - KnownValues.tenKilometresNorthNorthEast.x) < 1e-9)
        #expect(abs(end.y - KnownValues.tenKilometresNorthNorthEast.y) < 1e-9)
    }

    @Test func directUndoesInverse() throws {
        let solution = try Geodesic.wgs84.inverse(from: mukden, to: taoxian)
        let end = try Geodesic.wgs84.direct(from: mukden, azimuth: solution.initialAzimuth, distance: solution.distance)
        #expect(try Geodesic.wgs84.distance(from: end, to: taoxian) < 1e-6)
    }

    @Test func polygonAreaSubtractsHolesAndMatchesPyproj() throws {
        let exterior = Polygon(exterior: KnownValues.polygonExterior)
        let hole = Polygon(exterior: KnownValues.polygonHole)
        let withHole = Polygon(exterior: KnownValues.polygonExterior, holes: [KnownValues.polygonHole])
        #expect(abs(try Geodesic.wgs84.area(of: exterior) - KnownValues.polygonExteriorArea) < 1e-3)
        #expect(abs(try Geodesic.wgs84.area(of: hole) - KnownValues.polygonHoleArea) < 1e-3)
        #expect(abs(try Geodesic.wgs84.area(of: withHole) - KnownValues.polygonWithHoleArea) < 1e-3)
    }

    @Test func areaDoesNotDependOnRingOrientation() throws {
        // RFC 7946 wants counter-clockwise exteriors, but data from elsewhere may wind either way.
        let clockwise = Polygon(exterior: KnownValues.polygonExterior.reversed(), holes: [KnownValues.polygonHole])
        #expect(abs(try Geodesic.wgs84.area(of: clockwise) - KnownValues.polygonWithHoleArea) < 1e-3)
    }

    @Test func multiPolygonAreaIsTheSumOfItsParts() throws {
        let shifted = KnownValues.polygonExterior.map { Coordinate(lon: $0.lon + 0.2, lat: $0.lat) }
        let parts = [Polygon(exterior: KnownValues.polygonExterior, holes: [KnownValues.polygonHole]), Polygon(exterior: shifted)]
        let total = try Geodesic.wgs84.area(of: MultiPolygon(parts))
        let sum = try Geodesic.wgs84.area(of: parts[0]) + Geodesic.wgs84.area(of: parts[1])
        #expect(abs(total - sum) < 1e-6)
        // Shifting a polygon along a parallel keeps its area.
        #expect(abs(try Geodesic.wgs84.area(of: parts[1]) - KnownValues.polygonExteriorArea) < 1e-3)
    }

    @Test func emptyShapesMeasureZero() throws {
        #expect(try Geodesic.wgs84.area(of: Polygon.empty) == 0)
        #expect(try Geodesic.wgs84.area(of: MultiPolygon.empty) == 0)
        #expect(try Geodesic.wgs84.length(of: LineString.empty) == 0)
    }

    @Test func lineLengthMatchesPyproj() throws {
        let line = LineString(KnownValues.line)
        #expect(abs(try Geodesic.wgs84.length(of: line) - KnownValues.lineLength) < 1e-3)
        let twice = try Geodesic.wgs84.length(of: MultiLineString([line, line]))
        #expect(abs(twice - 2 * KnownValues.lineLength) < 2e-3)
    }

    @Test("Positions off the ellipsoid are refused, naming the value", arguments: [
        Coordinate(lon: 123, lat: 91), Coordinate(lon: 123, lat: -90.5), Coordinate(lon: .nan, lat: 41),
        Coordinate(lon: 123, lat: .infinity),
    ])
    func invalidPositionsAreRefused(bad: Coordinate) {
        #expect {
            _ = try Geodesic.wgs84.distance(from: mukden, to: bad)
        } throws: { error in
            guard case .invalidGeographicCoordinate(let coordinate, _) = error as? ProjectionError else { return false }
            return coordinate.x.isNaN ? bad.x.isNaN : coordinate == bad
        }
        #expect(throws: ProjectionError.self) { try Geodesic.wgs84.area(of: Polygon(exterior: [mukden, bad, taoxian, mukden])) }
        #expect(throws: ProjectionError.self) { try Geodesic.wgs84.direct(from: bad, azimuth: 0, distance: 1) }
    }

    @Test func directRefusesANonFiniteDistance() {
        #expect(throws: ProjectionError.self) { try Geodesic.wgs84.direct(from: mukden, azimuth: 0, distance: .infinity) }
    }

    @Test func searchBoxHasExactLatitudeEdges() throws {
        let box = try Geodesic.wgs84.boundingBox(around: mukden, radius: 5000)
        #expect(abs(box.maxY - KnownValues.fiveKilometresNorthLatitude) < 1e-9)
        #expect(abs(box.minY - KnownValues.fiveKilometresSouthLatitude) < 1e-9)
    }

    @Test("The search box holds the whole circle and is barely larger", arguments: [1.0, 500, 5000, 50_000])
    func searchBoxHoldsTheCircleTightly(radius: Double) throws {
        let box = try Geodesic.wgs84.boundingBox(around: mukden, radius: radius)
        var widest = 0.0
        for tenth in 0..<3600 {
            let edge = try Geodesic.wgs84.direct(from: mukden, azimuth: Double(tenth) / 10, distance: radius)
            #expect(box.contains(edge), "azimuth \(Double(tenth) / 10)")
            widest = max(widest, abs(edge.x - mukden.x))
        }
        // Over-estimate: at most 1e-4 of the width plus the 0.1-degree sampling of azimuths.
        #expect((box.maxX - mukden.x) / widest - 1 < 2e-4 + radius / 6.37e6)
    }

    @Test func searchBoxesReachingAPoleOrTheAntimeridianSpanAllLongitudes() throws {
        let nearPole = try Geodesic.wgs84.boundingBox(around: Coordinate(lon: 10, lat: 89.99), radius: 5000)
        #expect(nearPole.maxY == 90 && nearPole.minX == -180 && nearPole.maxX == 180)
        let nearDateLine = try Geodesic.wgs84.boundingBox(around: Coordinate(lon: 179.99, lat: 0), radius: 5000)
        #expect(nearDateLine.minX == -180 && nearDateLine.maxX == 180)
        #expect(abs(nearDateLine.maxY - 0.0452) < 1e-3)
    }

    @Test func searchBoxRefusesANegativeRadius() {
        #expect(throws: ProjectionError.self) { try Geodesic.wgs84.boundingBox(around: mukden, radius: -1) }
        #expect(throws: ProjectionError.self) { try Geodesic.wgs84.boundingBox(around: mukden, radius: .nan) }
    }
}
