/// A GeoJSON document's top-level object.
public enum GeoJSONObject: Hashable, Sendable {
    case geometry(Geometry)
    case feature(Feature)
    case featureCollection(FeatureCollection)
}

/// Reads GeoJSON (RFC 7946) from bytes into GeoModel values.
///
/// The reader parses the bytes itself (no Foundation, no intermediate JSON tree) and checks the
/// document as it goes. Every problem becomes a `GeoJSONError` naming the member, e.g.
/// `features[3].geometry.coordinates[0]: ring is not closed`, with the byte offset.
///
/// What it accepts, precisely:
/// - EMPTY geometries: `"coordinates": []` for every type (Point EMPTY included),
///   `"geometries": []` for GeometryCollection; an empty member such as `[[]]` in a
///   MultiLineString is an EMPTY LineString. A Polygon's rings must have 4 or more positions
///   and be closed; a LineString needs 0 or at least 2 positions.
/// - Positions have 2 or 3 numbers (x, y, optional z); one geometry does not mix 2D and 3D.
/// - Feature `"geometry"` and `"properties"` are required (RFC 7946 §3.2) and may be null;
///   `"id"` is a string or an integer (null counts as no id).
/// - Duplicate member names in GeoJSON objects and in properties are an error. Foreign members
///   are checked for JSON syntax and otherwise ignored; so is `"bbox"` once its shape is checked.
/// - Member order is free: `"type"` may come after `"coordinates"` or `"features"`.
/// - A UTF-8 byte order mark at the start is skipped; nothing but whitespace may follow the document.
public struct GeoJSONReader: Sendable {
    public struct Options: Sendable, Hashable {
        /// Deepest nesting of JSON arrays and objects accepted (the document object is level 1).
        /// A FeatureCollection of MultiPolygons needs 8; properties may add their own.
        public var maxDepth: Int
        /// Largest document accepted, in bytes; nil for no limit.
        public var maxDocumentBytes: Int?
        /// Reject longitudes outside -180...180 and latitudes outside -90...90. Turn off to read
        /// projected coordinates (e.g. an export in EPSG:4549).
        public var validatesLonLatRange: Bool
        public var crsMember: CRSMemberPolicy

        public init(maxDepth: Int = 64, maxDocumentBytes: Int? = nil, validatesLonLatRange: Bool = true,
                    crsMember: CRSMemberPolicy = .acceptWGS84Only) {
            self.maxDepth = maxDepth
            self.maxDocumentBytes = maxDocumentBytes
            self.validatesLonLatRange = validatesLonLatRange
            self.crsMember = crsMember
        }
    }

    /// RFC 7946 removed the `"crs"` member; older files still carry one.
    public enum CRSMemberPolicy: Sendable, Hashable {
        /// Accept a `crs` naming WGS84 longitude/latitude (CRS84, EPSG:4326) and reject any other,
        /// since the coordinates would not mean what RFC 7946 says.
        case acceptWGS84Only
        /// Any `crs` member is an error.
        case reject
        /// Skip `crs` members unread (for projected documents, with `validatesLonLatRange` off).
        case ignore
    }

    public var options: Options

    public init(options: Options = .init()) {
        self.options = options
    }

    /// Reads a document whose top level is a geometry, a Feature or a FeatureCollection.
    public func read(_ bytes: some Collection<UInt8>) throws(GeoJSONError) -> GeoJSONObject {
        try withParser(bytes) { (parser: inout GeoJSONParser) throws(GeoJSONError) -> GeoJSONObject in
            switch try parser.peekType(context: .document) {
            case .geometry(let type):
                return .geometry(try parser.parseGeometry(knownType: type))
            case .feature:
                return .feature(try parser.parseFeature())
            case .featureCollection:
                var features: [Feature] = []
                try parser.parseFeatureCollection { _, feature in features.append(feature) }
                return .featureCollection(FeatureCollection(features))
            }
        }
    }

    /// Reads a document whose top level must be a FeatureCollection.
    public func readFeatureCollection(_ bytes: some Collection<UInt8>) throws(GeoJSONError) -> FeatureCollection {
        try withParser(bytes) { (parser: inout GeoJSONParser) throws(GeoJSONError) -> FeatureCollection in
            _ = try parser.peekType(context: .featureCollection)
            var features: [Feature] = []
            try parser.parseFeatureCollection { _, feature in features.append(feature) }
            return FeatureCollection(features)
        }
    }

