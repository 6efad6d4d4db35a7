import Testing
@testable import GeoModel

// Known bytes come from shapely 2.2 / GEOS 3.14 (Tools/wkb-fixtures.py prints them), not from
// this codec.

private func c(_ x: Double, _ y: Double) -> Coordinate { Coordinate(x: x, y: y) }

private func bytes(_ hex: String) -> [UInt8] {
    var out: [UInt8] = []
    var index = hex.startIndex
    while index < hex.endIndex {
        let next = hex.index(index, offsetBy: 2)
        out.append(UInt8(hex[index..<next], radix: 16)!)
        index = next
    }
    return out
}

struct WKBCase: CustomTestStringConvertible, Sendable {
    let wkt: String
    let geometry: Geometry
    let little: [UInt8]
    let big: [UInt8]
    init(_ wkt: String, _ geometry: Geometry, little: String, big: String) {
        self.wkt = wkt
        self.geometry = geometry
        self.little = bytes(little)
        self.big = bytes(big)
    }
    var testDescription: String { wkt }
}

private let knownCases: [WKBCase] = [
        WKBCase("POINT (123.4 41.8)", .point(Point(x: 123.4, y: 41.8)),
                little: "01010000009A99999999D95E406666666666E64440",
                big: "0000000001405ED9999999999A4044E66666666666"),
        WKBCase("POINT Z (1 2 3)", .point(Point(Coordinate(x: 1, y: 2, z: 3))),
                little: "01E9030000000000000000F03F00000000000000400000000000000840",
                big: "00000003E93FF000000000000040000000000000004008000000000000"),
        WKBCase("POINT EMPTY", .point(.empty),
                little: "0101000000000000000000F87F000000000000F87F",
                big: "00000000017FF80000000000007FF8000000000000"),
        WKBCase("LINESTRING (0 0, 1 1, 2 0)", .lineString(LineString([c(0, 0), c(1, 1), c(2, 0)])),
                little: "01020000000300000000000000000000000000000000000000000000000000F03F000000000000F03F00000000000000400000000000000000",
                big: "000000000200000003000000000000000000000000000000003FF00000000000003FF000000000000040000000000000000000000000000000"),
        WKBCase("POLYGON ((0 0, 4 0, 4 4, 0 4, 0 0), (1 1, 2 1, 2 2, 1 1))", .polygon(Polygon(exterior: [c(0, 0), c(4, 0), c(4, 4), c(0, 4), c(0, 0)], holes: [[c(1, 1), c(2, 1), c(2, 2), c(1, 1)]])),
                little: "01030000000200000005000000000000000000000000000000000000000000000000001040000000000000000000000000000010400000000000001040000000000000000000000000000010400000000000000000000000000000000004000000000000000000F03F000000000000F03F0000000000000040000000000000F03F00000000000000400000000000000040000000000000F03F000000000000F03F",
                big: "000000000300000002000000050000000000000000000000000000000040100000000000000000000000000000401000000000000040100000000000000000000000000000401000000000000000000000000000000000000000000000000000043FF00000000000003FF000000000000040000000000000003FF0000000000000400000000000000040000000000000003FF00000000000003FF0000000000000"),
        WKBCase("MULTIPOINT ((1 2), (3 4))", .multiPoint(MultiPoint([c(1, 2), c(3, 4)])),
                little: "0104000000020000000101000000000000000000F03F0000000000000040010100000000000000000008400000000000001040",
                big: "00000000040000000200000000013FF00000000000004000000000000000000000000140080000000000004010000000000000"),
        WKBCase("MULTILINESTRING ((0 0, 1 1), (2 2, 3 3))", .multiLineString(MultiLineString([LineString([c(0, 0), c(1, 1)]), LineString([c(2, 2), c(3, 3)])])),
                little: "01050000000200000001020000000200000000000000000000000000000000000000000000000000F03F000000000000F03F0102000000020000000000000000000040000000000000004000000000000008400000000000000840",
                big: "000000000500000002000000000200000002000000000000000000000000000000003FF00000000000003FF00000000000000000000002000000024000000000000000400000000000000040080000000000004008000000000000"),
        WKBCase("MULTIPOLYGON (((0 0, 1 0, 1 1, 0 0)))", .multiPolygon(MultiPolygon([Polygon(exterior: [c(0, 0), c(1, 0), c(1, 1), c(0, 0)])])),
                little: "0106000000010000000103000000010000000400000000000000000000000000000000000000000000000000F03F0000000000000000000000000000F03F000000000000F03F00000000000000000000000000000000",
                big: "00000000060000000100000000030000000100000004000000000000000000000000000000003FF000000000000000000000000000003FF00000000000003FF000000000000000000000000000000000000000000000"),
        WKBCase("GEOMETRYCOLLECTION (POINT (1 2), LINESTRING (0 0, 1 1))", .geometryCollection(GeometryCollection([.point(Point(x: 1, y: 2)), .lineString(LineString([c(0, 0), c(1, 1)]))])),
                little: "0107000000020000000101000000000000000000F03F000000000000004001020000000200000000000000000000000000000000000000000000000000F03F000000000000F03F",
                big: "00000000070000000200000000013FF00000000000004000000000000000000000000200000002000000000000000000000000000000003FF00000000000003FF0000000000000"),
        WKBCase("GEOMETRYCOLLECTION EMPTY", .geometryCollection(.empty),
                little: "010700000000000000",
                big: "000000000700000000"),
        WKBCase("LINESTRING Z (0 0 5, 1 1 6)", .lineString(LineString([Coordinate(x: 0, y: 0, z: 5), Coordinate(x: 1, y: 1, z: 6)])),
                little: "01EA03000002000000000000000000000000000000000000000000000000001440000000000000F03F000000000000F03F0000000000001840",
                big: "00000003EA000000020000000000000000000000000000000040140000000000003FF00000000000003FF00000000000004018000000000000"),
]

