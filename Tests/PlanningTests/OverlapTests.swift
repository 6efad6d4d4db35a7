import FeatureStore
import Foundation
import GeoEngine
import GeoModel
import Planning
import Testing

/// "Where do planned zones collide?" Overlap means the interiors meet with positive area. Areas are
/// checked against PlanningKnownValues (pyproj geodesic areas and Shapely corridors).
@Suite struct OverlapTests {
    /// planatlas measures in EPSG:4550; near 123.41 E its area scale differs from the ellipsoid's by 3e-5.
    static let geodesicAreaTolerance = 1e-4
    /// Corridors are computed the same way by another GEOS and PROJ build: they agree to rounding.
    static let corridorTolerance = 1e-6

    // MARK: Positive area only

    @Test func polygonsThatOnlyShareAnEdgeOrACornerDoNotOverlap() async throws {
        try await withAtlas(Fixtures.all) { atlas in
            let across = try await atlas.overlaps(OverlapQuery(subject: .layers("parcels", "reserves")))
            #expect(!across.overlaps.contains { $0.featureB.id == .string("reserve-touching") }, "shares parcel A's west edge")
            #expect(!across.overlaps.contains { $0.featureB.id == .string("reserve-corner") }, "meets parcel B at one corner")
            let within = try await atlas.overlaps(OverlapQuery(subject: .layers("parcels", "parcels")))
            #expect(!within.overlaps.contains { Set([$0.featureA?.id, $0.featureB.id]) == [.string("parcel-a"), .string("parcel-b")] })
        }
    }

