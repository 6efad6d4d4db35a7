import GeoModel
import Hummingbird

/// Reads a JSON request body within the service's size limit.
///
/// The checks run cheapest first: the Content-Type (415), then the declared Content-Length (413
/// before a byte is read), then the bytes as they arrive (413 as soon as the limit is passed, for
/// chunked bodies that declared no length), then the JSON itself (400).
struct RequestBodyReader: Sendable {
    var maximumBytes: Int

    func json(from request: Request, accepting mediaTypes: [String]) async throws -> JSONValue {
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
        let bytes: ByteBuffer
        do {
            bytes = try await request.collectBody(upTo: maximumBytes)
        } catch let error as any HTTPResponseError where error.status == .contentTooLarge {
            throw tooLarge
        }
        guard bytes.readableBytes > 0 else {
            throw ProblemDetails(.malformedBody, detail: "the request body is empty; a JSON document is required")
        }
        do {
            return try JSONReader.parse(bytes.readableBytesView)
        } catch {
            throw ProblemDetails(.malformedBody, detail: "the request body is not valid JSON: \(error)")
        }
    }

    private var tooLarge: ProblemDetails {
        ProblemDetails(.contentTooLarge, detail: "the request body is larger than the \(maximumBytes)-byte limit "
                           + "(\(maximumBytes / (1024 * 1024)) MiB)")
    }
}
