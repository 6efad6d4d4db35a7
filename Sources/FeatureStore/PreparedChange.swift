import GeoModel

// What both stores do before touching the database: check a change against its layer and turn
// it into the values that are bound to SQL parameters. Checks that need GEOS (self-intersection,
// ring nesting ...) happen in the database, after these.

/// A feature ready to be written.
struct PreparedFeature {
    var reference: FeatureReference
    /// The id as stored: text, with a flag for numbers.
    var idText: String
    var idIsNumber: Bool
    /// The geometry as given, as ISO WKB; nil when the feature has none.
    var exactWKB: [UInt8]?
    /// The geometry with EMPTY parts removed, for the spatial column and GEOS; nil when the
    /// feature has no geometry or only EMPTY parts.
    var spatialWKB: [UInt8]?
    /// Points and multipoints are valid once their coordinates are finite; everything else
    /// goes through GEOS's validity check.
    var needsValidityCheck: Bool
    var propertiesJSON: String

    /// Takes a geometry that MakeValid produced, checking it still suits the layer.
    mutating func adoptRepaired(wkb: [UInt8], layer: LayerInfo) throws(StoreError) {
        let repaired: Geometry
        do {
            repaired = try Geometry(wkb: wkb)
        } catch {
            throw .invalidGeometry(reference, reason: "MakeValid produced unreadable WKB: \(error)")
        }
        guard layer.accepts(repaired.type) else {
            throw .geometryTypeMismatch(reference, expected: layer.geometryType, got: repaired.type)
        }
        exactWKB = repaired.wkb()
        spatialWKB = repaired.withoutEmptyParts?.wkb()
    }
}

enum PreparedChange {
    case insert(PreparedFeature)
    case replace(PreparedFeature, expectedVersion: Int64?)
    case delete(FeatureReference, idText: String, expectedVersion: Int64?)
}

/// Longest accepted layer or feature id, in characters.
let maximumIDLength = 256

/// Checks a layer for `createLayer` and returns its metadata as JSON text.
func validateLayer(_ layer: LayerInfo) throws(StoreError) -> String {
    if let problem = identifierProblem(layer.id) { throw .invalidLayer(id: layer.id, reason: problem) }
    for (name, title) in [("titleZH", layer.titleZH), ("titleEN", layer.titleEN)] where title.contains("\0") {
        throw .invalidLayer(id: layer.id, reason: "\(name) contains the NUL character")
    }
    do {
        return try PropertiesJSON.encode(layer.metadata)
    } catch {
        throw .invalidLayer(id: layer.id, reason: "metadata: \(error.reason)")
    }
}

/// Why `text` cannot be a layer or feature id, or nil.
func identifierProblem(_ text: String) -> String? {
    if text.isEmpty { return "it is empty" }
    if text.count > maximumIDLength { return "it is longer than \(maximumIDLength) characters" }
    if text.contains("\0") { return "it contains the NUL character" }
    return nil
}

/// Checks one change; `layerInfo` looks a layer up (and throws `.unknownLayer`).
func prepare(_ change: FeatureChange, position: Int,
             layerInfo: (String) throws(StoreError) -> LayerInfo) throws(StoreError) -> PreparedChange {
    switch change {
    case let .insert(feature, layer):
        return .insert(try prepare(feature, layer: try layerInfo(layer), position: position))
    case let .replace(feature, layer, expectedVersion):
        return .replace(try prepare(feature, layer: try layerInfo(layer), position: position),
                        expectedVersion: expectedVersion)
    case let .delete(id, layer, expectedVersion):
        _ = try layerInfo(layer)
        let reference = FeatureReference(layer: layer, id: id, position: position)
        return .delete(reference, idText: try idText(id, reference: reference), expectedVersion: expectedVersion)
    }
}

private func idText(_ id: FeatureID, reference: FeatureReference) throws(StoreError) -> String {
    let text = id.description
    if let problem = identifierProblem(text) { throw .invalidID(reference, reason: problem) }
    return text
}

