public import GeoModel

/// Layer styles (Styles/<layer>.json): simplestyle-spec properties plus `label` and per-status
/// overrides, used as is by the viewer and merged into exported features for other viewers.
public enum Style {
    static let simplestyleKeys: Set<String> = [
        "stroke", "stroke-width", "stroke-opacity", "fill", "fill-opacity",
        "marker-color", "marker-size", "marker-symbol",
    ]

    /// The simplestyle properties of `style` for a feature with this status.
    public static func simplestyle(_ style: JSONValue, status: String?) -> JSONObject {
        guard let object = style.objectValue else { return [:] }
        var properties = object.filter { simplestyleKeys.contains($0.key) && $0.value != .null }
        if let status, let overrides = object["by_status"]?.objectValue?[status]?.objectValue {
            for (key, value) in overrides where simplestyleKeys.contains(key) && value != .null { properties[key] = value }
        }
        return properties
    }
}
