import Foundation
import GeoModel
import Testing

/// The planatlas command line as a user and a script see it: the built binary, run as a child
/// process on a fresh database, its output read back, and its files opened with GDAL.
/// Exit codes: 0 ok, 1 error, 2 usage.
@Suite struct CLITests {
    // MARK: Basics

    @Test func versionPrintsTheVersionAndExitsZero() throws {
        let result = try Workspace().planatlas("--version")
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines).wholeMatch(of: /\d+\.\d+\.\d+/) != nil, "\(result)")
    }

    @Test(arguments: [
        ["near", "--lon", "1"],
        ["near", "--lon", "123.4", "--lat", "41.8", "--radius", "100", "--k", "3"],
        ["near", "--lon", "123.4", "--lat", "41.8", "--radius", "100", "--bogus"],
        ["near", "--lon", "east", "--lat", "41.8", "--radius", "100"],
        ["overlaps"],
        ["overlaps", "--layers", "districts"],
        ["export"],
        ["export", "--layer", "districts", "--crs", "EPSG:9999"],
        ["import"],
        ["no-such-command"],
    ])
    func aUsageErrorExitsTwoAndSaysHowToUseTheCommand(_ arguments: [String]) throws {
        let workspace = try Workspace()
        let result = try run(Workspace.planatlas, arguments, in: workspace.directory, environment: workspace.environment)
        #expect(result.status == 2, "\(result)")
        #expect(result.stderr.contains("Error:"), "\(result)")
        #expect(result.stdout.isEmpty, "\(result)")
    }

    // MARK: serve's write token

    @Test(arguments: [(0o644, "is open to its group or others (mode 0644)"), (0o600, "is empty")])
    func serveRefusesABadTokenFileAsAUsageErrorWithoutShowingItsContents(mode: Int, reason: String) throws {
        let workspace = try Workspace()
        let secret = mode == 0o600 ? "" : "secret-token-4f2e\n"
        try workspace.write("token", secret)
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: workspace.url("token").path)
        for (arguments, environment) in [(["--token-file", "token"], [:]), ([], ["PLANATLAS_TOKEN_FILE": "token"])] {
            let result = try run(Workspace.planatlas, ["serve", "--port", "0"] + arguments, in: workspace.directory,
                                 environment: workspace.environment.merging(environment) { $1 })
            #expect(result.status == 2, "\(result)")
            #expect(result.stderr.contains("token file 'token' \(reason)"), "\(result)")
            #expect(secret.isEmpty || !result.stderr.contains(secret.dropLast()), "\(result)")
            #expect(!FileManager.default.fileExists(atPath: workspace.database.path), "refused before the store is opened")
        }
    }

    @Test func layersListsEveryLayerWithItsFeatureCount() throws {
        let result = try Workspace().planatlas("layers")
        #expect(result.status == 0, "\(result)")
        let counts = try geoDataCounts()
        for (layer, count) in counts {
            let row = try #require(result.lines.first { $0.hasPrefix(layer + " ") }, "no row for \(layer)\n\(result)")
            #expect(row.hasSuffix(" \(count)"), "\(layer) should have \(count) features: \(row)")
        }
    }

    // MARK: validate

    @Test func validatePassesTheBuiltInData() throws {
        let result = try Workspace().planatlas("validate", geoDataDirectory.path)
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout.hasSuffix("GeoData: ok\n"), "\(result)")
    }

    @Test func validateReportsABadFileWithTheLocationAndExitsOne() throws {
        let workspace = try Workspace()
        // features[1] crosses itself at (123.4008, 41.8016); its ring is counter-clockwise.
        try workspace.write("plan.geojson", """
            {"type": "FeatureCollection", "features": [
              {"type": "Feature", "id": "ok", "geometry": {"type": "Point", "coordinates": [123.4, 41.8]}, "properties": {}},
              {"type": "Feature", "id": "crossing", "geometry": {"type": "Polygon", "coordinates":
                [[[123.400, 41.800], [123.404, 41.800], [123.400, 41.802], [123.401, 41.802], [123.400, 41.800]]]}, "properties": {}}
            ]}
            """)
        let result = try workspace.planatlas("validate", "plan.geojson")
        #expect(result.status == 1, "\(result)")
        #expect(result.stdout == "plan.geojson: features[1].geometry: invalid geometry: Self-intersection[123.4008 41.8016]\n", "\(result)")
        #expect(result.stderr.contains("plan.geojson: 1 problem"), "\(result)")
    }

    @Test func validateReportsATruncatedFileWithTheLocationAndExitsOne() throws {
        let workspace = try Workspace()
        try workspace.write("cut.geojson", #"{"type": "FeatureCollection", "features": [{"type": "Feature", "geometry": null"#)
        let result = try workspace.planatlas("validate", "cut.geojson")
        #expect(result.status == 1, "\(result)")
        #expect(result.stdout.hasPrefix("cut.geojson: features[0]"), "\(result)")
        #expect(result.stdout.contains("truncated"), "\(result)")
    }

    @Test func validateOfAMissingPathExitsOneNamingIt() throws {
        let result = try Workspace().planatlas("validate", "nowhere.geojson")
        #expect(result.status == 1, "\(result)")
        #expect(result.stderr.contains("nowhere.geojson"), "\(result)")
    }

    // MARK: near

    @Test func nearTheMukdenPalaceListsItWithItsDistance() throws {
        let result = try Workspace().planatlas("near", "--lon", "123.4507", "--lat", "41.7962", "--radius", "1000")
        #expect(result.status == 0, "\(result)")
        let row = try #require(result.lines.first { $0.contains("heritage-mukden-palace") }, "\(result)")
        #expect(row.contains("沈阳故宫"), "\(row)")
        let distance = try #require(row.split(separator: " ").first.flatMap { Double($0) }, "a distance first: \(row)")
        #expect(distance >= 0 && distance <= 1000, "\(row)")
        #expect(result.lines.contains { $0.contains("historic-shengjing-imperial-city") }, "the imperial city around it")
        #expect(result.stderr.contains("features"), "a count on standard error: \(result)")
    }

    @Test func nearAsGeoJSONParsesAndPassesValidate() throws {
        let workspace = try Workspace()
        let result = try workspace.planatlas("near", "--lon", "123.4507", "--lat", "41.7962", "--radius", "1000", "--format", "geojson")
        #expect(result.status == 0, "\(result)")
        try workspace.write("near.geojson", result.stdout)
        let collection = try workspace.read("near.geojson")
        #expect(!collection.features.isEmpty)
        let distances = collection.features.compactMap { $0.properties["distance_m"]?.doubleValue }
        #expect(distances.count == collection.features.count, "every hit carries distance_m")
        #expect(distances == distances.sorted() && distances.allSatisfy { $0 <= 1000 })
        #expect(collection.features.contains { $0.id == .string("heritage-mukden-palace") && $0.properties["layer"] == "heritage-sites" })
        let validated = try workspace.planatlas("validate", "near.geojson")
        #expect(validated.status == 0, "\(validated)")
    }

    @Test func nearAsCSVHasAHeaderAndOneRowPerHit() throws {
        let workspace = try Workspace()
        let csv = try workspace.planatlas("near", "--lon", "123.4507", "--lat", "41.7962", "--k", "5", "--format", "csv")
        #expect(csv.status == 0, "\(csv)")
        #expect(csv.lines.first == "layer,id,name,name_en,status,distance_m")
        #expect(csv.lines.dropFirst().filter { !$0.isEmpty }.count == 5, "\(csv)")
    }

    @Test func nearAnswersABatchOfQueriesFromACSVFile() throws {
        let workspace = try Workspace()
        try workspace.write("schools.csv", "id,lon,lat\nschool-1,123.4507,41.7962\nschool-2,123.3942,41.7935\n\nschool-3,123.4340,41.8110\n")
        let result = try workspace.planatlas("near", "--queries", "schools.csv", "--radius", "500", "--format", "csv")
        #expect(result.status == 0, "\(result)")
        #expect(result.lines.first == "query_id,layer,id,name,name_en,status,distance_m")
        let ids = Set(result.lines.dropFirst().compactMap { $0.split(separator: ",").first.map(String.init) })
        #expect(ids == ["school-1", "school-2", "school-3"], "\(result)")
    }

    @Test func aBadLineInTheQueriesFileExitsOneNamingTheLine() throws {
        let workspace = try Workspace()
        try workspace.write("schools.csv", "id,lon,lat\nschool-1,123.4507,41.7962\nschool-2,east,41.79\n")
        let result = try workspace.planatlas("near", "--queries", "schools.csv", "--radius", "500")
        #expect(result.status == 1, "\(result)")
        #expect(result.stderr.contains("schools.csv:3:"), "\(result)")
        #expect(result.stderr.contains("school-2,east,41.79"), "\(result)")
        #expect(result.stdout.isEmpty, "nothing answered when the input is bad")
    }

    @Test(arguments: [(["--lon", "200", "--lat", "41.8", "--radius", "100"], "lon: "),
                      (["--lon", "123.4", "--lat", "41.8", "--radius", "60000"], "radius: "),
                      (["--lon", "123.4", "--lat", "41.8", "--k", "0"], "k: "),
                      (["--lon", "123.4", "--lat", "41.8", "--k", "3", "--layer", "no-such-layer"], "'no-such-layer'")])
    func aBadNearQueryExitsOneNamingTheValue(_ arguments: [String], _ named: String) throws {
        let workspace = try Workspace()
        let result = try run(Workspace.planatlas, ["near"] + arguments, in: workspace.directory, environment: workspace.environment)
        #expect(result.status == 1, "\(result)")
        #expect(result.stderr.contains(named), "\(result)")
    }

    // MARK: overlaps

    @Test func overlapsWithTheRulesPrintsTheConflictReport() throws {
        let result = try Workspace().planatlas("overlaps", "--rules")
        #expect(result.status == 0, "\(result)")
        #expect(result.lines.first?.hasPrefix("rule ") == true, "\(result)")
        #expect(result.stdout.contains("expressway-corridor-x-historic-district"), "\(result)")
        let summary = try #require(result.lines.last { !$0.isEmpty })
        #expect(summary.wholeMatch(of: /\d+ overlapping pairs?, \d+ m² = [\d.]+ ha = [\d.]+ mu in all/) != nil, "\(summary)")
    }

    @Test func overlapsOfALineLayerWithoutABufferExitsOneAskingForOne() throws {
        let result = try Workspace().planatlas("overlaps", "--layers", "expressways,historic-districts")
        #expect(result.status == 1, "\(result)")
        #expect(result.stderr.contains("'expressways'") && result.stderr.contains("corridor buffer"), "\(result)")
    }

    @Test func overlapsAsCSVAndGeoJSON() throws {
        let workspace = try Workspace()
        let csv = try workspace.planatlas("overlaps", "--layers", "expressways,historic-districts", "--buffer", "50", "--format", "csv")
        #expect(csv.status == 0, "\(csv)")
        #expect(csv.lines.first == "rule,severity,layer_a,id_a,name_a,layer_b,id_b,name_b,area_m2,area_ha,area_mu,share_a_pct,share_b_pct")
        let geojson = try workspace.planatlas("overlaps", "--layers", "expressways,historic-districts", "--buffer", "50", "--format", "geojson")
        #expect(geojson.status == 0, "\(geojson)")
        try workspace.write("overlaps.geojson", geojson.stdout)
        let collection = try workspace.read("overlaps.geojson")
        #expect(collection.features.count == csv.lines.dropFirst().filter { !$0.isEmpty }.count)
        #expect(try workspace.planatlas("validate", "overlaps.geojson").status == 0)
    }

    // MARK: export

    @Test func anExportedLayerOpensInGDALWithTheSameFeatureCount() throws {
        let workspace = try Workspace()
        let result = try workspace.planatlas("export", "--layer", "metro-lines", "--output", "metro.geojson")
        #expect(result.status == 0, "\(result)")
        let expected = try #require(try geoDataCounts()["metro-lines"])
        let info = try workspace.tool("ogrinfo", "-ro", "-so", "-al", "metro.geojson")
        #expect(info.status == 0, "\(info)")
        #expect(info.stdout.contains("Geometry: Line String"), "\(info)")
        #expect(info.stdout.contains("Feature Count: \(expected)\n"), "\(info)")
        #expect(try workspace.planatlas("validate", "metro.geojson").status == 0)
    }

    @Test func exportingInGCJ02ShiftsEveryPointByRoughlyFiveHundredMetres() throws {
        let workspace = try Workspace()
        #expect(try workspace.planatlas("export", "--layer", "heritage-sites", "--output", "wgs84.geojson").status == 0)
        #expect(try workspace.planatlas("export", "--layer", "heritage-sites", "--crs", "GCJ-02", "--output", "gcj02.geojson").status == 0)
        let wgs84 = try workspace.read("wgs84.geojson").features
        let gcj02 = try workspace.read("gcj02.geojson").features
        #expect(wgs84.count == gcj02.count && !wgs84.isEmpty)
        for (a, b) in zip(wgs84, gcj02) {
            #expect(a.id == b.id)
            let p = try #require(firstCoordinate(a.geometry)), q = try #require(firstCoordinate(b.geometry))
            // Locally flat metres are plenty to tell 500 m from 0 or 5 km.
            let east = (q.lon - p.lon) * 111_320 * cos(p.lat * .pi / 180), north = (q.lat - p.lat) * 110_574
            let shift = (east * east + north * north).squareRoot()
            #expect(shift > 300 && shift < 700, "\(a.id.map { "\($0)" } ?? "?") moved \(shift) m")
        }
    }

    @Test func exportingInEPSG4550GivesTheMetresGDALComputes() throws {
        let workspace = try Workspace()
        #expect(try workspace.planatlas("export", "--layer", "metro-stations", "--output", "wgs84.geojson").status == 0)
        #expect(try workspace.planatlas("export", "--layer", "metro-stations", "--crs", "EPSG:4550", "--output", "ours.geojson").status == 0)
        let gdal = try workspace.tool("ogr2ogr", "-f", "GeoJSON", "gdal.geojson", "wgs84.geojson", "-t_srs", "EPSG:4550")
        #expect(gdal.status == 0, "\(gdal)")
        let ours = try workspace.read("ours.geojson", projected: true).features
        let theirs = try workspace.read("gdal.geojson", projected: true).features
        #expect(ours.count == theirs.count && ours.count > 100)
        for (a, b) in zip(ours, theirs) {
            let p = try #require(firstCoordinate(a.geometry)), q = try #require(firstCoordinate(b.geometry))
            // Gauss-Kruger CM 123E, false easting 500 km: Shenyang lies within 100 km of the meridian.
            #expect(p.x > 400_000 && p.x < 600_000 && p.y > 4_500_000 && p.y < 4_800_000, "\(p)")
            #expect(abs(p.x - q.x) < 0.001 && abs(p.y - q.y) < 0.001, "ours \(p), GDAL \(q)")
        }
        let info = try workspace.tool("ogrinfo", "-ro", "-so", "-al", "ours.geojson")
        #expect(info.stdout.contains("CGCS2000 / 3-degree Gauss-Kruger CM 123E"), "\(info)")
    }

    @Test func exportingAllLayersWritesOneFilePerLayer() throws {
        let workspace = try Workspace()
        let result = try workspace.planatlas("export", "--all", "--output", "out")
        #expect(result.status == 0, "\(result)")
        let counts = try geoDataCounts()
        let files = try FileManager.default.contentsOfDirectory(atPath: workspace.url("out").path)
        #expect(Set(files) == Set(counts.keys.map { "\($0).geojson" }))
        for (layer, count) in counts {
            #expect(try workspace.read("out/\(layer).geojson").features.count == count, "\(layer)")
        }
        let validated = try workspace.planatlas("validate", "out/districts.geojson")
        #expect(validated.status == 0, "\(validated)")
    }

    // MARK: import

    @Test func anImportWithOneBadFeatureImportsNothingAndNamesIt() throws {
        let workspace = try Workspace()
        try workspace.write("districts.geojson", """
            {"type": "FeatureCollection", "features": [
              {"type": "Feature", "id": "new-a", "geometry": {"type": "Polygon", "coordinates":
                [[[123.40, 41.80], [123.41, 41.80], [123.41, 41.81], [123.40, 41.80]]]}, "properties": {"name": "A"}},
              {"type": "Feature", "id": "new-b", "geometry": {"type": "Polygon", "coordinates":
                [[[123.42, 41.80], [123.43, 41.80], [123.43, 41.81], [123.42, 41.80]]]}, "properties": {"name": "B"}},
              {"type": "Feature", "id": "new-crossing", "geometry": {"type": "Polygon", "coordinates":
                [[[123.400, 41.800], [123.404, 41.800], [123.400, 41.802], [123.401, 41.802], [123.400, 41.800]]]}, "properties": {}}
            ]}
            """)
        let before = try workspace.planatlas("layers")
        let result = try workspace.planatlas("import", "districts.geojson", "--layer", "business-districts")
        #expect(result.status == 1, "\(result)")
        #expect(result.stderr.contains("features[2]"), "\(result)")
        #expect(result.stderr.contains("'new-crossing'") && result.stderr.contains("Self-intersection"), "\(result)")
        let after = try workspace.planatlas("layers")
        #expect(after.stdout == before.stdout, "the layer counts did not change")
    }

    @Test func anImportedFeatureWithoutAnIdIsRefusedByPosition() throws {
        let workspace = try Workspace()
        try workspace.write("sites.geojson", """
            {"type": "FeatureCollection", "features": [
              {"type": "Feature", "id": "s1", "geometry": {"type": "Point", "coordinates": [123.4, 41.8]}, "properties": {}},
              {"type": "Feature", "geometry": {"type": "Point", "coordinates": [123.5, 41.8]}, "properties": {}}
            ]}
            """)
        let result = try workspace.planatlas("import", "sites.geojson", "--layer", "heritage-sites")
        #expect(result.status == 1, "\(result)")
        #expect(result.stderr.contains("features[1].id"), "\(result)")
    }

    /// A line of `positions` vertices heading east from 123.40, 41.80.
    static func line(_ id: String, positions: Int) -> String {
        let coordinates = (0..<positions).map { "[\(123.40 + Double($0) * 1e-5),\(41.80 + Double($0 % 2) * 1e-5)]" }
        return #"{"type":"Feature","id":"\#(id)","geometry":{"type":"LineString","coordinates":[\#(coordinates.joined(separator: ","))]},"properties":{}}"#
    }

    @Test func anImportedGeometryOverTheVertexLimitIsRefusedByPositionAndNothingIsImported() throws {
        let workspace = try Workspace()
        try workspace.write("lines.geojson", #"{"type":"FeatureCollection","features":["#
                            + Self.line("fits", positions: 30) + "," + Self.line("too-long", positions: 31) + "]}")
        let before = try workspace.planatlas("layers")
        let result = try workspace.planatlas("import", "lines.geojson", "--layer", "metro-lines", "--max-vertices", "30")
        #expect(result.status == 1, "\(result)")
        #expect(result.stderr.contains("features[1].geometry: the geometry has 31 vertices, more than the limit of 30 (--max-vertices)"),
                "\(result)")
        #expect(try workspace.planatlas("layers").stdout == before.stdout, "the layer counts did not change")
        let fits = try workspace.planatlas("import", "lines.geojson", "--layer", "metro-lines", "--max-vertices", "31")
        #expect(fits.status == 0 && fits.stdout == "metro-lines: 2 inserted\n", "\(fits)")
    }

    @Test(arguments: ["0", "-5", "many"])
    func aVertexLimitThatIsNotAPositiveNumberIsAUsageError(_ value: String) throws {
        let workspace = try Workspace()
        try workspace.write("lines.geojson", #"{"type":"FeatureCollection","features":["# + Self.line("a", positions: 2) + "]}")
        let result = try workspace.planatlas("import", "lines.geojson", "--layer", "metro-lines", "--max-vertices=\(value)")
        #expect(result.status == 2, "\(result)")
        #expect(result.stderr.contains("--max-vertices") && result.stderr.contains(value), "\(result)")
    }

    @Test func importWithCreateMakesANewLayerThatNearThenSearches() throws {
        let workspace = try Workspace()
        try workspace.write("schools.geojson", """
            {"type": "FeatureCollection", "features": [
              {"type": "Feature", "id": "school-1", "geometry": {"type": "Point", "coordinates": [123.4510, 41.7965]}, "properties": {"name": "一中"}},
              {"type": "Feature", "id": "school-2", "geometry": {"type": "Point", "coordinates": [123.3942, 41.7935]}, "properties": {"name": "二中"}}
            ]}
            """)
        let refused = try workspace.planatlas("import", "schools.geojson", "--layer", "schools")
        #expect(refused.status == 1 && refused.stderr.contains("--create"), "\(refused)")
        let created = try workspace.planatlas("import", "schools.geojson", "--layer", "schools", "--create")
        #expect(created.status == 0, "\(created)")
        #expect(created.stdout == "schools: 2 inserted\n", "\(created)")
        let layers = try workspace.planatlas("layers")
        let row = try #require(layers.lines.first { $0.hasPrefix("schools ") }, "\(layers)")
        #expect(row.contains("Point") && row.hasSuffix(" 2"), "\(row)")
        let near = try workspace.planatlas("near", "--lon", "123.4507", "--lat", "41.7962", "--k", "1", "--layer", "schools", "--format", "csv")
        #expect(near.lines.dropFirst().first?.hasPrefix("schools,school-1,一中,") == true, "\(near)")
    }

    @Test func importWithCreateMakesALayerForAnyGeometryWhenTheFileMixesTypes() throws {
        let workspace = try Workspace()
        try workspace.write("works.geojson", """
            {"type": "FeatureCollection", "features": [
              {"type": "Feature", "id": "w1", "geometry": {"type": "Point", "coordinates": [123.40, 41.80]}, "properties": {}},
              {"type": "Feature", "id": "w2", "geometry": {"type": "LineString", "coordinates": [[123.40, 41.80], [123.41, 41.81]]}, "properties": {}},
              {"type": "Feature", "id": "w3", "geometry": {"type": "Polygon", "coordinates": [[[123.40, 41.80], [123.41, 41.80], [123.41, 41.81], [123.40, 41.80]]]}, "properties": {}}
            ]}
            """)
        let created = try workspace.planatlas("import", "works.geojson", "--layer", "works", "--create")
        #expect(created.status == 0, "\(created)")
        #expect(created.stdout == "works: 3 inserted\n", "\(created)")
        let near = try workspace.planatlas("near", "--lon", "123.40", "--lat", "41.80", "--k", "3", "--layer", "works", "--format", "csv")
        let ids = near.lines.dropFirst().filter { !$0.isEmpty }.map { $0.split(separator: ",")[1] }
        #expect(ids == ["w1", "w2", "w3"], "\(near)")
    }
}
