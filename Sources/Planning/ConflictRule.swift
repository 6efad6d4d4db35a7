/// A pair of layers whose overlap the plan should not have, from `GeoData/conflict-rules.json`.
public struct ConflictRule: Codable, Hashable, Sendable {
    public enum Severity: String, Codable, Hashable, Sendable, Comparable {
        case low, medium, high

        public static func < (a: Severity, b: Severity) -> Bool {
            let order: [Severity] = [.low, .medium, .high]
            return order.firstIndex(of: a)! < order.firstIndex(of: b)!
        }
    }

    public var id: String
    /// Two layer ids; the same id twice checks a layer against itself.
    public var layers: [String]
    /// Corridor or protection buffer in metres per layer id (lines and points need one to have area).
    public var bufferMetres: [String: Double]
    public var severity: Severity
    public var description: LocalizedText?

    enum CodingKeys: String, CodingKey {
        case id, layers, severity, description
        case bufferMetres = "buffer_m"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        layers = try c.decode([String].self, forKey: .layers)
        bufferMetres = try c.decodeIfPresent([String: Double].self, forKey: .bufferMetres) ?? [:]
        severity = try c.decode(Severity.self, forKey: .severity)
        description = try c.decodeIfPresent(LocalizedText.self, forKey: .description)
    }
}
