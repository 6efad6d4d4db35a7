import GeoEngine
import GeoModel
import Planning

/// What the OpenAPI document says about a parameter. Each definition below produces one, so the
/// document and the parsing cannot drift apart.
struct ParameterSpec: Sendable {
    enum Location: String, Sendable { case query, path }

    var name: String
    var location: Location = .query
    var required = false
    var description: String
    var schema: JSONValue
    /// Comma-separated lists are `style: form, explode: false` in OpenAPI terms.
    var isCommaList = false

    var openAPI: JSONValue {
        var object: JSONObject = [
            "name": .string(name), "in": .string(location.rawValue), "description": .string(description),
            "required": .bool(required || location == .path), "schema": schema,
        ]
        if isCommaList {
            object["style"] = "form"
            object["explode"] = false
        }
        return .object(object)
    }
}

/// A parameter definition that can read its own text into a typed value, with a message naming
/// the parameter, the rule and the text received when it cannot.
protocol ParameterReading: Sendable {
    associatedtype Value
    var spec: ParameterSpec { get }
    func read(_ text: String) throws(ProblemDetails) -> Value
}

/// A decimal number in a range; `inf`, `nan`, hex and empty text are refused.
struct NumberParameter: ParameterReading {
    var spec: ParameterSpec
    var minimum: Double
    var minimumIsExclusive: Bool
    var maximum: Double
    /// How the rule reads in a message: "a number of metres between 0 and 50000".
    var requirement: String

    init(_ name: String, minimum: Double, exclusive: Bool = false, maximum: Double, requirement: String, description: String,
         required: Bool = false) {
        var schema: JSONObject = ["type": "number", "minimum": .number(minimum), "maximum": .number(maximum)]
        if exclusive { schema["exclusiveMinimum"] = true }
        self.spec = ParameterSpec(name: name, required: required, description: description, schema: .object(schema))
        self.minimum = minimum
        self.minimumIsExclusive = exclusive
        self.maximum = maximum
        self.requirement = requirement
    }

    func read(_ text: String) throws(ProblemDetails) -> Double {
        guard let value = Self.decimal(text), value <= maximum, minimumIsExclusive ? value > minimum : value >= minimum else {
            throw .invalid(spec.name, must: requirement, got: text)
        }
        return value
    }

    /// JSON's number grammar (a leading `+` allowed too), the only spelling of a number accepted:
    /// `inf`, `nan`, hex floats, `.5` and empty text are refused.
    static func decimal(_ text: some StringProtocol) -> Double? {
        let bytes = Array(text.utf8)
        var index = 0
        func skipDigits() -> Int {
            let start = index
            while index < bytes.count, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") { index += 1 }
            return index - start
        }
        func skipSign() {
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
        }
        skipSign()
        guard skipDigits() > 0 else { return nil }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            guard skipDigits() > 0 else { return nil }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            index += 1
            skipSign()
            guard skipDigits() > 0 else { return nil }
        }
        guard index == bytes.count, let value = Double(String(text)), value.isFinite else { return nil }
        return value
    }
}

/// A whole number in a closed range.
struct IntegerParameter: ParameterReading {
    var spec: ParameterSpec
    var range: ClosedRange<Int>
    var defaultValue: Int?
    var requirement: String

    init(_ name: String, range: ClosedRange<Int>, default defaultValue: Int? = nil, requirement: String, description: String) {
        var schema: JSONObject = ["type": "integer", "minimum": .integer(Int64(range.lowerBound))]
        if range.upperBound < Int.max { schema["maximum"] = .integer(Int64(range.upperBound)) }
        if let defaultValue { schema["default"] = .integer(Int64(defaultValue)) }
        self.spec = ParameterSpec(name: name, description: description, schema: .object(schema))
        self.range = range
        self.defaultValue = defaultValue
        self.requirement = requirement
    }

    func read(_ text: String) throws(ProblemDetails) -> Int {
        guard !text.isEmpty, text.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
              let value = Int(text), range.contains(value)
        else { throw .invalid(spec.name, must: requirement, got: text) }
        return value
    }
}

