/// The machine-readable `code` of an `error` frame or a REST error body.
public enum ErrorCode: String, Codable, Sendable, CaseIterable {
    case badJSON = "bad_json"
    case badFrame = "bad_frame"
    case unknownType = "unknown_type"
    case invalid
    case notFound = "not_found"
    case notAMember = "not_a_member"
    case forbidden
    case blocked
    case conflict
    case rateLimited = "rate_limited"
    case unauthorized
    case tokenExpired = "token_expired"
    case internalError = "internal"
}

/// The REST error body: `{"error": {"code": ..., "message": ...}}`.
public struct ErrorBody: Codable, Sendable, Equatable {
    public struct Detail: Codable, Sendable, Equatable {
        public var code: ErrorCode
        public var message: String
        public var retryAfterMs: Int?

        public init(code: ErrorCode, message: String, retryAfterMs: Int? = nil) {
            self.code = code
            self.message = message
            self.retryAfterMs = retryAfterMs
        }

        enum CodingKeys: String, CodingKey {
            case code, message
            case retryAfterMs = "retry_after_ms"
        }
    }

    public var error: Detail

    public init(code: ErrorCode, message: String, retryAfterMs: Int? = nil) {
        self.error = Detail(code: code, message: message, retryAfterMs: retryAfterMs)
    }
}
