import Foundation
import Testing
import GeoEngine
import GeoModel

@Suite struct GEOSOperationTests {
    let square = Geometry.polygon(Polygon(exterior: ring((0, 0), (4, 0), (4, 4), (0, 4), (0, 0))))
    let overlapping = Geometry.polygon(Polygon(exterior: ring((2, 2), (6, 2), (6, 6), (2, 6), (2, 2))))
    let far = Geometry.polygon(Polygon(exterior: ring((10, 10), (11, 10), (11, 11), (10, 11), (10, 10))))
    let ell = Geometry.polygon(Polygon(exterior: ring((0, 0), (4, 0), (4, 1), (1, 1), (1, 4), (0, 4), (0, 0))))
    let origin = Geometry.point(Point(x: 0, y: 0))
    let segment = Geometry.lineString(LineString([Coordinate(x: 0, y: 0), Coordinate(x: 10, y: 0)]))

    // MARK: Overlay

    @Test func overlayAreasOfTwoOverlappingSquares() throws {
        #expect(try square.intersection(overlapping).area() == Shapely.overlapIntersectionArea)
        #expect(try square.union(overlapping).area() == Shapely.overlapUnionArea)
        #expect(try square.difference(overlapping).area() == Shapely.overlapDifferenceArea)
        #expect(try square.symmetricDifference(overlapping).area() == Shapely.overlapSymmetricDifferenceArea)
    }

    @Test func intersectionOfDisjointShapesIsEmpty() throws {
        #expect(try square.intersection(far).isEmpty)
    }

    @Test func unaryUnionDissolvesTheSquaresOfAMultiPolygon() throws {
        guard case .polygon(let a) = square, case .polygon(let b) = overlapping else { return }
        let dissolved = try Geometry.multiPolygon(MultiPolygon([a, b])).unaryUnion()
        #expect(dissolved.type == .polygon)
        #expect(try dissolved.area() == Shapely.overlapUnionArea)
    }

    // MARK: Measures

    @Test func areaLengthAndDistance() throws {
        #expect(try ell.area() == Shapely.ellArea)
        let path = Geometry.lineString(LineString([Coordinate(x: 0, y: 0), Coordinate(x: 3, y: 4), Coordinate(x: 3, y: 10)]))
        #expect(try path.length() == Shapely.pathLength)
        #expect(isClose(try square.distance(to: far), Shapely.squareToFarDistance))
        #expect(try square.distance(to: overlapping) == 0)
    }

    @Test func nearestPointsAreOnePerGeometry() throws {
        let (onSquare, onFar) = try square.nearestPoints(with: far)
        #expect(onSquare == Coordinate(Shapely.squareToFarNearest.0))
        #expect(onFar == Coordinate(Shapely.squareToFarNearest.1))
    }

    // MARK: Buffer

    @Test(arguments: [1.0, 10.0])
    func pointBufferApproachesTheCircleWith32SegmentsPerQuadrant(_ radius: Double) throws {
        let area = try origin.buffer(by: radius, options: BufferOptions(quadrantSegments: 32)).area()
        let circle = Double.pi * radius * radius
        #expect(abs(area - circle) / circle < 1e-3)
        #expect(area < circle, "an inscribed polygon is smaller than its circle")
        #expect(isClose(area, radius == 1 ? Shapely.unitCircleArea32 : Shapely.radius10CircleArea32, relative: 1e-9))
    }

    @Test func lineBufferCapStyles() throws {
        #expect(isClose(try segment.buffer(by: 1).area(), Shapely.lineBufferRound8Area, relative: 1e-9))
        #expect(isClose(try segment.buffer(by: 1, options: BufferOptions(cap: .flat)).area(), Shapely.lineBufferFlatArea))
        #expect(isClose(try segment.buffer(by: 1, options: BufferOptions(cap: .square)).area(), Shapely.lineBufferSquareArea))
    }

    @Test func singleSidedBufferCoversTheLeftSideOnly() throws {
        let left = try segment.buffer(by: 1, options: BufferOptions(singleSided: true))
        #expect(isClose(try left.area(), Shapely.lineBufferLeftSideArea))
        #expect(try left.contains(.point(Point(x: 5, y: 0.5))))
        #expect(try left.contains(.point(Point(x: 5, y: -0.5))) == false)
    }

    @Test func polygonBufferJoinStyles() throws {
        #expect(isClose(try square.buffer(by: 1, options: BufferOptions(join: .mitre)).area(), Shapely.squareBufferMitreArea))
        #expect(isClose(try square.buffer(by: 1, options: BufferOptions(join: .bevel)).area(), Shapely.squareBufferBevelArea))
        #expect(isClose(try square.buffer(by: 1).area(), Shapely.squareBufferRound8Area, relative: 1e-9))
    }

    @Test func negativeBufferShrinksAndCanVanish() throws {
        #expect(isClose(try square.buffer(by: -1).area(), Shapely.squareShrunkBy1Area))
        #expect(try square.buffer(by: -3).isEmpty)
    }

    // MARK: Constructions

    @Test func envelopeCentroidAndPointOnSurfaceOfAnLShape() throws {
        let e = Shapely.ellEnvelope
        #expect(try ell.envelope().boundingBox == BoundingBox(minX: e.0, minY: e.1, maxX: e.2, maxY: e.3))
        guard case .point(let centroid) = try ell.centroid(), let c = centroid.coordinate else {
            Issue.record("centroid is not a point")
            return
        }
        #expect(isClose(c.x, Shapely.ellCentroid.0) && isClose(c.y, Shapely.ellCentroid.1))
        #expect(try ell.contains(.point(centroid)) == false, "an L's centroid lies outside it")
        let onSurface = try ell.pointOnSurface()
        #expect(onSurface == .point(Point(Coordinate(Shapely.ellPointOnSurface))))
        #expect(try ell.contains(onSurface))
    }

    @Test func centroidOfEmptyIsEmptyPoint() throws {
        #expect(try Geometry.polygon(.empty).centroid() == .point(.empty))
    }

    @Test func simplifyDropsTheNoiseAndKeepsThePeak() throws {
        let noisy = try Geometry(wkt: "LINESTRING (0 0, 1 0.1, 2 -0.1, 3 0.05, 4 0, 5 3, 6 0)")
        let expected = Geometry.lineString(LineString(Shapely.noisyLineSimplified.map(Coordinate.init)))
        #expect(try noisy.simplify(tolerance: 0.2) == expected)
        #expect(try noisy.simplify(tolerance: 0.2, preservingTopology: false) == expected)
    }

    /// Douglas-Peucker alone may collapse a polygon; the topology-preserving form keeps a ring.
    @Test func topologyPreservingSimplifyKeepsSmallPolygons() throws {
        let small = Geometry.polygon(Polygon(exterior: ring((0, 0), (1, 0), (1, 1), (0, 1), (0, 0))))
        #expect(try small.simplify(tolerance: 10).isEmpty == false)
        #expect(try small.simplify(tolerance: 10, preservingTopology: false).isEmpty)
    }

    // MARK: Chained operations inside one context

    @Test func operationsChainWithoutLeavingGEOS() throws {
        let context = try GEOSContext()
        let a = try GEOSGeometry(square, in: context), b = try GEOSGeometry(overlapping, in: context)
        let area = try a.intersection(b).buffer(by: 0).area()
        #expect(area == Shapely.overlapIntersectionArea)
        #expect(try Geometry(a.union(b).envelope()).boundingBox == BoundingBox(minX: 0, minY: 0, maxX: 6, maxY: 6))
    }
}