/// `minx,miny,maxx,maxy` in WGS84 degrees (a 6-number 3D box is accepted and its heights ignored,
/// as OGC API - Features allows).
struct BoundingBoxParameter: ParameterReading {
    var spec = ParameterSpec(
        name: "bbox",
        description: "Only features whose geometry intersects this box: minimum longitude, minimum latitude, "
            + "maximum longitude, maximum latitude, in WGS84 degrees (CRS84).",
        schema: ["type": "array", "minItems": 4, "maxItems": 6, "items": ["type": "number"]],
        isCommaList: true)

    func read(_ text: String) throws(ProblemDetails) -> BoundingBox {
        let requirement = "four comma-separated numbers minlon,minlat,maxlon,maxlat with -180 <= minlon < maxlon <= 180 "
            + "and -90 <= minlat < maxlat <= 90"
        let parts = text.split(separator: ",", omittingEmptySubsequences: false)
        var numbers: [Double] = []
        for part in parts {
            guard let number = NumberParameter.decimal(part) else { throw .invalid(spec.name, must: requirement, got: text) }
            numbers.append(number)
        }
        let box: BoundingBox
        switch numbers.count {
        case 4: box = BoundingBox(minX: numbers[0], minY: numbers[1], maxX: numbers[2], maxY: numbers[3])
        case 6 where numbers[2] <= numbers[5]:
            box = BoundingBox(minX: numbers[0], minY: numbers[1], maxX: numbers[3], maxY: numbers[4])
        default: throw .invalid(spec.name, must: requirement, got: text)
        }
        guard box.minX >= -180, box.maxX <= 180, box.minY >= -90, box.maxY <= 90, box.minX < box.maxX, box.minY < box.maxY else {
            throw .invalid(spec.name, must: requirement, got: text)
        }
        return box
    }
}

/// A comma-separated list of identifiers (layer ids, statuses, rule ids); order kept, repeats dropped.
struct IdentifierListParameter: ParameterReading {
    var spec: ParameterSpec
    var count: ClosedRange<Int>
    var requirement: String

    init(_ name: String, count: ClosedRange<Int> = 1...100, what: String, description: String) {
        self.spec = ParameterSpec(
            name: name, description: description,
            schema: ["type": "array", "minItems": .integer(Int64(count.lowerBound)), "maxItems": .integer(Int64(count.upperBound)),
                     "items": ["type": "string", "pattern": "^[A-Za-z0-9_.-]+$"]],
            isCommaList: true)
        self.count = count
        self.requirement = count.lowerBound == count.upperBound
            ? "\(count.lowerBound) comma-separated \(what)"
            : "\(count.lowerBound) to \(count.upperBound) comma-separated \(what)"
    }

    func read(_ text: String) throws(ProblemDetails) -> [String] {
        let items = text.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        guard count.contains(items.count), items.allSatisfy(Self.isIdentifier) else {
            throw .invalid(spec.name, must: requirement + " (letters, digits, '_', '-', '.')", got: text)
        }
        var seen = Set<String>()
        return items.filter { seen.insert($0).inserted || count.lowerBound > 1 }
    }

    static func isIdentifier(_ text: String) -> Bool {
        !text.isEmpty && text.count <= 100 && text.unicodeScalars.allSatisfy { scalar in
            scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || "_-.".unicodeScalars.contains(scalar))
        }
    }
}

/// One value out of a fixed set.
struct ChoiceParameter: ParameterReading {
    var spec: ParameterSpec
    var values: [String]

    init(_ name: String, values: [String], default defaultValue: String? = nil, description: String) {
        var schema: JSONObject = ["type": "string", "enum": .array(values.map { .string($0) })]
        if let defaultValue { schema["default"] = .string(defaultValue) }
        self.spec = ParameterSpec(name: name, description: description, schema: .object(schema))
        self.values = values
    }

