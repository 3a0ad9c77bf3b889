import Hummingbird

/// With `CORS_ORIGINS` set, a browser request from any other `Origin` is refused with 403.
/// Requests without an `Origin` (CLI, scripts, mobile apps) are not browsers and pass, and so
/// do same-origin ones (WebSocket clients such as swift-websocket send the server's own host).
struct OriginMiddleware<Context: RequestContext>: RouterMiddleware {
    let allowed: Set<String>

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if !allowed.isEmpty {
            for origin in request.headers[values: .origin] where !allowed.contains(origin) && !isSameOrigin(origin, request) {
                throw ServerError.forbidden("origin \(origin) is not allowed")
            }
        }
        return try await next(request, context)
    }

    private func isSameOrigin(_ origin: String, _ request: Request) -> Bool {
        guard let authority = request.head.authority else { return false }
        let originHost = origin.split(separator: "://", maxSplits: 1).last.map(String.init) ?? origin
        return originHost == authority || originHost == authority.split(separator: ":").first.map(String.init)
    }
}