@Suite struct WKBTests {
    @Test(arguments: knownCases)
    func writesTheSameBytesAsGEOS(_ known: WKBCase) {
        #expect(known.geometry.wkb(byteOrder: .littleEndian) == known.little)
        #expect(known.geometry.wkb(byteOrder: .bigEndian) == known.big)
    }

    @Test(arguments: knownCases)
    func readsGEOSBytesInBothByteOrders(_ known: WKBCase) throws {
        #expect(try Geometry(wkb: known.little) == known.geometry)
        #expect(try Geometry(wkb: known.big) == known.geometry)
    }

    @Test func everyEmptyFormRoundTrips() throws {
        let empties: [Geometry] = [
            .point(.empty), .lineString(.empty), .polygon(.empty), .multiPoint(.empty),
            .multiLineString(.empty), .multiPolygon(.empty), .geometryCollection(.empty),
            .geometryCollection(GeometryCollection([.point(.empty), .polygon(.empty)])),
        ]
        for geometry in empties {
            #expect(try Geometry(wkb: geometry.wkb()) == geometry)
            #expect(try Geometry(wkb: geometry.wkb(byteOrder: .bigEndian)) == geometry)
        }
    }

    @Test func aCoordinateWithoutZInsideAZGeometryComesBackWithoutZ() throws {
        let mixed = Geometry.lineString(LineString([Coordinate(x: 0, y: 0, z: 1), c(1, 1)]))
        let encoded = mixed.wkb()
        #expect(Array(encoded[1..<5]) == [0xEA, 0x03, 0, 0])  // 1002: LineString Z
        #expect(try Geometry(wkb: encoded) == mixed)
    }

    @Test func nestedCollectionsRoundTrip() throws {
        let nested = Geometry.geometryCollection(GeometryCollection([
            .geometryCollection(GeometryCollection([.point(Point(x: 1, y: 2)), .multiPoint(MultiPoint([c(3, 4)]))])),
            .multiPolygon(MultiPolygon([Polygon(exterior: [c(0, 0), c(1, 0), c(1, 1), c(0, 0)])])),
        ]))
        #expect(try Geometry(wkb: nested.wkb()) == nested)
    }

    @Test func membersMayUseTheirOwnByteOrder() throws {
        // MULTIPOINT, little endian, whose one member point is written big endian.
        let wkb = bytes("010400000001000000") + bytes("00000000013FF00000000000004000000000000000")
        #expect(try Geometry(wkb: wkb) == .multiPoint(MultiPoint([c(1, 2)])))
    }

    // MARK: Bad input

    @Test func emptyInputIsTruncated() {
        #expect(throws: WKBError.truncated(offset: 0, needed: 1, available: 0)) { try Geometry(wkb: []) }
    }

    @Test func everyTruncationOfAValidGeometryIsRefusedWithoutCrashing() {
        let full = knownCases[4].little  // the polygon with a hole
        for length in 0..<full.count {
            #expect(throws: WKBError.self) { try Geometry(wkb: Array(full[..<length])) }
        }
    }