    func read(_ text: String) throws(ProblemDetails) -> String {
        guard values.contains(text) else {
            throw .invalid(spec.name, must: "one of " + values.joined(separator: ", "), got: text)
        }
        return text
    }
}

/// `true` or `false`, spelled exactly so.
struct BooleanParameter: ParameterReading {
    var spec: ParameterSpec

    init(_ name: String, description: String) {
        spec = ParameterSpec(name: name, description: description, schema: ["type": "boolean", "default": false])
    }

    func read(_ text: String) throws(ProblemDetails) -> Bool {
        switch text {
        case "true": return true
        case "false": return false
        default: throw .invalid(spec.name, must: "true or false", got: text)
        }
    }
}

/// A coordinate reference system name that GeoEngine's `CRS(parsing:)` understands.
struct CRSParameter: ParameterReading {
    var spec = ParameterSpec(
        name: "crs",
        description: "Coordinate reference system of the output. EPSG:4326 (WGS84, default, RFC 7946), "
            + "EPSG:4550 (CGCS2000 3-degree Gauss-Kruger CM 123E, the zone Shenyang lies in), EPSG:4549 (CM 120E), "
            + "EPSG:4490 (CGCS2000 geographic), EPSG:32651, EPSG:3857, or GCJ-02 (the shifted system of Chinese web maps).",
        schema: ["type": "string", "default": "EPSG:4326", "enum": .array(CRS.allCases.map { .string($0.identifier) })])

    func read(_ text: String) throws(ProblemDetails) -> CRS {
        do {
            return try CRS(parsing: text)
        } catch {
            throw .invalid(spec.name, must: "one of " + CRS.allCases.map(\.identifier).joined(separator: ", "), got: text)
        }
    }
}

/// OGC API - Features `datetime`: an RFC 3339 instant or an interval `start/end` with `..` for an open end.
struct DateTimeParameter: ParameterReading {
    var spec = ParameterSpec(
        name: "datetime",
        description: "Temporal filter (RFC 3339 instant or interval, '..' for an open end). Accepted as OGC API - "
            + "Features core requires; planatlas features carry no time of their own, so every feature matches.",
        schema: ["type": "string"])

    func read(_ text: String) throws(ProblemDetails) -> String {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        let valid: Bool =
            switch parts.count {
            case 1: Self.isInstant(parts[0])
            case 2: (parts[0] == ".." || parts[0].isEmpty || Self.isInstant(parts[0]))
                && (parts[1] == ".." || parts[1].isEmpty || Self.isInstant(parts[1]))
                && !(Self.isOpen(parts[0]) && Self.isOpen(parts[1]))
            default: false
            }
        guard valid else {
            throw .invalid(spec.name, must: "an RFC 3339 date-time or an interval start/end ('..' for an open end)", got: text)
        }
        return text
    }

    private static func isOpen(_ part: Substring) -> Bool { part == ".." || part.isEmpty }

    /// `2021-05-01` or `2021-05-01T08:00:00Z` / `...+08:00`, with fractional seconds allowed.
    private static func isInstant(_ text: Substring) -> Bool {
        let chars = Array(text.utf8)
        func digits(_ range: Range<Int>) -> Bool {
            range.upperBound <= chars.count && chars[range].allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
        }
        guard chars.count >= 10, digits(0..<4), chars[4] == UInt8(ascii: "-"), digits(5..<7), chars[7] == UInt8(ascii: "-"),
              digits(8..<10)
        else { return false }
        if chars.count == 10 { return true }
        guard chars.count >= 20, chars[10] == UInt8(ascii: "T") || chars[10] == UInt8(ascii: "t"), digits(11..<13),
              chars[13] == UInt8(ascii: ":"), digits(14..<16), chars[16] == UInt8(ascii: ":"), digits(17..<19)
        else { return false }
        var index = 19
        if chars[index] == UInt8(ascii: ".") {
            index += 1
            let start = index
            while index < chars.count, chars[index] >= UInt8(ascii: "0"), chars[index] <= UInt8(ascii: "9") { index += 1 }
            guard index > start, index < chars.count else { return false }
        }
        let zone = chars[index...]
        if zone.count == 1 { return zone.first == UInt8(ascii: "Z") || zone.first == UInt8(ascii: "z") }
        return zone.count == 6 && (zone.first == UInt8(ascii: "+") || zone.first == UInt8(ascii: "-"))
            && digits(index + 1..<index + 3) && chars[index + 3] == UInt8(ascii: ":") && digits(index + 4..<index + 6)
    }
}

