import FitChatProtocol
import Foundation

/// What a bot's line asks for: a frame of the wire protocol, or a file for the runner to
/// upload and send (`send_file`).
enum BotFrame: Sendable, Equatable {
    case frame(ClientEnvelope)
    case sendFile(FileToSend, id: String?)
}

/// `{"type": "send_file", "id"?, "data": {"room_id", "path", "content"?, "filename"?}}`: the
/// runner uploads the file at `path` (relative to the bot's working directory) and sends it
/// to the room, `content` its caption.
struct FileToSend: Codable, Sendable, Equatable {
    var roomID: RoomID
    var path: String
    var content: String?
    var filename: String?

    enum CodingKeys: String, CodingKey {
        case roomID = "room_id"
        case path, content, filename
    }

    /// The line as the bot wrote it, for `bot test`.
    struct Line: Encodable {
        let type = "send_file"
        let id: String?
        let data: FileToSend
    }
}

/// A line a bot wrote, understood: a client frame of the wire protocol, the `reply`
/// shorthand turned into `send_message` with `reply_to_id`, or `send_file`.
enum BotOutput {
    /// nil for a blank line; otherwise the frame, or why the line is not one.
    static func parse(_ line: String, roomOf: (MessageID) -> RoomID?) -> Result<BotFrame, BadOutput>? {
        guard !line.trimmingCharacters(in: .whitespaces).isEmpty else { return nil }
        let bytes = Data(line.utf8)
        if let object = try? JSONSerialization.jsonObject(with: bytes) as? [String: Any] {
            switch object["type"] as? String {
            case "reply": return reply(object, roomOf: roomOf).map(BotFrame.frame)
            case "send_file": return sendFile(bytes)
            default: break
            }
        }
        return ClientEnvelope.parse(bytes, decoder: WireCoding.makeDecoder())
            .map(BotFrame.frame)
            .mapError { BadOutput(message: "\($0.code.rawValue): \($0.message)") }
    }

    private struct SendFileLine: Decodable {
        let id: String?
        let data: FileToSend
    }

    private static func sendFile(_ bytes: Data) -> Result<BotFrame, BadOutput> {
        do {
            let line = try WireCoding.makeDecoder().decode(SendFileLine.self, from: bytes)
            guard !line.data.path.isEmpty else { return .failure(BadOutput(message: "send_file needs a non-empty \"path\"")) }
            return .success(.sendFile(line.data, id: line.id))
        } catch let error as DecodingError {
            return .failure(BadOutput(message: "invalid: send_file: \(error.fieldProblem)"))
        } catch {
            return .failure(BadOutput(message: "invalid: send_file: \(error)"))
        }
    }

    /// `{"type": "reply", "data": {"to": <new_message data or its id>, "content": "..."}}`
    private static func reply(_ object: [String: Any], roomOf: (MessageID) -> RoomID?) -> Result<ClientEnvelope, BadOutput> {
        guard let data = object["data"] as? [String: Any] else { return .failure(BadOutput(message: "reply needs a \"data\" object")) }
        guard let content = data["content"] as? String, !content.isEmpty else {
            return .failure(BadOutput(message: "reply needs a non-empty string \"content\""))
        }
        let target: (message: MessageID, room: RoomID?)
        if let message = data["to"] as? [String: Any], let id = (message["id"] as? String).flatMap(MessageID.init) {
            target = (id, (message["room_id"] as? String).flatMap(RoomID.init))
        } else if let id = (data["to"] as? String).flatMap(MessageID.init) {
            target = (id, nil)
        } else {
            return .failure(BadOutput(message: "reply needs \"to\": a new_message's data or its id (a UUID string)"))
        }
        guard let room = target.room ?? roomOf(target.message) else {
            return .failure(BadOutput(message: "reply: message \(target.message) is not one this bot has seen"))
        }
        let send = SendMessage(roomID: room, content: content, replyToID: target.message)
        return .success(ClientEnvelope(.sendMessage(send), id: object["id"] as? String))
    }
}

/// Why a bot's line is not a frame, said back to the bot as `bad_bot_output`.
struct BadOutput: Error, Equatable {
    let message: String
}
