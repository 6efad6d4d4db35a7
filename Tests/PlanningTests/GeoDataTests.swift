import Foundation
import GeoModel
import Planning
import Testing

/// The built-in data (issue 3): it passes its own validator, it holds what the plan names, and the
/// validator really catches the mistakes it is there for.
@Suite struct GeoDataTests {
    @Test func theBuiltInDataHasNoProblems() {
        let problems = GeoDataValidator.validateDirectory(geoDataDirectory)
        #expect(problems.isEmpty, "\(problems.map(\.description).joined(separator: "\n"))")
    }

    @Test(arguments: [
        ("metro-lines", ["metro-line-1-east-extension", "metro-line-2-south-extension", "metro-line-3", "metro-line-4", "metro-line-6"]),
        ("expressways", ["expressway-yuanjiang-street", "expressway-northwest-connector", "expressway-masong-road-phase-2",
                         "expressway-shenkang-extension"]),
        ("historic-districts", ["historic-shengjing-imperial-city", "historic-zhongshan-road-block", "historic-bajing-street-area"]),
        ("afforestation-zones", ["afforestation-northwest-windbreak-belt", "afforestation-qipanshan-forest-restoration"]),
    ])
    func theItemsThePlanNamesExistByID(_ layer: String, _ ids: [String]) throws {
        let features = try #require(try geoDataFeatures().first { $0.layer.id == layer }?.features, "no layer \(layer)")
        let present = Set(features.compactMap { $0.id?.description })
        for id in ids {
            #expect(present.contains(id), "\(layer) has no feature '\(id)'")
        }
    }

    @Test func theElevenMarketsToRelocateAreElevenFeatures() throws {
        let markets = try #require(try geoDataFeatures().first { $0.layer.id == "market-relocations" })
        #expect(markets.features.count == 11)
        #expect(Set(markets.features.compactMap(\.id)).count == 11)
    }

    @Test func theQipanshanRestorationCarriesThePlansTarget() throws {
        let zones = try #require(try geoDataFeatures().first { $0.layer.id == "afforestation-zones" })
        let qipanshan = try #require(zones.features.first { $0.id == .string("afforestation-qipanshan-forest-restoration") })
        #expect(qipanshan.properties["target"] == ["value": 6742, "unit": "亩"])
    }

    // MARK: Planted problems

    @Test(arguments: PlantedProblem.allCases)
    func theValidatorFindsAPlantedProblemAndOnlyThat(_ planted: PlantedProblem) throws {
        let copy = try GeoDataCopy()
        defer { copy.remove() }
        try planted.plant(in: copy)
        let problems = GeoDataValidator.validateDirectory(copy.data)
        let expected = try planted.expected(in: copy)
        #expect(problems.count == 1, "\(problems.map(\.description))")
        let problem = try #require(problems.first)
        #expect(problem.file == expected.file)
        #expect(problem.location == expected.location)
        #expect(problem.message.contains(expected.fragment), "\(problem)")
    }
}

