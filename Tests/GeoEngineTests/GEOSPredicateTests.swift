import Testing
import GeoEngine
import GeoModel

@Suite struct GEOSPredicateTests {
    /// One of the script's shapes, read from its WKT.
    static func shape(_ name: String) throws -> Geometry {
        try Geometry(wkt: try #require(Shapely.shapes[name], "no shape \(name)"))
    }

    /// Every predicate for every ordered pair of eight shapes, against Shapely's answers.
    @Test(arguments: Shapely.predicateMatrix.keys.sorted())
    func predicatesMatchShapely(_ pair: String) throws {
        let names = pair.split(separator: " ").map(String.init)
        let a = try Self.shape(names[0]), b = try Self.shape(names[1])
        let answers = [
            try a.intersects(b), try a.disjoint(b), try a.contains(b), try a.within(b), try a.covers(b),
            try a.coveredBy(b), try a.touches(b), try a.crosses(b), try a.overlaps(b), try a.equals(b),
        ]
        let bits = String(answers.map { $0 ? "1" : "0" })
        #expect(bits == Shapely.predicateMatrix[pair], "intersects disjoint contains within covers coveredBy touches crosses overlaps equals")
    }

    @Test func polygonsSharingAnEdgeIntersectWithoutSharingArea() throws {
        let square = try Self.shape("square"), touching = try Self.shape("touching")
        #expect(try square.intersects(touching))
        #expect(try square.touches(touching))
        #expect(try square.intersection(touching).area() == Shapely.touchingIntersectionArea)
    }

    /// Why "overlap" in planatlas means intersects plus area, not OGC overlaps.
    @Test func aPolygonWhollyInsideAnotherIsContainedButDoesNotOverlap() throws {
        let square = try Self.shape("square"), inner = try Self.shape("inner")
        #expect(try square.contains(inner))
        #expect(try inner.within(square))
        #expect(try square.overlaps(inner) == false)
        #expect(try square.intersection(inner).area() == 1)
    }

    @Test func isWithinDistanceIsInclusiveOfTheGap() throws {
        let square = try Self.shape("square"), far = try Self.shape("far")
        #expect(try square.isWithinDistance(far, distance: 8.4) == Shapely.squareFarWithin8_4)
        #expect(try square.isWithinDistance(far, distance: 8.5) == Shapely.squareFarWithin8_5)
        #expect(try square.isWithinDistance(square, distance: 0))
    }

    @Test func equalsIgnoresVertexOrderWhileValueEqualityDoesNot() throws {
        let square = try Self.shape("square")
        let rotated = Geometry.polygon(Polygon(exterior: ring((4, 0), (4, 4), (0, 4), (0, 0), (4, 0))))
        #expect(try square.equals(rotated))
        #expect(square != rotated)
    }
}
