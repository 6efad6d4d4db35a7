import Testing
import GeoEngine
import GeoModel

@Suite struct GEOSValidityTests {
    static let bowtie = Geometry.polygon(Polygon(exterior: ring((0, 0), (2, 2), (2, 0), (0, 2), (0, 0))))
    static let square = Geometry.polygon(Polygon(exterior: ring((0, 0), (4, 0), (4, 4), (0, 4), (0, 0))))

    @Test func aSimpleSquareIsValidWithNoReason() throws {
        #expect(try Self.square.isValid())
        #expect(try Self.square.validityReason() == nil)
    }

    @Test func emptyGeometriesAreValid() throws {
        #expect(try Geometry.polygon(.empty).isValid())
        #expect(try Geometry.geometryCollection(.empty).validityReason() == nil)
    }

    @Test func aBowTieIsInvalidBecauseItIntersectsItself() throws {
        #expect(try Self.bowtie.isValid() == false)
        #expect(try Self.bowtie.validityReason() == Shapely.bowtieReason)
    }

    @Test func aHoleOutsideItsShellIsInvalid() throws {
        let polygon = Geometry.polygon(Polygon(
            exterior: ring((0, 0), (10, 0), (10, 10), (0, 10), (0, 0)),
            holes: [ring((20, 20), (21, 20), (21, 21), (20, 21), (20, 20))]))
        #expect(try polygon.isValid() == false)
        #expect(try polygon.validityReason() == Shapely.holeOutsideReason)
    }

    @Test func nanAndInfiniteCoordinatesAreInvalid() throws {
        let nan = Geometry.polygon(Polygon(exterior: ring((0, 0), (.nan, 0), (1, 1), (0, 1), (0, 0))))
        let infinite = Geometry.polygon(Polygon(exterior: ring((0, 0), (.infinity, 0), (1, 1), (0, 1), (0, 0))))
        #expect(try nan.validityReason() == Shapely.nanReason)
        #expect(try infinite.validityReason() == Shapely.infinityReason)
    }

    /// GEOS refuses to build such rings at all; validity reports that instead of throwing,
    /// naming the ring in GeoJSON coordinate terms.
    @Test func aRingThatIsNotClosedIsInvalidAndNamed() throws {
        let open = Geometry.polygon(Polygon(
            exterior: ring((0, 0), (10, 0), (10, 10), (0, 10), (0, 0)),
            holes: [ring((2, 2), (2, 4), (4, 4), (4, 2))]))
        #expect(try open.isValid() == false)
        let reason = try #require(try open.validityReason())
        #expect(reason.hasPrefix("coordinates[1]: "))
        #expect(reason.contains("do not form a closed linestring"))
    }

    @Test func aTwoPointRingIsInvalid() throws {
        let polygon = Geometry.polygon(Polygon(exterior: ring((0, 0), (1, 1))))
        #expect(try polygon.isValid() == false)
        #expect(try polygon.validityReason()?.hasPrefix("coordinates[0]: ") == true)
    }

    @Test func aClosedRingOfThreePointsIsInvalidAsTooFewPoints() throws {
        let polygon = Geometry.polygon(Polygon(exterior: ring((0, 0), (1, 0), (0, 0))))
        #expect(try polygon.validityReason()?.hasPrefix("Too few points") == true)
    }

    @Test func makeValidSplitsABowTieIntoTwoTriangles() throws {
        let fixed = try Self.bowtie.makeValid()
        guard case .multiPolygon(let multi) = fixed else {
            Issue.record("expected a \(Shapely.bowtieMadeValidType), got \(fixed.type)")
            return
        }
        #expect(fixed.type.rawValue == Shapely.bowtieMadeValidType)
        #expect(multi.polygons.count == Shapely.bowtieMadeValidParts)
        #expect(try fixed.isValid())
        #expect(isClose(try fixed.area(), Shapely.bowtieMadeValidArea))
    }

    @Test func makeValidKeepsAValidPolygon() throws {
        #expect(try Self.square.makeValid().equals(Self.square))
    }

    @Test func makeValidCannotRepairWhatGEOSCannotBuild() {
        let open = Geometry.polygon(Polygon(exterior: ring((0, 0), (10, 0), (10, 10), (0, 10))))
        #expect(throws: GeometryError.self) { try open.makeValid() }
    }
}
