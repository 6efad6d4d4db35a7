// Well-Known Binary (ISO/IEC 13249-3 and OGC Simple Features 1.2.1): the byte form in which
// SpatiaLite, PostGIS and GEOS exchange geometries with planatlas.
//
// Conventions:
// - Type codes 1...7 are 2D and 1001...1007 carry Z. M and ZM codes and PostGIS's EWKB flag bits
//   are refused with a typed error rather than read with their extra ordinates dropped.
// - POINT EMPTY is a point whose x and y are NaN (as PostGIS, GEOS and GDAL write it); the other
//   EMPTY forms are a zero count.
// - A geometry is written with Z when any of its coordinates has one. A coordinate without Z
//   inside such a geometry is written with NaN for Z, and NaN Z is read back as "no Z", so that
//   such a geometry survives a round trip unchanged.

/// Byte order of a WKB value: the first byte of every (sub)geometry says which one follows.
public enum WKBByteOrder: UInt8, Hashable, Sendable {
    case bigEndian = 0
    case littleEndian = 1
}

/// Why a byte sequence is not WKB that planatlas can read. Offsets count bytes from the start.
public enum WKBError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The input ends before a value that it announces: `needed` bytes at `offset`, `available` left.
    case truncated(offset: Int, needed: Int, available: Int)
    /// The byte-order byte is neither 0 (big endian) nor 1 (little endian).
    case invalidByteOrder(UInt8, offset: Int)
    /// The type code names no OGC geometry type (this includes EWKB codes with flag bits set).
    case unknownGeometryType(UInt32, offset: Int)
    /// The type code is a valid ISO code with M or ZM ordinates, which planatlas does not hold.
    case unsupportedDimensions(UInt32, offset: Int)
    /// A multi-geometry holds a member of the wrong type (e.g. a LineString inside a MultiPoint).
    case unexpectedMemberType(expected: GeometryType, got: GeometryType, offset: Int)
    /// A member's dimension (2D or Z) differs from its collection's.
    case mixedDimensions(offset: Int)
    /// A MultiPoint holds POINT EMPTY, which `MultiPoint` (a list of coordinates) cannot hold.
    case emptyPointInMultiPoint(offset: Int)
    /// A polygon whose exterior ring is empty has a non-empty hole (the ring at `offset`).
    case holeInEmptyPolygon(offset: Int)
    /// A count (of points, rings or members) larger than the remaining bytes could hold.
    case countExceedsInput(count: UInt32, offset: Int, available: Int)
    /// Geometry collections nested deeper than `limit`.
    case nestingTooDeep(limit: Int, offset: Int)
    /// Bytes left over after one complete geometry.
    case trailingBytes(count: Int, offset: Int)

    public var description: String {
        switch self {
        case let .truncated(offset, needed, available):
            "WKB is truncated: \(needed) bytes needed at offset \(offset), \(available) available"
        case let .invalidByteOrder(byte, offset):
            "WKB byte order at offset \(offset) is \(byte); expected 0 (big endian) or 1 (little endian)"
        case let .unknownGeometryType(code, offset):
            "WKB type code \(code) (0x\(String(code, radix: 16))) at offset \(offset) names no geometry type"
                + (code & 0xE000_0000 != 0 ? " (EWKB flag bits are not read; use ISO WKB)" : "")
        case let .unsupportedDimensions(code, offset):
            "WKB type code \(code) at offset \(offset) has M ordinates; only 2D and Z geometries are read"
        case let .unexpectedMemberType(expected, got, offset):
            "WKB member at offset \(offset) is a \(got.rawValue); this collection holds only \(expected.rawValue)"
        case let .mixedDimensions(offset):
            "WKB member at offset \(offset) differs in dimension (2D or Z) from its collection"
        case let .emptyPointInMultiPoint(offset):
            "WKB MultiPoint member at offset \(offset) is POINT EMPTY, which a MultiPoint cannot hold"
        case let .holeInEmptyPolygon(offset):
            "WKB polygon ring at offset \(offset) is a hole in a polygon whose exterior ring is empty"
        case let .countExceedsInput(count, offset, available):
            "WKB count \(count) at offset \(offset) cannot fit in the \(available) bytes that remain"
        case let .nestingTooDeep(limit, offset):
            "WKB geometry collections are nested deeper than \(limit) levels at offset \(offset)"
        case let .trailingBytes(count, offset):
            "WKB has \(count) unread bytes after the geometry, from offset \(offset)"
        }
    }
}

