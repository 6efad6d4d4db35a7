public import OrderedCollections

/// Writes GeoJSON (RFC 7946) to a `ByteSink`, one feature at a time, so that a layer of any size
/// is exported without building the document in memory.
///
/// ```swift
/// var writer = GeoJSONWriter(to: try FileSink(path: "parcels.geojson"))
/// try writer.beginFeatureCollection(members: ["name": "parcels"])
/// for feature in features { try writer.write(feature) }
/// try writer.endFeatureCollection()
/// ```
///
/// The output is deterministic, byte for byte, across runs and platforms:
/// - members in a fixed order: `type`, then `id` (when there is one), `geometry`, `properties`
///   for a Feature; `type`, then `coordinates` or `geometries` for a geometry; properties and
///   collection members in their stored order;
/// - compact JSON, with one feature per line inside a FeatureCollection and a final newline;
/// - coordinates rounded to `coordinatePrecision` decimals (exact rounding, ties to even),
///   trailing zeros dropped; other numbers in their shortest exact form; strings with only the
///   escapes RFC 8259 requires, non-ASCII as UTF-8.
///
/// EMPTY geometries are written with an empty array: `{"type":"Point","coordinates":[]}`, the
/// same for every type, and `{"type":"GeometryCollection","geometries":[]}`. A Feature without a
/// geometry gets `"geometry":null`; properties are always an object (`{}` when there are none).
///
/// Values that GeoJSON cannot hold are refused with a `GeoJSONError` naming the member:
/// NaN or infinite numbers, a position mixing 2D and 3D within one geometry, rings that are not
/// closed or have fewer than 4 positions, a LineString of one position, nesting deeper than
/// `maxDepth`. A refused feature leaves nothing behind in the output, so the writer can go on.
///
/// Bytes are handed to the sink in chunks of about 64 KiB, and in full at the end of the
/// document; `flush()` hands over what is pending (e.g. to stream a response).
public struct GeoJSONWriter: ~Copyable {
    public struct Options: Sendable, Hashable {
        /// Decimal places for coordinates; 7 is about 1 cm in longitude/latitude. nil writes each
        /// coordinate in the shortest form that reads back exactly. Values above 15 act like nil,
        /// negative values like 0.
        public var coordinatePrecision: Int?
        /// Exterior rings counterclockwise, holes clockwise (RFC 7946 §3.1.6); rings are reversed
        /// where their signed area says otherwise.
        public var enforcesRightHandRule: Bool
        /// Deepest JSON nesting written, counted as the reader counts it (document object = 1).
        public var maxDepth: Int

        public init(coordinatePrecision: Int? = 7, enforcesRightHandRule: Bool = true, maxDepth: Int = 64) {
            self.coordinatePrecision = coordinatePrecision
            self.enforcesRightHandRule = enforcesRightHandRule
            self.maxDepth = maxDepth
        }
    }

    private enum State { case start, inCollection, finished }

    private let sink: any ByteSink
    public let options: Options
    private var output: GeoJSONOutput
    private var state = State.start
    /// Features written into the current FeatureCollection.
    public private(set) var featureCount = 0
    /// Collection members given at the start, which the end must not repeat.
    private var leadingMemberNames: Set<String> = []
    private var depth = 0
    /// Coordinates: decimal places for appendFixed, or nil for shortest form.
    private let places: GeoJSONOutput.DecimalPlaces?

    private static let chunkSize = 64 * 1024

    public init(to sink: any ByteSink, options: Options = .init()) {
        self.sink = sink
        self.options = options
        output = GeoJSONOutput(capacity: Self.chunkSize + 16 * 1024)
        places = options.coordinatePrecision.flatMap(GeoJSONOutput.DecimalPlaces.init)
    }

    // MARK: Documents

