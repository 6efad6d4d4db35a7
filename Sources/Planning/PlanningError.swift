public import FeatureStore
public import GeoModel

/// Why a planning question could not be answered. Messages name the bad value.
public enum PlanningError: Error, Hashable, Sendable, CustomStringConvertible {
    case unknownLayer(String)
    case invalidParameter(name: String, reason: String)
    /// Lines and points have no area: overlaps need a corridor buffer for them.
    case needsBuffer(layer: String, geometryType: GeometryType)
    case invalidGeometry(what: String, reason: String)
    /// More vertices than a `VertexLimit` allows.
    case tooManyVertices(what: String, count: Int, maximum: Int)
    case unprojectable(layer: String, id: FeatureID, reason: String)
    case index(layer: String, reason: String)
    case geometryOperation(what: String, reason: String)
    case store(StoreError)
    case catalogue(String)
    case output(String)

    public var description: String {
        switch self {
        case .unknownLayer(let id): "unknown layer '\(id)'"
        case .invalidParameter(let name, let reason): "\(name): \(reason)"
        case .needsBuffer(let layer, let type):
            "layer '\(layer)' holds \(type.rawValue) features, which have no area: give a corridor buffer in metres"
        case .invalidGeometry(let what, let reason): "\(what) is not a valid geometry: \(reason)"
        case let .tooManyVertices(what, count, maximum): "\(what) has \(count) vertices, more than the limit of \(maximum)"
        case .unprojectable(let layer, let id, let reason): "\(layer)/\(id) cannot be projected: \(reason)"
        case .index(let layer, let reason): "cannot index layer '\(layer)': \(reason)"
        case .geometryOperation(let what, let reason): "\(what): \(reason)"
        case .store(let error): error.description
        case .catalogue(let message): message
        case .output(let message): message
        }
    }
}