extension Geometry {
    /// The deepest nesting of geometry collections that the WKB reader accepts. Deeper input is
    /// refused instead of recursing without bound.
    public static let maximumWKBNesting = 32

    /// Reads one geometry from ISO WKB; the bytes must hold exactly one geometry.
    public init(wkb bytes: [UInt8]) throws(WKBError) {
        var reader = WKBReader(bytes: bytes)
        let geometry = try reader.readGeometry(depth: 0, parentHasZ: nil)
        if reader.offset != bytes.count {
            throw .trailingBytes(count: bytes.count - reader.offset, offset: reader.offset)
        }
        self = geometry
    }

    /// The geometry as ISO WKB.
    public func wkb(byteOrder: WKBByteOrder = .littleEndian) -> [UInt8] {
        var hasZ = false
        forEachCoordinate { if $0.z != nil { hasZ = true } }
        var writer = WKBWriter(byteOrder: byteOrder, hasZ: hasZ)
        writer.write(self)
        return writer.bytes
    }
}

/// ISO codes of the 2D types; the Z variants add 1000.
private let wkbTypes: [GeometryType] = [
    .point, .lineString, .polygon, .multiPoint, .multiLineString, .multiPolygon, .geometryCollection,
]

private func wkbTypeCode(_ type: GeometryType) -> UInt32 { UInt32(wkbTypes.firstIndex(of: type)! + 1) }

private struct WKBWriter {
    let byteOrder: WKBByteOrder
    let hasZ: Bool
    var bytes: [UInt8] = []

    mutating func write(_ geometry: Geometry) {
        writeHeader(geometry.type)
        switch geometry {
        case .point(let point):
            writeCoordinate(point.coordinate ?? Coordinate(x: .nan, y: .nan, z: hasZ ? .nan : nil))
        case .lineString(let line):
            writeCoordinates(line.coordinates)
        case .polygon(let polygon):
            writeRings(polygon)
        case .multiPoint(let multi):
            writeCount(multi.coordinates.count)
            for c in multi.coordinates {
                writeHeader(.point)
                writeCoordinate(c)
            }
        case .multiLineString(let multi):
            writeCount(multi.lineStrings.count)
            for line in multi.lineStrings {
                writeHeader(.lineString)
                writeCoordinates(line.coordinates)
            }
        case .multiPolygon(let multi):
            writeCount(multi.polygons.count)
            for polygon in multi.polygons {
                writeHeader(.polygon)
                writeRings(polygon)
            }
        case .geometryCollection(let collection):
            writeCount(collection.geometries.count)
            for member in collection.geometries { write(member) }
        }
    }

    private mutating func writeHeader(_ type: GeometryType) {
        bytes.append(byteOrder.rawValue)
        writeUInt32(wkbTypeCode(type) + (hasZ ? 1000 : 0))
    }

    private mutating func writeRings(_ polygon: Polygon) {
        writeCount(polygon.rings.count)
        for ring in polygon.rings { writeCoordinates(ring) }
    }

    private mutating func writeCoordinates(_ coordinates: [Coordinate]) {
        writeCount(coordinates.count)
        for c in coordinates { writeCoordinate(c) }
    }

    private mutating func writeCoordinate(_ c: Coordinate) {
        writeDouble(c.x)
        writeDouble(c.y)
        if hasZ { writeDouble(c.z ?? .nan) }
    }

    private mutating func writeCount(_ count: Int) { writeUInt32(UInt32(count)) }

    private mutating func writeUInt32(_ value: UInt32) {
        let ordered = byteOrder == .littleEndian ? value.littleEndian : value.bigEndian
        withUnsafeBytes(of: ordered) { bytes.append(contentsOf: $0) }
    }

