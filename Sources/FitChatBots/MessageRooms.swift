import FitChatClient
import FitChatProtocol
import Synchronization

/// The rooms of recently seen messages, so `{"type": "reply", "data": {"to": ID}}` knows where
/// to send. Bounded: past the capacity the earliest remembered are forgotten first.
final class MessageRooms: Sendable {
    static let capacity = 10_000
    private let rooms = Mutex(RecentMap<MessageID, RoomID>(capacity: MessageRooms.capacity))

    func remember(_ message: MessageID, in room: RoomID) {
        rooms.withLock { $0[message] = room }
    }

    func room(of message: MessageID) -> RoomID? {
        rooms.withLock { $0[message] }
    }
}
