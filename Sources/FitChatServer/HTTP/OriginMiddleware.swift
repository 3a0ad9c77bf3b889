import Hummingbird

/// With `CORS_ORIGINS` set, a browser request from any other `Origin` is refused with 403.
/// Requests without an `Origin` (CLI, scripts, mobile apps) are not browsers and pass.
struct OriginMiddleware<Context: RequestContext>: RouterMiddleware {
    let allowed: Set<String>

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if !allowed.isEmpty, let origin = request.headers[.origin], !allowed.contains(origin) {
            throw ServerError.forbidden("origin \(origin) is not allowed")
        }
        return try await next(request, context)
    }
}