    private mutating func writeDouble(_ value: Double) {
        let bits = value.bitPattern
        let ordered = byteOrder == .littleEndian ? bits.littleEndian : bits.bigEndian
        withUnsafeBytes(of: ordered) { bytes.append(contentsOf: $0) }
    }
}

private struct WKBReader {
    let bytes: [UInt8]
    var offset = 0

    init(bytes: [UInt8]) { self.bytes = bytes }

    private var available: Int { bytes.count - offset }

    /// Smallest encodings, used to refuse counts that the remaining input cannot hold before
    /// reserving memory for them: a WKB header is 5 bytes, a count 4, an ordinate 8.
    private static let headerSize = 5
    private static let countSize = 4

    mutating func readGeometry(depth: Int, parentHasZ: Bool?) throws(WKBError) -> Geometry {
        let start = offset
        let (type, hasZ, order) = try readHeader()
        if let parentHasZ, parentHasZ != hasZ { throw .mixedDimensions(offset: start) }
        switch type {
        case .point:
            return .point(Point(try readPointCoordinate(order: order, hasZ: hasZ)))
        case .lineString:
            return .lineString(LineString(try readCoordinates(order: order, hasZ: hasZ)))
        case .polygon:
            return .polygon(try readPolygon(order: order, hasZ: hasZ))
        case .multiPoint:
            let count = try readCount(order: order, minimumElementSize: Self.headerSize + (hasZ ? 24 : 16))
            var coordinates: [Coordinate] = []
            coordinates.reserveCapacity(count)
            for _ in 0..<count {
                let memberStart = offset
                let (memberType, memberHasZ, memberOrder) = try readHeader()
                guard memberType == .point else {
                    throw .unexpectedMemberType(expected: .point, got: memberType, offset: memberStart)
                }
                if memberHasZ != hasZ { throw .mixedDimensions(offset: memberStart) }
                guard let c = try readPointCoordinate(order: memberOrder, hasZ: hasZ) else {
                    throw .emptyPointInMultiPoint(offset: memberStart)
                }
                coordinates.append(c)
            }
            return .multiPoint(MultiPoint(coordinates))
        case .multiLineString:
            let count = try readCount(order: order, minimumElementSize: Self.headerSize + Self.countSize)
            var lines: [LineString] = []
            lines.reserveCapacity(count)
            for _ in 0..<count {
                let memberOrder = try readMemberHeader(expected: .lineString, hasZ: hasZ)
                lines.append(LineString(try readCoordinates(order: memberOrder, hasZ: hasZ)))
            }
            return .multiLineString(MultiLineString(lines))
        case .multiPolygon:
            let count = try readCount(order: order, minimumElementSize: Self.headerSize + Self.countSize)
            var polygons: [Polygon] = []
            polygons.reserveCapacity(count)
            for _ in 0..<count {
                let memberOrder = try readMemberHeader(expected: .polygon, hasZ: hasZ)
                polygons.append(try readPolygon(order: memberOrder, hasZ: hasZ))
            }
            return .multiPolygon(MultiPolygon(polygons))
        case .geometryCollection:
            if depth >= Geometry.maximumWKBNesting {
                throw .nestingTooDeep(limit: Geometry.maximumWKBNesting, offset: start)
            }
            let count = try readCount(order: order, minimumElementSize: Self.headerSize + Self.countSize)
            var members: [Geometry] = []
            members.reserveCapacity(count)
            for _ in 0..<count {
                members.append(try readGeometry(depth: depth + 1, parentHasZ: hasZ))
            }
            return .geometryCollection(GeometryCollection(members))
        }
    }

    /// Reads a multi-geometry member's header, checking its type and dimension.
    private mutating func readMemberHeader(expected: GeometryType, hasZ: Bool) throws(WKBError) -> WKBByteOrder {
        let start = offset
        let (type, memberHasZ, order) = try readHeader()
        guard type == expected else { throw .unexpectedMemberType(expected: expected, got: type, offset: start) }
        if memberHasZ != hasZ { throw .mixedDimensions(offset: start) }
        return order
    }