    /// Reads a document whose top level must be a Feature.
    public func readFeature(_ bytes: some Collection<UInt8>) throws(GeoJSONError) -> Feature {
        try withParser(bytes) { (parser: inout GeoJSONParser) throws(GeoJSONError) -> Feature in
            _ = try parser.peekType(context: .feature)
            return try parser.parseFeature()
        }
    }

    /// Reads a document whose top level must be a geometry.
    public func readGeometry(_ bytes: some Collection<UInt8>) throws(GeoJSONError) -> Geometry {
        try withParser(bytes) { (parser: inout GeoJSONParser) throws(GeoJSONError) -> Geometry in
            guard case .geometry(let type) = try parser.peekType(context: .geometry) else {
                preconditionFailure("peekType(context: .geometry) returns geometry types only")
            }
            return try parser.parseGeometry(knownType: type)
        }
    }

    /// Calls `body` with each feature of a FeatureCollection (or the one feature of a Feature
    /// document) as soon as it is read, so that the collection is never held in memory.
    ///
    /// `index` is the feature's position in the `features` array. A bad feature stops the
    /// reading with a `GeoJSONError` whose path starts with `features[index]`; features before
    /// it have been delivered. An error thrown by `body` stops the reading and is rethrown as is.
    public func forEachFeature(in bytes: some Collection<UInt8>,
                               _ body: (_ index: Int, _ feature: Feature) throws -> Void) throws {
        var bodyError: (any Error)?
        do {
            try withParser(bytes) { (parser: inout GeoJSONParser) throws(GeoJSONError) in
                func visit(_ index: Int, _ feature: Feature) throws(GeoJSONError) {
                    do {
                        try body(index, feature)
                    } catch {
                        bodyError = error
                        throw GeoJSONError(message: "stopped by the caller")
                    }
                }
                switch try parser.peekType(context: .features) {
                case .featureCollection: try parser.parseFeatureCollection(visit)
                default: try visit(0, try parser.parseFeature())
                }
            }
        } catch {
            throw bodyError ?? error
        }
    }

    /// Runs `body` over the document's bytes, framed by the document-level checks: size, leading
    /// byte order mark, top level an object, nothing after it.
    private func withParser<T>(_ bytes: some Collection<UInt8>,
                               _ body: (inout GeoJSONParser) throws(GeoJSONError) -> T) throws(GeoJSONError) -> T {
        func run(_ buffer: UnsafeBufferPointer<UInt8>) -> Result<T, GeoJSONError> {
            Result { () throws(GeoJSONError) -> T in
                if let limit = options.maxDocumentBytes, buffer.count > limit {
                    throw GeoJSONError(message: "document is \(buffer.count) bytes, over the limit of \(limit)", offset: limit)
                }
                var parser = GeoJSONParser(buffer, options: options)
                try parser.beginDocument()
                let value = try body(&parser)
                try parser.endDocument()
                return value
            }
        }
        if let result = bytes.withContiguousStorageIfAvailable(run) {
            return try result.get()
        }
        return try Array(bytes).withUnsafeBufferPointer(run).get()
    }
}

/// The GeoJSON layer of the reader: GeoJSON objects, coordinates and their rules, on top of the
/// JSON scanner. One parser reads one document.
struct GeoJSONParser: ~Copyable {
    var scanner: GeoJSONScanner
    let options: GeoJSONReader.Options
    /// Numbers per position in the geometry being read (0 until its first position).
    private var dimension = 0

    init(_ bytes: UnsafeBufferPointer<UInt8>, options: GeoJSONReader.Options) {
        scanner = GeoJSONScanner(bytes, maxDepth: options.maxDepth)
        self.options = options
    }

    // MARK: Document

    mutating func beginDocument() throws(GeoJSONError) {
        if scanner.count >= 3, scanner.base[0] == 0xEF, scanner.base[1] == 0xBB, scanner.base[2] == 0xBF {
            scanner.position = 3
        }
        guard scanner.peek() == UInt8(ascii: "{") else {
            if scanner.isAtEnd { throw scanner.error("the document is empty") }
            throw scanner.mismatch("a GeoJSON document must be a JSON object")
        }
    }

