import FitChatProtocol
import Hummingbird
import Logging

/// Gives every failure the protocol's body, `{"error": {code, message}}`, including Hummingbird's
/// own (unknown route, wrong method) and unexpected errors, which are logged and reported as 500.
struct ErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    let metrics: ServerMetrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            let reported = answer(to: error, request: request, context: context)
            metrics.answeredError(reported.payload(requestType: nil).code)
            throw reported
        }
    }

    private func answer(to error: any Error, request: Request, context: Context) -> ServerError {
        if let reported = ServerError.reported(error) { return reported }
        if let error = error as? HTTPError {
            return switch error.status {
            case .notFound: .notFound("no route for \(request.method) \(request.uri.path)")
            case .unauthorized: .unauthorized(error.body ?? "unauthorized")
            case .forbidden: .forbidden(error.body ?? "forbidden")
            case .methodNotAllowed: .invalid("\(request.method) is not allowed on \(request.uri.path)")
            case .contentTooLarge: .invalid("the request body is too large")
            case .internalServerError: .internalError
            default: .invalid(error.body ?? "\(error.status)")
            }
        }
        context.logger.error("request failed", metadata: ["path": "\(request.uri.path)", "error": "\(error)"])
        return .internalError
    }
}
