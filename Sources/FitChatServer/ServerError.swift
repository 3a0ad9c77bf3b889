import FitChatProtocol
import Foundation
import HTTPTypes
import Hummingbird

/// Every error the server reports to a client, by WebSocket `error` frame or REST error body.
public enum ServerError: Error, Sendable, Equatable {
    case invalid(String)
    case notFound(String)
    case notAMember
    case forbidden(String)
    case blocked
    case conflict(String)
    case rateLimited(retryAfterMs: Int)
    case unauthorized(String)
    case tokenExpired
    /// A body past its limit (an upload over `--max-upload`): 413.
    case tooLarge(String)
    /// A `Range` outside the file: 416, with the file's size.
    case rangeNotSatisfiable(size: Int64)
    case internalError

    public var code: ErrorCode {
        switch self {
        case .invalid: .invalid
        case .notFound: .notFound
        case .notAMember: .notAMember
        case .forbidden: .forbidden
        case .blocked: .blocked
        case .conflict: .conflict
        case .rateLimited: .rateLimited
        case .unauthorized: .unauthorized
        case .tokenExpired: .tokenExpired
        case .tooLarge, .rangeNotSatisfiable: .invalid
        case .internalError: .internalError
        }
    }

    public var message: String {
        switch self {
        case .invalid(let message), .notFound(let message), .forbidden(let message),
            .conflict(let message), .unauthorized(let message), .tooLarge(let message):
            message
        case .notAMember: "you are not a participant of this room"
        case .blocked: "this user has blocked you"
        case .rateLimited(let retryAfterMs): "too many requests; retry in \(retryAfterMs) ms"
        case .rangeNotSatisfiable(let size): "the range is outside the file (\(size) bytes)"
        case .tokenExpired: "the token has expired; log in again"
        case .internalError: "internal server error"
        }
    }

    var retryAfterMs: Int? {
        if case .rateLimited(let retryAfterMs) = self { retryAfterMs } else { nil }
    }

    /// A store's refusal as clients hear it.
    init(_ error: StoreError) {
        switch error {
        case .conflict(let message): self = .conflict(message)
        case .notFound(let message): self = .notFound(message)
        case .notAMember: self = .notAMember
        case .forbidden(let message): self = .forbidden(message)
        case .invalidReference(let message): self = .invalid(message)
        case .inconsistent: self = .internalError
        }
    }

    /// Any error on its way to a client: a `ServerError` as it is, a store's refusal in its
    /// words, anything else an internal error (which the caller logs).
    static func reported(_ error: any Error) -> ServerError? {
        switch error {
        case let error as ServerError: error
        case let error as StoreError: ServerError(error)
        default: nil
        }
    }

    /// The payload of the WebSocket `error` frame answering a frame of `requestType`.
    func payload(requestType: String?) -> ErrorPayload {
        ErrorPayload(message: message, code: code, requestType: requestType, retryAfterMs: retryAfterMs)
    }
}

extension ServerError: HTTPResponseError {
    public var status: HTTPResponse.Status {
        switch self {
        case .invalid: .badRequest
        case .notFound: .notFound
        case .notAMember, .forbidden, .blocked: .forbidden
        case .conflict: .conflict
        case .rateLimited: .tooManyRequests
        case .unauthorized, .tokenExpired: .unauthorized
        case .tooLarge: .contentTooLarge
        case .rangeNotSatisfiable: .rangeNotSatisfiable
        case .internalError: .internalServerError
        }
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var headers: HTTPFields = [.contentType: "application/json; charset=utf-8"]
        if let retryAfterMs {
            headers[.retryAfter] = String((retryAfterMs + 999) / 1000)
        }
        if case .rangeNotSatisfiable(let size) = self { headers[.contentRange] = "bytes */\(size)" }
        let body = ErrorBody(code: code, message: message, retryAfterMs: retryAfterMs)
        let data = try WireCoding.makeEncoder().encode(body)
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