    mutating func endDocument() throws(GeoJSONError) {
        scanner.skipWhitespace()
        guard scanner.isAtEnd else {
            throw scanner.error("unexpected data after the end of the document: \(GeoJSONScanner.describeByte(scanner.current))")
        }
    }

    // MARK: Members

    /// The member names that GeoJSON gives a meaning to.
    enum Member: UInt16 {
        case type, coordinates, geometries, geometry, properties, id, features, bbox, crs

        var name: String {
            switch self {
            case .type: "type"
            case .coordinates: "coordinates"
            case .geometries: "geometries"
            case .geometry: "geometry"
            case .properties: "properties"
            case .id: "id"
            case .features: "features"
            case .bbox: "bbox"
            case .crs: "crs"
            }
        }

        /// This member's flag in a set of members seen.
        var bit: UInt16 { 1 << rawValue }

        /// The member a name is, matched on its bytes (a switch on length first: this runs for
        /// every member of every object).
        static func matching(_ bytes: UnsafeBufferPointer<UInt8>) -> Member? {
            func equals(_ name: StaticString) -> Bool { GeoJSONParser.bytes(bytes, spell: name) }
            switch bytes.count {
            case 2: return equals("id") ? .id : nil
            case 3: return equals("crs") ? .crs : nil
            case 4: return equals("type") ? .type : equals("bbox") ? .bbox : nil
            case 8: return equals("geometry") ? .geometry : equals("features") ? .features : nil
            case 10: return equals("geometries") ? .geometries : equals("properties") ? .properties : nil
            case 11: return equals("coordinates") ? .coordinates : nil
            default: return nil
            }
        }
    }

    /// Reads a member name; for a GeoJSON member, also checks it is not a duplicate.
    private mutating func readMember(seen: inout UInt16) throws(GeoJSONError) -> (member: Member?, key: GeoJSONScanner.StringToken) {
        let keyStart = scanner.position
        let key = try scanner.readKey()
        let member = scanner.withBytes(of: key) { Member.matching($0) }
        if let member {
            guard seen & member.bit == 0 else {
                throw GeoJSONError(message: "duplicate member \"\(member.name)\"", offset: keyStart).inMember(member.name)
            }
            seen |= member.bit
        }
        return (member, key)
    }

    /// The path component for a member, computed only when an error needs it.
    private mutating func memberName(_ member: Member?, _ key: GeoJSONScanner.StringToken) -> String {
        member?.name ?? scanner.string(of: key)
    }

    // MARK: Types

    enum ObjectType: Equatable {
        case geometry(GeometryType)
        case feature
        case featureCollection

        var name: String {
            switch self {
            case .geometry(let type): type.rawValue
            case .feature: "Feature"
            case .featureCollection: "FeatureCollection"
            }
        }

        private static let spellings: [(StaticString, ObjectType)] = [
            ("Point", .geometry(.point)), ("LineString", .geometry(.lineString)), ("Polygon", .geometry(.polygon)),
            ("MultiPoint", .geometry(.multiPoint)), ("MultiLineString", .geometry(.multiLineString)),
            ("MultiPolygon", .geometry(.multiPolygon)), ("GeometryCollection", .geometry(.geometryCollection)),
            ("Feature", .feature), ("FeatureCollection", .featureCollection),
        ]

        /// The type a `"type"` value names (case-sensitive, as RFC 7946 spells them); matched on
        /// the bytes, without making a String.
        static func matching(_ bytes: UnsafeBufferPointer<UInt8>) -> ObjectType? {
            spellings.first { name, _ in GeoJSONParser.bytes(bytes, spell: name) }?.1
        }
    }

