import FitChatProtocol
import Foundation

/// A line a bot wrote, understood: a client frame of the wire protocol, or the `reply`
/// shorthand turned into `send_message` with `reply_to_id`.
enum BotOutput {
    /// nil for a blank line; otherwise the frame, or why the line is not one.
    static func parse(_ line: String, roomOf: (MessageID) -> RoomID?) -> Result<ClientEnvelope, BadOutput>? {
        guard !line.trimmingCharacters(in: .whitespaces).isEmpty else { return nil }
        let bytes = Data(line.utf8)
        if let object = try? JSONSerialization.jsonObject(with: bytes) as? [String: Any], object["type"] as? String == "reply" {
            return reply(object, roomOf: roomOf)
        }
        return ClientEnvelope.parse(bytes, decoder: WireCoding.makeDecoder()).mapError { BadOutput(message: "\($0.code.rawValue): \($0.message)") }
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
