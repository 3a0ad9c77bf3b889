import Foundation

/// A frame a client sends, by its `type`.
public enum ClientFrame: Sendable, Equatable {
    case joinRoom(JoinRoom)
    case leaveRoom(RoomReference)
    case sendMessage(SendMessage)
    case typingStart(RoomReference)
    case typingStop(RoomReference)
    case messageRead(MessageRead)
    case ping(Heartbeat)
    case editMessage(EditMessage)
    case deleteMessage(DeleteMessage)
    case react(React)

    public var type: String {
        switch self {
        case .joinRoom: "join_room"
        case .leaveRoom: "leave_room"
        case .sendMessage: "send_message"
        case .typingStart: "typing_start"
        case .typingStop: "typing_stop"
        case .messageRead: "message_read"
        case .ping: "ping"
        case .editMessage: "edit_message"
        case .deleteMessage: "delete_message"
        case .react: "react"
        }
    }
}

/// A client frame with its optional top-level `id`, which replies echo.
public struct ClientEnvelope: Sendable, Equatable {
    public var id: String?
    public var frame: ClientFrame

    public init(_ frame: ClientFrame, id: String? = nil) {
        self.frame = frame
        self.id = id
    }

    /// Why a client frame was refused, with what is needed to answer it.
    public struct ParseError: Error, Sendable, Equatable {
        public var code: ErrorCode
        public var message: String
        public var requestType: String?
        public var id: String?
    }

    /// Parses one text frame, in one pass over its JSON; every failure names its wire error code.
    public static func parse(_ bytes: Data, decoder: JSONDecoder) -> Result<ClientEnvelope, ParseError> {
        let whole: Whole
        do {
            whole = try decoder.decode(Whole.self, from: bytes)
        } catch DecodingError.typeMismatch {
            return .failure(ParseError(code: .badFrame, message: "a frame must be a JSON object"))
        } catch {
            return .failure(ParseError(code: .badJSON, message: "the frame is not valid JSON"))
        }
        guard let type = whole.type else {
            return .failure(ParseError(code: .badFrame, message: "a frame needs a string \"type\"", id: whole.id))
        }
        switch whole.frame {
        case .success(let frame):
            return .success(ClientEnvelope(frame, id: whole.id))
        case .failure(.unknownType):
            return .failure(ParseError(code: .unknownType, message: "unknown frame type \"\(type)\"", requestType: type, id: whole.id))
        case .failure(.invalid(let error as DecodingError)):
            return .failure(ParseError(code: .invalid, message: error.fieldProblem, requestType: type, id: whole.id))
        case .failure(.invalid(let error)):
            return .failure(ParseError(code: .invalid, message: "\(error)", requestType: type, id: whole.id))
        }
    }

    /// The frame as one JSON object: `type` and `id` leniently (a wrong type for either is
    /// treated as absent), then `data` as `type` says, its failure kept rather than thrown so
    /// that the answer can still name the frame.
    private struct Whole: Decodable {
        enum Problem: Error {
            case unknownType
            case invalid(any Error)
        }

        var type: String?
        var id: String?
        var frame: Result<ClientFrame, Problem> = .failure(.unknownType)

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            type = try? container.decodeIfPresent(String.self, forKey: .type)
            id = try? container.decodeIfPresent(String.self, forKey: .id)
            func decode<Payload: Decodable>(_ wrap: (Payload) -> ClientFrame) -> Result<ClientFrame, Problem> {
                do {
                    return .success(wrap(try container.decode(Payload.self, forKey: .data)))
                } catch {
                    return .failure(.invalid(error))
                }
            }
            switch type {
            case "join_room": frame = decode(ClientFrame.joinRoom)
            case "leave_room": frame = decode(ClientFrame.leaveRoom)
            case "send_message": frame = decode(ClientFrame.sendMessage)
            case "typing_start": frame = decode(ClientFrame.typingStart)
            case "typing_stop": frame = decode(ClientFrame.typingStop)
            case "message_read": frame = decode(ClientFrame.messageRead)
            case "edit_message": frame = decode(ClientFrame.editMessage)
            case "delete_message": frame = decode(ClientFrame.deleteMessage)
            case "react": frame = decode(ClientFrame.react)
            case "ping":
                let heartbeat = (try? container.decodeIfPresent(Heartbeat.self, forKey: .data)) ?? nil
                frame = .success(.ping(heartbeat ?? Heartbeat(timestamp: nil)))
            default: frame = .failure(.unknownType)
            }
        }

        enum CodingKeys: String, CodingKey { case type, id, data }
    }
}

extension ClientEnvelope.ParseError {
    init(code: ErrorCode, message: String, id: String? = nil) {
        self.init(code: code, message: message, requestType: nil, id: id)
    }
}

extension ClientEnvelope: Encodable {
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(frame.type, forKey: .type)
        try container.encodeIfPresent(id, forKey: .id)
        switch frame {
        case .joinRoom(let data): try container.encode(data, forKey: .data)
        case .leaveRoom(let data), .typingStart(let data), .typingStop(let data): try container.encode(data, forKey: .data)
        case .sendMessage(let data): try container.encode(data, forKey: .data)
        case .messageRead(let data): try container.encode(data, forKey: .data)
        case .ping(let data): try container.encode(data, forKey: .data)
        case .editMessage(let data): try container.encode(data, forKey: .data)
        case .deleteMessage(let data): try container.encode(data, forKey: .data)
        case .react(let data): try container.encode(data, forKey: .data)
        }
    }

    enum CodingKeys: String, CodingKey { case type, id, data }
}

extension DecodingError {
    /// A one-line description naming the offending field, e.g. `room_id must be a UUID string`.
    public var fieldProblem: String {
        func path(_ codingPath: [any CodingKey]) -> String {
            let keys = codingPath.drop { $0.stringValue == "data" }
            var result = ""
            for key in keys {
                if let index = key.intValue {
                    result += "[\(index)]"
                } else {
                    result += result.isEmpty ? key.stringValue : ".\(key.stringValue)"
                }
            }
            return result.isEmpty ? "data" : result
        }
        func kind(_ type: Any.Type) -> String {
            switch type {
            case is String.Type: "a string"
            case is Bool.Type: "a boolean"
            case is Int64.Type, is Int.Type: "an integer"
            case is ChatID.Type: "a UUID string"
            case is Double.Type, is JSONNumber.Type: "a number"
            default: String(describing: type).hasPrefix("Array") ? "an array" : "an object"
            }
        }
        switch self {
        case .keyNotFound(let key, let context):
            return "\(path(context.codingPath + [key])) is missing"
        case .valueNotFound(let type, let context):
            return "\(path(context.codingPath)) must be \(kind(type)), not null"
        case .typeMismatch(let type, let context):
            return "\(path(context.codingPath)) must be \(kind(type))"
        case .dataCorrupted(let context) where context.debugDescription.hasPrefix("must "):
            return "\(path(context.codingPath)) \(context.debugDescription)"
        case .dataCorrupted(let context):
            return "\(path(context.codingPath)) is malformed: \(context.debugDescription)"
        @unknown default:
            return "the frame is malformed"
        }
    }
}