/// Every query parameter the service reads, defined once.
enum Parameters {
    static let format = ChoiceParameter("f", values: Representation.allCases.map(\.rawValue),
                                         description: "Response format (json or html); overrides the Accept header.")
    static let formatJSONOnly = ChoiceParameter("f", values: ["json"], description: "Response format; only json is offered.")

    static let bbox = BoundingBoxParameter()
    static let datetime = DateTimeParameter()
    static let defaultLimit = 10
    static let defaultNearLimit = 1000

    static let limit = IntegerParameter("limit", range: 1...10000, default: defaultLimit, requirement: "an integer between 1 and 10000",
                                        description: "Number of features per page (1 to 10000, default 10).")
    static let offset = IntegerParameter("offset", range: 0...Int(Int32.max), default: 0, requirement: "an integer of 0 or more",
                                         description: "Number of matching features to skip (paging; see the next and prev links).")

    static let lon = NumberParameter("lon", minimum: -180, maximum: 180, requirement: "a longitude between -180 and 180 degrees",
                                     description: "Longitude of the search point, WGS84 degrees.", required: true)
    static let lat = NumberParameter("lat", minimum: -90, maximum: 90, requirement: "a latitude between -90 and 90 degrees",
                                     description: "Latitude of the search point, WGS84 degrees.", required: true)
    // The ranges are Planning's own, so that the HTTP layer refuses exactly what the atlas would.
    static let radius = NumberParameter("radius", minimum: 0, exclusive: true, maximum: NearQuery.maximumRadius,
                                        requirement: "a number of metres between 0 and \(Int(NearQuery.maximumRadius))",
                                        description: "Search radius in metres (0 < radius <= \(Int(NearQuery.maximumRadius))). "
                                            + "Give radius or k, not both.")
    static let k = IntegerParameter("k", range: 1...NearQuery.maximumK, requirement: "an integer between 1 and \(NearQuery.maximumK)",
                                    description: "Number of nearest features to return (1 to \(NearQuery.maximumK)). "
                                        + "Give radius or k, not both.")
    static let nearLayers = IdentifierListParameter("layers", what: "layer ids",
                                                    description: "Only search these layers (comma-separated ids); default all.")
    static let status = IdentifierListParameter("status", count: 1...20, what: "status values",
                                                description: "Only features whose status is one of these (e.g. planned).")
    static let nearLimit = IntegerParameter("limit", range: 1...10000, default: defaultNearLimit, requirement: "an integer between 1 and 10000",
                                            description: "At most this many features (1 to 10000, default 1000).")

    static let layerPair = IdentifierListParameter("layers", count: 2...2, what: "layer ids A,B",
                                                   description: "The two layers to intersect, A,B (A may equal B). Give layers or rules.")
    static let candidateLayers = IdentifierListParameter("layers", what: "layer ids",
                                                         description: "Only check the candidate against these layers; default all.")
    static let buffer = NumberParameter("buffer", minimum: 0, maximum: OverlapQuery.maximumBuffer,
                                        requirement: "a number of metres between 0 and \(Int(OverlapQuery.maximumBuffer))",
                                        description: "Buffer in metres applied to both layers before intersecting (lines and "
                                            + "points need one to have area). Default 0.")
    static let rules = IdentifierListParameter("rules", what: "conflict rule ids, or all",
                                               description: "Run these conflict rules from the catalogue (/rules), or all of them.")

    static let crs = CRSParameter()
    static let style = BooleanParameter("style", description: "Add the layer's simplestyle properties to every feature.")
}