    @Test func truncatedCoordinateNamesOffsetAndSizes() {
        let point = knownCases[0].little
        #expect(throws: WKBError.truncated(offset: 5, needed: 16, available: 10)) {
            try Geometry(wkb: Array(point[..<15]))
        }
    }

    @Test func byteOrderOtherThanZeroOrOneIsRefused() {
        #expect(throws: WKBError.invalidByteOrder(7, offset: 0)) { try Geometry(wkb: [7, 1, 0, 0, 0]) }
    }

    @Test func unknownTypeCodeIsRefused() {
        #expect(throws: WKBError.unknownGeometryType(8, offset: 1)) { try Geometry(wkb: bytes("0108000000")) }
        #expect(throws: WKBError.unknownGeometryType(0, offset: 1)) { try Geometry(wkb: bytes("0100000000")) }
    }

    @Test func ewkbFlagBitsAreRefusedAndSaidSo() {
        // PostGIS EWKB point with SRID flag (0x20000001).
        let error = #expect(throws: WKBError.self) { try Geometry(wkb: bytes("0101000020E6100000")) }
        #expect(error == .unknownGeometryType(0x2000_0001, offset: 1))
        #expect(error?.description.contains("EWKB") == true)
    }

    @Test func measuredGeometriesAreRefused() {
        // POINT M (2001) and POINT ZM (3001).
        #expect(throws: WKBError.unsupportedDimensions(2001, offset: 1)) { try Geometry(wkb: bytes("01D1070000")) }
        #expect(throws: WKBError.unsupportedDimensions(3001, offset: 1)) { try Geometry(wkb: bytes("01B90B0000")) }
    }

    @Test func trailingBytesAreRefused() {
        let wkb = knownCases[0].little + [0]
        #expect(throws: WKBError.trailingBytes(count: 1, offset: 21)) { try Geometry(wkb: wkb) }
    }

    @Test func aHugeCountIsRefusedBeforeAllocating() {
        // LINESTRING claiming 0xFFFFFFFF points with none following.
        #expect(throws: WKBError.countExceedsInput(count: 0xFFFF_FFFF, offset: 5, available: 0)) {
            try Geometry(wkb: bytes("0102000000FFFFFFFF"))
        }
    }

    @Test func deeplyNestedCollectionsAreRefusedNotRecursedWithoutBound() {
        // 10,000 nested GEOMETRYCOLLECTIONs, each holding the next.
        let level = bytes("010700000001000000")
        var wkb: [UInt8] = []
        for _ in 0..<10_000 { wkb += level }
        wkb += bytes("010700000000000000")
        #expect(throws: WKBError.nestingTooDeep(limit: Geometry.maximumWKBNesting, offset: 9 * Geometry.maximumWKBNesting)) {
            try Geometry(wkb: wkb)
        }
    }

    @Test func nestingUpToTheLimitIsRead() throws {
        var geometry = Geometry.point(Point(x: 1, y: 2))
        for _ in 0..<Geometry.maximumWKBNesting { geometry = .geometryCollection(GeometryCollection([geometry])) }
        #expect(try Geometry(wkb: geometry.wkb()) == geometry)
    }

    @Test func aMultiPointMemberThatIsNotAPointIsRefused() {
        // MULTIPOINT holding LINESTRING (0 0, 1 1).
        let line = Geometry.lineString(LineString([c(0, 0), c(1, 1)])).wkb()
        #expect(throws: WKBError.unexpectedMemberType(expected: .point, got: .lineString, offset: 9)) {
            try Geometry(wkb: bytes("010400000001000000") + line)
        }
    }

    @Test func aMultiPointHoldingPointEmptyIsRefused() {
        let wkb = bytes("010400000001000000") + bytes("0101000000000000000000F87F000000000000F87F")
        #expect(throws: WKBError.emptyPointInMultiPoint(offset: 9)) { try Geometry(wkb: wkb) }
    }

    @Test func aZMemberInATwoDimensionalCollectionIsRefused() {
        let wkb = bytes("010700000001000000") + bytes("01E9030000000000000000F03F00000000000000400000000000000840")
        #expect(throws: WKBError.mixedDimensions(offset: 9)) { try Geometry(wkb: wkb) }
    }

    @Test func errorMessagesNameTheOffset() {
        #expect(WKBError.truncated(offset: 5, needed: 16, available: 10).description
            == "WKB is truncated: 16 bytes needed at offset 5, 10 available")
    }
}
