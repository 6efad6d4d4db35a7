import GeoModel
import Hummingbird
import Planning

/// The bridge from GeoModel's byte sinks to a streamed HTTP response: `GeoJSONWriter` (and
/// `Atlas.export`) write into it synchronously, `drain()` hands what has gathered to Hummingbird's
/// response writer, waiting while the client is slow to read.
final class ResponseSink: DrainingByteSink {
    private var writer: any ResponseBodyWriter
    private var pending = ByteBuffer()

    init(writer: any ResponseBodyWriter) {
        self.writer = writer
    }

    func write(_ bytes: UnsafeRawBufferPointer) {
        pending.writeBytes(bytes)
    }

    func drain() async throws {
        guard pending.readableBytes > 0 else { return }
        let chunk = pending
        pending = ByteBuffer()
        try await writer.write(chunk)
    }

    /// Drains the rest and ends the response body.
    func finish() async throws {
        try await drain()
        try await writer.finish(nil)
    }
}

/// Response bodies written by `GeoJSONWriter`.
enum GeoJSONBody {
    /// A FeatureCollection streamed feature by feature: `leading` members after `"type"`, then the
    /// features, then `trailing` members. The features are in memory already (a page, a search
    /// result); the bytes are not: they go out in ~64 KiB chunks as the writer fills them.
    static func collection(_ features: [Feature], leading: JSONObject, trailing: JSONObject = [:]) -> ResponseBody {
        ResponseBody { writer in
            let sink = ResponseSink(writer: writer)
            var geoJSON = GeoJSONWriter(to: sink)
            try geoJSON.beginFeatureCollection(members: leading)
            for feature in features {
                try geoJSON.write(feature)
                try await sink.drain()
            }
            try geoJSON.endFeatureCollection(members: trailing)
            try await sink.finish()
        }
    }

    /// One GeoJSON feature as a JSON value, e.g. to add OGC links to it or to render it as HTML.
    static func value(of feature: Feature) throws -> JSONValue {
        try JSONValue(parsing: GeoJSONWriter.encode(feature))
    }

    /// The feature as a JSON value that reads back to exactly the same feature: every coordinate in
    /// full and rings as stored (a merge patch of the properties must not move the geometry).
    static func exactValue(of feature: Feature) throws -> JSONValue {
        try JSONValue(parsing: GeoJSONWriter.encode(feature, options: .init(coordinatePrecision: nil, enforcesRightHandRule: false)))
    }
}

extension JSONValue {
    /// Compact JSON text, written by GeoModel's writer like every other document this service sends.
    /// Only a NaN or infinite number can fail, and the service builds none.
    func encodedBuffer() throws -> ByteBuffer {
        ByteBuffer(bytes: try GeoJSONWriter.encode(self))
    }

    /// The same text as a string, for HTML pages and problem bodies; a value JSON cannot hold
    /// (which the service never builds) reads as `null` rather than failing an error response.
    var jsonText: String {
        (try? GeoJSONWriter.encode(self)).map { String(decoding: $0, as: UTF8.self) } ?? "null"
    }
}
