import Hummingbird

/// The request context of every route: Hummingbird's core storage and the caller once
/// `TokenAuthenticator` has verified them.
struct ChatRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    var user: AuthenticatedUser?

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        user = nil
    }

    /// The authenticated caller; routes behind `TokenAuthenticator` always have one.
    func caller() throws -> AuthenticatedUser {
        guard let user else { throw ServerError.unauthorized("a bearer token is required") }
        return user
    }
}
