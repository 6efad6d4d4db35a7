/// The seven geometry types of the OGC simple-features model (and of GeoJSON). Each type has
/// an EMPTY form: a value with no coordinates.
public enum Geometry: Hashable, Sendable {
    case point(Point)
    case lineString(LineString)
    case polygon(Polygon)
    case multiPoint(MultiPoint)
    case multiLineString(MultiLineString)
    case multiPolygon(MultiPolygon)
    case geometryCollection(GeometryCollection)

    public var type: GeometryType {
        switch self {
        case .point: .point
        case .lineString: .lineString
        case .polygon: .polygon
        case .multiPoint: .multiPoint
        case .multiLineString: .multiLineString
        case .multiPolygon: .multiPolygon
        case .geometryCollection: .geometryCollection
        }
    }

    public var isEmpty: Bool {
        switch self {
        case .point(let g): g.isEmpty
        case .lineString(let g): g.isEmpty
        case .polygon(let g): g.isEmpty
        case .multiPoint(let g): g.isEmpty
        case .multiLineString(let g): g.isEmpty
        case .multiPolygon(let g): g.isEmpty
        case .geometryCollection(let g): g.isEmpty
        }
    }

    /// Calls `body` with every coordinate, in storage order.
    public func forEachCoordinate(_ body: (Coordinate) throws -> Void) rethrows {
        switch self {
        case .point(let g): if let c = g.coordinate { try body(c) }
        case .lineString(let g): try g.coordinates.forEach(body)
        case .polygon(let g): try g.forEachCoordinate(body)
        case .multiPoint(let g): try g.coordinates.forEach(body)
        case .multiLineString(let g): for line in g.lineStrings { try line.coordinates.forEach(body) }
        case .multiPolygon(let g): for polygon in g.polygons { try polygon.forEachCoordinate(body) }
        case .geometryCollection(let g): for member in g.geometries { try member.forEachCoordinate(body) }
        }
    }

    /// The same shape with every coordinate passed through `transform` (reprojection, rounding).
    public func mapCoordinates(_ transform: (Coordinate) throws -> Coordinate) rethrows -> Geometry {
        switch self {
        case .point(let g): .point(Point(try g.coordinate.map(transform)))
        case .lineString(let g): .lineString(LineString(try g.coordinates.map(transform)))
        case .polygon(let g): .polygon(try g.mapCoordinates(transform))
        case .multiPoint(let g): .multiPoint(MultiPoint(try g.coordinates.map(transform)))
        case .multiLineString(let g):
            .multiLineString(MultiLineString(try g.lineStrings.map { LineString(try $0.coordinates.map(transform)) }))
        case .multiPolygon(let g): .multiPolygon(MultiPolygon(try g.polygons.map { try $0.mapCoordinates(transform) }))
        case .geometryCollection(let g):
            .geometryCollection(GeometryCollection(try g.geometries.map { try $0.mapCoordinates(transform) }))
        }
    }

    /// The smallest box holding every coordinate, or nil for an EMPTY geometry.
    public var boundingBox: BoundingBox? {
        var box: BoundingBox?
        forEachCoordinate { c in
            if box == nil { box = BoundingBox(minX: c.x, minY: c.y, maxX: c.x, maxY: c.y) } else { box!.extend(to: c) }
        }
        return box
    }

    /// Number of coordinates, the measure that vertex limits are expressed in.
    public var coordinateCount: Int {
        var count = 0
        forEachCoordinate { _ in count += 1 }
        return count
    }
}

/// Geometry type names as GeoJSON and the layer catalogue spell them.
public enum GeometryType: String, CaseIterable, Hashable, Sendable, Codable {
    case point = "Point"
    case lineString = "LineString"
    case polygon = "Polygon"
    case multiPoint = "MultiPoint"
    case multiLineString = "MultiLineString"
    case multiPolygon = "MultiPolygon"
    case geometryCollection = "GeometryCollection"

    /// The single-part type that this type is a collection of (MultiPolygon -> Polygon).
    public var singular: GeometryType {
        switch self {
        case .multiPoint: .point
        case .multiLineString: .lineString
        case .multiPolygon: .polygon
        default: self
        }
    }

    /// Points are 0-dimensional, lines 1, polygons 2; a collection has no single dimension.
    public var dimension: Int? {
        switch singular {
        case .point: 0
        case .lineString: 1
        case .polygon: 2
        default: nil
        }
    }
}

public struct Point: Hashable, Sendable {
    /// nil for POINT EMPTY.
    public var coordinate: Coordinate?
    public init(_ coordinate: Coordinate?) { self.coordinate = coordinate }
    public init(x: Double, y: Double) { self.coordinate = Coordinate(x: x, y: y) }
    public static let empty = Point(nil)
    public var isEmpty: Bool { coordinate == nil }
}

public struct LineString: Hashable, Sendable {
    public var coordinates: [Coordinate]
    public init(_ coordinates: [Coordinate]) { self.coordinates = coordinates }
    public static let empty = LineString([])
    public var isEmpty: Bool { coordinates.isEmpty }
}

/// A polygon: one exterior ring and any number of holes. Rings are closed (first == last).
public struct Polygon: Hashable, Sendable {
    public var exterior: [Coordinate]
    public var holes: [[Coordinate]]
    public init(exterior: [Coordinate], holes: [[Coordinate]] = []) {
        self.exterior = exterior
        self.holes = holes
    }
    public static let empty = Polygon(exterior: [])
    public var isEmpty: Bool { exterior.isEmpty }
    /// Exterior first, then the holes: the order of GeoJSON's coordinate array.
    public var rings: [[Coordinate]] { exterior.isEmpty ? [] : [exterior] + holes }

    func forEachCoordinate(_ body: (Coordinate) throws -> Void) rethrows {
        try exterior.forEach(body)
        for hole in holes { try hole.forEach(body) }
    }

    func mapCoordinates(_ transform: (Coordinate) throws -> Coordinate) rethrows -> Polygon {
        Polygon(exterior: try exterior.map(transform), holes: try holes.map { try $0.map(transform) })
    }
}

public struct MultiPoint: Hashable, Sendable {
    public var coordinates: [Coordinate]
    public init(_ coordinates: [Coordinate]) { self.coordinates = coordinates }
    public static let empty = MultiPoint([])
    public var isEmpty: Bool { coordinates.isEmpty }
}

public struct MultiLineString: Hashable, Sendable {
    public var lineStrings: [LineString]
    public init(_ lineStrings: [LineString]) { self.lineStrings = lineStrings }
    public static let empty = MultiLineString([])
    public var isEmpty: Bool { lineStrings.allSatisfy(\.isEmpty) }
}

public struct MultiPolygon: Hashable, Sendable {
    public var polygons: [Polygon]
    public init(_ polygons: [Polygon]) { self.polygons = polygons }
    public static let empty = MultiPolygon([])
    public var isEmpty: Bool { polygons.allSatisfy(\.isEmpty) }
}

public struct GeometryCollection: Hashable, Sendable {
    public var geometries: [Geometry]
    public init(_ geometries: [Geometry]) { self.geometries = geometries }
    public static let empty = GeometryCollection([])
    public var isEmpty: Bool { geometries.allSatisfy(\.isEmpty) }
}
