import Foundation
import HTTPTypes
import Hummingbird

/// CORS for map viewers served from other origins. Only the configured origins get CORS headers
/// (Hummingbird's `CORSMiddleware` writes them); requests from any other origin are served as if
/// CORS did not exist, so the browser withholds the response from the calling page.
struct CORSPolicyMiddleware: RouterMiddleware {
    typealias Context = PlanContext

    private let allowsAnyOrigin: Bool
    private let origins: Set<String>
    private let cors: CORSMiddleware<Context>

    init(allowedOrigins: [String]) {
        allowsAnyOrigin = allowedOrigins.contains("*")
        origins = Set(allowedOrigins.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 })
        cors = CORSMiddleware(
            allowOrigin: allowsAnyOrigin ? .all : .originBased,
            allowHeaders: [.accept, .authorization, .contentType, .ifMatch, .ifNoneMatch, .origin],
            allowMethods: [.get, .head, .post, .put, .patch, .delete, .options],
            exposedHeaders: ["ETag", "Location", "Content-Disposition", "Content-Crs"],
            maxAge: .seconds(600))
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let origin = request.headers[.origin], allowsAnyOrigin || origins.contains(origin) else {
            return try await next(request, context)
        }
        return try await cors.handle(request, context: context, next: next)
    }
}

/// `nosniff` on every response; on HTML pages also a Content-Security-Policy that allows the page's
/// own origin only (plus `data:` images, and the basemap's tile host when one is configured), no
/// framing and no referrer leaking plan URLs to tile servers.
struct SecurityHeadersMiddleware: RouterMiddleware {
    typealias Context = PlanContext

    let contentSecurityPolicy: String

    init(tileURL: String?) {
        var images = "'self' data:"
        if let tileURL, let origin = Self.origin(ofTemplate: tileURL) { images += " " + origin }
        contentSecurityPolicy = [
            "default-src 'self'", "img-src \(images)", "style-src 'self'", "script-src 'self'", "connect-src 'self'",
            "object-src 'none'", "base-uri 'self'", "form-action 'self'", "frame-ancestors 'none'",
        ].joined(separator: "; ")
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        response.headers[.xContentTypeOptions] = "nosniff"
        if let type = response.headers[.contentType], MediaTypes.essence(type) == "text/html" {
            response.headers[.contentSecurityPolicy] = contentSecurityPolicy
            response.headers[.referrerPolicy] = "no-referrer"
            response.headers[.xFrameOptions] = "DENY"
        }
        return response
    }

    /// `https://{s}.tile.example.org/{z}/{x}/{y}.png` → `https://*.tile.example.org`: the CSP source for the tiles.
    static func origin(ofTemplate template: String) -> String? {
        guard let schemeEnd = template.range(of: "://") else { return nil }
        let scheme = template[..<schemeEnd.lowerBound].lowercased()
        guard scheme == "https" || scheme == "http" else { return nil }
        let rest = template[schemeEnd.upperBound...]
        let authority = rest.prefix { $0 != "/" }
        guard !authority.isEmpty else { return nil }
        let host = authority.replacingPlaceholders()
        guard host.allSatisfy({ $0.isLetter || $0.isNumber || ".-:*".contains($0) }) else { return nil }
        return "\(scheme)://\(host)"
    }
}

extension Substring {
    /// `{s}.tile.org` → `*.tile.org`: a template placeholder in a host becomes a CSP wildcard.
    fileprivate func replacingPlaceholders() -> String {
        var result = ""
        var inPlaceholder = false
        for character in self {
            if character == "{" {
                inPlaceholder = true
                result.append("*")
            } else if character == "}" {
                inPlaceholder = false
            } else if !inPlaceholder {
                result.append(character)
            }
        }
        return result
    }
}

extension HTTPField.Name {
    static let xFrameOptions = Self("X-Frame-Options")!
    static let referrerPolicy = Self("Referrer-Policy")!
    static let contentCrs = Self("Content-Crs")!
}
