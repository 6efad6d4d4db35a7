/// Why a GEOS-backed geometry operation produced no answer. Every GEOS failure arrives here as
/// a value; none of them aborts the process.
public enum GeometryError: Error, Hashable, Sendable, CustomStringConvertible {
    /// GEOS refused to build the geometry at all, e.g. an unclosed ring or a two-point ring.
    /// `reason` names the offending part in GeoJSON coordinate terms, then GEOS's own text:
    /// `coordinates[1]: IllegalArgumentException: Points of LinearRing do not form a closed linestring`.
    case invalidGeometry(reason: String)
    /// A GEOS call failed; `message` is what GEOS reported through the context's error handler,
    /// e.g. `TopologyException: Input geom 0 is invalid: Self-intersection at 1 1`.
    case geos(operation: String, message: String)
    /// The operation has no answer when an input is EMPTY (the distance to nothing, the nearest
    /// points of nothing).
    case emptyInput(operation: String)
    /// A parameter outside the domain the operation accepts.
    case invalidArgument(String)

    public var description: String {
        switch self {
        case .invalidGeometry(let reason): "invalid geometry: \(reason)"
        case .geos(let operation, let message): "GEOS \(operation) failed: \(message)"
        case .emptyInput(let operation): "\(operation) has no result for an EMPTY geometry"
        case .invalidArgument(let message): "invalid argument: \(message)"
        }
    }
}
