import FeatureStore
import Planning

// What the store and the planning layer report, as the problem a client can act on. Handlers check
// what names a query parameter (unknown layer ids in `layers=`, rule ids) before calling down, so
// that those become 400s naming the parameter; what reaches these mappings is about the resource
// in the path or the body. A database that is away (503) or a full disk (507) are answered as
// such; other failures of the service itself (database, catalogue) are nil here and become a
// logged 500.

extension ProblemDetails {
    init?(_ error: StoreError) {
        switch error {
        case .unknownLayer(let id):
            self = .notFound("there is no layer '\(ProblemDetails.quoted(id))'; /collections lists them")
        case .notFound(let feature):
            self = .notFound("layer '\(feature.layer)' has no feature '\(ProblemDetails.quoted(feature.id.description))'")
        case .duplicateID(let feature):
            self = .conflict("layer '\(feature.layer)' already has a feature '\(ProblemDetails.quoted(feature.id.description))'; "
                             + "send PUT to its URL to replace it, or POST without an id to have one assigned")
        case let .versionMismatch(feature, expected, actual):
            self = .preconditionFailed("feature '\(ProblemDetails.quoted(feature.id.description))' is at version \(actual), "
                                       + "not \(expected): it has changed since; GET it again for the current ETag")
        case let .geometryTypeMismatch(feature, expected, got):
            self = .invalidGeometry("layer '\(feature.layer)' takes \(expected.rawValue) and Multi\(expected.rawValue) "
                                        + "geometries, got \(got.rawValue)", member: "body.geometry")
        case let .invalidGeometry(_, reason):
            // GEOS's reason, e.g. "Self-intersection[123.4 41.8]".
            self = .invalidGeometry("the geometry is not valid: \(reason)", member: "body.geometry")
        case .missingID:
            self = ProblemDetails(.malformedBody, detail: "the feature needs an id", parameter: "body.id")
        case let .invalidID(_, reason):
            self = ProblemDetails(.malformedBody, detail: "the feature's id is not valid: \(reason)", parameter: "body.id")
        case let .invalidProperties(_, reason):
            self = ProblemDetails(.malformedBody, detail: "the feature's properties are not valid: \(reason)",
                                  parameter: "body.properties")
        case .invalidQuery(let reason):
            self = ProblemDetails(.invalidParameter, detail: reason)
        case .unavailable:
            // Not the client's fault, but nothing for us to fix either: the database comes back by itself.
            self = ProblemDetails(.serviceUnavailable, detail: "the database cannot be reached at the moment; "
                                      + "try again shortly", headers: [.retryAfter: "5"])
        case .storageFull:
            self = ProblemDetails(.insufficientStorage, detail: "the database's disk is full; the write was not stored")
        case .layerExists, .invalidLayer, .invalidLocation, .incompatibleDatabase, .database, .closed:
            return nil
        }
    }

    init?(_ error: PlanningError) {
        switch error {
        case .unknownLayer(let id):
            self = .notFound("there is no layer '\(ProblemDetails.quoted(id))'; /collections lists them")
        case .invalidParameter(let name, let reason):
            // Planning names the value it checks; "lon/lat" is the point as a whole.
            let parameter = name == "lon/lat" ? "lon" : name
            self = ProblemDetails(.invalidParameter, detail: "parameter '\(name)': \(reason)", parameter: parameter)
        case .needsBuffer:
            self = ProblemDetails(.invalidParameter, detail: error.description, parameter: "buffer")
        case .invalidGeometry:
            self = .invalidGeometry(error.description, member: "body")
        case .tooManyVertices:
            self = ProblemDetails(.contentTooLarge, detail: error.description, parameter: "body")
        case .store(let storeError):
            guard let problem = ProblemDetails(storeError) else { return nil }
            self = problem
        case .unprojectable, .index, .geometryOperation, .catalogue, .output:
            return nil
        }
    }
}