    /// Starts a FeatureCollection. `members` (foreign members such as `"name"` or `"bbox"`) are
    /// written after `"type"`, before `"features"`.
    public mutating func beginFeatureCollection(members: JSONObject = [:]) throws(GeoJSONError) {
        guard state == .start else {
            throw GeoJSONError(message: "beginFeatureCollection: the writer has already written a document")
        }
        try checkCollectionMembers(members)
        let mark = output.count
        do throws(GeoJSONError) {
            output.append("{\"type\":\"FeatureCollection\"")
            depth = 1
            try appendMembers(members)
            output.append(",\"features\":[")
        } catch {
            output.truncate(to: mark)
            throw error
        }
        leadingMemberNames = Set(members.keys)
        state = .inCollection
        featureCount = 0
    }

    /// Inside a FeatureCollection: appends the next feature. Otherwise: writes a Feature document.
    public mutating func write(_ feature: Feature) throws(GeoJSONError) {
        switch state {
        case .start:
            try writeDocument { (writer: inout GeoJSONWriter) throws(GeoJSONError) in try writer.appendFeature(feature) }
        case .inCollection:
            let mark = output.count
            do throws(GeoJSONError) {
                output.append(featureCount == 0 ? "\n" : ",\n")
                depth = 2
                try appendFeature(feature)
            } catch {
                output.truncate(to: mark)
                throw error.inElement(featureCount).inMember("features")
            }
            featureCount += 1
            if output.count >= Self.chunkSize { try flush() }
        case .finished:
            throw GeoJSONError(message: "write: the document is complete; use a new writer for another")
        }
    }

    /// Writes a geometry document. (Inside a collection, geometries travel in Features.)
    public mutating func write(_ geometry: Geometry) throws(GeoJSONError) {
        guard state == .start else {
            throw GeoJSONError(message: state == .inCollection
                ? "write: a FeatureCollection holds Features; wrap the geometry in a Feature"
                : "write: the document is complete; use a new writer for another")
        }
        try writeDocument { (writer: inout GeoJSONWriter) throws(GeoJSONError) in try writer.appendGeometry(geometry) }
    }

    /// Ends the FeatureCollection, with `members` after `"features"` (e.g. counts known only
    /// now, such as OGC API's `numberReturned`), and hands everything to the sink.
    public mutating func endFeatureCollection(members: JSONObject = [:]) throws(GeoJSONError) {
        guard state == .inCollection else {
            throw GeoJSONError(message: "endFeatureCollection: no FeatureCollection was begun")
        }
        try checkCollectionMembers(members)
        if let repeated = members.keys.first(where: leadingMemberNames.contains) {
            throw GeoJSONError(message: "member \"\(repeated)\" was already written at the start of the collection")
        }
        let mark = output.count
        do throws(GeoJSONError) {
            output.append(featureCount == 0 ? "]" : "\n]")
            depth = 1
            try appendMembers(members)
            output.append("}\n")
        } catch {
            output.truncate(to: mark)
            throw error
        }
        state = .finished
        try flush()
    }

    /// Hands the bytes written so far to the sink.
    public mutating func flush() throws(GeoJSONError) {
        guard output.count > 0 else { return }
        do {
            try sink.write(output.bytes)
        } catch {
            throw GeoJSONError(message: error.message)
        }
        output.removeAll()
    }

    private mutating func writeDocument(_ body: (inout GeoJSONWriter) throws(GeoJSONError) -> Void) throws(GeoJSONError) {
        let mark = output.count
        do throws(GeoJSONError) {
            depth = 0
            try body(&self)
            output.append(UInt8(ascii: "\n"))
        } catch {
            output.truncate(to: mark)
            throw error
        }
        state = .finished
        try flush()
    }

    private func checkCollectionMembers(_ members: JSONObject) throws(GeoJSONError) {
        for reserved in ["type", "features"] where members[reserved] != nil {
            throw GeoJSONError(message: "member \"\(reserved)\" is written by the writer itself")
        }
    }

    /// `,"key":value` for each member.
    private mutating func appendMembers(_ members: JSONObject) throws(GeoJSONError) {
        for (key, value) in members {
            output.append(UInt8(ascii: ","))
            output.appendString(key)
            output.append(UInt8(ascii: ":"))
            do throws(GeoJSONError) {
                try appendValue(value)
            } catch {
                throw error.inMember(key)
            }
        }
    }

