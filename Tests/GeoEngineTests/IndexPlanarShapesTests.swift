import GeoModel
import Testing
import TestSupport
@testable import GeoEngine

/// PlanarShapes packs geometries for the exact step of near queries; it must measure every
/// geometry exactly as PlanarDistance measures the Geometry value.
@Suite("Packed planar shapes")
struct IndexPlanarShapesTests {
    static func c(_ x: Double, _ y: Double) -> Coordinate { Coordinate(x: x, y: y) }

    /// A 10 × 10 square with a 4 × 4 hole in its middle, counter-clockwise shell.
    static let squareWithHole = Polygon(
        exterior: [c(0, 0), c(10, 0), c(10, 10), c(0, 10), c(0, 0)],
        holes: [[c(3, 3), c(3, 7), c(7, 7), c(7, 3), c(3, 3)]])

    @Test func distancesAreMeasuredToTheNearestVertexEdgeOrInterior() throws {
        let shapes = try PlanarShapes([
            .point(Point(x: 3, y: 4)),
            .lineString(LineString([Self.c(0, 0), Self.c(10, 0)])),
            .polygon(Self.squareWithHole),
        ])
        // 3-4-5 triangle from the origin to the point.
        #expect(shapes.distance(from: Self.c(0, 0), to: 0) == 5)
        // Perpendicular foot inside the segment, then past its end.
        #expect(shapes.distance(from: Self.c(4, 2), to: 1) == 2)
        #expect(shapes.distance(from: Self.c(13, 4), to: 1) == 5)
        // Inside the polygon's area, inside its hole, outside it.
        #expect(shapes.distance(from: Self.c(1, 1), to: 2) == 0)
        #expect(shapes.distance(from: Self.c(5, 4), to: 2) == 1, "1 from the hole's edge y = 3")
        #expect(shapes.distance(from: Self.c(-3, 5), to: 2) == 3)
        // On the boundary.
        #expect(shapes.distance(from: Self.c(10, 5), to: 2) == 0)
    }

    @Test func emptyGeometriesAreInfinitelyFarAndKeepTheirPlace() throws {
        let shapes = try PlanarShapes([.point(.empty), .polygon(.empty), .point(Point(x: 1, y: 1))])
        #expect(shapes.count == 3)
        #expect(shapes.distance(from: Self.c(0, 0), to: 0) == .infinity)
        #expect(shapes.distance(from: Self.c(0, 0), to: 1) == .infinity)
        #expect(shapes.distance(from: Self.c(1, 1), to: 2) == 0)
    }

    @Test func everyKindOfGeometryMeasuresAsPlanarDistanceDoes() throws {
        var random = SeededGenerator(seed: 8)
        var geometries: [Geometry] = []
        func point() -> Coordinate { Self.c(random.uniform(-50, 50), random.uniform(-50, 50)) }
        func ring(around centre: Coordinate, radius: Double, clockwise: Bool) -> [Coordinate] {
            let steps = 5 + random.below(8)
            var ring = (0..<steps).map { i -> Coordinate in
                let angle = Double(i) / Double(steps) * 2 * .pi * (clockwise ? -1 : 1)
                return Self.c(centre.x + radius * cos(angle), centre.y + radius * sin(angle))
            }
            ring.append(ring[0])
            return ring
        }
        func polygon() -> Polygon {
            let centre = point()
            let radius = random.uniform(2, 15)
            let holes = random.below(2) == 0 ? [] : [ring(around: centre, radius: radius / 3, clockwise: true)]
            return Polygon(exterior: ring(around: centre, radius: radius, clockwise: false), holes: holes)
        }
        for _ in 0..<40 {
            geometries.append(.point(Point(point())))
            geometries.append(.multiPoint(MultiPoint((0..<3).map { _ in point() })))
            geometries.append(.lineString(LineString((0..<(2 + random.below(4))).map { _ in point() })))
            geometries.append(.multiLineString(MultiLineString([LineString([point(), point()]), LineString([point(), point(), point()])])))
            geometries.append(.polygon(polygon()))
            geometries.append(.multiPolygon(MultiPolygon([polygon(), polygon()])))
            geometries.append(.geometryCollection(GeometryCollection([.point(Point(point())), .polygon(polygon()), .lineString(.empty)])))
        }
        let shapes = try PlanarShapes(geometries)
        for _ in 0..<200 {
            let q = point()
            let expected = geometries.map { PlanarDistance.distance(from: q, to: $0) ?? .infinity }
            for index in geometries.indices {
                #expect(shapes.distance(from: q, to: index) == expected[index], "geometry \(index) from (\(q.x), \(q.y))")
            }
            // Measured as a batch, in any order, they measure the same.
            let batch = Array(geometries.indices.reversed())
            #expect(shapes.distances(from: q, to: batch) == batch.map { expected[$0] })
        }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
