public import GeoModel

/// Many planar geometries packed into flat arrays, for the exact-distance step of near queries:
/// `distance(from:to:)` gives what `PlanarDistance.distance(from:to:)` gives for the geometry,
/// without touching a `Geometry` value.
///
/// Why: a 500 m query over a million features measures a few hundred candidates, and each one
/// read through `[Geometry]` costs a reference-count round trip and a cache miss to wherever its
/// arrays live. Packed in an index's storage order (`PackedRTree.storageOrder(of:)`), the
/// candidates of one query lie next to each other in `coordinates`.
///
/// Layout: shape `i` owns coordinates `shapeStarts[i]..<shapeStarts[i + 1]` and parts
/// `partStarts[i]..<partStarts[i + 1]`; part `j` owns coordinates `coordinateStarts[j]..<
/// coordinateStarts[j + 1]` and says what they are in `kinds[j]`. A polygon is a `shell` part
/// followed by its `hole` parts. Most shapes have one part, and `shapeKinds` says which: those are
/// measured from the shape tables alone, one dependent read fewer (each a likely cache miss) than
/// through the part tables.
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

    enum ShapeKind: UInt8 {
        /// One part of that kind.
        case points, path, polygonWithoutHoles
        /// Several parts, or none: see the part tables.
        case parts
    }

    private var shapeStarts: [Int32] = [0]
    private var shapeKinds: [ShapeKind] = []
    private var partStarts: [Int32] = [0]
    private var kinds: [Kind] = []
    private var coordinateStarts: [Int32] = [0]
    private var coordinates: [PlanarPoint] = []

    /// The most coordinates (and parts) the 32-bit offsets can address.
    public static let maximumCount = Int(Int32.max)

    /// No shapes yet, room for `shapes` shapes (of one part each) of `coordinates` coordinates in all.
    public init(reservingShapes shapes: Int = 0, coordinates: Int = 0) {
        shapeStarts.reserveCapacity(shapes + 1)
        shapeKinds.reserveCapacity(shapes)
        partStarts.reserveCapacity(shapes + 1)
        kinds.reserveCapacity(shapes)
        coordinateStarts.reserveCapacity(shapes + 1)
        self.coordinates.reserveCapacity(coordinates)
    }

    /// Packs `geometries` in the order given: shape `i` is `geometries[i]`.
    public init(_ geometries: some Sequence<Geometry>) throws(SpatialIndexError) {
        for geometry in geometries { try append(geometry) }
    }

    /// Adds `geometry` as the next shape. Throws when the shapes would hold more coordinates or
    /// parts than `maximumCount`.
    public mutating func append(_ geometry: Geometry) throws(SpatialIndexError) {
        let firstPart = kinds.count
        appendParts(of: geometry)
        guard coordinates.count <= Self.maximumCount, kinds.count <= Self.maximumCount else {
            throw .tooManyItems(count: Swift.max(coordinates.count, kinds.count))
        }
        partStarts.append(Int32(kinds.count))
        shapeStarts.append(Int32(coordinates.count))
        shapeKinds.append(kinds.count == firstPart + 1 ? ShapeKind(onePart: kinds[firstPart]) : .parts)
    }

    public var count: Int { partStarts.count - 1 }

    /// Bytes held by the packed arrays, for memory budgets and reports.
    public var memoryFootprint: Int {
        shapeStarts.capacity * MemoryLayout<Int32>.stride + shapeKinds.capacity * MemoryLayout<ShapeKind>.stride
            + partStarts.capacity * MemoryLayout<Int32>.stride + kinds.capacity * MemoryLayout<Kind>.stride
            + coordinateStarts.capacity * MemoryLayout<Int32>.stride
            + coordinates.capacity * MemoryLayout<PlanarPoint>.stride
    }

    private mutating func appendParts(of geometry: Geometry) {
        switch geometry {
        case .point(let g): if let c = g.coordinate { appendPart(.points, CollectionOfOne(c)) }
        case .multiPoint(let g): appendPart(.points, g.coordinates)
        case .lineString(let g): appendPart(.path, g.coordinates)
        case .multiLineString(let g): for line in g.lineStrings { appendPart(.path, line.coordinates) }
        case .polygon(let g): appendPolygon(g)
        case .multiPolygon(let g): for polygon in g.polygons { appendPolygon(polygon) }
        case .geometryCollection(let g): for member in g.geometries { appendParts(of: member) }
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
        for c in part { coordinates.append(PlanarPoint(c)) }
        coordinateStarts.append(Int32(truncatingIfNeeded: coordinates.count))
    }

    /// The planar distance from `point` to shape `index`: 0 on a line or inside a polygon,
    /// infinity for a shape without coordinates (an EMPTY geometry).
    public func distance(from point: Coordinate, to index: Int) -> Double {
        withDistances(from: point) { $0(index) }
    }

    /// Calls `body` with a function measuring from `point` to a shape by its index, as
    /// `distance(from:to:)` does. For many shapes measured from one point, one at a time (a
    /// nearest search asks as it goes): the arrays are opened once for all of them.
    public func withDistances<Result, Failure: Error>(
        from point: Coordinate, _ body: (_ distanceTo: (Int) -> Double) throws(Failure) -> Result
    ) throws(Failure) -> Result {
        try withBuffers { shapeStarts, shapeKinds, coordinates throws(Failure) in
            try body { index in
                let ends = Self.squaredDistanceToEnds(from: point, of: index, shapeStarts, coordinates)
                return distance(from: point, to: index, endsSquared: ends, shapeStarts, shapeKinds, coordinates)
            }
        }
    }

    /// The distances from `point` to the shapes `items`, in order, as `distance(from:to:)` gives
    /// them: for a batch known in advance (a radius query's candidates). A first pass reads how far
    /// each shape's first and last vertices are; those reads are the batch's cache misses (a shape
    /// spans a few cache lines), and as none waits on another they overlap. The measuring then
    /// finds the shapes in cache.
    public func distances(from point: Coordinate, to items: [Int]) -> [Double] {
        withBuffers { shapeStarts, shapeKinds, coordinates in
            let ends = items.map { Self.squaredDistanceToEnds(from: point, of: $0, shapeStarts, coordinates) }
            return zip(items, ends).map { index, ends in
                distance(from: point, to: index, endsSquared: ends, shapeStarts, shapeKinds, coordinates)
            }
        }
    }

    private func withBuffers<Result, Failure: Error>(
        _ body: (UnsafeBufferPointer<Int32>, UnsafeBufferPointer<ShapeKind>, UnsafeBufferPointer<PlanarPoint>) throws(Failure) -> Result
    ) throws(Failure) -> Result {
        try shapeStarts.withUnsafeBufferPointer { shapeStarts throws(Failure) in
            try shapeKinds.withUnsafeBufferPointer { shapeKinds throws(Failure) in
                try coordinates.withUnsafeBufferPointer { coordinates throws(Failure) in
                    try body(shapeStarts, shapeKinds, coordinates)
                }
            }
        }
    }

    /// The squared distance to the nearer of shape `index`'s first and last vertices, where every
    /// measure of it starts; infinity for a shape without coordinates.
    @inline(__always)
    private static func squaredDistanceToEnds(
        from point: Coordinate, of index: Int, _ shapeStarts: UnsafeBufferPointer<Int32>,
        _ coordinates: UnsafeBufferPointer<PlanarPoint>
    ) -> Double {
        let (first, end) = (Int(shapeStarts[index]), Int(shapeStarts[index + 1]))
        guard first < end else { return .infinity }
        let (a, b) = (coordinates[first], coordinates[end - 1])
        return Swift.min(PlanarDistance.squaredLength(a.x - point.x, a.y - point.y),
                         PlanarDistance.squaredLength(b.x - point.x, b.y - point.y))
    }

    @inline(__always)
    private func distance(
        from point: Coordinate, to index: Int, endsSquared: Double, _ shapeStarts: UnsafeBufferPointer<Int32>,
        _ shapeKinds: UnsafeBufferPointer<ShapeKind>, _ coordinates: UnsafeBufferPointer<PlanarPoint>
    ) -> Double {
        let points = UnsafeBufferPointer(rebasing: coordinates[Int(shapeStarts[index])..<Int(shapeStarts[index + 1])])
        switch shapeKinds[index] {
        case .points:
            var best = endsSquared
            for c in points { best = Swift.min(best, PlanarDistance.squaredLength(c.x - point.x, c.y - point.y)) }
            return best.squareRoot()
        case .path:
            return PlanarDistance.toPath(point, points, startingFromSquared: endsSquared)
        case .polygonWithoutHoles:
            return PlanarDistance.contains(points, point)
                ? 0 : PlanarDistance.toPath(point, points, startingFromSquared: endsSquared)
        case .parts:
            return distance(from: point, toPartsOf: index, coordinates)
        }
    }

    /// The distance to a shape of several parts, read through the part tables.
    private func distance(from point: Coordinate, toPartsOf index: Int, _ coordinates: UnsafeBufferPointer<PlanarPoint>) -> Double {
        func coordinatesOf(_ part: Int) -> UnsafeBufferPointer<PlanarPoint> {
            UnsafeBufferPointer(rebasing: coordinates[Int(coordinateStarts[part])..<Int(coordinateStarts[part + 1])])
        }
        var best = Double.infinity
        var part = Int(partStarts[index])
        let end = Int(partStarts[index + 1])
        while part < end && best > 0 {
            let points = coordinatesOf(part)
            switch kinds[part] {
            case .points:
                for c in points { best = Swift.min(best, PlanarDistance.length(c.x - point.x, c.y - point.y)) }
                part += 1
            case .path:
                best = Swift.min(best, PlanarDistance.toPath(point, points))
                part += 1
            case .shell, .hole:
                // A shell and its holes: inside the shell and in no hole is at distance 0 (and
                // needs no ring measured), anywhere else the nearest ring's distance.
                let rings = part
                part += 1
                while part < end && kinds[part] == .hole { part += 1 }
                var inside = PlanarDistance.contains(points, point)
                var hole = rings + 1
                while inside && hole < part {
                    if PlanarDistance.contains(coordinatesOf(hole), point) { inside = false }
                    hole += 1
                }
                if inside {
                    best = 0
                } else {
                    for ring in rings..<part { best = Swift.min(best, PlanarDistance.toPath(point, coordinatesOf(ring))) }
                }
            }
        }
        return best
    }
}

extension PlanarShapes.ShapeKind {
    init(onePart kind: PlanarShapes.Kind) {
        switch kind {
        case .points: self = .points
        case .path: self = .path
        case .shell: self = .polygonWithoutHoles
        case .hole: self = .parts
        }
    }
}