    @inline(__always) static func bytes(_ bytes: UnsafeBufferPointer<UInt8>, spell name: StaticString) -> Bool {
        bytes.count == name.utf8CodeUnitCount
            && bytes.elementsEqual(UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount))
    }

    /// Where an object stands, which decides the types it may have.
    enum Context {
        case document, features, featureCollection, feature, geometry

        func allows(_ type: ObjectType) -> Bool {
            switch (self, type) {
            case (.document, _): true
            case (.features, .feature), (.features, .featureCollection): true
            case (.featureCollection, .featureCollection), (.feature, .feature), (.geometry, .geometry): true
            default: false
            }
        }

        var expectation: String {
            switch self {
            case .document: "a geometry, Feature or FeatureCollection"
            case .features: "a Feature or FeatureCollection"
            case .featureCollection: "a FeatureCollection"
            case .feature: "a Feature"
            case .geometry: "a geometry"
            }
        }
    }

    /// Reads the value of a `"type"` member (the scanner is at the value).
    private mutating func readType(context: Context) throws(GeoJSONError) -> ObjectType {
        let start = scanner.position
        guard scanner.peek() == UInt8(ascii: "\"") else {
            throw scanner.mismatch("\"type\" must be a string")
        }
        let token = try scanner.scanString()
        guard let type = scanner.withBytes(of: token, { ObjectType.matching($0) }) else {
            let kind = context == .geometry ? "geometry type" : "GeoJSON type"
            throw GeoJSONError(message: "unknown \(kind) \"\(scanner.string(of: token))\"", offset: start)
        }
        guard context.allows(type) else {
            throw GeoJSONError(message: "expected \(context.expectation), found \(type.name)", offset: start)
        }
        return type
    }

    /// Finds the `"type"` of the object at the scanner, looking ahead without consuming it.
    /// `"type"` usually comes first, so the look-ahead is short; when it comes last the members
    /// before it are only syntax-checked here and read properly afterwards.
    mutating func peekType(context: Context) throws(GeoJSONError) -> ObjectType {
        let objectStart = scanner.position
        let depth = scanner.depth
        defer {
            scanner.position = objectStart
            scanner.depth = depth
        }
        guard try scanner.openObject() else {
            throw scanner.error("missing \"type\" member", at: objectStart)
        }
        repeat {
            let key = try scanner.readKey()
            if scanner.withBytes(of: key, { Member.matching($0) }) == .type {
                do throws(GeoJSONError) {
                    return try readType(context: context)
                } catch {
                    throw error.inMember("type")
                }
            }
            do throws(GeoJSONError) {
                try scanner.skipValue()
            } catch {
                throw error.inMember(scanner.string(of: key))
            }
        } while try scanner.nextMember()
        throw scanner.error("missing \"type\" member", at: objectStart)
    }

    // MARK: Feature collections and features

    /// Reads a FeatureCollection (the scanner is at its `{`), handing each feature to `visit`.
    mutating func parseFeatureCollection(_ visit: (Int, Feature) throws(GeoJSONError) -> Void) throws(GeoJSONError) {
        let objectStart = scanner.position
        var seen: UInt16 = 0
        guard try scanner.openObject() else { throw scanner.error("missing \"type\" member", at: objectStart) }
        repeat {
            let (member, key) = try readMember(seen: &seen)
            do throws(GeoJSONError) {
                switch member {
                case .type: _ = try readType(context: .featureCollection)
                case .features: try parseFeatures(visit)
                case .bbox: try checkBoundingBox()
                case .crs: try checkCRS()
                default: try scanner.skipValue()
                }
            } catch {
                throw error.inMember(memberName(member, key))
            }
        } while try scanner.nextMember()
        guard seen & Member.features.bit != 0 else {
            throw scanner.error("FeatureCollection has no \"features\" member", at: objectStart)
        }
    }

    private mutating func parseFeatures(_ visit: (Int, Feature) throws(GeoJSONError) -> Void) throws(GeoJSONError) {
        guard scanner.peek() == UInt8(ascii: "[") else {
            throw scanner.mismatch("\"features\" must be an array")
        }
        guard try scanner.openArray() else { return }
        var index = 0
        repeat {
            do throws(GeoJSONError) {
                guard scanner.peek() == UInt8(ascii: "{") else {
                    throw scanner.mismatch("expected a Feature object")
                }
                let feature = try parseFeature()
                try visit(index, feature)
            } catch {
                throw error.inElement(index)
            }
            index += 1
        } while try scanner.nextElement()
    }

    /// Reads a Feature (the scanner is at its `{`).
    mutating func parseFeature() throws(GeoJSONError) -> Feature {
        let objectStart = scanner.position
        var seen: UInt16 = 0
        var feature = Feature(geometry: nil)
        guard try scanner.openObject() else { throw scanner.error("missing \"type\" member", at: objectStart) }
        repeat {
            let (member, key) = try readMember(seen: &seen)
            do throws(GeoJSONError) {
                switch member {
                case .type: _ = try readType(context: .feature)
                case .id: feature.id = try parseID()
                case .geometry:
                    if try !scanner.consumeNull() {
                        guard scanner.peek() == UInt8(ascii: "{") else {
                            throw scanner.mismatch("\"geometry\" must be an object or null")
                        }
                        feature.geometry = try parseGeometry(knownType: nil)
                    }
                case .properties:
                    if try !scanner.consumeNull() {
                        guard scanner.peek() == UInt8(ascii: "{") else {
                            throw scanner.mismatch("\"properties\" must be an object or null")
                        }
                        feature.properties = try scanner.parseObject()
                    }
                case .bbox: try checkBoundingBox()
                case .crs: try checkCRS()
                default: try scanner.skipValue()
                }
            } catch {
                throw error.inMember(memberName(member, key))
            }
        } while try scanner.nextMember()
        guard seen & Member.type.bit != 0 else { throw scanner.error("missing \"type\" member", at: objectStart) }
        guard seen & Member.geometry.bit != 0 else {
            throw scanner.error("Feature has no \"geometry\" member (RFC 7946 requires one; use null for none)", at: objectStart)
        }
        guard seen & Member.properties.bit != 0 else {
            throw scanner.error("Feature has no \"properties\" member (RFC 7946 requires one; use null or {} for none)", at: objectStart)
        }
        return feature
    }

    private mutating func parseID() throws(GeoJSONError) -> FeatureID? {
        switch scanner.peek() {
        case UInt8(ascii: "\""):
            return .string(try scanner.readString())
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            let token = try scanner.scanNumber()
            guard let value = token.int64Value else {
                let text = String(decoding: UnsafeBufferPointer(start: scanner.base + token.start, count: token.end - token.start), as: UTF8.self)
                throw scanner.error("\"id\" must be a string or an integer, found \(text)", at: token.start)
            }
            return .number(value)
        case UInt8(ascii: "n"):
            try scanner.expectLiteral("null")
            return nil
        default:
            throw scanner.mismatch("\"id\" must be a string or a number")
        }
    }

    // MARK: Geometries

    /// Reads a geometry object (the scanner is at its `{`).
    mutating func parseGeometry(knownType: GeometryType?) throws(GeoJSONError) -> Geometry {
        let objectStart = scanner.position
        let type: GeometryType
        if let knownType {
            type = knownType
        } else if case .geometry(let peeked) = try peekType(context: .geometry) {
            type = peeked
        } else {
            preconditionFailure("peekType(context: .geometry) returns geometry types only")
        }
        let body: Member = type == .geometryCollection ? .geometries : .coordinates
        var seen: UInt16 = 0
        var geometry: Geometry?
        _ = try scanner.openObject()  // peekType found members
        repeat {
            let (member, key) = try readMember(seen: &seen)
            do throws(GeoJSONError) {
                switch member {
                case .type: try scanner.skipValue()  // read by peekType
                case .coordinates where body == .coordinates: geometry = try parseCoordinates(of: type)
                case .geometries where body == .geometries: geometry = .geometryCollection(GeometryCollection(try parseGeometries()))
                case .bbox: try checkBoundingBox()
                case .crs: try checkCRS()
                default: try scanner.skipValue()
                }
            } catch {
                throw error.inMember(memberName(member, key))
            }
        } while try scanner.nextMember()
        guard let geometry else {
            throw scanner.error("\(type.rawValue) has no \"\(body.name)\" member", at: objectStart)
        }
        return geometry
    }

    private mutating func parseGeometries() throws(GeoJSONError) -> [Geometry] {
        guard scanner.peek() == UInt8(ascii: "[") else {
            throw scanner.mismatch("\"geometries\" must be an array")
        }
        var geometries: [Geometry] = []
        guard try scanner.openArray() else { return geometries }
        repeat {
            do throws(GeoJSONError) {
                guard scanner.peek() == UInt8(ascii: "{") else {
                    throw scanner.mismatch("expected a geometry object")
                }
                geometries.append(try parseGeometry(knownType: nil))
            } catch {
                throw error.inElement(geometries.count)
            }
        } while try scanner.nextElement()
        return geometries
    }

    // MARK: Coordinates

    private mutating func parseCoordinates(of type: GeometryType) throws(GeoJSONError) -> Geometry {
        dimension = 0
        guard scanner.peek() == UInt8(ascii: "[") else {
            throw scanner.mismatch("\"coordinates\" must be an array")
        }
        switch type {
        case .point:
            return .point(Point(try parsePosition(of: type, allowsEmpty: true)))
        case .lineString:
            return .lineString(LineString(try parseLine(of: type)))
        case .polygon:
            return .polygon(try parsePolygon(of: type))
        case .multiPoint:
            return .multiPoint(MultiPoint(try parsePositions(of: type)))
        case .multiLineString:
            var lines: [LineString] = []
            guard try openNested(of: type) else { return .multiLineString(MultiLineString(lines)) }
            repeat {
                do throws(GeoJSONError) {
                    lines.append(LineString(try parseLine(of: type)))
                } catch {
                    throw error.inElement(lines.count)
                }
            } while try scanner.nextElement()
            return .multiLineString(MultiLineString(lines))
        case .multiPolygon:
            var polygons: [Polygon] = []
            guard try openNested(of: type) else { return .multiPolygon(MultiPolygon(polygons)) }
            repeat {
                do throws(GeoJSONError) {
                    polygons.append(try parsePolygon(of: type))
                } catch {
                    throw error.inElement(polygons.count)
                }
            } while try scanner.nextElement()
            return .multiPolygon(MultiPolygon(polygons))
        case .geometryCollection:
            preconditionFailure("a GeometryCollection has geometries, not coordinates")
        }
    }

    /// Opens an array that must hold arrays (a level of coordinate nesting); false if empty.
    private mutating func openNested(of type: GeometryType) throws(GeoJSONError) -> Bool {
        guard scanner.peek() == UInt8(ascii: "[") else { throw wrongNesting(of: type, expected: "an array") }
        return try scanner.openArray()
    }

    private mutating func wrongNesting(of type: GeometryType, expected: String) -> GeoJSONError {
        scanner.mismatch("wrong nesting depth for \(type.rawValue) coordinates: expected \(expected)")
    }

    private mutating func parsePolygon(of type: GeometryType) throws(GeoJSONError) -> Polygon {
        var rings: [[Coordinate]] = []
        guard try openNested(of: type) else { return .empty }
        repeat {
            do throws(GeoJSONError) {
                rings.append(try parseRing(of: type))
            } catch {
                throw error.inElement(rings.count)
            }
        } while try scanner.nextElement()
        let exterior = rings.removeFirst()
        return Polygon(exterior: exterior, holes: rings)
    }

    private mutating func parseRing(of type: GeometryType) throws(GeoJSONError) -> [Coordinate] {
        scanner.skipWhitespace()
        let start = scanner.position
        let ring = try parsePositions(of: type)
        guard ring.count >= 4 else {
            throw scanner.error("ring has \(ring.count) position\(ring.count == 1 ? "" : "s"); a linear ring needs at least 4", at: start)
        }
        guard ring[0] == ring[ring.count - 1] else {
            throw scanner.error("ring is not closed", at: start)
        }
        return ring
    }

    private mutating func parseLine(of type: GeometryType) throws(GeoJSONError) -> [Coordinate] {
        scanner.skipWhitespace()
        let start = scanner.position
        let line = try parsePositions(of: type)
        guard line.count != 1 else {
            throw scanner.error("LineString has 1 position; it needs none (EMPTY) or at least 2", at: start)
        }
        return line
    }

    /// An array of positions.
    private mutating func parsePositions(of type: GeometryType) throws(GeoJSONError) -> [Coordinate] {
        var positions: [Coordinate] = []
        guard try openNested(of: type) else { return positions }
        repeat {
            do throws(GeoJSONError) {
                positions.append(try parsePosition(of: type, allowsEmpty: false)!)
            } catch {
                throw error.inElement(positions.count)
            }
        } while try scanner.nextElement()
        return positions
    }

    /// `[x, y]` or `[x, y, z]`; `[]` gives nil where EMPTY is allowed (a Point's coordinates).
    private mutating func parsePosition(of type: GeometryType, allowsEmpty: Bool) throws(GeoJSONError) -> Coordinate? {
        guard scanner.peek() == UInt8(ascii: "[") else { throw wrongNesting(of: type, expected: "an array (a position)") }
        let start = scanner.position
        guard try scanner.openArray() else {
            if allowsEmpty { return nil }
            throw scanner.error("position needs at least 2 numbers, got 0", at: start)
        }
        var x = 0.0, y = 0.0, z = 0.0
        var count = 0
        repeat {
            let value: Double
            do throws(GeoJSONError) {
                switch scanner.peek() {
                case UInt8(ascii: "["): throw wrongNesting(of: type, expected: "a number")
                case UInt8(ascii: "{"), UInt8(ascii: "\""), UInt8(ascii: "t"), UInt8(ascii: "f"), UInt8(ascii: "n"):
                    throw scanner.mismatch("a position holds numbers")
                default: value = try scanner.readDouble()
                }
            } catch {
                throw error.inElement(count)
            }
            switch count {
            case 0: x = value
            case 1: y = value
            case 2: z = value
            default:
                throw scanner.error("position has more than 3 numbers; only x, y and an optional z are supported", at: start)
            }
            count += 1
        } while try scanner.nextElement()

        guard count >= 2 else { throw scanner.error("position needs at least 2 numbers, got \(count)", at: start) }
        if dimension == 0 {
            dimension = count
        } else if dimension != count {
            throw scanner.error("mixed dimensions: this position has \(count) numbers, the geometry's first position has \(dimension)", at: start)
        }
        if options.validatesLonLatRange {
            guard x >= -180 && x <= 180 else {
                throw scanner.error("longitude \(Self.format(x)) is out of range -180..180", at: start)
            }
            guard y >= -90 && y <= 90 else {
                throw scanner.error("latitude \(Self.format(y)) is out of range -90..90", at: start)
            }
        }
        return Coordinate(x: x, y: y, z: count == 3 ? z : nil)
    }

    /// A number as a person would write it in a message: `200`, not `200.0`.
    static func format(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return String(value)
    }

    // MARK: bbox and crs

    /// `"bbox"`: 2 × n numbers for n = 2 or 3 dimensions (RFC 7946 §5).
    private mutating func checkBoundingBox() throws(GeoJSONError) {
        guard scanner.peek() == UInt8(ascii: "[") else {
            throw scanner.mismatch("\"bbox\" must be an array of 4 or 6 numbers")
        }
        let start = scanner.position
        var count = 0
        if try scanner.openArray() {
            repeat {
                let next = scanner.peek()
                guard next == UInt8(ascii: "-") || (next >= UInt8(ascii: "0") && next <= UInt8(ascii: "9")) else {
                    throw scanner.mismatch("\"bbox\" must hold numbers").inElement(count)
                }
                do throws(GeoJSONError) {
                    _ = try scanner.readDouble()
                } catch {
                    throw error.inElement(count)
                }
                count += 1
            } while try scanner.nextElement()
        }
        guard count == 4 || count == 6 else {
            throw scanner.error("\"bbox\" must have 4 or 6 numbers, has \(count)", at: start)
        }
    }

    /// Names under which WGS84 longitude/latitude appears in pre-RFC 7946 `crs` members.
    private static let wgs84Names: Set<String> = [
        "urn:ogc:def:crs:OGC:1.3:CRS84", "urn:ogc:def:crs:OGC::CRS84", "OGC:CRS84", "CRS84",
        "http://www.opengis.net/def/crs/OGC/1.3/CRS84",
        "urn:ogc:def:crs:EPSG::4326", "EPSG:4326", "http://www.opengis.net/def/crs/EPSG/0/4326",
    ]

    private mutating func checkCRS() throws(GeoJSONError) {
        let start = scanner.position
        switch options.crsMember {
        case .ignore:
            try scanner.skipValue()
        case .reject:
            try scanner.skipValue()
            throw scanner.error("\"crs\" members are not accepted: RFC 7946 GeoJSON is always WGS84 longitude/latitude", at: start)
        case .acceptWGS84Only:
            let crs = try scanner.parseValue()
            if crs == .null { return }
            guard let object = crs.objectValue, object["type"] == "name",
                  let name = object["properties"]?.objectValue?["name"]?.stringValue
            else {
                throw scanner.error("\"crs\" must be a named CRS ({\"type\": \"name\", \"properties\": {\"name\": ...}}) naming WGS84", at: start)
            }
            guard Self.wgs84Names.contains(name) else {
                throw scanner.error("coordinate reference system \"\(name)\" is not supported: RFC 7946 GeoJSON is WGS84 longitude/latitude (CRS84)", at: start)
            }
        }
    }
}
