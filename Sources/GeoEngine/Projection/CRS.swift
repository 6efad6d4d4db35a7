/// The coordinate reference systems planatlas reads and writes.
///
/// Axis order is always east then north, whatever the EPSG registry says: longitude/latitude for the
/// geographic systems (as RFC 7946 and web maps use them), easting/northing in metres for the projected ones.
/// PROJ's registry order (latitude first for EPSG:4326 and EPSG:4490, northing first for the Gauss-Kruger
/// systems) is normalised away when transforms are built, so a `Coordinate`'s `x` is always the east axis.
public enum CRS: Hashable, Sendable, CaseIterable, CustomStringConvertible {
    /// EPSG:4326, WGS 84 longitude/latitude in degrees: how planatlas stores and exchanges coordinates.
    case wgs84
    /// EPSG:4490, CGCS2000 longitude/latitude in degrees: China's national geodetic system.
    case cgcs2000
    /// EPSG:4549, CGCS2000 / 3-degree Gauss-Kruger CM 120E, metres. Its central meridian is 120°E, so at
    /// Shenyang (123.4°E) lengths are stretched by about 0.1% and areas by about 0.2%; measure in `.cgcs2000GK123E`.
    case cgcs2000GK120E
    /// EPSG:4550, CGCS2000 / 3-degree Gauss-Kruger CM 123E, metres: the zone Shenyang lies in (scale error
    /// below 2e-5 across the city). This is `CRS.metricFrame`.
    case cgcs2000GK123E
    /// EPSG:32651, WGS 84 / UTM zone 51N, metres.
    case utm51N
    /// EPSG:3857, WGS 84 / Pseudo-Mercator, metres: the tiling system of web maps. Not for measuring.
    case webMercator
    /// GCJ-02 longitude/latitude in degrees: the deliberately shifted system of web maps in China (Amap,
    /// Tencent). Not a PROJ CRS: planatlas converts it with its own code, through WGS 84.
    case gcj02

    /// The projected system in which planatlas measures lengths, buffers and areas in metres for Shenyang.
    public static let metricFrame: CRS = .cgcs2000GK123E

    /// The short name used on the command line and in files: "EPSG:4550", "GCJ-02".
    public var identifier: String {
        if let epsgCode { "EPSG:\(epsgCode)" } else { "GCJ-02" }
    }

    public var description: String { identifier }

    /// The EPSG code, or nil for GCJ-02, which has none.
    public var epsgCode: Int? {
        switch self {
        case .wgs84: 4326
        case .cgcs2000: 4490
        case .cgcs2000GK120E: 4549
        case .cgcs2000GK123E: 4550
        case .utm51N: 32651
        case .webMercator: 3857
        case .gcj02: nil
        }
    }

    /// The registry's name for the system.
    public var name: String {
        switch self {
        case .wgs84: "WGS 84"
        case .cgcs2000: "China Geodetic Coordinate System 2000"
        case .cgcs2000GK120E: "CGCS2000 / 3-degree Gauss-Kruger CM 120E"
        case .cgcs2000GK123E: "CGCS2000 / 3-degree Gauss-Kruger CM 123E"
        case .utm51N: "WGS 84 / UTM zone 51N"
        case .webMercator: "WGS 84 / Pseudo-Mercator"
        case .gcj02: "GCJ-02"
        }
    }

    /// True when coordinates are longitude/latitude in degrees, false when they are metres.
    public var isGeographic: Bool {
        switch self {
        case .wgs84, .cgcs2000, .gcj02: true
        case .cgcs2000GK120E, .cgcs2000GK123E, .utm51N, .webMercator: false
        }
    }

    /// Reads a CRS name as users and standards write it (case and surrounding spaces do not matter):
    /// `EPSG:4550`, `EPSG::4550`, `urn:ogc:def:crs:EPSG::4550`, `http://www.opengis.net/def/crs/EPSG/0/4550`,
    /// `CRS84`, `OGC:CRS84`, `urn:ogc:def:crs:OGC:1.3:CRS84`, `http://www.opengis.net/def/crs/OGC/1.3/CRS84`,
    /// `GCJ-02`, `GCJ02`. Anything else, including EPSG codes planatlas does not support, is an error.
    public init(parsing text: String) throws(ProjectionError) {
        let key = String(text.trimmingSpaces.lowercased())
        if ["gcj-02", "gcj02"].contains(key) {
            self = .gcj02
            return
        }
        let crs84Forms = ["crs84", "ogc:crs84", "urn:ogc:def:crs:ogc:1.3:crs84", "urn:ogc:def:crs:ogc::crs84",
                          "www.opengis.net/def/crs/ogc/1.3/crs84"]
        if crs84Forms.contains(String(Self.stripping(["http://", "https://"], from: key))) {
            self = .wgs84
            return
        }
        let codeText = Self.epsgCodeText(in: key)
        guard let codeText, let code = Int(codeText), let crs = CRS.allCases.first(where: { $0.epsgCode == code }) else {
            throw .unknownCRS(text)
        }
        self = crs
    }

    /// The digits after an EPSG prefix, or nil when `key` (lowercased) has none of the accepted prefixes.
    private static func epsgCodeText(in key: String) -> Substring? {
        let prefixes = ["epsg::", "epsg:", "urn:ogc:def:crs:epsg::", "www.opengis.net/def/crs/epsg/0/"]
        let withoutScheme = stripping(["http://", "https://"], from: key)
        for prefix in prefixes where withoutScheme.hasPrefix(prefix) {
            let digits = withoutScheme.dropFirst(prefix.count)
            return digits.allSatisfy(\.isASCIIDigit) && !digits.isEmpty ? digits : nil
        }
        return nil
    }

    private static func stripping(_ prefixes: [String], from text: String) -> Substring {
        for prefix in prefixes where text.hasPrefix(prefix) { return text.dropFirst(prefix.count) }
        return Substring(text)
    }

    /// What PROJ's `proj_create_crs_to_crs` accepts for this system; nil for GCJ-02, which PROJ does not know.
    var projDefinition: String? {
        epsgCode.map { "EPSG:\($0)" }
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}

extension String {
    fileprivate var trimmingSpaces: Substring {
        let start = firstIndex(where: { !$0.isWhitespace }) ?? endIndex
        let end = lastIndex(where: { !$0.isWhitespace }).map { index(after: $0) } ?? start
        return self[start..<end]
    }
}
