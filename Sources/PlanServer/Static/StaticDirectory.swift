import Foundation
import Hummingbird

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Files under one directory, served read-only with no way out of it.
///
/// A request path is taken apart into segments, each percent-decoded and refused if it is empty,
/// `.`/`..`, hidden (leading dot) or holds a separator or NUL; then the joined path is resolved with
/// `realpath` and must still lie under the (resolved) root, so a symlink pointing outside is refused
/// too. Every refusal is a plain 404: the client learns nothing about the file system.
struct StaticDirectory: Sendable {
    /// The resolved root, or nil when the directory does not exist (then every file is 404).
    let root: String?
    let cacheControl: String

    init(path: String, cacheControl: String) {
        root = Self.realPath(path)
        self.cacheControl = cacheControl
    }

    /// The file a URL path (below the mount point, still percent-encoded) names, or nil.
    func resolve(rawSegments: [Substring]) -> (path: String, size: Int, modified: Date)? {
        guard let root, !rawSegments.isEmpty else { return nil }
        var segments: [String] = []
        for raw in rawSegments {
            guard let segment = QueryParameters.percentDecoded(raw, plusIsSpace: false), Self.isPlainName(segment) else { return nil }
            segments.append(segment)
        }
        let candidate = root + "/" + segments.joined(separator: "/")
        guard let resolved = Self.realPath(candidate), resolved.hasPrefix(root + "/"),
              let attributes = try? FileManager.default.attributesOfItem(atPath: resolved),
              attributes[.type] as? FileAttributeType == .typeRegular,
              let size = (attributes[.size] as? NSNumber)?.intValue,
              let modified = attributes[.modificationDate] as? Date
        else { return nil }
        return (resolved, size, modified)
    }

    func response(rawSegments: [Substring], request: Request, context: PlanContext) async throws -> Response {
        guard let file = resolve(rawSegments: rawSegments) else {
            throw ProblemDetails.notFound("there is no file at '\(ProblemDetails.quoted(request.uri.path))'")
        }
        let tag = "\"\(String(file.size, radix: 16))-\(String(Int64(file.modified.timeIntervalSince1970 * 1000), radix: 16))\""
        var headers: HTTPFields = [
            .contentType: Self.mediaType(forFile: file.path),
            .eTag: tag,
            .cacheControl: cacheControl,
        ]
        if let match = request.headers[.ifNoneMatch], EntityTag.list(match, matches: tag) {
            return Response(status: .notModified, headers: headers)
        }
        headers[.contentLength] = String(file.size)
        guard request.method != .head else { return Response(status: .ok, headers: headers) }
        let body = try await FileIO().loadFile(path: file.path, context: context)
        return Response(status: .ok, headers: headers, body: body)
    }

    static func isPlainName(_ segment: String) -> Bool {
        !segment.isEmpty && !segment.hasPrefix(".") && !segment.contains("/") && !segment.contains("\\")
            && !segment.contains("\0")
    }

    static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    static let mediaTypes: [String: String] = [
        "html": MediaTypes.html, "js": "text/javascript; charset=utf-8", "mjs": "text/javascript; charset=utf-8",
        "css": "text/css; charset=utf-8", "json": "application/json", "geojson": MediaTypes.geoJSON,
        "map": "application/json", "svg": "image/svg+xml", "png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg",
        "gif": "image/gif", "webp": "image/webp", "ico": "image/vnd.microsoft.icon", "woff2": "font/woff2",
        "txt": "text/plain; charset=utf-8",
    ]

    static func mediaType(forFile path: String) -> String {
        let name = path.split(separator: "/").last ?? ""
        guard let dot = name.lastIndex(of: ".") else { return "application/octet-stream" }
        return mediaTypes[name[name.index(after: dot)...].lowercased()] ?? "application/octet-stream"
    }
}
