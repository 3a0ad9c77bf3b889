import Foundation

/// `connection_established`: the first frame of every connection.
public struct ConnectionEstablished: Codable, Sendable, Equatable {
    public var userID: UserID
    public var message: String
    public var username: String
    public var serverTime: Date
    /// Milliseconds between heartbeats the server expects from an idle client.
    public var heartbeatInterval: Int

    public init(userID: UserID, message: String, username: String, serverTime: Date, heartbeatInterval: Int) {
        self.userID = userID
        self.message = message
        self.username = username
        self.serverTime = serverTime
        self.heartbeatInterval = heartbeatInterval
    }

    enum CodingKeys: String, CodingKey {
        case userID = "user_id"
        case message, username
        case serverTime = "server_time"
        case heartbeatInterval = "heartbeat_interval"
    }
}

/// A stored message: the data of `new_message`, `message_sent`, and the REST message body.
public struct ChatMessage: Codable, Sendable, Equatable {
    public var id: MessageID
    public var roomID: RoomID
    public var senderID: UserID
    public var content: String
    public var createdAt: Date
    public var seq: Int64
    public var senderUsername: String
    public var messageType: String
    public var replyToID: MessageID?
    /// Only in `message_sent` and the REST send reply, when the sender gave one.
    public var clientMessageID: String?
    public var editedAt: Date?
    /// True for a tombstone: the message was deleted, its content is gone.
    public var deleted: Bool?
    /// In history: who reacted with what (absent when nobody did).
    public var reactions: [ReactionCount]?
    /// The file a `file` or `image` message shares.
    public var attachment: AttachmentInfo?

    public init(
        id: MessageID, roomID: RoomID, senderID: UserID, content: String, createdAt: Date, seq: Int64,
        senderUsername: String, messageType: String, replyToID: MessageID? = nil, clientMessageID: String? = nil,
        editedAt: Date? = nil, deleted: Bool? = nil, reactions: [ReactionCount]? = nil, attachment: AttachmentInfo? = nil
    ) {
        self.attachment = attachment
        self.editedAt = editedAt
        self.deleted = deleted
        self.reactions = reactions
        self.id = id
        self.roomID = roomID
        self.senderID = senderID
        self.content = content
        self.createdAt = createdAt
        self.seq = seq
        self.senderUsername = senderUsername
        self.messageType = messageType
        self.replyToID = replyToID
        self.clientMessageID = clientMessageID
    }

    enum CodingKeys: String, CodingKey {
        case id
        case roomID = "room_id"
        case senderID = "sender_id"
        case content
        case createdAt = "created_at"
        case seq
        case senderUsername = "sender_username"
        case messageType = "message_type"
        case replyToID = "reply_to_id"
        case clientMessageID = "client_msg_id"
        case editedAt = "edited_at"
        case deleted, reactions, attachment
    }

    /// The message as deleting leaves it: its place and who sent it, nothing it said.
    public var tombstone: ChatMessage {
        var tombstone = self
        tombstone.content = ""
        tombstone.deleted = true
        tombstone.reactions = nil
        tombstone.attachment = nil
        return tombstone
    }
}

/// One emoji's reactions on a message, as history lists them.
public struct ReactionCount: Codable, Sendable, Equatable {
    public var emoji: String
    public var count: Int
    public var userIDs: [UserID]

    public init(emoji: String, userIDs: [UserID]) {
        self.emoji = emoji
        self.count = userIDs.count
        self.userIDs = userIDs
    }

    enum CodingKeys: String, CodingKey {
        case emoji, count
        case userIDs = "user_ids"
    }
}

/// `message_edited`: the message in its new state, and the event's place in the room's log.
/// Its fields are the message's, side by side with `event_seq` (no nesting), so a client that
/// renders messages renders this as one.
public struct MessageEdited: Codable, Sendable, Equatable {
    public var message: ChatMessage
    /// The room's `seq` this edit took; a client resumes after the highest it saw.
    public var eventSeq: Int64?

    public init(message: ChatMessage, eventSeq: Int64?) {
        self.message = message
        self.eventSeq = eventSeq
    }

    enum CodingKeys: String, CodingKey { case eventSeq = "event_seq" }

    public init(from decoder: any Decoder) throws {
        message = try ChatMessage(from: decoder)
        eventSeq = try decoder.container(keyedBy: CodingKeys.self).decodeIfPresent(Int64.self, forKey: .eventSeq)
    }

    public func encode(to encoder: any Encoder) throws {
        try message.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeIfPresent(eventSeq, forKey: .eventSeq)
    }
}

/// `typing_indicator`.
public struct TypingIndicator: Codable, Sendable, Equatable {
    public var roomID: RoomID
    public var userID: UserID
    public var username: String
    public var isTyping: Bool

    public init(roomID: RoomID, userID: UserID, username: String, isTyping: Bool) {
        self.roomID = roomID
        self.userID = userID
        self.username = username
        self.isTyping = isTyping
    }

    enum CodingKeys: String, CodingKey {
        case roomID = "room_id"
        case userID = "user_id"
        case username
        case isTyping = "is_typing"
    }
}

/// `message_delivered`: which of the sender's messages in a room reached which recipients'
/// connections since the last receipt tick. One frame per room and tick, however many
/// recipients, so a busy group room does not multiply receipts by its members.
public struct DeliveryReceipt: Codable, Sendable, Equatable {
    public var roomID: RoomID
    public var deliveries: [Delivery]

    /// One recipient and the messages that reached them, in the order they were sent.
    public struct Delivery: Codable, Sendable, Equatable {
        public var userID: UserID
        public var messageIDs: [MessageID]