    // MARK: Nesting

    @inline(__always) private mutating func enter() throws(GeoJSONError) {
        depth += 1
        if depth > options.maxDepth {
            throw GeoJSONError(message: "nesting is deeper than the limit of \(options.maxDepth) levels")
        }
    }

    @inline(__always) private mutating func leave() { depth -= 1 }

    // MARK: Features

    private mutating func appendFeature(_ feature: Feature) throws(GeoJSONError) {
        try enter()
        output.append("{\"type\":\"Feature\"")
        switch feature.id {
        case .string(let id)?:
            output.append(",\"id\":")
            output.appendString(id)
        case .number(let id)?:
            output.append(",\"id\":")
            output.appendInteger(id)
        case nil:
            break
        }
        output.append(",\"geometry\":")
        if let geometry = feature.geometry {
            do throws(GeoJSONError) {
                try appendGeometry(geometry)
            } catch {
                throw error.inMember("geometry")
            }
        } else {
            output.append("null")
        }
        output.append(",\"properties\":")
        do throws(GeoJSONError) {
            try appendObject(feature.properties)
        } catch {
            throw error.inMember("properties")
        }
        output.append(UInt8(ascii: "}"))
        leave()
    }

    // MARK: JSON values

    private mutating func appendValue(_ value: JSONValue) throws(GeoJSONError) {
        switch value {
        case .null: output.append("null")
        case .bool(let flag): output.append(flag ? "true" : "false")
        case .integer(let integer): output.appendInteger(integer)
        case .number(let number):
            guard number.isFinite else {
                throw GeoJSONError(message: "number \(number) cannot be written: JSON has no NaN or Infinity")
            }
            output.appendShortest(number, integersWithoutFraction: false)
        case .string(let string): output.appendString(string)
        case .array(let elements):
            try enter()
            output.append(UInt8(ascii: "["))
            for (index, element) in elements.enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                do throws(GeoJSONError) {
                    try appendValue(element)
                } catch {
                    throw error.inElement(index)
                }
            }
            output.append(UInt8(ascii: "]"))
            leave()
        case .object(let object):
            try appendObject(object)
        }
    }

    private mutating func appendObject(_ object: JSONObject) throws(GeoJSONError) {
        try enter()
        output.append(UInt8(ascii: "{"))
        var first = true
        for (key, value) in object {
            if !first { output.append(UInt8(ascii: ",")) }
            first = false
            output.appendString(key)
            output.append(UInt8(ascii: ":"))
            do throws(GeoJSONError) {
                try appendValue(value)
            } catch {
                throw error.inMember(key)
            }
        }
        output.append(UInt8(ascii: "}"))
        leave()
    }

    // MARK: Geometries

    private mutating func appendGeometry(_ geometry: Geometry) throws(GeoJSONError) {
        try enter()
        output.append("{\"type\":\"")
        switch geometry {
        case .point: output.append("Point")
        case .lineString: output.append("LineString")
        case .polygon: output.append("Polygon")
        case .multiPoint: output.append("MultiPoint")
        case .multiLineString: output.append("MultiLineString")
        case .multiPolygon: output.append("MultiPolygon")
        case .geometryCollection: output.append("GeometryCollection")
        }
        if case .geometryCollection(let collection) = geometry {
            output.append("\",\"geometries\":[")
            try enter()
            for (index, member) in collection.geometries.enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                do throws(GeoJSONError) {
                    try appendGeometry(member)
                } catch {
                    throw error.inElement(index).inMember("geometries")
                }
            }
            leave()
        } else {
            output.append("\",\"coordinates\":")
            do throws(GeoJSONError) {
                try appendCoordinates(of: geometry)
            } catch {
                throw error.inMember("coordinates")
            }
        }
        output.append("]}")
        leave()
    }

    /// The coordinates array; writes the opening bracket, the caller the closing one.
    private mutating func appendCoordinates(of geometry: Geometry) throws(GeoJSONError) {
        // Arrays below the geometry object, as written: Point 1, LineString/MultiPoint 2,
        // Polygon/MultiLineString 3, MultiPolygon 4, but an EMPTY part is only its own `[]`,
        // so that whatever the reader accepts at a depth limit is written at the same limit.
        let levels = switch geometry {
        case .point: 1
        case .lineString(let line): line.isEmpty ? 1 : 2
        case .multiPoint(let points): points.isEmpty ? 1 : 2
        case .polygon(let polygon): polygon.isEmpty ? 1 : 3
        case .multiLineString(let lines): lines.lineStrings.isEmpty ? 1 : lines.isEmpty ? 2 : 3
        case .multiPolygon(let polygons): polygons.polygons.isEmpty ? 1 : polygons.isEmpty ? 2 : 4
        case .geometryCollection: preconditionFailure("a GeometryCollection has geometries, not coordinates")
        }
        guard depth + levels <= options.maxDepth else {
            throw GeoJSONError(message: "nesting is deeper than the limit of \(options.maxDepth) levels")
        }
        var dimension = Dimension()
        output.append(UInt8(ascii: "["))
        switch geometry {
        case .point(let point):
            if let coordinate = point.coordinate { try appendPositionValues(coordinate, &dimension) }
        case .lineString(let line):
            try appendLine(line.coordinates, &dimension)
        case .multiPoint(let points):
            try appendPositions(points.coordinates, &dimension)
        case .polygon(let polygon):
            try appendPolygon(polygon, &dimension)
        case .multiLineString(let lines):
            for (index, line) in lines.lineStrings.enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                output.append(UInt8(ascii: "["))
                do throws(GeoJSONError) {
                    try appendLine(line.coordinates, &dimension)
                } catch {
                    throw error.inElement(index)
                }
                output.append(UInt8(ascii: "]"))
            }
        case .multiPolygon(let polygons):
            for (index, polygon) in polygons.polygons.enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                output.append(UInt8(ascii: "["))
                do throws(GeoJSONError) {
                    try appendPolygon(polygon, &dimension)
                } catch {
                    throw error.inElement(index)
                }
                output.append(UInt8(ascii: "]"))
            }
        case .geometryCollection:
            preconditionFailure("a GeometryCollection has geometries, not coordinates")
        }
    }

    /// Whether the geometry's positions carry z, fixed by the first one.
    private struct Dimension {
        var hasZ: Bool?
    }

    private mutating func appendLine(_ coordinates: [Coordinate], _ dimension: inout Dimension) throws(GeoJSONError) {
        guard coordinates.count != 1 else {
            throw GeoJSONError(message: "LineString has 1 position; it needs none (EMPTY) or at least 2")
        }
        try appendPositions(coordinates, &dimension)
    }

    private mutating func appendPolygon(_ polygon: Polygon, _ dimension: inout Dimension) throws(GeoJSONError) {
        guard !polygon.exterior.isEmpty else {
            if !polygon.holes.isEmpty {
                throw GeoJSONError(message: "polygon has \(polygon.holes.count) hole(s) but no exterior ring")
            }
            return
        }
        for (index, ring) in polygon.rings.enumerated() {
            if index > 0 { output.append(UInt8(ascii: ",")) }
            do throws(GeoJSONError) {
                guard ring.count >= 4 else {
                    throw GeoJSONError(message: "ring has \(ring.count) position\(ring.count == 1 ? "" : "s"); a linear ring needs at least 4")
                }
                guard ring[0] == ring[ring.count - 1] else {
                    throw GeoJSONError(message: "ring is not closed")
                }
                // Right-hand rule: exterior counterclockwise (positive area), holes clockwise.
                let reverse = options.enforcesRightHandRule
                    && (index == 0 ? Self.signedArea(ring) < 0 : Self.signedArea(ring) > 0)
                output.append(UInt8(ascii: "["))
                try appendPositions(ring, &dimension, reversed: reverse)
                output.append(UInt8(ascii: "]"))
            } catch {
                throw error.inElement(index)
            }
        }
    }

    /// Twice the signed area (shoelace formula), positive for counterclockwise rings. Taken
    /// relative to the first position, which keeps precision for small rings far from 0,0.
    static func signedArea(_ ring: [Coordinate]) -> Double {
        guard let origin = ring.first else { return 0 }
        var sum = 0.0
        for i in 1..<(ring.count - 1) {
            let a = ring[i], b = ring[i + 1]
            sum += (a.x - origin.x) * (b.y - origin.y) - (b.x - origin.x) * (a.y - origin.y)
        }
        return sum
    }

    /// `[x,y],[x,y],...` without the enclosing brackets.
    private mutating func appendPositions(_ coordinates: [Coordinate], _ dimension: inout Dimension,
                                          reversed: Bool = false) throws(GeoJSONError) {
        let count = coordinates.count
        for step in 0..<count {
            let index = reversed ? count - 1 - step : step
            if step > 0 { output.append(UInt8(ascii: ",")) }
            output.append(UInt8(ascii: "["))
            do throws(GeoJSONError) {
                try appendPositionValues(coordinates[index], &dimension)
            } catch {
                throw error.inElement(index)
            }
            output.append(UInt8(ascii: "]"))
        }
    }

    /// `x,y` or `x,y,z`.
    @inline(__always)
    private mutating func appendPositionValues(_ coordinate: Coordinate, _ dimension: inout Dimension) throws(GeoJSONError) {
        let hasZ = coordinate.z != nil
        if let expected = dimension.hasZ {
            guard expected == hasZ else {
                throw GeoJSONError(message: hasZ
                    ? "mixed dimensions: this position has z, the geometry's first position has none"
                    : "mixed dimensions: this position has no z, the geometry's first position has one")
            }
        } else {
            dimension.hasZ = hasZ
        }
        try appendCoordinate(coordinate.x, axis: "x")
        output.append(UInt8(ascii: ","))
        try appendCoordinate(coordinate.y, axis: "y")
        if let z = coordinate.z {
            output.append(UInt8(ascii: ","))
            try appendCoordinate(z, axis: "z")
        }
    }

    @inline(__always) private mutating func appendCoordinate(_ value: Double, axis: StaticString) throws(GeoJSONError) {
        guard value.isFinite else {
            throw GeoJSONError(message: "\(axis) is \(value); JSON has no NaN or Infinity")
        }
        if let places {
            output.appendFixed(value, places: places)
        } else {
            output.appendShortest(value, integersWithoutFraction: true)
        }
    }
}

