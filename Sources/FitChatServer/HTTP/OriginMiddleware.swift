import HTTPTypes
import Hummingbird

/// With `CORS_ORIGINS` set, a browser request from any other `Origin` is refused with 403.
/// Requests without an `Origin` (CLI, scripts, mobile apps) are not browsers and pass, and so
/// do same-origin ones (WebSocket clients such as swift-websocket send the server's own host).
struct OriginPolicy: Sendable {
    let allowed: Set<String>

    func check(_ head: HTTPRequest) throws(ServerError) {
        guard !allowed.isEmpty else { return }
        for origin in head.headerFields[values: .origin] where !allowed.contains(origin) && !isSameOrigin(origin, head) {
            throw .forbidden("origin \(origin) is not allowed")
        }
    }

    private func isSameOrigin(_ origin: String, _ head: HTTPRequest) -> Bool {
        guard let authority = head.authority else { return false }
        let originHost = origin.split(separator: "://", maxSplits: 1).last.map(String.init) ?? origin
        return originHost == authority || originHost == authority.split(separator: ":").first.map(String.init)
    }
}

/// `OriginPolicy` for every REST route.
struct OriginMiddleware<Context: RequestContext>: RouterMiddleware {
    let policy: OriginPolicy

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        try policy.check(request.head)
        return try await next(request, context)
    }
}
