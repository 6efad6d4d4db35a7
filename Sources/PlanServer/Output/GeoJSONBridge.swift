import GeoModel

// The one place where PlanServer turns GeoModel values into GeoJSON (RFC 7946) and back.
// GeoModel's own GeoJSON reader and streaming writer are being written in another branch; when
// they land, the bodies of these four functions become calls to them and nothing else changes.

enum GeoJSONOutput {
    /// A feature as a GeoJSON object; `extraProperties` are appended after the stored ones
    /// (the planning endpoints add `layer`, `distance_m`).
    static func feature(_ feature: Feature, extraProperties: JSONObject = [:]) -> JSONValue {
        var object: JSONObject = ["type": "Feature"]
        if let id = feature.id {
            switch id {
            case .string(let s): object["id"] = .string(s)
            case .number(let n): object["id"] = .integer(n)
            }
        }
        object["geometry"] = feature.geometry.map(geometry) ?? .null
        var properties = feature.properties
        for (key, value) in extraProperties { properties[key] = value }
        object["properties"] = .object(properties)
        return .object(object)
    }

    static func geometry(_ geometry: Geometry) -> JSONValue {
        switch geometry {
        case .point(let g): shaped("Point", g.coordinate.map(position) ?? .array([]))
        case .lineString(let g): shaped("LineString", positions(g.coordinates))
        case .polygon(let g): shaped("Polygon", .array(g.rings.map(positions)))
        case .multiPoint(let g): shaped("MultiPoint", positions(g.coordinates))
        case .multiLineString(let g): shaped("MultiLineString", .array(g.lineStrings.map { positions($0.coordinates) }))
        case .multiPolygon(let g): shaped("MultiPolygon", .array(g.polygons.map { .array($0.rings.map(positions)) }))
        case .geometryCollection(let g):
            .object(["type": "GeometryCollection", "geometries": .array(g.geometries.map(Self.geometry))])
        }
    }

    private static func shaped(_ type: String, _ coordinates: JSONValue) -> JSONValue {
        .object(["type": .string(type), "coordinates": coordinates])
    }

    private static func positions(_ coordinates: [Coordinate]) -> JSONValue { .array(coordinates.map(position)) }

    private static func position(_ c: Coordinate) -> JSONValue {
        if let z = c.z { return [.number(c.x), .number(c.y), .number(z)] }
        return [.number(c.x), .number(c.y)]
    }
}

/// Reading GeoJSON from request bodies. Shape errors are 400s naming the member at fault; ring rules
/// that make a polygon invalid (closure, four positions) are 422s. Topology (self-intersection) is
/// checked by GEOS behind the seams, not here.
enum GeoJSONInput {
    /// A Feature object (`member` names where it sits, for messages).
    static func feature(_ value: JSONValue, member: String = "body") throws(ProblemDetails) -> Feature {
        guard let object = value.objectValue else { throw malformed(member, "must be a GeoJSON Feature object") }
        guard object["type"]?.stringValue == "Feature" else { throw malformed("\(member).type", "must be \"Feature\"") }
        var id: FeatureID?
        switch object["id"] {
        case nil, .null?: id = nil
        case .string(let s)?: id = .string(s)
        case .integer(let n)?: id = .number(n)
        default: throw malformed("\(member).id", "must be a string or an integer")
        }
        let geometryValue = object["geometry"] ?? .null
        let geometry: Geometry? = geometryValue == .null ? nil : try Self.geometry(geometryValue, member: "\(member).geometry")
        var properties = JSONObject()
        switch object["properties"] {
        case nil, .null?: break
        case .object(let o)?: properties = o
        default: throw malformed("\(member).properties", "must be an object or null")
        }
        return Feature(id: id, geometry: geometry, properties: properties)
    }

    /// A Feature's geometry or a bare geometry object: what POST /overlaps accepts as a candidate.
    static func candidateGeometry(_ value: JSONValue) throws(ProblemDetails) -> Geometry {
        if value.objectValue?["type"]?.stringValue == "Feature" {
            guard let geometry = try feature(value).geometry else {
                throw malformed("body.geometry", "must be a geometry, not null")
            }
            return geometry
        }
        return try geometry(value, member: "body")
    }

