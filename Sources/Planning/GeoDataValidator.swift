public import Foundation
import GeoEngine
import GeoModel

/// Checks GeoJSON files and whole GeoData folders before they reach the store or a viewer:
/// parseable RFC 7946, GEOS-valid geometry, right-hand-rule winding, and for a GeoData folder
/// the catalogue, required properties, unique ids, styles and conflict rules.
public enum GeoDataValidator {
    /// Problems in one GeoJSON file (any FeatureCollection, not only planatlas data).
    public static func validateFile(_ url: URL) -> [DataProblem] {
        let name = url.lastPathComponent
        guard let data = FileManager.default.contents(atPath: url.path) else {
            return [DataProblem(file: name, message: "cannot read the file")]
        }
        var problems: [DataProblem] = []
        do {
            try GeoJSONReader().forEachFeature(in: Array(data)) { index, feature in
                problems += geometryProblems(feature, at: "features[\(index)]", file: name)
            }
        } catch {
            problems.append(DataProblem(file: name, error))
        }
        return problems
    }

    /// Problems in a GeoData folder: `layers.json`, every layer file, `conflict-rules.json`, and
    /// the styles in `stylesDirectory` (default: `Styles` beside the folder).
    public static func validateDirectory(_ directory: URL, stylesDirectory: URL? = nil) -> [DataProblem] {
        let catalogue: Catalogue
        do { catalogue = try Catalogue.load(from: directory, stylesDirectory: stylesDirectory) } catch {
            return [DataProblem(file: "layers.json", message: error.description)]
        }
        var problems: [DataProblem] = []
        var seenIDs: [String: String] = [:]  // feature id -> layer file that has it
        let sections = Set(catalogue.planSections.map(\.id))
        var layerIDs = Set<String>()
        for (position, layer) in catalogue.layers.enumerated() {
            if !layerIDs.insert(layer.id).inserted {
                problems.append(DataProblem(file: "layers.json", location: "layers[\(position)]", message: "duplicate layer id '\(layer.id)'"))
            }
            if let section = layer.planSection, !sections.contains(section) {
                problems.append(DataProblem(file: "layers.json", location: "layers[\(position)].plan_section",
                                            message: "'\(section)' is not one of plan_sections"))
            }
            if catalogue.styles[layer.id] == nil {
                problems.append(DataProblem(file: "layers.json", location: "layers[\(position)].style",
                                            message: "no style '\(layer.style).json' in Styles/"))
            }
            let url = catalogue.fileURL(of: layer)
            guard let data = FileManager.default.contents(atPath: url.path) else {
                problems.append(DataProblem(file: layer.file, message: "layer '\(layer.id)' names this file, which cannot be read"))
                continue
            }
            do {
                try GeoJSONReader().forEachFeature(in: Array(data)) { index, feature in
                    let at = "features[\(index)]"
                    problems += geometryProblems(feature, at: at, file: layer.file)
                    for (location, message) in FeatureRules.check(feature, layer: layer, sections: sections) {
                        problems.append(DataProblem(file: layer.file, location: "\(at).\(location)", message: message))
                    }
                    if let id = feature.id?.description {
                        if let other = seenIDs[id] {
                            problems.append(DataProblem(file: layer.file, location: "\(at).id", message: "id '\(id)' is also used in \(other)"))
                        } else {
                            seenIDs[id] = layer.file
                        }
                    }
                }
            } catch {
                problems.append(DataProblem(file: layer.file, error))
            }
        }
        for (position, rule) in catalogue.rules.enumerated() {
            for id in rule.layers where !layerIDs.contains(id) {
                problems.append(DataProblem(file: "conflict-rules.json", location: "rules[\(position)].layers",
                                            message: "rule '\(rule.id)' names unknown layer '\(id)'"))
            }
            if rule.layers.count != 2 {
                problems.append(DataProblem(file: "conflict-rules.json", location: "rules[\(position)].layers",
                                            message: "rule '\(rule.id)' must name exactly two layers"))
            }
        }
        let listed = Set(catalogue.layers.map(\.file))
        let files = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        for file in files.sorted() where file.hasSuffix(".geojson") && !listed.contains(file) {
            problems.append(DataProblem(file: file, message: "not listed in layers.json"))
        }
        return problems
    }

    /// GEOS validity, winding and coordinate precision of one feature's geometry.
    static func geometryProblems(_ feature: Feature, at location: String, file: String) -> [DataProblem] {
        guard let geometry = feature.geometry else { return [] }
        var problems: [DataProblem] = []
        do {
            if let reason = try geometry.validityReason() {
                problems.append(DataProblem(file: file, location: "\(location).geometry", message: "invalid geometry: \(reason)"))
            }
        } catch {
            problems.append(DataProblem(file: file, location: "\(location).geometry", message: error.description))
        }
        for (path, ring, isExterior) in rings(of: geometry) where ring.count >= 4 {
            let counterClockwise = signedArea(ring) > 0
            if counterClockwise != isExterior {
                problems.append(DataProblem(file: file, location: "\(location).geometry.coordinates\(path)",
                                            message: isExterior ? "exterior ring is clockwise; RFC 7946 wants counter-clockwise"
                                                                : "hole is counter-clockwise; RFC 7946 wants clockwise"))
            }
        }
        var tooPrecise: Coordinate?
        geometry.forEachCoordinate { c in
            if tooPrecise == nil && (hasExcessDecimals(c.x) || hasExcessDecimals(c.y)) { tooPrecise = c }
        }
        if let c = tooPrecise {
            problems.append(DataProblem(file: file, location: "\(location).geometry",
                                        message: "coordinate (\(c.x), \(c.y)) has more than \(FeatureRules.maximumDecimals) decimals"))
        }
        return problems
    }

    private static func rings(of geometry: Geometry) -> [(String, [Coordinate], Bool)] {
        func polygonRings(_ p: Polygon, prefix: String) -> [(String, [Coordinate], Bool)] {
            p.rings.enumerated().map { ("\(prefix)[\($0.offset)]", $0.element, $0.offset == 0) }
        }
        switch geometry {
        case .polygon(let p): return polygonRings(p, prefix: "")
        case .multiPolygon(let m): return m.polygons.enumerated().flatMap { polygonRings($0.element, prefix: "[\($0.offset)]") }
        default: return []
        }
    }

    /// Shoelace area in coordinate units: positive for a counter-clockwise ring.
    static func signedArea(_ ring: [Coordinate]) -> Double {
        var sum = 0.0
        for i in 1..<ring.count {
            sum += (ring[i - 1].x - ring[0].x) * (ring[i].y - ring[0].y) - (ring[i].x - ring[0].x) * (ring[i - 1].y - ring[0].y)
        }
        return sum / 2
    }

    private static func hasExcessDecimals(_ value: Double) -> Bool {
        let scaled = value * 1e7
        return abs(scaled - scaled.rounded()) > 1e-3
    }
}