private func prepare(_ feature: Feature, layer: LayerInfo, position: Int) throws(StoreError) -> PreparedFeature {
    guard let id = feature.id else { throw .missingID(layer: layer.id, position: position) }
    let reference = FeatureReference(layer: layer.id, id: id, position: position)
    let text = try idText(id, reference: reference)
    let isNumber = if case .number = id { true } else { false }

    let properties: String
    do {
        properties = try PropertiesJSON.encode(feature.properties)
    } catch {
        throw .invalidProperties(reference, reason: error.reason)
    }

    guard let geometry = feature.geometry else {
        return PreparedFeature(reference: reference, idText: text, idIsNumber: isNumber, exactWKB: nil,
                               spatialWKB: nil, needsValidityCheck: false, propertiesJSON: properties)
    }
    guard layer.accepts(geometry.type) else {
        throw .geometryTypeMismatch(reference, expected: layer.geometryType, got: geometry.type)
    }
    if let problem = structuralProblem(geometry) { throw .invalidGeometry(reference, reason: problem) }
    let spatial = geometry.withoutEmptyParts
    return PreparedFeature(
        reference: reference, idText: text, idIsNumber: isNumber, exactWKB: geometry.wkb(),
        spatialWKB: spatial?.wkb(),
        needsValidityCheck: spatial.map { $0.type != .point && $0.type != .multiPoint } ?? false,
        propertiesJSON: properties)
}

/// Faults that GEOS cannot even build a geometry from, worded after GEOS's own reasons.
func structuralProblem(_ geometry: Geometry) -> String? {
    func coordinateProblem(_ c: Coordinate) -> String? {
        guard c.x.isFinite, c.y.isFinite, c.z.map({ $0.isFinite }) ?? true else {
            return "Invalid Coordinate[\(c.x) \(c.y)\(c.z.map { " \($0)" } ?? "")]"
        }
        // Coordinates are WGS84 longitude/latitude (SRID 4326); PostGIS's geography refuses others.
        guard (-180...180).contains(c.x), (-90...90).contains(c.y) else {
            return "Coordinate outside WGS84 longitude/latitude[\(c.x) \(c.y)]: longitude must be in -180...180, latitude in -90...90"
        }
        return nil
    }
    func lineProblem(_ coordinates: [Coordinate]) -> String? {
        if let problem = coordinates.lazy.compactMap(coordinateProblem).first { return problem }
        if coordinates.count == 1 {
            let c = coordinates[0]
            return "Too few points in geometry component[\(c.x) \(c.y)]: a LineString needs 2 or more points, it has 1"
        }
        return nil
    }
    func polygonProblem(_ polygon: Polygon) -> String? {
        for (index, ring) in polygon.rings.enumerated() {
            if let problem = ring.lazy.compactMap(coordinateProblem).first { return problem }
            let name = index == 0 ? "exterior ring" : "hole \(index)"
            guard let first = ring.first, let last = ring.last else {
                return "Too few points in geometry component: \(name) is empty"
            }
            if ring.count < 4 {
                return "Too few points in geometry component[\(first.x) \(first.y)]: \(name) has \(ring.count) points, a ring needs 4 or more"
            }
            if first.x != last.x || first.y != last.y {
                return "Ring is not closed[\(first.x) \(first.y)]: \(name) ends at [\(last.x) \(last.y)]"
            }
        }
        return nil
    }
    switch geometry {
    case .point(let point): return point.coordinate.flatMap(coordinateProblem)
    case .lineString(let line): return lineProblem(line.coordinates)
    case .polygon(let polygon): return polygonProblem(polygon)
    case .multiPoint(let multi): return multi.coordinates.lazy.compactMap(coordinateProblem).first
    case .multiLineString(let multi): return multi.lineStrings.lazy.compactMap { lineProblem($0.coordinates) }.first
    case .multiPolygon(let multi): return multi.polygons.lazy.compactMap(polygonProblem).first
    case .geometryCollection(let collection): return collection.geometries.lazy.compactMap(structuralProblem).first
    }
}

extension Geometry {
    /// The same geometry without EMPTY members (SpatiaLite cannot hold them: it would read
    /// POINT EMPTY's NaN coordinates as a point), or nil when nothing but EMPTY remains.
    var withoutEmptyParts: Geometry? {
        switch self {
        case .multiLineString(let multi):
            let lines = multi.lineStrings.filter { !$0.isEmpty }
            return lines.isEmpty ? nil : .multiLineString(MultiLineString(lines))
        case .multiPolygon(let multi):
            let polygons = multi.polygons.filter { !$0.isEmpty }
            return polygons.isEmpty ? nil : .multiPolygon(MultiPolygon(polygons))
        case .geometryCollection(let collection):
            let members = collection.geometries.compactMap(\.withoutEmptyParts)
            return members.isEmpty ? nil : .geometryCollection(GeometryCollection(members))
        default:
            return isEmpty ? nil : self
        }
    }
}
