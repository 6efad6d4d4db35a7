public import GeoModel

/// Many planar geometries packed into three flat arrays, for the exact-distance step of near
/// queries: `distance(from:to:)` gives what `PlanarDistance.distance(from:to:)` gives for the
/// geometry, without touching a `Geometry` value.
///
/// Why: a 500 m query over a million features measures a few hundred candidates, and each one
/// read through `[Geometry]` costs a reference-count round trip and a cache miss to wherever its
/// arrays live. Packed in the index's storage order (`GeographicNearIndex.storageOrder(of:)`),
/// the candidates of one query lie next to each other in `coordinates`.
///
/// Layout: shape `i` owns parts `partStarts[i]..<partStarts[i + 1]`; part `j` owns coordinates
/// `coordinateStarts[j]..<coordinateStarts[j + 1]` and says what they are in `kinds[j]`. A
/// polygon is a `shell` part followed by its `hole` parts.
public struct PlanarShapes: Sendable {
    enum Kind: UInt8 {
        /// Separate points (a Point or a MultiPoint).
        case points
        /// A line string.
        case path
        /// A polygon's exterior ring; the `hole` parts that follow belong to it.
        case shell
        case hole
    }

    private var partStarts: [Int32] = [0]
    private var kinds: [Kind] = []
    private var coordinateStarts: [Int32] = [0]
    private var coordinates: [Coordinate] = []

    /// The most coordinates (and parts) the 32-bit offsets can address.
    public static let maximumCount = Int(Int32.max)

    /// Packs `geometries` in the order given: shape `i` is `geometries[i]`. Throws when they hold
    /// more coordinates or parts than `maximumCount`. `coordinateCount`, when known, saves
    /// growing the coordinate array as it fills.
    public init(_ geometries: some Sequence<Geometry>, coordinateCount: Int = 0) throws(SpatialIndexError) {
        coordinates.reserveCapacity(coordinateCount)
        partStarts.reserveCapacity(geometries.underestimatedCount + 1)
        for geometry in geometries {
            append(geometry)
            guard coordinates.count <= Self.maximumCount, kinds.count <= Self.maximumCount else {
                throw .tooManyItems(count: Swift.max(coordinates.count, kinds.count))
            }
            partStarts.append(Int32(kinds.count))
        }
    }

    /// The shapes of `parts` one after the other: shape `i` of the second part follows the last
    /// shape of the first.
    public init(concatenating parts: [PlanarShapes]) throws(SpatialIndexError) {
        let coordinateCount = parts.reduce(0) { $0 + $1.coordinates.count }
        let partCount = parts.reduce(0) { $0 + $1.kinds.count }
        guard coordinateCount <= Self.maximumCount, partCount <= Self.maximumCount else {
            throw .tooManyItems(count: Swift.max(coordinateCount, partCount))
        }
        coordinates.reserveCapacity(coordinateCount)
        kinds.reserveCapacity(partCount)
        coordinateStarts.reserveCapacity(partCount + 1)
        partStarts.reserveCapacity(parts.reduce(1) { $0 + $1.count })
        for part in parts {
            let partOffset = Int32(kinds.count)
            let coordinateOffset = Int32(coordinates.count)
            partStarts += part.partStarts.dropFirst().map { $0 + partOffset }
            kinds += part.kinds
            coordinateStarts += part.coordinateStarts.dropFirst().map { $0 + coordinateOffset }
            coordinates += part.coordinates
        }
    }

    /// The same shapes in another order: shape `i` of the result is shape `order[i]` of this.
    /// Shapes left out of `order` are dropped.
    public func reordered(_ order: [Int]) -> PlanarShapes {
        var result = PlanarShapes()
        result.partStarts.reserveCapacity(order.count + 1)
        result.kinds.reserveCapacity(kinds.count)
        result.coordinateStarts.reserveCapacity(coordinateStarts.count)
        result.coordinates.reserveCapacity(coordinates.count)
        for shape in order {
            for part in Int(partStarts[shape])..<Int(partStarts[shape + 1]) {
                result.kinds.append(kinds[part])
                result.coordinates += coordinates[Int(coordinateStarts[part])..<Int(coordinateStarts[part + 1])]
                result.coordinateStarts.append(Int32(truncatingIfNeeded: result.coordinates.count))
            }
            result.partStarts.append(Int32(truncatingIfNeeded: result.kinds.count))
        }
        return result
    }

