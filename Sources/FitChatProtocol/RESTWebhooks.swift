import Foundation

/// An incoming webhook of a room: a URL holding a secret that posts messages as the hook.
public struct WebhookInfo: Codable, Sendable, Equatable {
    public typealias ID = ChatID

    public var id: ID
    public var roomID: RoomID
    public var name: String
    /// The user the hook's messages come from (`is_hook` in participant lists).
    public var userID: UserID
    public var creatorID: UserID
    public var createdAt: Date
    /// Only in the answer that created the hook: the server keeps a hash of its secret.
    public var url: String?

    public init(id: ID, roomID: RoomID, name: String, userID: UserID, creatorID: UserID, createdAt: Date, url: String? = nil) {
        self.id = id
        self.roomID = roomID
        self.name = name
        self.userID = userID
        self.creatorID = creatorID
        self.createdAt = createdAt
        self.url = url
    }

    enum CodingKeys: String, CodingKey {
        case id, name, url
        case roomID = "room_id"
        case userID = "user_id"
        case creatorID = "creator_id"
        case createdAt = "created_at"
    }
}

/// `POST /api/rooms/{id}/webhooks`.
public struct CreateWebhookRequest: Codable, Sendable, Equatable {
    public var name: String

    public init(name: String) {
        self.name = name
    }
}
