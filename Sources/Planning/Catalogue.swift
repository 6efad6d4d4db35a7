public import Foundation
public import GeoModel

/// The layer catalogue of a GeoData folder: `layers.json`, the style of each layer in `Styles/`,
/// and the conflict rules. Small files read once, so plain `Codable` is the right tool here.
public struct Catalogue: Sendable {
    public var layers: [LayerDescription]
    public var planSections: [PlanSection]
    public var rules: [ConflictRule]
    /// Style objects by layer id, as simplestyle-spec JSON (the viewer and exports use them as is).
    public var styles: [String: JSONValue]
    /// The folder the catalogue was read from; layer files are relative to it.
    public var dataDirectory: URL

    public func layer(_ id: String) -> LayerDescription? { layers.first { $0.id == id } }

    public func fileURL(of layer: LayerDescription) -> URL {
        dataDirectory.appending(path: layer.file)
    }
}

public struct LocalizedText: Codable, Hashable, Sendable {
    public var zh: String
    public var en: String
    public init(zh: String, en: String) {
        self.zh = zh
        self.en = en
    }
}

public struct LayerDescription: Codable, Hashable, Sendable {
    public var id: String
    public var title: LocalizedText
    /// The single-part type the layer takes; its multi-part form is accepted too.
    public var geometryType: GeometryType
    public var planSection: String?
    public var style: String
    public var file: String
    /// Context layers (districts, rivers) frame the map; they are not planned works.
    public var context: Bool
    public var description: LocalizedText?

    enum CodingKeys: String, CodingKey {
        case id, title, style, file, context, description
        case geometryType = "geometry_type"
        case planSection = "plan_section"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        title = try c.decode(LocalizedText.self, forKey: .title)
        geometryType = try c.decode(GeometryType.self, forKey: .geometryType)
        planSection = try c.decodeIfPresent(String.self, forKey: .planSection)
        style = try c.decodeIfPresent(String.self, forKey: .style) ?? id
        file = try c.decodeIfPresent(String.self, forKey: .file) ?? "\(id).geojson"
        context = try c.decodeIfPresent(Bool.self, forKey: .context) ?? false
        description = try c.decodeIfPresent(LocalizedText.self, forKey: .description)
    }

    /// Whether a geometry of `type` may be stored in this layer.
    public func accepts(_ type: GeometryType) -> Bool {
        type.singular == geometryType.singular
    }
}

public struct PlanSection: Codable, Hashable, Sendable {
    public var id: String
    public var zh: String
    public var en: String
}

extension Catalogue {
    /// Reads `layers.json`, `conflict-rules.json` (optional) from `dataDirectory` and each layer's
    /// style from `stylesDirectory` (default: `Styles` beside the data folder).
    public static func load(from dataDirectory: URL, stylesDirectory: URL? = nil) throws(PlanningError) -> Catalogue {
        struct LayersFile: Decodable {
            var layers: [LayerDescription]
            var planSections: [PlanSection]?
            enum CodingKeys: String, CodingKey {
                case layers
                case planSections = "plan_sections"
            }
        }
        struct RulesFile: Decodable { var rules: [ConflictRule] }

        let layersFile: LayersFile = try decode(dataDirectory.appending(path: "layers.json"))
        let rulesURL = dataDirectory.appending(path: "conflict-rules.json")
        let rules: [ConflictRule] = FileManager.default.fileExists(atPath: rulesURL.path)
            ? try (decode(rulesURL) as RulesFile).rules : []
        let stylesDirectory = stylesDirectory ?? dataDirectory.deletingLastPathComponent().appending(path: "Styles")
        var styles: [String: JSONValue] = [:]
        for layer in layersFile.layers {
            let url = stylesDirectory.appending(path: "\(layer.style).json")
            guard let data = FileManager.default.contents(atPath: url.path) else { continue }
            do { styles[layer.id] = try JSONValue(parsing: Array(data)) } catch {
                throw .catalogue("\(url.path): \(error)")
            }
        }
        return Catalogue(layers: layersFile.layers, planSections: layersFile.planSections ?? [], rules: rules,
                         styles: styles, dataDirectory: dataDirectory)
    }

    private static func decode<T: Decodable>(_ url: URL) throws(PlanningError) -> T {
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw .catalogue("cannot read \(url.path)")
        }
        do { return try JSONDecoder().decode(T.self, from: data) } catch let error as DecodingError {
            throw .catalogue("\(url.lastPathComponent): \(describe(error))")
        } catch {
            throw .catalogue("\(url.lastPathComponent): \(error)")
        }
    }

    private static func describe(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
                .trimmingPrefix(".").description
        }
        switch error {
        case .keyNotFound(let key, let context): return "\(path(context)): missing '\(key.stringValue)'"
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            return "\(path(context)): \(context.debugDescription)"
        case .dataCorrupted(let context):
            return "\(path(context)): \(context.debugDescription)"
        @unknown default: return "\(error)"
        }
    }
}
