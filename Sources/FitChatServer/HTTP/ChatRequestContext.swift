import Hummingbird
import HummingbirdWebSocket

/// The request context of every route: Hummingbird's core storage, the WebSocket upgrade slot,
/// and the caller once `TokenAuthenticator` has verified them.
struct ChatRequestContext: RequestContext, WebSocketRequestContext {
    var coreContext: CoreRequestContextStorage
    let webSocket: WebSocketHandlerReference<ChatRequestContext>
    var user: AuthenticatedUser?

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        webSocket = .init()
        user = nil
    }

    /// The authenticated caller; routes behind `TokenAuthenticator` always have one.
    func caller() throws -> AuthenticatedUser {
        guard let user else { throw ServerError.unauthorized("a bearer token is required") }
        return user
    }
}
