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

    /// Parses one text frame; every failure names its wire error code.
    public static func parse(_ bytes: Data, decoder: JSONDecoder) -> Result<ClientEnvelope, ParseError> {
        let head: Head
        do {
            head = try decoder.decode(Head.self, from: bytes)
        } catch DecodingError.typeMismatch {
            return .failure(ParseError(code: .badFrame, message: "a frame must be a JSON object"))
        } catch {
            return .failure(ParseError(code: .badJSON, message: "the frame is not valid JSON"))
        }
        guard let type = head.type else {
            return .failure(ParseError(code: .badFrame, message: "a frame needs a string \"type\"", id: head.id))
        }
        func decode<Payload: Decodable>(_ wrap: (Payload) -> ClientFrame) -> Result<ClientEnvelope, ParseError> {
            do {
                let body = try decoder.decode(Body<Payload>.self, from: bytes)
                return .success(ClientEnvelope(wrap(body.data), id: head.id))
            } catch let error as DecodingError {
                return .failure(ParseError(code: .invalid, message: error.fieldProblem, requestType: type, id: head.id))
            } catch {
                return .failure(ParseError(code: .invalid, message: "\(error)", requestType: type, id: head.id))
            }
        }
        switch type {
        case "join_room": return decode(ClientFrame.joinRoom)
        case "leave_room": return decode(ClientFrame.leaveRoom)
        case "send_message": return decode(ClientFrame.sendMessage)
        case "typing_start": return decode(ClientFrame.typingStart)
        case "typing_stop": return decode(ClientFrame.typingStop)
        case "message_read": return decode(ClientFrame.messageRead)
        case "edit_message": return decode(ClientFrame.editMessage)
        case "delete_message": return decode(ClientFrame.deleteMessage)
        case "react": return decode(ClientFrame.react)
        case "ping":
            let body = try? decoder.decode(OptionalBody<Heartbeat>.self, from: bytes)
            return .success(ClientEnvelope(.ping(body?.data ?? Heartbeat(timestamp: nil)), id: head.id))
        default:
            return .failure(ParseError(code: .unknownType, message: "unknown frame type \"\(type)\"", requestType: type, id: head.id))
        }
    }

    /// Only `type` and `id`, leniently: a wrong type for either is treated as absent.
    private struct Head: Decodable {
        var type: String?
        var id: String?

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            type = try? container.decodeIfPresent(String.self, forKey: .type)
            id = try? container.decodeIfPresent(String.self, forKey: .id)
        }

        enum CodingKeys: String, CodingKey { case type, id }
    }

    private struct Body<Payload: Decodable>: Decodable {
        var data: Payload
    }

    private struct OptionalBody<Payload: Decodable>: Decodable {
        var data: Payload?
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
