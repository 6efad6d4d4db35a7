import FeatureStore
import GeoModel
import Hummingbird
import Logging
import Planning

/// Turns every error thrown below it into an `application/problem+json` response, so that a bad
/// request never escapes as a bare status or a dropped connection.
///
/// - `ProblemDetails`: sent as is.
/// - The store's and the planning layer's errors that a client caused (see DomainProblems.swift),
///   and a database that is unavailable (503) or full (507).
/// - The router's "no route": 405 with `Allow` when the path exists under another method, else 404.
/// - Hummingbird's own HTTP errors (413 while collecting a body, …): their status, as a problem.
/// - Anything else is our fault: logged with the request id, answered 500 with a generic message.
struct ProblemMiddleware: RouterMiddleware {
    typealias Context = PlanContext

    /// The API's operations, to tell "wrong method" from "no such resource".
    let operations: [APIOperation]

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let instance = request.uri.path
        do {
            return try await next(request, context)
        } catch {
            if let problem = clientProblem(error, request: request) {
                if problem.status.code >= 500 {
                    // The database is away or full: the operator needs the store's own message.
                    context.logger.warning("service problem", metadata: [
                        "error.message": .string(String(describing: error)), "http.path": .string(instance),
                    ])
                }
                return problem.response(instance: instance)
            }
            // Not a client's mistake: the detail stays in the log, the client gets a generic message.
            context.logger.error("unhandled error", metadata: [
                "error.type": .string(String(reflecting: type(of: error))),
                "error.message": .string(String(describing: error)),
                "http.path": .string(instance),
            ])
            return ProblemDetails(.internalError, detail: "the server failed to answer this request; the error is logged "
                                      + "under request id \(context.id)").response(instance: instance)
        }
    }

    /// The problem to send for an error the client caused; nil for a failure of the service.
    private func clientProblem(_ error: any Error, request: Request) -> ProblemDetails? {
        switch error {
        case let problem as ProblemDetails: problem
        case let error as StoreError: ProblemDetails(error)
        case let error as PlanningError: ProblemDetails(error)
        case let error as any HTTPResponseError: problem(for: error, request: request)
        default: nil
        }
    }

    private func problem(for error: any HTTPResponseError, request: Request) -> ProblemDetails {
        switch error.status {
        case .notFound:
            let allowed = operations.allowedMethods(forPath: request.uri.path)
            if !allowed.isEmpty && !allowed.contains(request.method) {
                let allowList = allowed.map(\.rawValue).joined(separator: ", ")
                return ProblemDetails(.methodNotAllowed, detail: "\(request.method.rawValue) is not allowed on "
                                          + "'\(ProblemDetails.quoted(request.uri.path))'; allowed: \(allowList)",
                                      headers: [.allow: allowList])
            }
            return .notFound("there is no resource at '\(ProblemDetails.quoted(request.uri.path))'; see /api for what this service offers")
        case .contentTooLarge:
            return ProblemDetails(.contentTooLarge, detail: "the request body is larger than this service accepts")
        default:
            let kind = ProblemDetails.Kind.allCases.first { $0.status == error.status } ?? .malformedBody
            let message = (error as? HTTPError)?.body ?? error.status.reasonPhrase
            return ProblemDetails(kind, detail: message)
        }
    }
}
