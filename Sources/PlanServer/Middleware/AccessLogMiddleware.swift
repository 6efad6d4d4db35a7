import Hummingbird
import Logging

/// One structured log line per request, written when the last byte of the response has gone (so
/// streamed exports are timed in full): method, path, status, duration, request id.
///
/// The path is logged without its query string and no header is logged, so a token or any text the
/// client put in a parameter never reaches the log.
struct AccessLogMiddleware: RouterMiddleware {
    typealias Context = PlanContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let started = ContinuousClock.now
        let logger = context.logger
        let method = request.method.rawValue
        let path = request.uri.path
        do {
            var response = try await next(request, context)
            let status = response.status.code
            // The server sends no body for HEAD and may never write one: log now.
            guard request.method != .head else {
                Self.log(logger, method: method, path: path, status: status, started: started, outcome: "complete")
                return response
            }
            let body = response.body
            response.body = ResponseBody(contentLength: body.contentLength) { writer in
                do {
                    try await body.write(writer)
                    Self.log(logger, method: method, path: path, status: status, started: started, outcome: "complete")
                } catch {
                    Self.log(logger, method: method, path: path, status: status, started: started, outcome: "aborted")
                    throw error
                }
            }
            return response
        } catch {
            // ProblemMiddleware sits inside and answers every error; this is a last resort.
            Self.log(logger, method: method, path: path, status: 500, started: started, outcome: "failed")
            throw error
        }
    }

    private static func log(_ logger: Logger, method: String, path: String, status: Int, started: ContinuousClock.Instant,
                            outcome: String) {
        let elapsed = ContinuousClock.now - started
        let milliseconds = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
        logger.log(level: status >= 500 || outcome != "complete" ? .warning : .info, "request", metadata: [
            "http.method": .string(method),
            "http.path": .string(path),
            "http.status": .stringConvertible(status),
            "http.duration_ms": .string(String(format3: milliseconds)),
            "http.outcome": .string(outcome),
        ])
    }
}

extension String {
    /// A number with three decimals, without Foundation's locale-dependent formatting.
    init(format3 value: Double) {
        let thousandths = Int64((value * 1000).rounded())
        let whole = thousandths / 1000
        let fraction = String(abs(thousandths % 1000)).leftPadded(to: 3)
        self = "\(whole).\(fraction)"
    }
}