    static func geometry(_ value: JSONValue, member: String) throws(ProblemDetails) -> Geometry {
        guard let object = value.objectValue, let type = object["type"]?.stringValue else {
            throw malformed(member, "must be a GeoJSON geometry object with a \"type\"")
        }
        if type == "GeometryCollection" {
            guard let members = object["geometries"]?.arrayValue else {
                throw malformed("\(member).geometries", "must be an array")
            }
            var geometries: [Geometry] = []
            for (index, item) in members.enumerated() {
                geometries.append(try geometry(item, member: "\(member).geometries[\(index)]"))
            }
            return .geometryCollection(GeometryCollection(geometries))
        }
        let at = "\(member).coordinates"
        guard let coordinates = object["coordinates"] else { throw malformed(at, "is required") }
        switch type {
        case "Point":
            if coordinates.arrayValue?.isEmpty == true { return .point(.empty) }
            return .point(Point(try position(coordinates, at)))
        case "LineString":
            return .lineString(try line(coordinates, at))
        case "Polygon":
            return .polygon(try polygon(coordinates, at))
        case "MultiPoint":
            return .multiPoint(MultiPoint(try list(coordinates, at, position)))
        case "MultiLineString":
            return .multiLineString(MultiLineString(try list(coordinates, at, line)))
        case "MultiPolygon":
            return .multiPolygon(MultiPolygon(try list(coordinates, at, polygon)))
        default:
            throw malformed("\(member).type", "must be a GeoJSON geometry type, got '\(ProblemDetails.quoted(type))'")
        }
    }

    private static func list<T>(_ value: JSONValue, _ at: String,
                                _ element: (JSONValue, String) throws(ProblemDetails) -> T) throws(ProblemDetails) -> [T] {
        guard let items = value.arrayValue else { throw malformed(at, "must be an array") }
        var result: [T] = []
        result.reserveCapacity(items.count)
        for (index, item) in items.enumerated() { result.append(try element(item, "\(at)[\(index)]")) }
        return result
    }

    private static func position(_ value: JSONValue, _ at: String) throws(ProblemDetails) -> Coordinate {
        guard let numbers = value.arrayValue, (2...3).contains(numbers.count) else {
            throw malformed(at, "must be a position of 2 or 3 numbers")
        }
        var parts: [Double] = []
        for number in numbers {
            guard let d = number.doubleValue, d.isFinite else { throw malformed(at, "must hold numbers only") }
            parts.append(d)
        }
        guard (-180...180).contains(parts[0]), (-90...90).contains(parts[1]) else {
            throw ProblemDetails.invalidGeometry("\(at) is outside longitude -180..180 / latitude -90..90: "
                + "coordinates must be WGS84 longitude, latitude (RFC 7946)", member: at)
        }
        return Coordinate(x: parts[0], y: parts[1], z: parts.count == 3 ? parts[2] : nil)
    }

    private static func line(_ value: JSONValue, _ at: String) throws(ProblemDetails) -> LineString {
        let coordinates = try list(value, at, position)
        guard coordinates.isEmpty || coordinates.count >= 2 else {
            throw ProblemDetails.invalidGeometry("\(at): a LineString needs at least 2 positions", member: at)
        }
        return LineString(coordinates)
    }

    private static func polygon(_ value: JSONValue, _ at: String) throws(ProblemDetails) -> Polygon {
        let rings = try list(value, at) { (ring, ringAt) throws(ProblemDetails) -> [Coordinate] in
            let coordinates = try list(ring, ringAt, position)
            guard coordinates.count >= 4 else {
                throw ProblemDetails.invalidGeometry("\(ringAt): a polygon ring needs at least 4 positions", member: ringAt)
            }
            guard coordinates.first == coordinates.last else {
                throw ProblemDetails.invalidGeometry("\(ringAt): a polygon ring must end where it starts", member: ringAt)
            }
            return coordinates
        }
        guard let exterior = rings.first else { return .empty }
        return Polygon(exterior: exterior, holes: Array(rings.dropFirst()))
    }

    private static func malformed(_ member: String, _ requirement: String) -> ProblemDetails {
        ProblemDetails(.malformedBody, detail: "\(member) \(requirement)", parameter: member)
    }
}
