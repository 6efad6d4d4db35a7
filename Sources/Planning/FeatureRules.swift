public import GeoModel

/// What every feature of the built-in data must say about itself (DESIGN.md "The data"):
/// a stable id, names, status, where in the plan it comes from, and how exact it is.
public enum FeatureRules {
    public static let requiredProperties = [
        "id", "name", "name_en", "status", "plan_section", "plan_text", "target", "accuracy_m", "source",
    ]
    public static let statuses: Set<String> = [
        "planned", "under_construction", "extension", "relocation", "upgrade", "renewal",
        "existing", "protected", "restoration", "closure", "unknown",
    ]
    /// The municipality of Shenyang (122°25′ to 123°48′ E, 41°12′ to 43°02′ N) with a small margin: built-in data outside it is a digitising slip.
    public static let municipality = BoundingBox(minX: 122.41, minY: 41.19, maxX: 123.82, maxY: 43.05)
    public static let maximumDecimals = 7

    /// Problems with one feature's properties and coordinates (geometry validity is GEOS's job).
    public static func check(_ feature: Feature, layer: LayerDescription, sections: Set<String>) -> [(location: String, message: String)] {
        var problems: [(String, String)] = []
        let p = feature.properties
        for key in requiredProperties where p[key] == nil {
            problems.append(("properties", "missing required property '\(key)'"))
        }
        if let id = p["id"], id.stringValue == nil {
            problems.append(("properties.id", "must be a string slug"))
        }
        if case .string(let id)? = p["id"], feature.id != .string(id) {
            problems.append(("id", "feature id \(feature.id.map { "'\($0)'" } ?? "missing") differs from properties.id '\(id)'"))
        }
        for key in ["name", "name_en", "source"] {
            if let value = p[key], (value.stringValue ?? "").isEmpty {
                problems.append(("properties.\(key)", "must be a non-empty string"))
            }
        }
        if let status = p["status"] {
            if let s = status.stringValue, !statuses.contains(s) {
                problems.append(("properties.status", "'\(s)' is not one of \(statuses.sorted().joined(separator: ", "))"))
            } else if status.stringValue == nil {
                problems.append(("properties.status", "must be a string"))
            }
        }
        if let section = p["plan_section"] {
            switch section {
            case .null: break
            case .string(let s) where sections.contains(s): break
            default: problems.append(("properties.plan_section", "\(describe(section)) is not a plan section of layers.json"))
            }
        }
        if let accuracy = p["accuracy_m"] {
            if let metres = accuracy.doubleValue, metres > 0, metres.isFinite {} else {
                problems.append(("properties.accuracy_m", "must be a positive number of metres, got \(describe(accuracy))"))
            }
        }
        if let target = p["target"] {
            switch target {
            case .null: break
            case .object(let o) where o["value"]?.doubleValue != nil && o["unit"]?.stringValue != nil: break
            default: problems.append(("properties.target", "must be null or {\"value\": number, \"unit\": string}"))
            }
        }
        if let geometry = feature.geometry {
            if !layer.accepts(geometry.type) {
                problems.append(("geometry", "\(geometry.type.rawValue) does not belong in a \(layer.geometryType.rawValue) layer"))
            }
            var outside: Coordinate?
            geometry.forEachCoordinate { c in
                if outside == nil && !municipality.contains(c) { outside = c }
            }
            if let c = outside {
                problems.append(("geometry", "coordinate (\(c.x), \(c.y)) lies outside the municipality \(municipality)"))
            }
        } else {
            problems.append(("geometry", "a planned work needs a geometry"))
        }
        return problems
    }

    private static func describe(_ value: JSONValue) -> String {
        switch value {
        case .string(let s): "'\(s)'"
        case .null: "null"
        case .integer(let i): String(i)
        case .number(let d): String(d)
        case .bool(let b): String(b)
        case .array: "an array"
        case .object: "an object"
        }
    }
}
