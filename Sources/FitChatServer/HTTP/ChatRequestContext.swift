import FitChatProtocol
import Foundation
import Hummingbird

/// The request context of every route: Hummingbird's core storage, the wire's JSON coding for
/// bodies in and out, the body size limit, and the caller once `TokenAuthenticator` verified them.
struct ChatRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    var user: AuthenticatedUser?

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        user = nil
    }

    var requestDecoder: WireRequestDecoder { WireRequestDecoder() }
    var responseEncoder: JSONEncoder { WireCoding.makeEncoder() }
    var maxUploadSize: Int { 256 * 1024 }

    /// The authenticated caller; routes behind `TokenAuthenticator` always have one.
    func caller() throws -> AuthenticatedUser {
        guard let user else { throw ServerError.unauthorized("a bearer token is required") }
        return user
    }

    /// An id path parameter (`/api/rooms/{id}`): one that is not a UUID names nothing, so it
    /// is `not_found` like a well-formed id that does not exist.
    func pathID(_ name: String = "id") throws -> ChatID {
        guard let text = parameters.get(name), let id = ChatID(text) else {
            throw ServerError.notFound("no such \(name == "id" ? "resource" : name): not a UUID")
        }
        return id
    }

    /// The `{emoji}` of a reaction path, percent-decoded (Hummingbird hands paths over raw).
    func emoji() throws -> String {
        guard let text = parameters.get("emoji")?.removingPercentEncoding else {
            throw ServerError.invalid("emoji must be percent-encoded UTF-8 in the path")
        }
        return text
    }
}
