import FeatureStore
public import GeoModel

// The GeoJSON shape of planning answers, shared by the CLI and the HTTP service so that both
// print the same thing.

extension NearHit {
    /// The stored feature with `layer` and `distance_m` added to its properties.
    public func asFeature() -> Feature {
        var feature = self.feature.feature
        feature.id = self.feature.id
        feature.properties["layer"] = .string(layer)
        feature.properties["distance_m"] = .number(Overlap.rounded(distanceMetres, 2))
        return feature
    }
}

extension Overlap {
    /// The intersection as a feature, with both sides, the areas and the shares as properties.
    public func asFeature() -> Feature {
        let a = featureA?.feature.properties
        let b = featureB.feature.properties
        var properties: JSONObject = [
            "layer_a": .string(layerA),
            "id_a": featureA.map { .string($0.id.description) } ?? .null,
            "name_a": a?["name"] ?? .null,
            "name_en_a": a?["name_en"] ?? .null,
            "layer_b": .string(layerB),
            "id_b": .string(featureB.id.description),
            "name_b": b["name"] ?? .null,
            "name_en_b": b["name_en"] ?? .null,
            "area_m2": .number(Self.rounded(area.squareMetres, 2)),
            "area_ha": .number(Self.rounded(area.hectares, 4)),
            "area_mu": .number(Self.rounded(area.mu, 3)),
            "share_a_pct": .number(Self.rounded(shareAPercent, 3)),
            "share_b_pct": .number(Self.rounded(shareBPercent, 3)),
            "buffer_m_a": .number(bufferA),
            "buffer_m_b": .number(bufferB),
        ]
        properties["rule"] = rule.map { .string($0.id) } ?? .null
        properties["severity"] = rule.map { .string($0.severity.rawValue) } ?? .null
        return Feature(id: nil, geometry: intersection, properties: properties)
    }

    static func rounded(_ value: Double, _ decimals: Int) -> Double {
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        return (value * scale).rounded() / scale
    }
}

extension OverlapReport {
    /// Totals for the top of a report: pair count and summed areas.
    public var summary: JSONObject {
        [
            "pairs": .integer(Int64(overlaps.count)),
            "area_m2": .number(Overlap.rounded(totalArea.squareMetres, 2)),
            "area_ha": .number(Overlap.rounded(totalArea.hectares, 4)),
            "area_mu": .number(Overlap.rounded(totalArea.mu, 3)),
        ]
    }
}
