import FitChatProtocol
import Synchronization

/// Collects "this recipient's connection received that message" and hands them out in batches,
/// so a sender gets one `message_delivered` per recipient and room per tick, not one per message.
final class DeliveryTracker: Sendable {
    struct Batch: Sendable, Equatable {
        var senderID: UserID
        var receipt: MessageReceipt
    }

    private struct Key: Hashable {
        var senderID: UserID
        var roomID: RoomID
        var recipientID: UserID
    }

    private let pending = Mutex<[Key: [MessageID]]>([:])

    /// These frames were handed to `recipient`'s socket.
    func record(_ notes: [DeliveryNote], recipient: UserID) {
        pending.withLock { pending in
            for note in notes where note.senderID != recipient {
                pending[Key(senderID: note.senderID, roomID: note.roomID, recipientID: recipient), default: []].append(note.messageID)
            }
        }
    }

    func drain() -> [Batch] {
        let taken = pending.withLock { pending in
            defer { pending.removeAll(keepingCapacity: true) }
            return pending
        }
        return taken.map { key, ids in
            Batch(senderID: key.senderID, receipt: MessageReceipt(roomID: key.roomID, userID: key.recipientID, messageIDs: ids))
        }
    }
}
