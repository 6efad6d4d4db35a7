import CGEOS
import GeoModel

// Conversion between GeoModel values and GEOS geometries. Coordinates cross the boundary one
// array at a time through an interleaved buffer (GEOSCoordSeq_copyFromBuffer_r /
// copyToBuffer_r), never one C call per coordinate.
//
// Z: a sequence goes to GEOS with Z when any of its coordinates has one; a missing Z is NaN there,
// GEOS's own "no Z". Sequences are always read back with Z and NaN becomes nil again, so
// 2D, 3D and mixed input all survive a round trip exactly.

// MARK: Value -> GEOS

/// Where building a GEOS geometry failed, in the terms of the value's GeoJSON coordinates.
struct ConstructionFailure: Error {
    enum Step { case member(Int), index(Int) }
    var path: [Step]
    var message: String

    /// `geometries[2].coordinates[0][1]: <GEOS message>`
    var reason: String {
        var text = ""
        var indices = ""
        for step in path {
            switch step {
            case .member(let i): text += "geometries[\(i)]."
            case .index(let i): indices += "[\(i)]"
            }
        }
        return text + "coordinates" + indices + ": " + message
    }

    func inside(_ step: Step) -> ConstructionFailure {
        ConstructionFailure(path: [step] + path, message: message)
    }
}

extension GEOSContext {
    /// A new GEOS geometry owned by the caller (free it with GEOSGeom_destroy_r), and the first
    /// coordinate whose x or y is NaN or infinite, if any.
    func makeHandle(_ value: Geometry) throws(GeometryError) -> (OpaquePointer, nonFinite: Coordinate?) {
        firstNonFinite = nil
        do {
            return (try build(value), firstNonFinite)
        } catch {
            throw .invalidGeometry(reason: error.reason)
        }
    }

    private func build(_ value: Geometry) throws(ConstructionFailure) -> OpaquePointer {
        switch value {
        case .point(let point):
            return try buildPoint(point.coordinate)
        case .lineString(let line):
            return try buildLineString(line.coordinates)
        case .polygon(let polygon):
            return try buildPolygon(polygon)
        case .multiPoint(let multi):
            return try buildCollection(GEOS_MULTIPOINT, count: multi.coordinates.count) { i throws(ConstructionFailure) in
                try buildPoint(multi.coordinates[i])
            }
        case .multiLineString(let multi):
            return try buildCollection(GEOS_MULTILINESTRING, count: multi.lineStrings.count) { i throws(ConstructionFailure) in
                try buildLineString(multi.lineStrings[i].coordinates)
            }
        case .multiPolygon(let multi):
            return try buildCollection(GEOS_MULTIPOLYGON, count: multi.polygons.count) { i throws(ConstructionFailure) in
                try buildPolygon(multi.polygons[i])
            }
        case .geometryCollection(let collection):
            return try buildCollection(GEOS_GEOMETRYCOLLECTION, count: collection.geometries.count, member: true) {
                i throws(ConstructionFailure) in
                try build(collection.geometries[i])
            }
        }
    }

    /// Runs a GEOS constructor; its failure becomes a ConstructionFailure with GEOS's message.
    private func construct(_ body: (OpaquePointer) -> OpaquePointer?) throws(ConstructionFailure) -> OpaquePointer {
        clearError()
        guard let result = body(handle) else { throw ConstructionFailure(path: [], message: lastErrorMessage) }
        return result
    }

    private func buildPoint(_ coordinate: Coordinate?) throws(ConstructionFailure) -> OpaquePointer {
        guard let coordinate else { return try construct { GEOSGeom_createEmptyPoint_r($0) } }
        if coordinate.z == nil {
            note(coordinate)
            return try construct { GEOSGeom_createPointFromXY_r($0, coordinate.x, coordinate.y) }
        }
        let sequence = try buildSequence(CollectionOfOne(coordinate))
        return try construct { GEOSGeom_createPoint_r($0, sequence) }
    }

    private func buildLineString(_ coordinates: [Coordinate]) throws(ConstructionFailure) -> OpaquePointer {
        if coordinates.isEmpty { return try construct { GEOSGeom_createEmptyLineString_r($0) } }
        let sequence = try buildSequence(coordinates)
        // The constructor owns the sequence from here on, also when it fails.
        return try construct { GEOSGeom_createLineString_r($0, sequence) }
    }

    private func buildRing(_ coordinates: [Coordinate]) throws(ConstructionFailure) -> OpaquePointer {
        let sequence = try buildSequence(coordinates)
        return try construct { GEOSGeom_createLinearRing_r($0, sequence) }
    }

