public import OrderedCollections

/// A feature's identifier: GeoJSON allows a string or a number.
public enum FeatureID: Hashable, Sendable, CustomStringConvertible {
    case string(String)
    case number(Int64)

    public var description: String {
        switch self {
        case .string(let s): s
        case .number(let n): String(n)
        }
    }
}

/// A spatial feature: a geometry (or none, as GeoJSON allows) with properties.
public struct Feature: Hashable, Sendable {
    public var id: FeatureID?
    public var geometry: Geometry?
    public var properties: JSONObject

    public init(id: FeatureID? = nil, geometry: Geometry?, properties: JSONObject = [:]) {
        self.id = id
        self.geometry = geometry
        self.properties = properties
    }
}

public struct FeatureCollection: Hashable, Sendable {
    public var features: [Feature]
    public init(_ features: [Feature]) { self.features = features }
}
