import Testing
@testable import GeoModel

@Suite struct GeometryTests {
    @Test func emptyFormsAreEmpty() {
        #expect(Geometry.point(.empty).isEmpty)
        #expect(Geometry.lineString(.empty).isEmpty)
        #expect(Geometry.polygon(.empty).isEmpty)
        #expect(Geometry.multiPoint(.empty).isEmpty)
        #expect(Geometry.multiLineString(.empty).isEmpty)
        #expect(Geometry.multiPolygon(.empty).isEmpty)
        #expect(Geometry.geometryCollection(.empty).isEmpty)
        #expect(Geometry.point(.empty).boundingBox == nil)
    }

    @Test func boundingBoxSpansEveryCoordinate() {
        let line = Geometry.lineString(LineString([Coordinate(x: 1, y: 5), Coordinate(x: -2, y: 3), Coordinate(x: 4, y: 0)]))
        #expect(line.boundingBox == BoundingBox(minX: -2, minY: 0, maxX: 4, maxY: 5))
        #expect(line.coordinateCount == 3)
    }

    @Test func aBoxCoveringCoordinatesSpansThemAllAndNoCoordinatesGiveNoBox() {
        let box = BoundingBox(covering: [Coordinate(x: 1, y: 5), Coordinate(x: -2, y: 3), Coordinate(x: 4, y: 0)])
        #expect(box == BoundingBox(minX: -2, minY: 0, maxX: 4, maxY: 5))
        #expect(BoundingBox(covering: [Coordinate]()) == nil)
    }
}
