import Hummingbird

/// A request that asked for an upgrade and reached the router was declined, and its connection
/// closes after the answer (see `ChatUpgradeChannel`); `Connection: close` tells the client so.
struct DeclinedUpgradeMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard request.headers[.upgrade] != nil else { return try await next(request, context) }
        var response: Response
        do {
            response = try await next(request, context)
        } catch let error as any HTTPResponseError {
            response = try error.response(from: request, context: context)
        }
        response.headers[.connection] = "close"
        return response
    }
}