    private mutating func readHeader() throws(WKBError) -> (GeometryType, hasZ: Bool, WKBByteOrder) {
        try require(1)
        guard let order = WKBByteOrder(rawValue: bytes[offset]) else {
            throw .invalidByteOrder(bytes[offset], offset: offset)
        }
        offset += 1
        let codeOffset = offset
        let code = try readUInt32(order: order)
        let base = code % 1000
        let dimensions = code / 1000
        guard (1...7).contains(base), code < 4000 else { throw .unknownGeometryType(code, offset: codeOffset) }
        let type = wkbTypes[Int(base) - 1]
        switch dimensions {
        case 0: return (type, false, order)
        case 1: return (type, true, order)
        default: throw .unsupportedDimensions(code, offset: codeOffset)
        }
    }

    private mutating func readPolygon(order: WKBByteOrder, hasZ: Bool) throws(WKBError) -> Polygon {
        let ringCount = try readCount(order: order, minimumElementSize: Self.countSize)
        var rings: [[Coordinate]] = []
        rings.reserveCapacity(ringCount)
        for _ in 0..<ringCount {
            let ringStart = offset
            let ring = try readCoordinates(order: order, hasZ: hasZ)
            // An empty exterior ring makes POLYGON EMPTY, which has no holes (GEOS refuses them too).
            if !ring.isEmpty, rings.first?.isEmpty == true { throw .holeInEmptyPolygon(offset: ringStart) }
            rings.append(ring)
        }
        guard let exterior = rings.first, !exterior.isEmpty else { return .empty }
        return Polygon(exterior: exterior, holes: Array(rings.dropFirst()))
    }

    private mutating func readCoordinates(order: WKBByteOrder, hasZ: Bool) throws(WKBError) -> [Coordinate] {
        let count = try readCount(order: order, minimumElementSize: hasZ ? 24 : 16)
        var coordinates: [Coordinate] = []
        coordinates.reserveCapacity(count)
        for _ in 0..<count { coordinates.append(try readCoordinate(order: order, hasZ: hasZ)) }
        return coordinates
    }

    /// A point's coordinate, or nil for POINT EMPTY (NaN x and y).
    private mutating func readPointCoordinate(order: WKBByteOrder, hasZ: Bool) throws(WKBError) -> Coordinate? {
        let c = try readCoordinate(order: order, hasZ: hasZ)
        return c.x.isNaN && c.y.isNaN ? nil : c
    }

    private mutating func readCoordinate(order: WKBByteOrder, hasZ: Bool) throws(WKBError) -> Coordinate {
        try require(hasZ ? 24 : 16)
        let x = readDouble(order: order)
        let y = readDouble(order: order)
        guard hasZ else { return Coordinate(x: x, y: y) }
        let z = readDouble(order: order)
        return Coordinate(x: x, y: y, z: z.isNaN ? nil : z)
    }

    /// Reads a count and checks that `count` elements of at least `minimumElementSize` bytes fit.
    private mutating func readCount(order: WKBByteOrder, minimumElementSize: Int) throws(WKBError) -> Int {
        let countOffset = offset
        let count = try readUInt32(order: order)
        if Int(count) * minimumElementSize > available {
            throw .countExceedsInput(count: count, offset: countOffset, available: available)
        }
        return Int(count)
    }

    private func require(_ needed: Int) throws(WKBError) {
        if available < needed { throw .truncated(offset: offset, needed: needed, available: available) }
    }

    private mutating func readUInt32(order: WKBByteOrder) throws(WKBError) -> UInt32 {
        try require(4)
        var value: UInt32 = 0
        for i in 0..<4 { value |= UInt32(bytes[offset + i]) << (8 * i) }
        offset += 4
        return order == .littleEndian ? value : value.byteSwapped
    }

    /// Callers have checked that 8 bytes are available.
    private mutating func readDouble(order: WKBByteOrder) -> Double {
        var bits: UInt64 = 0
        for i in 0..<8 { bits |= UInt64(bytes[offset + i]) << (8 * i) }
        offset += 8
        return Double(bitPattern: order == .littleEndian ? bits : bits.byteSwapped)
    }
}
