import Foundation

/// `POST /api/auth/register`.
public struct RegisterRequest: Codable, Sendable, Equatable {
    public var username: String
    public var password: String
    public var displayName: String?

    public init(username: String, password: String, displayName: String? = nil) {
        self.username = username
        self.password = password
        self.displayName = displayName
    }

    enum CodingKeys: String, CodingKey {
        case username, password
        case displayName = "display_name"
    }
}

/// `POST /api/auth/login`.
public struct LoginRequest: Codable, Sendable, Equatable {
    public var username: String
    public var password: String

    public init(username: String, password: String) {
        self.username = username
        self.password = password
    }
}

/// The reply to register and login.
public struct AuthResponse: Codable, Sendable, Equatable {
    public var accessToken: String
    public var tokenType: String
    /// Seconds until the token expires.
    public var expiresIn: Int
    public var user: UserInfo

    public init(accessToken: String, tokenType: String = "bearer", expiresIn: Int, user: UserInfo) {
        self.accessToken = accessToken
        self.tokenType = tokenType
        self.expiresIn = expiresIn
        self.user = user
    }

    enum CodingKeys: String, CodingKey {
        case accessToken = "access_token"
        case tokenType = "token_type"
        case expiresIn = "expires_in"
        case user
    }
}

/// A user as REST shows it; presence fields only where the caller may see them.
public struct UserInfo: Codable, Sendable, Equatable {
    public var id: UserID
    public var username: String
    public var displayName: String?
    public var createdAt: Date
    public var isOnline: Bool?
    public var lastSeen: Date?
    /// ext: true for an incoming webhook's sender (it posts, it cannot log in or read).
    public var isHook: Bool?

    public init(
        id: UserID, username: String, displayName: String?, createdAt: Date, isOnline: Bool? = nil, lastSeen: Date? = nil, isHook: Bool? = nil
    ) {
        self.id = id
        self.username = username
        self.displayName = displayName
        self.createdAt = createdAt
        self.isOnline = isOnline
        self.lastSeen = lastSeen
        self.isHook = isHook
    }

    enum CodingKeys: String, CodingKey {
        case id, username
        case displayName = "display_name"
        case createdAt = "created_at"
        case isOnline = "is_online"
        case lastSeen = "last_seen"
        case isHook = "is_hook"
    }
}

/// `{user_id | username}`: how REST bodies name another user.
public struct UserReference: Codable, Sendable, Equatable {
    public var userID: UserID?
    public var username: String?

    public init(userID: UserID? = nil, username: String? = nil) {
        self.userID = userID
        self.username = username
    }

    enum CodingKeys: String, CodingKey {
        case userID = "user_id"
        case username
    }
}

/// `GET /health`.
public struct HealthStatus: Codable, Sendable, Equatable {
    public var status: String

    public init(status: String) {
        self.status = status
    }
}
