import HTTPTypes
import Hummingbird
import HummingbirdCore

/// Verifies the bearer token (or, for the WebSocket only, the seed's `?token=`), checks that its
/// user exists, and puts the caller in the context. Anything wrong is a 401 with a JSON body.
struct TokenAuthenticator: RouterMiddleware {
    typealias Context = ChatRequestContext

    let tokens: TokenAuthority
    let users: KnownUsers
    let revoked: RevokedTokens
    /// The seed protocol puts the WebSocket token in the query string; REST never reads it there.
    var acceptsQueryToken = false

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        context.user = try await authenticate(request.head)
        return try await next(request, context)
    }

    func authenticate(_ head: HTTPRequest) async throws(ServerError) -> AuthenticatedUser {
        guard let token = token(in: head) else { throw .unauthorized("a bearer token is required") }
        let user = try await tokens.verify(token)
        let (isRevoked, exists): (Bool, Bool)
        do {
            isRevoked = try await revoked.contains(user.tokenHash)
            exists = try await users.exists(user.id)
        } catch {
            throw .internalError
        }
        guard !isRevoked else { throw .unauthorized("the token was revoked by logging out; log in again") }
        guard exists else { throw .unauthorized("the token's user does not exist on this server; log in again") }
        return user
    }

    /// Parsed here rather than with hummingbird-auth's `bearer`, which takes only `Bearer `
    /// spelled so: the scheme is case-insensitive (RFC 9110 §11.1), and some clients send it lowercased.
    private func token(in head: HTTPRequest) -> String? {
        if let header = head.headerFields[.authorization] {
            let parts = header.split(separator: " ", maxSplits: 1)
            if parts.count == 2, parts[0].lowercased() == "bearer" {
                return parts[1].trimmingCharacters(in: .whitespaces)
            }
            return nil
        }
        guard acceptsQueryToken else { return nil }
        return URI(head.path ?? "").queryParameters.get("token")
    }
}
