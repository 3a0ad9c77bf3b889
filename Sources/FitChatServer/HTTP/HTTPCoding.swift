import FitChatProtocol
import Foundation
import Hummingbird

/// JSON in and out of REST handlers with the wire configuration (RFC 3339 dates, seed field names).
struct HTTPCoding: Sendable {
    let encoder = WireCoding.makeEncoder()
    let decoder = WireCoding.makeDecoder()
    let maxBodySize = 256 * 1024

    /// Decodes the body; a malformed one is `invalid` naming the field. An empty body is
    /// `whenEmpty` where the route has a sensible default.
    func decode<T: Decodable>(_ type: T.Type, from request: Request, whenEmpty: T? = nil) async throws -> T {
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: maxBodySize)
        } catch {
            throw ServerError.invalid("the request body is larger than \(maxBodySize / 1024) KiB")
        }
        if buffer.readableBytes == 0, let whenEmpty { return whenEmpty }
        do {
            return try decoder.decode(T.self, from: Data(buffer: buffer))
        } catch let error as DecodingError {
            if case .dataCorrupted(let context) = error, context.codingPath.isEmpty {
                throw ServerError.invalid("the request body is not valid JSON")
            }
            throw ServerError.invalid(error.fieldProblem)
        }
    }

    func response(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
        Response(
            status: status,
            headers: [.contentType: "application/json; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(data: try encoder.encode(value)))
        )
    }

    func noContent() -> Response {
        Response(status: .noContent)
    }
}

extension Request {
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

extension ChatRequestContext {
    /// An id path parameter (`/api/rooms/{id}`): one that is not a UUID names nothing, so it
    /// is `not_found` like a well-formed id that does not exist.
    func pathID(_ name: String = "id") throws -> ChatID {
        guard let text = parameters.get(name), let id = ChatID(text) else {
            throw ServerError.notFound("no such \(name == "id" ? "resource" : name): not a UUID")
        }
        return id
    }
}
