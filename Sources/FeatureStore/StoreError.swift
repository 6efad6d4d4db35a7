public import GeoModel

/// Names one feature in an error: its layer, its id and, within a batch, its 0-based position.
public struct FeatureReference: Hashable, Sendable, CustomStringConvertible {
    public var layer: String
    public var id: FeatureID
    /// Index of the change in the `apply` batch; nil for single-feature calls.
    public var position: Int?

    public init(layer: String, id: FeatureID, position: Int?) {
        self.layer = layer
        self.id = id
        self.position = position
    }

    public var description: String {
        let idText = switch id {
        case .string(let s): quoted(s)
        case .number(let n): String(n)
        }
        let at = position.map { " at position \($0)" } ?? ""
        return "feature \(idText) in layer \(quoted(layer))\(at)"
    }
}

/// Everything that can go wrong in a `FeatureStore`. Messages name the offending value.
public enum StoreError: Error, Hashable, Sendable, CustomStringConvertible {
    case unknownLayer(String)
    case layerExists(String)
    case invalidLayer(id: String, reason: String)
    /// A feature without an id (ids are required in the store).
    case missingID(layer: String, position: Int?)
    case invalidID(FeatureReference, reason: String)
    case duplicateID(FeatureReference)
    case notFound(FeatureReference)
    case geometryTypeMismatch(FeatureReference, expected: GeometryType, got: GeometryType)
    /// GEOS's reason (e.g. "Self-intersection[123.4 41.8]") or a structural one found before GEOS.
    case invalidGeometry(FeatureReference, reason: String)
    case invalidProperties(FeatureReference, reason: String)
    /// The feature is at version `actual`, not the `expected` one the writer had read.
    case versionMismatch(FeatureReference, expected: Int64, actual: Int64)
    case invalidQuery(String)
    /// A database location (path or URL) that cannot be used.
    case invalidLocation(String)
    /// The database is not a planatlas store, or one of a newer schema than this build knows.
    case incompatibleDatabase(String)
    /// An error reported by SQLite/SpatiaLite or PostgreSQL/PostGIS.
    case database(String)
    /// The database server cannot be reached at the moment (down, restarting, connection lost);
    /// the same call may succeed later without any change on our side.
    case unavailable(String)
    /// The disk (or quota) under the database is full; the write was rolled back.
    case storageFull(String)
    /// The store was closed.
    case closed

    public var description: String {
        switch self {
        case .unknownLayer(let id): "unknown layer \(quoted(id))"
        case .layerExists(let id): "layer \(quoted(id)) already exists"
        case let .invalidLayer(id, reason): "invalid layer \(quoted(id)): \(reason)"
        case let .missingID(layer, position):
            "feature\(position.map { " at position \($0)" } ?? "") in layer \(quoted(layer)) has no id; ids are required"
        case let .invalidID(ref, reason): "\(ref) has an invalid id: \(reason)"
        case .duplicateID(let ref): "\(ref): id already exists in the layer"
        case .notFound(let ref): "\(ref) does not exist"
        case let .geometryTypeMismatch(ref, expected, got):
            "\(ref) is a \(got.rawValue); the layer takes \(expected.rawValue)"
                + (expected == .geometryCollection ? "" : " and Multi\(expected.rawValue)")
        case let .invalidGeometry(ref, reason): "\(ref) has invalid geometry: \(reason)"
        case let .invalidProperties(ref, reason): "\(ref) has invalid properties: \(reason)"
        case let .versionMismatch(ref, expected, actual):
            "\(ref) is at version \(actual), not the expected version \(expected)"
        case .invalidQuery(let reason): "invalid query: \(reason)"
        case .invalidLocation(let reason): "invalid database location: \(reason)"
        case .incompatibleDatabase(let reason): "incompatible database: \(reason)"
        case .database(let message): "database error: \(message)"
        case .unavailable(let message): "database unavailable: \(message)"
        case .storageFull(let message): "database storage full: \(message)"
        case .closed: "the feature store is closed"
        }
    }

    /// The same error for a single-feature call, where a batch position means nothing.
    var withoutPosition: StoreError {
        switch self {
        case let .missingID(layer, _): .missingID(layer: layer, position: nil)
        case let .invalidID(ref, reason): .invalidID(ref.withoutPosition, reason: reason)
        case let .duplicateID(ref): .duplicateID(ref.withoutPosition)
        case let .notFound(ref): .notFound(ref.withoutPosition)
        case let .geometryTypeMismatch(ref, expected, got):
            .geometryTypeMismatch(ref.withoutPosition, expected: expected, got: got)
        case let .invalidGeometry(ref, reason): .invalidGeometry(ref.withoutPosition, reason: reason)
        case let .invalidProperties(ref, reason): .invalidProperties(ref.withoutPosition, reason: reason)
        case let .versionMismatch(ref, expected, actual):
            .versionMismatch(ref.withoutPosition, expected: expected, actual: actual)
        default: self
        }
    }
}

extension FeatureReference {
    var withoutPosition: FeatureReference { FeatureReference(layer: layer, id: id, position: nil) }
}

/// Text quoted for a message, with quotes, backslashes and control characters escaped so that
/// a hostile value cannot forge the rest of the message.
func quoted(_ text: String) -> String {
    var out = "'"
    for scalar in text.unicodeScalars {
        switch scalar {
        case "'": out += "\\'"
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        case "\r": out += "\\r"
        case "\t": out += "\\t"
        case _ where scalar.value < 0x20 || scalar.value == 0x7F:
            out += "\\u{\(String(scalar.value, radix: 16))}"
        default: out.unicodeScalars.append(scalar)
        }
    }
    return out + "'"
}
