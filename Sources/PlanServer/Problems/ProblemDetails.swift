public import HTTPTypes
import Hummingbird
import GeoModel

/// An error the client can act on, sent as RFC 9457 `application/problem+json`:
/// `{"type", "title", "status", "detail", "parameter"?, "instance"}`.
///
/// Handlers and the seams behind them throw these for every client-caused failure; any other error
/// reaching `ProblemMiddleware` is a fault of ours and becomes a 500 with a generic message.
public struct ProblemDetails: Error, Hashable, Sendable, CustomStringConvertible {
    /// The kinds of problem this service reports; each has a stable `type` URI and a title.
    public enum Kind: String, Hashable, Sendable, CaseIterable {
        case invalidParameter = "invalid-parameter"
        case unknownParameter = "unknown-parameter"
        case malformedBody = "malformed-body"
        case unauthorized = "unauthorized"
        case notFound = "not-found"
        case methodNotAllowed = "method-not-allowed"
        case notAcceptable = "not-acceptable"
        case conflict = "conflict"
        case preconditionFailed = "precondition-failed"
        case contentTooLarge = "content-too-large"
        case unsupportedMediaType = "unsupported-media-type"
        case invalidGeometry = "invalid-geometry"
        case preconditionRequired = "precondition-required"
        case serviceUnavailable = "service-unavailable"
        case insufficientStorage = "insufficient-storage"
        case internalError = "internal-error"

        public var status: HTTPResponse.Status {
            switch self {
            case .invalidParameter, .unknownParameter, .malformedBody: .badRequest
            case .unauthorized: .unauthorized
            case .notFound: .notFound
            case .methodNotAllowed: .methodNotAllowed
            case .notAcceptable: .notAcceptable
            case .conflict: .conflict
            case .preconditionFailed: .preconditionFailed
            case .contentTooLarge: .contentTooLarge
            case .unsupportedMediaType: .unsupportedMediaType
            case .invalidGeometry: .unprocessableContent
            case .preconditionRequired: .preconditionRequired
            case .serviceUnavailable: .serviceUnavailable
            case .insufficientStorage: HTTPResponse.Status(code: 507, reasonPhrase: "Insufficient Storage")
            case .internalError: .internalServerError
            }
        }

        public var title: String {
            switch self {
            case .invalidParameter: "Invalid parameter"
            case .unknownParameter: "Unknown parameter"
            case .malformedBody: "Malformed request body"
            case .unauthorized: "Authentication required"
            case .notFound: "Not found"
            case .methodNotAllowed: "Method not allowed"
            case .notAcceptable: "Not acceptable"
            case .conflict: "Conflict"
            case .preconditionFailed: "Precondition failed"
            case .contentTooLarge: "Content too large"
            case .unsupportedMediaType: "Unsupported media type"
            case .invalidGeometry: "Invalid geometry"
            case .preconditionRequired: "Precondition required"
            case .serviceUnavailable: "Service unavailable"
            case .insufficientStorage: "Insufficient storage"
            case .internalError: "Internal server error"
            }
        }

        /// A URN rather than a URL: problem types name kinds of error, nobody needs to fetch them.
        public var typeURI: String { "urn:planatlas:problem:\(rawValue)" }
    }

    public var kind: Kind
    /// What exactly went wrong, naming the bad value; safe to show to the user.
    public var detail: String
    /// The query parameter (or body member, or header) at fault, when there is one.
    public var parameter: String?
    /// Extra response headers the status calls for (`Allow`, `WWW-Authenticate`).
    public var headers: HTTPFields

    public init(_ kind: Kind, detail: String, parameter: String? = nil, headers: HTTPFields = [:]) {
        self.kind = kind
        self.detail = detail
        self.parameter = parameter
        self.headers = headers
    }

    public var status: HTTPResponse.Status { kind.status }
    public var description: String { "\(kind.status.code) \(kind.rawValue): \(detail)" }

    /// The JSON body; `instance` is the request path (never the query, which is the client's own text).
    func body(instance: String?) -> JSONValue {
        var object: JSONObject = [
            "type": .string(kind.typeURI),
            "title": .string(kind.title),
            "status": .integer(Int64(kind.status.code)),
            "detail": .string(detail),
        ]
        if let parameter { object["parameter"] = .string(parameter) }
        if let instance { object["instance"] = .string(instance) }
        return .object(object)
    }

    func response(instance: String?) -> Response {
        var headers = self.headers
        headers[.contentType] = MediaTypes.problemJSON
        headers[.cacheControl] = "no-store"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: body(instance: instance).jsonText)))
    }
}

extension ProblemDetails {
    /// `parameter 'radius' must be …, got 'abc'`: the one sentence shape for every bad value.
    public static func invalid(_ parameter: String, must requirement: String, got value: String) -> ProblemDetails {
        ProblemDetails(.invalidParameter, detail: "parameter '\(parameter)' must be \(requirement), got '\(quoted(value))'",
                       parameter: parameter)
    }

    public static func notFound(_ detail: String) -> ProblemDetails {
        ProblemDetails(.notFound, detail: detail)
    }

    /// A geometry the client sent that GEOS (or the layer's type) rejects, with the reason.
    public static func invalidGeometry(_ reason: String, member: String? = nil) -> ProblemDetails {
        ProblemDetails(.invalidGeometry, detail: reason, parameter: member)
    }

    public static func conflict(_ detail: String) -> ProblemDetails {
        ProblemDetails(.conflict, detail: detail)
    }

    public static func preconditionFailed(_ detail: String) -> ProblemDetails {
        ProblemDetails(.preconditionFailed, detail: detail, parameter: "If-Match")
    }

    /// Client text echoed in a message is cut short and stripped of control characters, so a
    /// megabyte-long or multi-line value cannot flood the response or the log.
    static func quoted(_ value: String, limit: Int = 80) -> String {
        let cleaned = String(value.unicodeScalars.map { $0.properties.generalCategory == .control ? "?" : Character($0) })
        return cleaned.count > limit ? cleaned.prefix(limit) + "…" : cleaned
    }
}
