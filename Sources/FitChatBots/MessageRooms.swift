import FitChatProtocol
import Synchronization

/// The rooms of recently seen messages, so `{"type": "reply", "data": {"to": ID}}` knows where
/// to send. Bounded: the oldest thousands are forgotten.
final class MessageRooms: Sendable {
    static let capacity = 10_000
    private let rooms = Mutex<[MessageID: RoomID]>([:])

    func remember(_ message: MessageID, in room: RoomID) {
        rooms.withLock { rooms in
            if rooms.count >= Self.capacity, let oldest = rooms.keys.min() { rooms[oldest] = nil }
            rooms[message] = room
        }
    }

    func room(of message: MessageID) -> RoomID? {
        rooms.withLock { $0[message] }
    }
}