        public init(userID: UserID, messageIDs: [MessageID]) {
            self.userID = userID
            self.messageIDs = messageIDs
        }

        enum CodingKeys: String, CodingKey {
            case userID = "user_id"
            case messageIDs = "message_ids"
        }
    }

    public init(roomID: RoomID, deliveries: [Delivery]) {
        self.roomID = roomID
        self.deliveries = deliveries
    }

    enum CodingKeys: String, CodingKey {
        case roomID = "room_id"
        case deliveries
    }
}

/// `message_read_receipt`: which messages a user read.
public struct MessageReceipt: Codable, Sendable, Equatable {
    public var roomID: RoomID
    public var userID: UserID
    public var messageIDs: [MessageID]

    public init(roomID: RoomID, userID: UserID, messageIDs: [MessageID]) {
        self.roomID = roomID
        self.userID = userID
        self.messageIDs = messageIDs
    }

    enum CodingKeys: String, CodingKey {
        case roomID = "room_id"
        case userID = "user_id"
        case messageIDs = "message_ids"
    }
}

/// `user_status_change`: a user came online (first connection) or went offline (last one closed).
public struct UserStatusChange: Codable, Sendable, Equatable {
    public var userID: UserID
    public var isOnline: Bool
    public var username: String
    public var lastSeen: Date?

    public init(userID: UserID, isOnline: Bool, username: String, lastSeen: Date? = nil) {
        self.userID = userID
        self.isOnline = isOnline
        self.username = username
        self.lastSeen = lastSeen
    }

    enum CodingKeys: String, CodingKey {
        case userID = "user_id"
        case isOnline = "is_online"
        case username
        case lastSeen = "last_seen"
    }
}

/// `error`: a frame could not be served; the connection stays open (except `token_expired`).
public struct ErrorPayload: Codable, Sendable, Equatable {
    public var message: String
    public var code: ErrorCode
    public var requestType: String?
    public var retryAfterMs: Int?

    public init(message: String, code: ErrorCode, requestType: String? = nil, retryAfterMs: Int? = nil) {
        self.message = message
        self.code = code
        self.requestType = requestType
        self.retryAfterMs = retryAfterMs
    }

    enum CodingKeys: String, CodingKey {
        case message, code
        case requestType = "request_type"
        case retryAfterMs = "retry_after_ms"
    }
}

/// `room_joined`: the subscription is live; any replay asked for with `since_seq` came before it.
public struct RoomJoined: Codable, Sendable, Equatable {
    public var roomID: RoomID
    /// The highest `seq` of the room when the subscription went live.
    public var lastSeq: Int64
    /// How many messages were replayed for `since_seq`.
    public var replayed: Int

    public init(roomID: RoomID, lastSeq: Int64, replayed: Int) {
        self.roomID = roomID
        self.lastSeq = lastSeq
        self.replayed = replayed
    }

    enum CodingKeys: String, CodingKey {
        case roomID = "room_id"
        case lastSeq = "last_seq"
        case replayed
    }
}

/// `message_deleted`: a tombstone stays in history in the message's place.
public struct MessageDeleted: Codable, Sendable, Equatable {
    public var id: MessageID
    public var roomID: RoomID
    /// Who deleted it: the sender, or the room's owner.
    public var userID: UserID?
    /// The room's `seq` this deletion took.
    public var eventSeq: Int64?

    public init(id: MessageID, roomID: RoomID, userID: UserID? = nil, eventSeq: Int64? = nil) {
        self.id = id
        self.roomID = roomID
        self.userID = userID
        self.eventSeq = eventSeq
    }

    enum CodingKeys: String, CodingKey {
        case id
        case roomID = "room_id"
        case userID = "user_id"
        case eventSeq = "event_seq"
    }
}

/// `reaction`.
public struct Reaction: Codable, Sendable, Equatable {
    public var messageID: MessageID
    public var roomID: RoomID
    public var userID: UserID
    public var emoji: String
    public var on: Bool
    public var username: String?
    /// The room's `seq` this reaction took; absent when it changed nothing (already so).
    public var eventSeq: Int64?

    public init(messageID: MessageID, roomID: RoomID, userID: UserID, emoji: String, on: Bool, username: String? = nil, eventSeq: Int64? = nil) {
        self.messageID = messageID
        self.roomID = roomID
        self.userID = userID
        self.emoji = emoji
        self.on = on
        self.username = username
        self.eventSeq = eventSeq
    }

    enum CodingKeys: String, CodingKey {
        case messageID = "message_id"
        case roomID = "room_id"
        case userID = "user_id"
        case emoji, on, username
        case eventSeq = "event_seq"
    }
}

/// `room_updated`: tells participants about rooms without polling.
public struct RoomUpdated: Codable, Sendable, Equatable {
    public enum Change: String, Codable, Sendable {
        case created, renamed
        case participantAdded = "participant_added"
        case participantRemoved = "participant_removed"
        case deleted
    }

    public var roomID: RoomID
    public var change: Change
    /// The room as it is now (absent for `deleted`).
    public var room: RoomInfo?
    /// The users added or removed, for participant changes.
    public var userIDs: [UserID]?

    public init(roomID: RoomID, change: Change, room: RoomInfo? = nil, userIDs: [UserID]? = nil) {
        self.roomID = roomID
        self.change = change
        self.room = room
        self.userIDs = userIDs
    }

    enum CodingKeys: String, CodingKey {
        case roomID = "room_id"
        case change, room
        case userIDs = "user_ids"
    }
}
