import FitChatProtocol
import Foundation

/// Events the runner itself writes to a bot, in the wire's `{"type", "data"}` shape.
enum RunnerEvent {
    case started(userID: UserID, username: String, rooms: [(id: RoomID, name: String?)])
    case reconnected
    case eventsDropped(Int)
    /// What a restarted runner did not replay of a room, past `--replay-limit`.
    case replayDropped(Int64, roomID: RoomID)
    case badOutput(message: String, line: Int)
    /// A schedule of the bot's came due; the rooms it follows then, so that a bot that was
    /// given no message knows where it may post.
    case timer(schedule: String, dueAt: Date, rooms: [(id: RoomID, name: String?)])

    var line: String {
        let object: [String: Any] = switch self {
        case .started(let userID, let username, let rooms):
            [
                "type": "bot_started",
                "data": [
                    "user_id": userID.uuidString, "username": username,
                    "rooms": rooms.map { ["id": $0.id.uuidString, "name": $0.name ?? NSNull()] as [String: Any] },
                ],
            ]
        case .reconnected:
            ["type": "bot_reconnected"]
        case .eventsDropped(let count):
            ["type": "events_dropped", "data": ["count": count]]
        case .replayDropped(let count, let roomID):
            ["type": "events_dropped", "data": ["count": count, "room_id": roomID.uuidString]]
        case .timer(let schedule, let dueAt, let rooms):
            [
                "type": "timer",
                "data": [
                    "schedule": schedule, "due_at": RFC3339.string(from: dueAt),
                    "rooms": rooms.map { ["id": $0.id.uuidString, "name": $0.name ?? NSNull()] as [String: Any] },
                ] as [String: Any],
            ]
        case .badOutput(let message, let line):
            ["type": "error", "data": ["code": "bad_bot_output", "message": message, "line": line]]
        }
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }
}
