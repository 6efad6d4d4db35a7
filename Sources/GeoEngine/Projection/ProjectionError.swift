public import GeoModel

/// Why a CRS name, a transform or a geodesic computation failed. Each message names the offending value.
public enum ProjectionError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The text is not a CRS planatlas supports.
    case unknownCRS(String)
    /// PROJ could not build the operation between two systems (for example when its database proj.db is missing).
    case transformUnavailable(from: CRS, to: CRS, reason: String)
    /// A coordinate could not be transformed: out of range, not finite, or outside the projection's domain.
    /// `coordinate` is the input, in the `from` system.
    case transformFailed(from: CRS, to: CRS, coordinate: Coordinate, reason: String)
    /// A geodesic computation got a position that is not a longitude/latitude on the ellipsoid.
    case invalidGeographicCoordinate(Coordinate, reason: String)

    public var description: String {
        switch self {
        case .unknownCRS(let text):
            let supported = CRS.allCases.map(\.identifier).joined(separator: ", ")
            return "unknown CRS '\(text)': expected one of \(supported) (also CRS84, OGC URNs and URIs)"
        case .transformUnavailable(let from, let to, let reason):
            return "cannot transform from \(from) to \(to): \(reason)"
        case .transformFailed(let from, let to, let coordinate, let reason):
            return "cannot transform (\(coordinate.x), \(coordinate.y)) from \(from) to \(to): \(reason)"
        case .invalidGeographicCoordinate(let coordinate, let reason):
            return "invalid longitude/latitude (\(coordinate.x), \(coordinate.y)): \(reason)"
        }
    }
}