    @Test func aPolygonWhollyInsideAnotherOverlapsItWithAllOfItsArea() async throws {
        try await withAtlas(Fixtures.all) { atlas in
            let report = try await atlas.overlaps(OverlapQuery(subject: .layers("parcels", "reserves")))
            #expect(report.overlaps.map(\.pairKey) == ["parcels/parcel-a × reserves/reserve-inner"])
            let overlap = try #require(report.overlaps.first)
            let inner = try #require(PlanningKnownValues.boxAreas["reserve-inner"])
            let outer = try #require(PlanningKnownValues.boxAreas["parcel-a"])
            #expect(agrees(overlap.area.squareMetres, inner, metres: 0, relative: Self.geodesicAreaTolerance),
                    "\(overlap.area.squareMetres) m² vs geodesic \(inner) m²")
            #expect(abs(overlap.shareBPercent - 100) < 1e-9)
            #expect(agrees(overlap.shareAPercent, 100 * inner / outer, metres: 0, relative: Self.geodesicAreaTolerance))
        }
    }

    @Test func aLayerAgainstItselfGivesEachOverlappingPairOnce() async throws {
        try await withAtlas(Fixtures.all) { atlas in
            let report = try await atlas.overlaps(OverlapQuery(subject: .layers("parcels", "parcels")))
            let pairs = report.overlaps.map { "\($0.featureA!.id) \($0.featureB.id)" }
            #expect(pairs.sorted() == PlanningKnownValues.parcelPairs.keys.sorted())
            for overlap in report.overlaps {
                let expected = try #require(PlanningKnownValues.parcelPairs["\(overlap.featureA!.id) \(overlap.featureB.id)"])
                #expect(agrees(overlap.area.squareMetres, expected, metres: 0, relative: Self.geodesicAreaTolerance),
                        "\(overlap.pairKey): \(overlap.area.squareMetres) m² vs geodesic \(expected) m²")
            }
        }
    }

    @Test func theIntersectionIsReturnedInWGS84() async throws {
        try await withAtlas(Fixtures.all) { atlas in
            let report = try await atlas.overlaps(OverlapQuery(subject: .layers("parcels", "reserves")))
            let box = try #require(report.overlaps.first?.intersection.boundingBox)
            #expect(abs(box.minX - 123.401) < 1e-7 && abs(box.maxX - 123.402) < 1e-7)
            #expect(abs(box.minY - 41.801) < 1e-7 && abs(box.maxY - 41.802) < 1e-7)
        }
    }

    // MARK: Lines need a corridor

    @Test func aLineLayerWithoutABufferIsRefusedForHavingNoArea() async throws {
        try await withAtlas(Fixtures.all) { atlas in
            let error = await #expect(throws: PlanningError.self) {
                try await atlas.overlaps(OverlapQuery(subject: .layers("roads", "parcels")))
            }
            #expect(error == .needsBuffer(layer: "roads", geometryType: .lineString))
            #expect(error?.description.contains("corridor buffer") == true)
        }
    }

    @Test func aBufferedLineOverlapsAsACorridorAndThePolygonsAreNotBuffered() async throws {
        try await withAtlas(Fixtures.all) { atlas in
            let report = try await atlas.overlaps(OverlapQuery(subject: .layers("roads", "parcels"), bufferMetres: 25))
            #expect(report.overlaps.map(\.pairKey).sorted() ==
                    PlanningKnownValues.corridorParcelAreas.keys.sorted().map { "roads/road-east-west × parcels/\($0)" })
            for overlap in report.overlaps {
                let expected = try #require(PlanningKnownValues.corridorParcelAreas["\(overlap.featureB.id)"])
                #expect(agrees(overlap.area.squareMetres, expected, metres: 0, relative: Self.corridorTolerance),
                        "\(overlap.pairKey): \(overlap.area.squareMetres) m² vs \(expected) m²")
                #expect(agrees(overlap.shareAPercent, 100 * expected / PlanningKnownValues.corridorArea, metres: 0,
                               relative: Self.corridorTolerance))
                #expect(overlap.bufferA == 25)
                #expect(overlap.bufferB == 0, "a polygon layer has area already: the corridor buffer is for lines and points")
            }
        }
    }

    @Test(arguments: [-1.0, .nan, .infinity, 5000.5])
    func aBadBufferIsRefusedByName(_ buffer: Double) async throws {
        try await withAtlas(Fixtures.all) { atlas in
            let error = await #expect(throws: PlanningError.self) {
                try await atlas.overlaps(OverlapQuery(subject: .layers("roads", "parcels"), bufferMetres: buffer))
            }
            guard case .invalidParameter(let name, _)? = error else {
                Issue.record("expected invalidParameter(buffer), got \(String(describing: error))")
                return
            }
            #expect(name == "buffer")
        }
    }

    @Test func anUnknownLayerIsRefusedByName() async throws {
        try await withAtlas(Fixtures.all) { atlas in
            let error = await #expect(throws: PlanningError.self) {
                try await atlas.overlaps(OverlapQuery(subject: .layers("parcels", "no-such-layer")))
            }
            #expect(error == .unknownLayer("no-such-layer"))
        }
    }

    // MARK: A candidate geometry

    @Test func anInvalidCandidateIsReportedWithGEOSsReasonNeverSkipped() async throws {
        // A bow-tie: its two edges cross at (123.405, 41.805).
        let bowTie = Geometry.polygon(Polygon(exterior: [c(123.40, 41.80), c(123.41, 41.81), c(123.41, 41.80), c(123.40, 41.81), c(123.40, 41.80)]))
        try await withAtlas(Fixtures.all) { atlas in
            let error = await #expect(throws: PlanningError.self) {
                try await atlas.overlaps(OverlapQuery(subject: .candidate(bowTie, name: "bow-tie", layers: [])))
            }
            guard case .invalidGeometry(let what, let reason)? = error else {
                Issue.record("expected invalidGeometry, got \(String(describing: error))")
                return
            }
            #expect(what == "the candidate")
            #expect(reason.hasPrefix("Self-intersection"), "GEOS's reason names the fault: \(reason)")
            #expect(reason.contains("123.405") && reason.contains("41.805"), "and where it is: \(reason)")
        }
    }

    @Test(arguments: [Geometry.polygon(.empty), point(123.405, 41.805)])
    func aCandidateWithoutAreaIsRefused(_ candidate: Geometry) async throws {
        try await withAtlas(Fixtures.all) { atlas in
            let error = await #expect(throws: PlanningError.self) {
                try await atlas.overlaps(OverlapQuery(subject: .candidate(candidate, name: "c", layers: ["parcels"])))
            }
            guard case .invalidGeometry? = error else {
                Issue.record("expected invalidGeometry, got \(String(describing: error))")
                return
            }
        }
    }

    @Test func aCandidateIsCheckedAgainstEveryPolygonLayerAndLinesOnlyWithABuffer() async throws {
        // Parcel C's box exactly: inside A, overlapping D, and about 167 m south of the east-west road.
        let candidate = box(123.403, 41.803, 123.406, 41.806)
        try await withAtlas(Fixtures.all) { atlas in
            let plain = try await atlas.overlaps(OverlapQuery(subject: .candidate(candidate, name: "plan", layers: [])))
            #expect(plain.overlaps.map(\.pairKey).sorted() == [
                "candidate/candidate × parcels/parcel-a", "candidate/candidate × parcels/parcel-c", "candidate/candidate × parcels/parcel-d",
            ])
            let sameAsC = try #require(plain.overlaps.first { $0.featureB.id == .string("parcel-c") })
            #expect(abs(sameAsC.shareAPercent - 100) < 1e-9 && abs(sameAsC.shareBPercent - 100) < 1e-9)
            #expect(agrees(sameAsC.area.squareMetres, PlanningKnownValues.boxAreas["parcel-c"]!, metres: 0,
                           relative: Self.geodesicAreaTolerance))
            // A 200 m buffer reaches the road; the road gets the corridor too.
            let buffered = try await atlas.overlaps(OverlapQuery(subject: .candidate(candidate, name: "plan", layers: []), bufferMetres: 200))
            #expect(buffered.overlaps.contains { $0.pairKey == "candidate/candidate × roads/road-east-west" })
            // Naming a line layer without a buffer is an error, not a silent skip.
            await #expect(throws: PlanningError.needsBuffer(layer: "roads", geometryType: .lineString)) {
                try await atlas.overlaps(OverlapQuery(subject: .candidate(candidate, name: "plan", layers: ["roads"])))
            }
        }
    }

    // MARK: Conflict rules

    @Test func conflictRulesRunWithTheirOwnBuffersAndSeverity() async throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try Self.writeCatalogue(in: directory)
        let catalogue = try Catalogue.load(from: directory, stylesDirectory: directory)
        try await withAtlas(Fixtures.all, catalogue: catalogue) { atlas in
            let report = try await atlas.overlaps(OverlapQuery(subject: .rules([])))
            let corridor = report.overlaps.filter { $0.rule?.id == "road-corridor-x-parcel" }
            #expect(corridor.map(\.pairKey).sorted() ==
                    PlanningKnownValues.corridorParcelAreas.keys.sorted().map { "roads/road-east-west × parcels/\($0)" })
            #expect(corridor.allSatisfy { $0.rule?.severity == .high && $0.bufferA == 25 && $0.bufferB == 0 })
            for overlap in corridor {
                #expect(agrees(overlap.area.squareMetres, PlanningKnownValues.corridorParcelAreas["\(overlap.featureB.id)"]!,
                               metres: 0, relative: Self.corridorTolerance))
            }
            let reserves = report.overlaps.filter { $0.rule?.id == "reserve-x-parcel" }
            #expect(reserves.map(\.pairKey) == ["parcels/parcel-a × reserves/reserve-inner"])
            #expect(reserves.first?.rule?.severity == .low)
            #expect(report.overlaps.count == corridor.count + reserves.count)

            let one = try await atlas.overlaps(OverlapQuery(subject: .rules(["reserve-x-parcel"])))
            #expect(one.overlaps.map(\.pairKey) == ["parcels/parcel-a × reserves/reserve-inner"])
            let error = await #expect(throws: PlanningError.self) {
                try await atlas.overlaps(OverlapQuery(subject: .rules(["no-such-rule"])))
            }
            #expect(error?.description.contains("'no-such-rule'") == true)
        }
    }

    @Test func theBuiltInConflictRulesRunAndEveryFindingNamesItsRule() async throws {
        try await withGeoDataAtlas { atlas in
            let rules = try #require(atlas.catalogue?.rules)
            let report = try await atlas.overlaps(OverlapQuery(subject: .rules([])))
            #expect(!report.overlaps.isEmpty, "the plan's expressway and metro corridors cross its historic areas")
            for overlap in report.overlaps {
                let rule = try #require(overlap.rule)
                #expect(rules.contains(rule))
                #expect(rule.layers == [overlap.layerA, overlap.layerB])
                #expect(overlap.bufferA == rule.bufferMetres[overlap.layerA] ?? 0)
                #expect(overlap.bufferB == rule.bufferMetres[overlap.layerB] ?? 0)
                #expect(overlap.area.squareMetres > 0)
                #expect(overlap.shareAPercent > 0 && overlap.shareAPercent <= 100 + 1e-9)
                #expect(overlap.shareBPercent > 0 && overlap.shareBPercent <= 100 + 1e-9)
            }
        }
    }

    // MARK: Area units

    @Test func areasAreReportedInSquareMetresHectaresAndMu() {
        #expect(Area(squareMetres: 10_000).hectares == 1)
        #expect(abs(Area(squareMetres: 10_000.0 / 15).mu - 1) < 1e-12)
        // The plan's 棋盘山 forest restoration: 6742 mu = 4,494,666.67 m² = 449.47 ha.
        let qipanshan = Area(mu: 6742)
        #expect(abs(qipanshan.squareMetres - 4_494_666.666_666_667) < 1e-6)
        #expect(abs(qipanshan.hectares - 449.466_666_666_666_7) < 1e-9)
    }

    @Test func anOverlapsFeatureCarriesItsAreaInAllThreeUnits() async throws {
        try await withAtlas(Fixtures.all) { atlas in
            let overlap = try #require(try await atlas.overlaps(OverlapQuery(subject: .layers("parcels", "reserves"))).overlaps.first)
            let p = overlap.asFeature().properties
            let m2 = try #require(p["area_m2"]?.doubleValue)
            #expect(abs(m2 - overlap.area.squareMetres) <= 0.005)
            #expect(abs(try #require(p["area_ha"]?.doubleValue) - m2 / 10_000) <= 0.00005)
            #expect(abs(try #require(p["area_mu"]?.doubleValue) - m2 * 15 / 10_000) <= 0.0005)
            #expect(p["id_a"] == "parcel-a" && p["id_b"] == "reserve-inner")
            #expect(p["share_b_pct"]?.doubleValue == 100)
        }
    }

    /// A GeoData folder with the fixture layers and two rules.
    static func writeCatalogue(in directory: URL) throws {
        let layers = """
            {"layers": [
              {"id": "parcels", "title": {"zh": "地块", "en": "Parcels"}, "geometry_type": "Polygon"},
              {"id": "reserves", "title": {"zh": "保留地", "en": "Reserves"}, "geometry_type": "Polygon"},
              {"id": "roads", "title": {"zh": "道路", "en": "Roads"}, "geometry_type": "LineString"},
              {"id": "sites", "title": {"zh": "站点", "en": "Sites"}, "geometry_type": "Point"}
            ]}
            """
        let rules = """
            {"rules": [
              {"id": "road-corridor-x-parcel", "layers": ["roads", "parcels"], "buffer_m": {"roads": 25}, "severity": "high"},
              {"id": "reserve-x-parcel", "layers": ["parcels", "reserves"], "severity": "low"}
            ]}
            """
        try layers.write(to: directory.appending(path: "layers.json"), atomically: true, encoding: .utf8)
        try rules.write(to: directory.appending(path: "conflict-rules.json"), atomically: true, encoding: .utf8)
    }
}