    private func buildPolygon(_ polygon: Polygon) throws(ConstructionFailure) -> OpaquePointer {
        if polygon.exterior.isEmpty && polygon.holes.isEmpty {
            return try construct { GEOSGeom_createEmptyPolygon_r($0) }
        }
        let shell: OpaquePointer
        do { shell = try buildRing(polygon.exterior) } catch { throw error.inside(.index(0)) }
        return try withOwnedParts(count: polygon.holes.count, destroyingAlso: shell) { i throws(ConstructionFailure) in
            do throws(ConstructionFailure) { return try buildRing(polygon.holes[i]) } catch { throw error.inside(.index(i + 1)) }
        } assemble: { holes throws(ConstructionFailure) in
            // GEOS takes ownership of the shell and the holes (not of the array), also on failure.
            try construct { GEOSGeom_createPolygon_r($0, shell, holes.baseAddress, UInt32(holes.count)) }
        }
    }

    private func buildCollection(
        _ type: GEOSGeomTypes, count: Int, member: Bool = false,
        part: (Int) throws(ConstructionFailure) -> OpaquePointer
    ) throws(ConstructionFailure) -> OpaquePointer {
        let typeID = Int32(type.rawValue)
        if count == 0 { return try construct { GEOSGeom_createEmptyCollection_r($0, typeID) } }
        return try withOwnedParts(count: count, destroyingAlso: nil) { i throws(ConstructionFailure) in
            do throws(ConstructionFailure) { return try part(i) } catch { throw error.inside(member ? .member(i) : .index(i)) }
        } assemble: { parts throws(ConstructionFailure) in
            try construct { GEOSGeom_createCollection_r($0, typeID, parts.baseAddress, UInt32(parts.count)) }
        }
    }

    /// Builds `count` parts into a temporary array and hands them to `assemble`, which passes
    /// their ownership to GEOS. If building a part fails, the parts built so far (and `extra`)
    /// are destroyed here, since GEOS never saw them.
    private func withOwnedParts(
        count: Int, destroyingAlso extra: OpaquePointer?,
        part: (Int) throws(ConstructionFailure) -> OpaquePointer,
        assemble: (UnsafeMutableBufferPointer<OpaquePointer?>) throws(ConstructionFailure) -> OpaquePointer
    ) throws(ConstructionFailure) -> OpaquePointer {
        try withUnsafeTemporaryAllocation(of: OpaquePointer?.self, capacity: count) {
            parts throws(ConstructionFailure) -> OpaquePointer in
            for i in 0..<count {
                do throws(ConstructionFailure) {
                    parts.initializeElement(at: i, to: try part(i))
                } catch {
                    for built in parts[0..<i] { GEOSGeom_destroy_r(handle, built) }
                    if let extra { GEOSGeom_destroy_r(handle, extra) }
                    throw error
                }
            }
            return try assemble(parts)
        }
    }

    private func note(_ coordinate: Coordinate) {
        if firstNonFinite == nil, !coordinate.x.isFinite || !coordinate.y.isFinite { firstNonFinite = coordinate }
    }

    private func buildSequence(_ coordinates: some Collection<Coordinate>) throws(ConstructionFailure) -> OpaquePointer {
        guard let size = UInt32(exactly: coordinates.count) else {
            throw ConstructionFailure(path: [], message: "\(coordinates.count) coordinates exceed GEOS's limit")
        }
        // One pass for what the sequence needs (Z?) and what the caller must know (NaN?).
        var hasZ = false, finite = true
        for c in coordinates {
            hasZ = hasZ || c.z != nil
            finite = finite && c.x.isFinite && c.y.isFinite
        }
        if !finite { coordinates.forEach(note) }
        return try withUnsafeTemporaryAllocation(of: Double.self, capacity: coordinates.count * (hasZ ? 3 : 2)) {
            buffer throws(ConstructionFailure) -> OpaquePointer in
            var offset = 0
            if hasZ {
                for c in coordinates {
                    buffer.initializeElement(at: offset, to: c.x)
                    buffer.initializeElement(at: offset + 1, to: c.y)
                    buffer.initializeElement(at: offset + 2, to: c.z ?? .nan)
                    offset += 3
                }
            } else {
                for c in coordinates {
                    buffer.initializeElement(at: offset, to: c.x)
                    buffer.initializeElement(at: offset + 1, to: c.y)
                    offset += 2
                }
            }
            return try construct { GEOSCoordSeq_copyFromBuffer_r($0, buffer.baseAddress, size, hasZ ? 1 : 0, 0) }
        }
    }
}

// MARK: GEOS -> Value

