/// A frame the server sends, by its `type`.
public enum ServerEvent: Sendable, Equatable {
    case connectionEstablished(ConnectionEstablished)
    case newMessage(ChatMessage)
    case messageSent(ChatMessage)
    case typingIndicator(TypingIndicator)
    case messageReadReceipt(MessageReceipt)
    case userStatusChange(UserStatusChange)
    case pong(Heartbeat)
    case error(ErrorPayload)
    case messageDelivered(DeliveryReceipt)
    case roomJoined(RoomJoined)
    case roomLeft(RoomReference)
    case messageEdited(MessageEdited)
    case messageDeleted(MessageDeleted)
    case reaction(Reaction)
    case roomUpdated(RoomUpdated)

    /// Every `type` the server sends, which is what an event filter may name.
    public static let typeNames: Set<String> = [
        "connection_established", "new_message", "message_sent", "typing_indicator", "message_read_receipt", "user_status_change",
        "pong", "error", "message_delivered", "room_joined", "room_left", "message_edited", "message_deleted", "reaction", "room_updated",
    ]

    public var type: String {
        switch self {
        case .connectionEstablished: "connection_established"
        case .newMessage: "new_message"
        case .messageSent: "message_sent"
        case .typingIndicator: "typing_indicator"
        case .messageReadReceipt: "message_read_receipt"
        case .userStatusChange: "user_status_change"
        case .pong: "pong"
        case .error: "error"
        case .messageDelivered: "message_delivered"
        case .roomJoined: "room_joined"
        case .roomLeft: "room_left"
        case .messageEdited: "message_edited"
        case .messageDeleted: "message_deleted"
        case .reaction: "reaction"
        case .roomUpdated: "room_updated"
        }
    }
}

/// A server frame on the wire: `{"type", "id"?, "data"}`, where `id` echoes the request's.
public struct ServerEnvelope: Codable, Sendable, Equatable {
    public var id: String?
    public var event: ServerEvent

    public init(_ event: ServerEvent, id: String? = nil) {
        self.event = event
        self.id = id
    }

    enum CodingKeys: String, CodingKey { case type, id, data }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(event.type, forKey: .type)
        try container.encodeIfPresent(id, forKey: .id)
        switch event {
        case .connectionEstablished(let data): try container.encode(data, forKey: .data)
        case .newMessage(let data), .messageSent(let data): try container.encode(data, forKey: .data)
        case .messageEdited(let data): try container.encode(data, forKey: .data)
        case .typingIndicator(let data): try container.encode(data, forKey: .data)
        case .messageReadReceipt(let data): try container.encode(data, forKey: .data)
        case .messageDelivered(let data): try container.encode(data, forKey: .data)
        case .userStatusChange(let data): try container.encode(data, forKey: .data)
        case .pong(let data): try container.encode(data, forKey: .data)
        case .error(let data): try container.encode(data, forKey: .data)
        case .roomJoined(let data): try container.encode(data, forKey: .data)
        case .roomLeft(let data): try container.encode(data, forKey: .data)
        case .messageDeleted(let data): try container.encode(data, forKey: .data)
        case .reaction(let data): try container.encode(data, forKey: .data)
        case .roomUpdated(let data): try container.encode(data, forKey: .data)
        }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decodeIfPresent(String.self, forKey: .id)
        let type = try container.decode(String.self, forKey: .type)
        func data<T: Decodable>(_: T.Type = T.self) throws -> T {
            try container.decode(T.self, forKey: .data)
        }
        switch type {
        case "connection_established": event = .connectionEstablished(try data())
        case "new_message": event = .newMessage(try data())
        case "message_sent": event = .messageSent(try data())
        case "typing_indicator": event = .typingIndicator(try data())
        case "message_read_receipt": event = .messageReadReceipt(try data())
        case "user_status_change": event = .userStatusChange(try data())
        case "pong": event = .pong(try data())
        case "error": event = .error(try data())
        case "message_delivered": event = .messageDelivered(try data())
        case "room_joined": event = .roomJoined(try data())
        case "room_left": event = .roomLeft(try data())
        case "message_edited": event = .messageEdited(try data())
        case "message_deleted": event = .messageDeleted(try data())
        case "reaction": event = .reaction(try data())
        case "room_updated": event = .roomUpdated(try data())
        default:
            throw DecodingError.dataCorruptedError(forKey: .type, in: container, debugDescription: "unknown event type \"\(type)\"")
        }
    }
}

extension ServerEvent {
    /// Where a room event sits in its room's log: a client resumes each room with
    /// `join_room {since_seq}` after the highest of these it has seen.
    public var roomPosition: (roomID: RoomID, seq: Int64)? {
        switch self {
        case .newMessage(let message): (message.roomID, message.seq)
        case .messageEdited(let edit): edit.eventSeq.map { (edit.message.roomID, $0) }
        case .messageDeleted(let deletion): deletion.eventSeq.map { (deletion.roomID, $0) }
        case .reaction(let reaction): reaction.eventSeq.map { (reaction.roomID, $0) }
        default: nil
        }
    }
}
