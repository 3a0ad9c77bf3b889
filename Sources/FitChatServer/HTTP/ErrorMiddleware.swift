import FitChatProtocol
import Hummingbird
import Logging

/// Gives every failure the protocol's body, `{"error": {code, message}}`, including Hummingbird's
/// own (unknown route, wrong method) and unexpected errors, which are logged and reported as 500.
struct ErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error where ServerError.reported(error) != nil {
            throw ServerError.reported(error) ?? .internalError
        } catch let error as HTTPError {
            let mapped: ServerError =
                switch error.status {
                case .notFound: .notFound("no route for \(request.method) \(request.uri.path)")
                case .unauthorized: .unauthorized(error.body ?? "unauthorized")
                case .forbidden: .forbidden(error.body ?? "forbidden")
                case .methodNotAllowed: .invalid("\(request.method) is not allowed on \(request.uri.path)")
                case .contentTooLarge: .invalid("the request body is too large")
                case .internalServerError: .internalError
                default: .invalid(error.body ?? "\(error.status)")
                }
            throw mapped
        } catch {
            context.logger.error("request failed", metadata: ["path": "\(request.uri.path)", "error": "\(error)"])
            throw ServerError.internalError
        }
    }
}