/// One mistake of the kind hand-made data has, planted in a copy of GeoData.
enum PlantedProblem: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case missingProperty, duplicateID, clockwiseRing, selfIntersectingPolygon, coordinateOutsideTheCity,
         tooManyDecimals, unknownStatus, layerFileMissing, styleMissing, ruleNamingAnUnknownLayer, unlistedLayerFile

    var testDescription: String { rawValue }

    func plant(in copy: GeoDataCopy) throws {
        switch self {
        case .missingProperty:
            try copy.editFeatures(in: "heritage-sites.geojson") { $0[0].properties.removeValue(forKey: "accuracy_m") }
        case .duplicateID:
            try copy.editFeatures(in: "metro-stations.geojson") { features in
                features[1].id = features[0].id
                features[1].properties["id"] = features[0].properties["id"]
            }
        case .clockwiseRing:
            try copy.editFeatures(in: "historic-districts.geojson") { features in
                guard case .polygon(var polygon)? = features[0].geometry else { return }
                polygon.exterior.reverse()
                features[0].geometry = .polygon(polygon)
            }
        case .selfIntersectingPolygon:
            // A counter-clockwise ring whose last edge crosses its second at (123.4008, 41.8016).
            let crossing = Polygon(exterior: [c(123.400, 41.800), c(123.404, 41.800), c(123.400, 41.802), c(123.401, 41.802), c(123.400, 41.800)])
            try copy.editFeatures(in: "business-districts.geojson") { $0[0].geometry = .polygon(crossing) }
        case .coordinateOutsideTheCity:
            try copy.editFeatures(in: "market-relocations.geojson") { $0[2].geometry = point(125.0, 41.8) }
        case .tooManyDecimals:
            try copy.editFeatures(in: "landfills.geojson", precision: 9) { $0[1].geometry = point(123.123456789, 41.8) }
        case .unknownStatus:
            try copy.editFeatures(in: "flood-points.geojson") { $0[0].properties["status"] = "finished" }
        case .layerFileMissing:
            try FileManager.default.removeItem(at: copy.data.appending(path: "level-crossings.geojson"))
        case .styleMissing:
            try FileManager.default.removeItem(at: copy.styles.appending(path: "landfills.json"))
        case .ruleNamingAnUnknownLayer:
            let url = copy.data.appending(path: "conflict-rules.json")
            var root = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
            var rules = try #require(root["rules"] as? [[String: Any]])
            var layers = try #require(rules[0]["layers"] as? [String])
            layers[1] = "no-such-layer"
            rules[0]["layers"] = layers
            root["rules"] = rules
            try JSONSerialization.data(withJSONObject: root).write(to: url)
        case .unlistedLayerFile:
            try FileManager.default.copyItem(at: copy.data.appending(path: "landfills.geojson"),
                                             to: copy.data.appending(path: "landfills-old.geojson"))
        }
    }

    /// The file, the exact location and a fragment of the message the validator must report.
    func expected(in copy: GeoDataCopy) throws -> (file: String, location: String, fragment: String) {
        switch self {
        case .missingProperty: ("heritage-sites.geojson", "features[0].properties", "missing required property 'accuracy_m'")
        case .duplicateID: ("metro-stations.geojson", "features[1].id", "is also used in metro-stations.geojson")
        case .clockwiseRing: ("historic-districts.geojson", "features[0].geometry.coordinates[0]", "exterior ring is clockwise")
        case .selfIntersectingPolygon:
            ("business-districts.geojson", "features[0].geometry", "invalid geometry: Self-intersection[123.4008 41.8016]")
        case .coordinateOutsideTheCity: ("market-relocations.geojson", "features[2].geometry", "(125.0, 41.8) lies outside the municipality")
        case .tooManyDecimals: ("landfills.geojson", "features[1].geometry", "more than 7 decimals")
        case .unknownStatus: ("flood-points.geojson", "features[0].properties.status", "'finished' is not one of")
        case .layerFileMissing: ("level-crossings.geojson", "", "cannot be read")
        case .styleMissing:
            ("layers.json", "layers[\(try copy.layerPosition("landfills"))].style", "no style 'landfills.json'")
        case .ruleNamingAnUnknownLayer: ("conflict-rules.json", "rules[0].layers", "names unknown layer 'no-such-layer'")
        case .unlistedLayerFile: ("landfills-old.geojson", "", "not listed in layers.json")
        }
    }
}

/// GeoData and Styles copied side by side into a temporary directory.
struct GeoDataCopy {
    let root: URL
    var data: URL { root.appending(path: "GeoData", directoryHint: .isDirectory) }
    var styles: URL { root.appending(path: "Styles", directoryHint: .isDirectory) }

    init() throws {
        root = try temporaryDirectory()
        try FileManager.default.copyItem(at: geoDataDirectory, to: data)
        try FileManager.default.copyItem(at: stylesDirectory, to: styles)
    }

    func remove() { try? FileManager.default.removeItem(at: root) }

    /// Rewrites a layer file after `edit`, keeping rings as they are (no right-hand-rule fixing).
    func editFeatures(in file: String, precision: Int = 7, _ edit: (inout [Feature]) -> Void) throws {
        let url = data.appending(path: file)
        var features = try GeoJSONReader().readFeatureCollection(Array(Data(contentsOf: url))).features
        edit(&features)
        let bytes = try GeoJSONWriter.encode(FeatureCollection(features),
                                             options: .init(coordinatePrecision: precision, enforcesRightHandRule: false))
        try Data(bytes).write(to: url)
    }

    func layerPosition(_ id: String) throws -> Int {
        try #require(try Catalogue.load(from: data).layers.firstIndex { $0.id == id })
    }
}