extension GeoJSONWriter {
    /// A geometry as a GeoJSON document.
    public static func encode(_ geometry: Geometry, options: Options = .init()) throws(GeoJSONError) -> [UInt8] {
        let sink = ByteArraySink()
        var writer = GeoJSONWriter(to: sink, options: options)
        try writer.write(geometry)
        return sink.bytes
    }

    /// A feature as a GeoJSON document.
    public static func encode(_ feature: Feature, options: Options = .init()) throws(GeoJSONError) -> [UInt8] {
        let sink = ByteArraySink()
        var writer = GeoJSONWriter(to: sink, options: options)
        try writer.write(feature)
        return sink.bytes
    }

    /// Any JSON value as compact text, without the final newline: the same number and string
    /// rules as in features (NaN and infinity refused), for JSON that is not GeoJSON.
    public static func encode(_ value: JSONValue) throws(GeoJSONError) -> [UInt8] {
        let sink = ByteArraySink()
        var writer = GeoJSONWriter(to: sink)
        try writer.writeDocument { (w: inout GeoJSONWriter) throws(GeoJSONError) in try w.appendValue(value) }
        return Array(sink.bytes.dropLast())
    }

    /// A feature collection as a GeoJSON document, with optional foreign members after `"type"`.
    public static func encode(_ collection: FeatureCollection, members: JSONObject = [:],
                              options: Options = .init()) throws(GeoJSONError) -> [UInt8] {
        let sink = ByteArraySink()
        var writer = GeoJSONWriter(to: sink, options: options)
        try writer.beginFeatureCollection(members: members)
        for feature in collection.features { try writer.write(feature) }
        try writer.endFeatureCollection()
        return sink.bytes
    }
}
