/// `join_room`: subscribe to a room's live events, optionally replaying what was missed.
public struct JoinRoom: Codable, Sendable, Equatable {
    public var roomID: RoomID
    public var sinceSeq: Int64?

    public init(roomID: RoomID, sinceSeq: Int64? = nil) {
        self.roomID = roomID
        self.sinceSeq = sinceSeq
    }

    enum CodingKeys: String, CodingKey {
        case roomID = "room_id"
        case sinceSeq = "since_seq"
    }
}

/// The data of frames that only name a room: `leave_room`, `typing_start`, `typing_stop`,
/// and of the `room_joined` / `room_left` replies.
public struct RoomReference: Codable, Sendable, Equatable {
    public var roomID: RoomID

    public init(roomID: RoomID) {
        self.roomID = roomID
    }

    enum CodingKeys: String, CodingKey {
        case roomID = "room_id"
    }
}

/// `send_message`. With `attachment_id` (a file uploaded to the room), `content` is an
/// optional caption and `message_type` is `file` (the default then) or `image`.
public struct SendMessage: Codable, Sendable, Equatable {
    public var roomID: RoomID
    public var content: String
    public var messageType: String?
    public var replyToID: MessageID?
    public var clientMessageID: String?
    public var attachmentID: AttachmentInfo.ID?

    public init(
        roomID: RoomID, content: String, messageType: String? = nil, replyToID: MessageID? = nil, clientMessageID: String? = nil,
        attachmentID: AttachmentInfo.ID? = nil
    ) {
        self.roomID = roomID
        self.content = content
        self.messageType = messageType
        self.replyToID = replyToID
        self.clientMessageID = clientMessageID
        self.attachmentID = attachmentID
    }

    enum CodingKeys: String, CodingKey {
        case roomID = "room_id"
        case content
        case messageType = "message_type"
        case replyToID = "reply_to_id"
        case clientMessageID = "client_msg_id"
        case attachmentID = "attachment_id"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        roomID = try container.decode(RoomID.self, forKey: .roomID)
        attachmentID = try container.decodeIfPresent(AttachmentInfo.ID.self, forKey: .attachmentID)
        // A file needs no caption; a text message without content is refused as empty later.
        content = try container.decodeIfPresent(String.self, forKey: .content) ?? ""
        messageType = try container.decodeIfPresent(String.self, forKey: .messageType)
        replyToID = try container.decodeIfPresent(MessageID.self, forKey: .replyToID)
        clientMessageID = try container.decodeIfPresent(String.self, forKey: .clientMessageID)
    }
}

/// `message_read`: the caller has read these messages of the room.
public struct MessageRead: Codable, Sendable, Equatable {
    public var roomID: RoomID
    public var messageIDs: [MessageID]

    public init(roomID: RoomID, messageIDs: [MessageID]) {
        self.roomID = roomID
        self.messageIDs = messageIDs
    }

    enum CodingKeys: String, CodingKey {
        case roomID = "room_id"
        case messageIDs = "message_ids"
    }
}

/// `ping` and `pong`: the application-level heartbeat.
public struct Heartbeat: Codable, Sendable, Equatable {
    public var timestamp: JSONNumber?

    public init(timestamp: JSONNumber?) {
        self.timestamp = timestamp
    }
}

/// `edit_message`.
public struct EditMessage: Codable, Sendable, Equatable {
    public var messageID: MessageID
    public var content: String

    public init(messageID: MessageID, content: String) {
        self.messageID = messageID
        self.content = content
    }

    enum CodingKeys: String, CodingKey {
        case messageID = "message_id"
        case content
    }
}

/// `delete_message`.
public struct DeleteMessage: Codable, Sendable, Equatable {
    public var messageID: MessageID

    public init(messageID: MessageID) {
        self.messageID = messageID
    }

    enum CodingKeys: String, CodingKey {
        case messageID = "message_id"
    }
}

/// `react`: add (`on: true`) or remove an emoji reaction.
public struct React: Codable, Sendable, Equatable {
    public var messageID: MessageID
    public var emoji: String
    public var on: Bool

    public init(messageID: MessageID, emoji: String, on: Bool) {
        self.messageID = messageID
        self.emoji = emoji
        self.on = on
    }

    enum CodingKeys: String, CodingKey {
        case messageID = "message_id"
        case emoji, on
    }
}
