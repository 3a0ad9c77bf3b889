import FitChatProtocol
import Foundation
import Hummingbird

/// REST bodies through the request context (`ChatRequestContext` names these): the wire's JSON
/// configuration both ways, and a body that does not decode is `invalid` naming the field.
struct WireRequestDecoder: RequestDecoder {
    func decode<T: Decodable>(_ type: T.Type, from request: Request, context: some RequestContext) async throws -> T {
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: context.maxUploadSize)
        } catch {
            throw ServerError.invalid("the request body is larger than \(context.maxUploadSize / 1024) KiB")
        }
        do {
            return try WireCoding.makeDecoder().decode(T.self, from: Data(buffer: buffer))
        } catch let error as DecodingError {
            if case .dataCorrupted(let context) = error, context.codingPath.isEmpty {
                throw ServerError.invalid("the request body is not valid JSON")
            }
            throw ServerError.invalid(error.fieldProblem)
        }
    }
}

/// What REST handlers answer with: the body in the wire's JSON configuration.
extension HealthStatus: ResponseEncodable {}
extension AuthResponse: ResponseEncodable {}
extension UserInfo: ResponseEncodable {}
extension FriendRequestInfo: ResponseEncodable {}
extension FriendRequestList: ResponseEncodable {}
extension RoomInfo: ResponseEncodable {}
extension ChatMessage: ResponseEncodable {}
extension ReadState: ResponseEncodable {}
extension WebhookInfo: ResponseEncodable {}
extension AttachmentInfo: ResponseEncodable {}

extension Request {
    /// A body that may be left out (`POST /api/rooms/{id}/read`): empty means `whenEmpty`.
    func decode<T: Decodable>(as type: T.Type, context: ChatRequestContext, whenEmpty: T) async throws -> T {
        var request = self
        let buffer = try await request.collectBody(upTo: context.maxUploadSize)
        guard buffer.readableBytes > 0 else { return whenEmpty }
        return try await request.decode(as: type, context: context)
    }

    /// An optional id query parameter (`?room_id=`); present but not a UUID is `invalid`.
    func idQuery(_ name: String) throws -> ChatID? {
        guard let text = uri.queryParameters.get(name), !text.isEmpty else { return nil }
        guard let id = ChatID(text) else { throw ServerError.invalid("\(name) must be a UUID") }
        return id
    }

    /// An optional integer query parameter; present but not an integer is `invalid`.
    func integerQuery(_ name: String) throws -> Int64? {
        guard let text = uri.queryParameters.get(name), !text.isEmpty else { return nil }
        guard let value = Int64(text) else { throw ServerError.invalid("\(name) must be an integer") }
        return value
    }
}