    private init() {}

    public var count: Int { partStarts.count - 1 }

    /// Bytes held by the packed arrays, for memory budgets and reports.
    public var memoryFootprint: Int {
        partStarts.capacity * MemoryLayout<Int32>.stride + kinds.capacity * MemoryLayout<Kind>.stride
            + coordinateStarts.capacity * MemoryLayout<Int32>.stride
            + coordinates.capacity * MemoryLayout<Coordinate>.stride
    }

    private mutating func append(_ geometry: Geometry) {
        switch geometry {
        case .point(let g): if let c = g.coordinate { appendPart(.points, CollectionOfOne(c)) }
        case .multiPoint(let g): appendPart(.points, g.coordinates)
        case .lineString(let g): appendPart(.path, g.coordinates)
        case .multiLineString(let g): for line in g.lineStrings { appendPart(.path, line.coordinates) }
        case .polygon(let g): appendPolygon(g)
        case .multiPolygon(let g): for polygon in g.polygons { appendPolygon(polygon) }
        case .geometryCollection(let g): for member in g.geometries { append(member) }
        }
    }

    private mutating func appendPolygon(_ polygon: Polygon) {
        // An EMPTY polygon has no distance (PlanarDistance skips it), so it gets no parts.
        guard !polygon.isEmpty else { return }
        appendPart(.shell, polygon.exterior)
        for hole in polygon.holes { appendPart(.hole, hole) }
    }

    private mutating func appendPart(_ kind: Kind, _ part: some Collection<Coordinate>) {
        guard !part.isEmpty else { return }
        kinds.append(kind)
        coordinates.append(contentsOf: part)
        coordinateStarts.append(Int32(truncatingIfNeeded: coordinates.count))
    }

    /// The planar distance from `point` to shape `index`: 0 on a line or inside a polygon,
    /// infinity for a shape without coordinates (an EMPTY geometry).
    public func distance(from point: Coordinate, to index: Int) -> Double {
        partStarts.withUnsafeBufferPointer { partStarts in
            kinds.withUnsafeBufferPointer { kinds in
                coordinateStarts.withUnsafeBufferPointer { coordinateStarts in
                    coordinates.withUnsafeBufferPointer { coordinates in
                        var best = Double.infinity
                        var part = Int(partStarts[index])
                        let end = Int(partStarts[index + 1])
                        func coordinatesOf(_ part: Int) -> UnsafeBufferPointer<Coordinate> {
                            UnsafeBufferPointer(rebasing: coordinates[Int(coordinateStarts[part])..<Int(coordinateStarts[part + 1])])
                        }
                        while part < end && best > 0 {
                            let points = coordinatesOf(part)
                            switch kinds[part] {
                            case .points:
                                for c in points { best = Swift.min(best, hypot(c.x - point.x, c.y - point.y)) }
                                part += 1
                            case .path:
                                best = Swift.min(best, PlanarDistance.toPath(point, points))
                                part += 1
                            case .shell, .hole:
                                // A shell and its holes: inside the shell and in no hole is inside.
                                var inside = PlanarDistance.contains(points, point)
                                var ringDistance = PlanarDistance.toPath(point, points)
                                part += 1
                                while part < end && kinds[part] == .hole {
                                    let hole = coordinatesOf(part)
                                    if inside && PlanarDistance.contains(hole, point) { inside = false }
                                    ringDistance = Swift.min(ringDistance, PlanarDistance.toPath(point, hole))
                                    part += 1
                                }
                                best = inside ? 0 : Swift.min(best, ringDistance)
                            }
                        }
                        return best
                    }
                }
            }
        }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
