import GeoModel
import Hummingbird
import Planning

/// Reads a JSON or GeoJSON request body within the service's size limits.
///
/// The checks run cheapest first: the Content-Type (415), then the declared Content-Length (413
/// before a byte is read), then the bytes as they arrive (413 as soon as the limit is passed, for
/// chunked bodies that declared no length), then the document itself (400 naming the member at
/// fault), read by GeoModel's parsers, then its vertex count (413).
struct RequestBodyReader: Sendable {
    var maximumBytes: Int
    var vertexLimit = VertexLimit.standard

    /// Any JSON document (a merge patch).
    func json(from request: Request, accepting mediaTypes: [String]) async throws -> JSONValue {
        let bytes = try await self.bytes(from: request, accepting: mediaTypes)
        do {
            return try JSONValue(parsing: bytes)
        } catch {
            throw Self.malformed(error, document: "JSON")
        }
    }

    /// A GeoJSON geometry, Feature or FeatureCollection (RFC 7946: WGS84 longitude, latitude).
    func geoJSON(from request: Request, accepting mediaTypes: [String]) async throws -> GeoJSONObject {
        let bytes = try await self.bytes(from: request, accepting: mediaTypes)
        let object: GeoJSONObject
        do {
            object = try GeoJSONReader().read(bytes)
        } catch {
            throw Self.malformed(error, document: "GeoJSON")
        }
        try checkVertices(of: object)
        return object
    }

    /// 413 when the geometry has more vertices than the limit; a collection counts all of its
    /// features' together (a write takes one feature, so the limit holds per body too).
    func checkVertices(of object: GeoJSONObject) throws(ProblemDetails) {
        let (count, what, member): (Int, String, String) = switch object {
        case .geometry(let geometry): (geometry.coordinateCount, "the geometry", "body")
        case .feature(let feature): (feature.geometry?.coordinateCount ?? 0, "the geometry", "body.geometry")
        case .featureCollection(let collection):
            (collection.features.reduce(0) { $0 + ($1.geometry?.coordinateCount ?? 0) }, "the request body", "body.features")
        }
        do {
            try vertexLimit.check(vertexCount: count, of: what)
        } catch {
            throw ProblemDetails(.contentTooLarge, detail: "\(error)", parameter: member)
        }
    }

    private func bytes(from request: Request, accepting mediaTypes: [String]) async throws -> [UInt8] {
        let declaredType = request.headers[.contentType].map(MediaTypes.essence)
        guard let declaredType, mediaTypes.contains(declaredType) else {
            throw ProblemDetails(.unsupportedMediaType,
                                 detail: "the body must be sent as \(mediaTypes.joined(separator: " or ")), got "
                                     + (declaredType.map { "'\(ProblemDetails.quoted($0))'" } ?? "no Content-Type"),
                                 parameter: "Content-Type")
        }
        if let declared = request.headers[.contentLength].flatMap({ Int($0) }), declared > maximumBytes {
            throw tooLarge
        }
        var request = request
        let buffer: ByteBuffer
        do {
            buffer = try await request.collectBody(upTo: maximumBytes)
        } catch let error as any HTTPResponseError where error.status == .contentTooLarge {
            throw tooLarge
        }
        guard buffer.readableBytes > 0 else {
            throw ProblemDetails(.malformedBody, detail: "the request body is empty; a JSON document is required", parameter: "body")
        }
        return Array(buffer.readableBytesView)
    }

    /// A parse error as a 400 whose `parameter` points into the body: `body.geometry.coordinates[0]`.
    static func malformed(_ error: GeoJSONError, document: String) -> ProblemDetails {
        let member = error.path.isEmpty ? "body" : error.path.hasPrefix("[") ? "body" + error.path : "body." + error.path
        return ProblemDetails(.malformedBody, detail: "the request body is not valid \(document): \(error)", parameter: member)
    }

    private var tooLarge: ProblemDetails {
        ProblemDetails(.contentTooLarge, detail: "the request body is larger than the \(maximumBytes)-byte limit "
                           + "(\(maximumBytes / (1024 * 1024)) MiB)")
    }
}
