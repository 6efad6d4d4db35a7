import CompressNIO
import Hummingbird

/// gzip for text responses (JSON, GeoJSON, HTML, CSS, JavaScript, SVG) of 1 KiB or more, and for
/// streamed ones of unknown length, when the client's Accept-Encoding allows it. Compression runs
/// chunk by chunk as the body is written, so streamed exports stay streamed.
struct CompressionMiddleware: RouterMiddleware {
    typealias Context = PlanContext

    static let minimumBytes = 1024

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        guard response.headers[.contentEncoding] == nil, response.status != .noContent, response.status != .notModified,
              let type = response.headers[.contentType], Self.isCompressible(type),
              (response.body.contentLength ?? Int.max) >= Self.minimumBytes
        else { return response }
        response.headers[values: .vary].append("Accept-Encoding")
        guard request.method != .head, Self.acceptsGzip(request.headers[.acceptEncoding]) else { return response }

        response.headers[.contentEncoding] = "gzip"
        response.headers[.contentLength] = nil
        // The compressed bytes differ from the plain ones, so a strong validator must not be reused.
        if let tag = response.headers[.eTag], !tag.hasPrefix("W/") { response.headers[.eTag] = EntityTag.gzipVariant(of: tag) }
        let body = response.body
        response.body = ResponseBody { writer in
            let compressor = CompressionAlgorithm.gzip(configuration: ZlibConfiguration(compressionLevel: .compressionLevel5)).compressor
            compressor.window = ByteBufferAllocator().buffer(capacity: 64 * 1024)
            try compressor.startStream()
            defer { try? compressor.finishStream() }
            try await body.write(GzipWriter(compressor: compressor, parent: writer))
        }
        return response
    }

    static func isCompressible(_ contentType: String) -> Bool {
        let essence = MediaTypes.essence(contentType)
        return essence.hasPrefix("text/") || essence.hasSuffix("+json") || essence == "application/json"
            || essence == "application/javascript" || essence == "image/svg+xml"
            || essence == "application/vnd.oai.openapi+json"
    }

    /// True when `gzip` (or `*`) is listed with a non-zero quality.
    static func acceptsGzip(_ header: String?) -> Bool {
        guard let header else { return false }
        for entry in header.split(separator: ",") {
            let parts = entry.split(separator: ";").map { $0.trimmingSpaces.lowercased() }
            guard parts.first == "gzip" || parts.first == "*" else { continue }
            let quality = parts.dropFirst().first { $0.hasPrefix("q=") }.flatMap { Double($0.dropFirst(2)) } ?? 1
            return quality > 0
        }
        return false
    }
}

/// Compresses what is written through it and writes the gzip stream to the real writer.
private struct GzipWriter: ResponseBodyWriter {
    let compressor: any NIOCompressor
    var parent: any ResponseBodyWriter

    mutating func write(_ buffer: ByteBuffer) async throws {
        var input = buffer
        var parent = self.parent
        try await input.compressStream(with: compressor, flush: .no) { try await parent.write($0) }
        self.parent = parent
    }

    consuming func finish(_ trailingHeaders: HTTPFields?) async throws {
        var empty = ByteBuffer()
        var parent = self.parent
        try await empty.compressStream(with: compressor, flush: .finish) { try await parent.write($0) }
        try await parent.finish(trailingHeaders)
    }
}

extension Substring {
    var trimmingSpaces: Substring {
        var view = self
        while view.first?.isWhitespace == true { view = view.dropFirst() }
        while view.last?.isWhitespace == true { view = view.dropLast() }
        return view
    }
}
