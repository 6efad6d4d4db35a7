import Hummingbird

/// Guards the write operations: `Authorization: Bearer <token>` must carry the configured token.
///
/// A missing or wrong token is a 401 with `WWW-Authenticate` (RFC 6750). The comparison takes the
/// same time wherever the first differing byte is, so the token cannot be guessed byte by byte from
/// response times. The token is never logged or echoed. When no token is configured the write
/// routes are not registered at all, and writes answer 405 (see `buildRouter`).
struct BearerTokenMiddleware: RouterMiddleware {
    typealias Context = PlanContext

    private let expected: [UInt8]

    init(token: String) {
        expected = Array(token.utf8)
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let header = request.headers[.authorization] else {
            throw ProblemDetails(.unauthorized, detail: "this operation changes data and needs 'Authorization: Bearer <token>'",
                                 parameter: "Authorization", headers: [.wwwAuthenticate: #"Bearer realm="planatlas""#])
        }
        guard let presented = Self.bearerCredentials(header), Self.constantTimeEqual(Array(presented.utf8), expected) else {
            throw ProblemDetails(.unauthorized, detail: "the bearer token is not valid for this service", parameter: "Authorization",
                                 headers: [.wwwAuthenticate: #"Bearer realm="planatlas", error="invalid_token""#])
        }
        return try await next(request, context)
    }

    /// The credentials of a `Bearer` authorization (the scheme is case-insensitive, RFC 9110 §11.1).
    static func bearerCredentials(_ header: String) -> Substring? {
        let parts = header.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        let token = parts[1].drop { $0 == " " }
        return token.isEmpty ? nil : token
    }

    /// Compares every byte of `expected` whatever `presented` holds; only the expected length shows in the timing.
    static func constantTimeEqual(_ presented: [UInt8], _ expected: [UInt8]) -> Bool {
        var difference = UInt8(truncatingIfNeeded: presented.count ^ expected.count)
        difference |= presented.count == expected.count ? 0 : 1
        for index in expected.indices {
            let byte = presented.isEmpty ? 0 : presented[index % presented.count]
            difference |= byte ^ expected[index]
        }
        return difference == 0
    }
}
