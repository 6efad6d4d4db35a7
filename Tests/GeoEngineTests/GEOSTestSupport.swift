import Foundation
import GeoModel
import TestSupport


enum RandomShapes {
    /// A star-shaped (hence simple, valid) polygon around `center`: vertices at increasing angles
    /// with random radii.
    static func polygon(around center: Coordinate, radius: Double, vertices: Int,
                        using random: inout SeededGenerator) -> Geometry {
        var ring: [Coordinate] = []
        for i in 0..<vertices {
            let angle = 2 * Double.pi * (Double(i) + Double.random(in: 0..<0.8, using: &random)) / Double(vertices)
            let r = radius * Double.random(in: 0.4...1, using: &random)
            ring.append(Coordinate(x: center.x + r * cos(angle), y: center.y + r * sin(angle)))
        }
        ring.append(ring[0])
        return .polygon(Polygon(exterior: ring))
    }

    static func point(in range: ClosedRange<Double>, using random: inout SeededGenerator) -> Geometry {
        .point(Point(x: Double.random(in: range, using: &random), y: Double.random(in: range, using: &random)))
    }

    static func line(in range: ClosedRange<Double>, vertices: Int, using random: inout SeededGenerator) -> Geometry {
        .lineString(LineString((0..<vertices).map { _ in
            Coordinate(x: Double.random(in: range, using: &random), y: Double.random(in: range, using: &random))
        }))
    }

    /// A mix of polygons, lines and points scattered over a 100 x 100 square, so that some pairs
    /// are disjoint, some touch or cross, and some nest.
    static func mixedShapes(count: Int, seed: UInt64) -> [Geometry] {
        var random = SeededGenerator(seed: seed)
        return (0..<count).map { i in
            switch i % 4 {
            case 0, 1:
                let center = Coordinate(x: Double.random(in: 0...100, using: &random),
                                        y: Double.random(in: 0...100, using: &random))
                return polygon(around: center, radius: Double.random(in: 2...30, using: &random),
                               vertices: Int.random(in: 3...24, using: &random), using: &random)
            case 2: return line(in: 0...100, vertices: Int.random(in: 2...6, using: &random), using: &random)
            default: return point(in: 0...100, using: &random)
            }
        }
    }
}

extension Coordinate {
    init(_ pair: (Double, Double)) { self.init(x: pair.0, y: pair.1) }
}

/// Builds a closed ring from x, y pairs.
func ring(_ pairs: (Double, Double)...) -> [Coordinate] {
    pairs.map(Coordinate.init)
}

func isClose(_ a: Double, _ b: Double, relative: Double = 1e-12) -> Bool {
    abs(a - b) <= relative * max(1, abs(a), abs(b))
}
