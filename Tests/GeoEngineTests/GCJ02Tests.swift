import GeoModel
import Testing
@testable import GeoEngine

@Suite struct GCJ02Tests {
    let toGCJ = CoordinateTransform(from: .wgs84, to: .gcj02)
    let fromGCJ = CoordinateTransform(from: .gcj02, to: .wgs84)

    @Test func forwardMatchesTheIndependentImplementation() throws {
        for (name, wgs84, gcj02) in KnownValues.gcj02Forward {
            let ours = try toGCJ.transform(wgs84)
            #expect(abs(ours.x - gcj02.x) < 1e-12 && abs(ours.y - gcj02.y) < 1e-12, "\(name): \(ours) vs \(gcj02)")
        }
    }

    @Test func positionsOutsideChinaPassThroughUnchanged() throws {
        for (name, c) in KnownValues.outsideChina {
            #expect(try toGCJ.transform(c) == c, "\(name)")
            #expect(try fromGCJ.transform(c) == c, "\(name)")
        }
    }

    @Test func inverseRecoversTheWGS84PositionOfAWebMapPoint() throws {
        for (gcj02, wgs84) in KnownValues.gcj02Inverse {
            let ours = try fromGCJ.transform(gcj02)
            #expect(try Geodesic.wgs84.distance(from: ours, to: wgs84) < 1e-3)
        }
    }

    @Test func roundTripsOverShenyangStayWithinOneCentimetre() throws {
        let grid = shenyangGrid(step: 0.05)
        var there = grid
        try toGCJ.transform(&there)
        var back = there
        try fromGCJ.transform(&back)
        var worst = 0.0
        for (original, returned) in zip(grid, back) {
            worst = max(worst, try Geodesic.wgs84.distance(from: original, to: returned))
        }
        #expect(worst < 0.01)
        // And the other way: a GCJ-02 point read off a web map, to WGS 84 and back.
        var again = back
        try toGCJ.transform(&again)
        for (gcj, returned) in zip(there, again) {
            #expect(try Geodesic.wgs84.distance(from: gcj, to: returned) < 0.01)
        }
    }

    @Test func theShiftInShenyangIsSeveralHundredMetres() throws {
        let shifted = try toGCJ.transform(KnownValues.mukdenPalace)
        let metres = try Geodesic.wgs84.distance(from: KnownValues.mukdenPalace, to: shifted)
        #expect(metres > 300 && metres < 800)
    }

    @Test func projectedSystemsReachGCJ02ThroughWGS84() throws {
        let gk = try #require(KnownValues.mukdenIn[.cgcs2000GK123E])
        let direct = try CoordinateTransform(from: .cgcs2000GK123E, to: .gcj02).transform(gk)
        let viaWGS84 = try toGCJ.transform(try CoordinateTransform(from: .cgcs2000GK123E, to: .wgs84).transform(gk))
        #expect(direct == viaWGS84)
        #expect(abs(direct.x - KnownValues.gcj02Forward[0].gcj02.x) < 1e-9)
        #expect(abs(direct.y - KnownValues.gcj02Forward[0].gcj02.y) < 1e-9)

        let back = try CoordinateTransform(from: .gcj02, to: .cgcs2000GK123E).transform(direct)
        #expect(abs(back.x - gk.x) < 0.01 && abs(back.y - gk.y) < 0.01)
    }

    @Test func aGCJ02PointOutsideTheLonLatRangeIsRefused() {
        #expect(throws: ProjectionError.self) { try fromGCJ.transform(Coordinate(lon: 123, lat: 95)) }
    }
}
