import GeoModel
import Hummingbird

typealias PlanContext = BasicRequestContext

/// What a handler gets: the request, its decoded query (already checked against the endpoint's
/// parameters), its path parameters, and the builder for absolute links.
struct EndpointInput: Sendable {
    var request: Request
    var context: PlanContext
    var query: QueryParameters
    /// The query names the endpoint declares (the items endpoint adds property names itself).
    var allowedQueryNames: Set<String>
    var links: LinkBuilder

    /// A path parameter, percent-decoded (`/collections/{collectionId}`).
    func pathParameter(_ name: String) throws(ProblemDetails) -> String {
        guard let raw = context.parameters.get(name), let value = QueryParameters.percentDecoded(raw[...], plusIsSpace: false),
              !value.isEmpty
        else {
            throw ProblemDetails(.notFound, detail: "path segment '\(name)' is not valid percent-encoded UTF-8")
        }
        return value
    }

    /// The representation the client asked for among `offers` (f= first, then Accept).
    func representation(_ offers: [Representation], jsonType: String) throws(ProblemDetails) -> Representation {
        try ContentNegotiation(offers: offers, jsonType: jsonType).choose(format: query["f"], accept: request.headers[.accept])
    }
}

/// One documented response of an operation, for the OpenAPI document.
struct ResponseDoc: Sendable {
    var status: Int
    var description: String
    /// Media type to schema; empty for a bodiless response.
    var content: [(mediaType: String, schema: JSONValue)] = []
    var headers: [String: String] = [:]
}

struct RequestBodyDoc: Sendable {
    var description: String
    var content: [(mediaType: String, schema: JSONValue)]
}

/// An operation of the API as documented: path, parameters, body, responses. The router, the
/// OpenAPI document and the 405 check are all built from the same list of these.
struct APIOperation: Sendable {
    var method: HTTPRequest.Method
    /// OpenAPI template: `/collections/{collectionId}/items`; `{path}` last means "the rest of the path".
    var path: String
    var operationID: String
    var summary: String
    var description: String? = nil
    var tag: String
    var pathParameters: [ParameterSpec] = []
    var queryParameters: [ParameterSpec] = []
    /// The handler checks unknown query names itself (items accept the layer's property names).
    var checksUnknownParametersItself = false
    var requestBody: RequestBodyDoc? = nil
    var responses: [ResponseDoc]
    /// Writes: guarded by the bearer token.
    var requiresToken = false

    /// The Hummingbird route path: `{x}` becomes `:x`, a trailing `{path}` becomes `**`.
    var routerPath: String {
        path.split(separator: "/").map { segment -> String in
            guard segment.hasPrefix("{"), segment.hasSuffix("}") else { return String(segment) }
            let name = segment.dropFirst().dropLast()
            return name == "path" ? "**" : ":" + name
        }.reduce("") { $0 + "/" + $1 }
    }

    var allowedQueryNames: Set<String> { Set(queryParameters.map(\.name)) }

    /// Whether the operation answers with an HTML page as well as JSON, chosen by `f` or Accept.
    var offersHTML: Bool { responses.contains { $0.content.contains { MediaTypes.essence($0.mediaType) == "text/html" } } }

    /// Whether a request path (raw, as received) falls under this endpoint's template.
    func matches(path requestPath: String) -> Bool {
        let template = path.split(separator: "/")
        let actual = requestPath.split(separator: "/")
        for (index, segment) in template.enumerated() {
            if segment == "{path}" { return actual.count > index }
            guard index < actual.count else { return false }
            if segment.hasPrefix("{") { continue }
            if segment != actual[index] { return false }
        }
        return template.count == actual.count
    }
}

/// An operation and the handler that answers it.
@dynamicMemberLookup
struct Endpoint: Sendable {
    typealias Handler = @Sendable (EndpointInput) async throws -> Response

    var operation: APIOperation
    var handler: Handler

    init(_ operation: APIOperation, handler: @escaping Handler) {
        self.operation = operation
        self.handler = handler
    }

    subscript<T>(dynamicMember keyPath: KeyPath<APIOperation, T>) -> T { operation[keyPath: keyPath] }
}

extension Array where Element == APIOperation {
    /// The methods served at a request path, HEAD included wherever GET is: for 405's Allow header.
    func allowedMethods(forPath requestPath: String) -> [HTTPRequest.Method] {
        var methods: [HTTPRequest.Method] = []
        for endpoint in self where endpoint.matches(path: requestPath) && !methods.contains(endpoint.method) {
            methods.append(endpoint.method)
            if endpoint.method == .get { methods.append(.head) }
        }
        let order: [HTTPRequest.Method] = [.get, .head, .post, .put, .patch, .delete]
        return methods.sorted { (order.firstIndex(of: $0) ?? 99) < (order.firstIndex(of: $1) ?? 99) }
    }
}

/// Absolute URLs for links: the configured public URL, else the request's own Host.
struct LinkBuilder: Sendable {
    /// Scheme and authority (and any path prefix), without a trailing slash.
    var base: String

    init(base: String) {
        self.base = base
    }

    init(request: Request, configuration: ServerConfiguration) {
        if let publicBaseURL = configuration.publicBaseURL {
            base = publicBaseURL
        } else if let host = request.head.authority, Self.isPlausibleHost(host) {
            base = "http://\(host)"
        } else {
            base = "http://\(configuration.host):\(configuration.port)"
        }
    }

    /// Host headers are client text; only `name[:port]` or `[v6]:port` shapes are echoed into links.
    static func isPlausibleHost(_ host: String) -> Bool {
        !host.isEmpty && host.count <= 255 && host.unicodeScalars.allSatisfy { scalar in
            scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || ".-:[]".unicodeScalars.contains(scalar))
        }
    }

    func url(_ path: String, query: [(String, String)] = []) -> String {
        guard !query.isEmpty else { return base + path }
        return base + path + "?" + query.map { "\($0.0)=\(Self.encodeQueryValue($0.1))" }.joined(separator: "&")
    }

    func link(_ path: String, query: [(String, String)] = [], rel: String, type: String, title: String) -> JSONValue {
        ["href": .string(url(path, query: query)), "rel": .string(rel), "type": .string(type), "title": .string(title)]
    }

    static func encodeQueryValue(_ value: String) -> String {
        var result = ""
        for byte in value.utf8 {
            let scalar = Unicode.Scalar(byte)
            if scalar.isASCII, scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || "-._~,".unicodeScalars.contains(scalar) {
                result.unicodeScalars.append(scalar)
            } else {
                result += "%" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
            }
        }
        return result
    }

    /// A path segment (a layer or feature id) made safe to put into a URL path.
    static func encodePathSegment(_ value: String) -> String { encodeQueryValue(value) }
}

extension String {
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