extension GEOSContext {
    /// The value of a GEOS geometry that the caller keeps owning.
    func makeValue(_ geometry: OpaquePointer) throws(GeometryError) -> Geometry {
        let typeID = try typeID(of: geometry)
        switch typeID {
        case GEOS_POINT:
            return .point(Point(try readCoordinates(of: geometry).first))
        case GEOS_LINESTRING, GEOS_LINEARRING:
            return .lineString(LineString(try readCoordinates(of: geometry)))
        case GEOS_POLYGON:
            return .polygon(try readPolygon(geometry))
        case GEOS_MULTIPOINT:
            // GeoModel's MultiPoint holds coordinates; an EMPTY member point has none to keep.
            var coordinates: [Coordinate] = []
            for part in try parts(of: geometry) { coordinates += try readCoordinates(of: part) }
            return .multiPoint(MultiPoint(coordinates))
        case GEOS_MULTILINESTRING:
            return .multiLineString(MultiLineString(try parts(of: geometry).map { part throws(GeometryError) in
                LineString(try readCoordinates(of: part))
            }))
        case GEOS_MULTIPOLYGON:
            return .multiPolygon(MultiPolygon(try parts(of: geometry).map { part throws(GeometryError) in
                try readPolygon(part)
            }))
        case GEOS_GEOMETRYCOLLECTION:
            return .geometryCollection(GeometryCollection(try parts(of: geometry).map { part throws(GeometryError) in
                try makeValue(part)
            }))
        default:
            throw .geos(operation: "read geometry", message: "unsupported GEOS geometry type id \(typeID.rawValue)")
        }
    }

    /// The first coordinate of a GEOS geometry matching `predicate`, for guarding GEOS calls
    /// that misbehave on some numbers. Reads the whole geometry: not for hot paths.
    func firstCoordinate(in geometry: OpaquePointer, where predicate: (Coordinate) -> Bool) throws(GeometryError) -> Coordinate? {
        var found: Coordinate?
        try makeValue(geometry).forEachCoordinate { c in
            if found == nil, predicate(c) { found = c }
        }
        return found
    }

    private func typeID(of geometry: OpaquePointer) throws(GeometryError) -> GEOSGeomTypes {
        clearError()
        let id = GEOSGeomTypeId_r(handle, geometry)
        guard id >= 0 else { throw failure("read geometry type") }
        return GEOSGeomTypes(UInt32(id))
    }

    /// Members of a collection, borrowed from it (not to be freed).
    private func parts(of collection: OpaquePointer) throws(GeometryError) -> [OpaquePointer] {
        clearError()
        let count = GEOSGetNumGeometries_r(handle, collection)
        guard count >= 0 else { throw failure("read collection size") }
        var parts: [OpaquePointer] = []
        parts.reserveCapacity(Int(count))
        for i in 0..<count {
            parts.append(try call("read collection member") { GEOSGetGeometryN_r($0, collection, i) })
        }
        return parts
    }

    private func readPolygon(_ polygon: OpaquePointer) throws(GeometryError) -> Polygon {
        let exterior = try call("read exterior ring") { GEOSGetExteriorRing_r($0, polygon) }
        let holeCount = GEOSGetNumInteriorRings_r(handle, polygon)
        guard holeCount >= 0 else { throw failure("read interior ring count") }
        var holes: [[Coordinate]] = []
        holes.reserveCapacity(Int(holeCount))
        for i in 0..<holeCount {
            let ring = try call("read interior ring") { GEOSGetInteriorRingN_r($0, polygon, i) }
            holes.append(try readCoordinates(of: ring))
        }
        return Polygon(exterior: try readCoordinates(of: exterior), holes: holes)
    }

    /// Coordinates of a point, line string or ring (empty for EMPTY).
    private func readCoordinates(of geometry: OpaquePointer) throws(GeometryError) -> [Coordinate] {
        let sequence = try call("read coordinates") { GEOSGeom_getCoordSeq_r($0, geometry) }
        return try readCoordinates(sequence: sequence)
    }

    func readCoordinates(sequence: OpaquePointer) throws(GeometryError) -> [Coordinate] {
        var size: UInt32 = 0
        clearError()
        guard GEOSCoordSeq_getSize_r(handle, sequence, &size) != 0 else { throw failure("read coordinate count") }
        let count = Int(size)
        if count == 0 { return [] }
        return try withUnsafeTemporaryAllocation(of: Double.self, capacity: count * 3) {
            buffer throws(GeometryError) -> [Coordinate] in
            clearError()
            guard GEOSCoordSeq_copyToBuffer_r(handle, sequence, buffer.baseAddress, 1, 0) != 0 else {
                throw failure("copy coordinates")
            }
            return Array(unsafeUninitializedCapacity: count) { coordinates, initialized in
                for i in 0..<count {
                    let z = buffer[3 * i + 2]
                    coordinates.initializeElement(
                        at: i, to: Coordinate(x: buffer[3 * i], y: buffer[3 * i + 1], z: z.isNaN ? nil : z))
                }
                initialized = count
            }
        }
    }
}
