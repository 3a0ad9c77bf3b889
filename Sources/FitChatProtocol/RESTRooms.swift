import Foundation

/// A room as REST and `room_updated` show it.
public struct RoomInfo: Codable, Sendable, Equatable {
    public enum Kind: String, Codable, Sendable {
        case direct, group
    }

    public var id: RoomID
    public var type: Kind
    /// The group's name; for a direct room, the other participant's username.
    public var name: String?
    public var ownerID: UserID?
    public var createdAt: Date
    public var lastSeq: Int64
    public var participants: [UserInfo]?
    public var unreadCount: Int?
    public var lastMessage: ChatMessage?

    public init(
        id: RoomID, type: Kind, name: String?, ownerID: UserID?, createdAt: Date, lastSeq: Int64,
        participants: [UserInfo]? = nil, unreadCount: Int? = nil, lastMessage: ChatMessage? = nil
    ) {
        self.id = id
        self.type = type
        self.name = name
        self.ownerID = ownerID
        self.createdAt = createdAt
        self.lastSeq = lastSeq
        self.participants = participants
        self.unreadCount = unreadCount
        self.lastMessage = lastMessage
    }

    enum CodingKeys: String, CodingKey {
        case id, type, name
        case ownerID = "owner_id"
        case createdAt = "created_at"
        case lastSeq = "last_seq"
        case participants
        case unreadCount = "unread_count"
        case lastMessage = "last_message"
    }
}

/// `POST /api/rooms`: `{type: "direct", user_id | username}` or `{type: "group", name, participant_ids?}`.
public struct CreateRoomRequest: Codable, Sendable, Equatable {
    public var type: RoomInfo.Kind
    public var userID: UserID?
    public var username: String?
    public var name: String?
    public var participantIDs: [UserID]?
    public var participantUsernames: [String]?

    public init(
        type: RoomInfo.Kind, userID: UserID? = nil, username: String? = nil, name: String? = nil,
        participantIDs: [UserID]? = nil, participantUsernames: [String]? = nil
    ) {
        self.type = type
        self.userID = userID
        self.username = username
        self.name = name
        self.participantIDs = participantIDs
        self.participantUsernames = participantUsernames
    }

    enum CodingKeys: String, CodingKey {
        case type
        case userID = "user_id"
        case username, name
        case participantIDs = "participant_ids"
        case participantUsernames = "participant_usernames"
    }
}

/// `PATCH /api/rooms/{id}`.
public struct RenameRoomRequest: Codable, Sendable, Equatable {
    public var name: String

    public init(name: String) {
        self.name = name
    }
}

/// `POST /api/rooms/{id}/participants`.
public struct AddParticipantsRequest: Codable, Sendable, Equatable {
    public var userIDs: [UserID]?
    public var usernames: [String]?

    public init(userIDs: [UserID]? = nil, usernames: [String]? = nil) {
        self.userIDs = userIDs
        self.usernames = usernames
    }

    enum CodingKeys: String, CodingKey {
        case userIDs = "user_ids"
        case usernames
    }
}

/// `POST /api/rooms/{id}/messages`.
public struct PostMessageRequest: Codable, Sendable, Equatable {
    public var content: String
    public var messageType: String?
    public var replyToID: MessageID?
    public var clientMessageID: String?
    public var attachmentID: AttachmentInfo.ID?

    public init(
        content: String, messageType: String? = nil, replyToID: MessageID? = nil, clientMessageID: String? = nil,
        attachmentID: AttachmentInfo.ID? = nil
    ) {
        self.content = content
        self.messageType = messageType
        self.replyToID = replyToID
        self.clientMessageID = clientMessageID
        self.attachmentID = attachmentID
    }

    enum CodingKeys: String, CodingKey {
        case content
        case messageType = "message_type"
        case replyToID = "reply_to_id"
        case clientMessageID = "client_msg_id"
        case attachmentID = "attachment_id"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        attachmentID = try container.decodeIfPresent(AttachmentInfo.ID.self, forKey: .attachmentID)
        content = try container.decodeIfPresent(String.self, forKey: .content) ?? ""
        messageType = try container.decodeIfPresent(String.self, forKey: .messageType)
        replyToID = try container.decodeIfPresent(MessageID.self, forKey: .replyToID)
        clientMessageID = try container.decodeIfPresent(String.self, forKey: .clientMessageID)
    }
}

/// `PATCH /api/messages/{id}`: the new content (sender only).
public struct EditMessageRequest: Codable, Sendable, Equatable {
    public var content: String

    public init(content: String) {
        self.content = content
    }
}

/// `POST /api/rooms/{id}/read`: everything up to a `seq`, or the listed messages.
public struct MarkReadRequest: Codable, Sendable, Equatable {
    public var upToSeq: Int64?
    public var messageIDs: [MessageID]?

    public init(upToSeq: Int64? = nil, messageIDs: [MessageID]? = nil) {
        self.upToSeq = upToSeq
        self.messageIDs = messageIDs
    }

    enum CodingKeys: String, CodingKey {
        case upToSeq = "up_to_seq"
        case messageIDs = "message_ids"
    }
}

/// The reply to `POST /api/rooms/{id}/read`.
public struct ReadState: Codable, Sendable, Equatable {
    public var roomID: RoomID
    public var lastReadSeq: Int64
    public var unreadCount: Int

    public init(roomID: RoomID, lastReadSeq: Int64, unreadCount: Int) {
        self.roomID = roomID
        self.lastReadSeq = lastReadSeq
        self.unreadCount = unreadCount
    }

    enum CodingKeys: String, CodingKey {
        case roomID = "room_id"
        case lastReadSeq = "last_read_seq"
        case unreadCount = "unread_count"
    }
}
