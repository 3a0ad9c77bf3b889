import FitChatProtocol
import Synchronization

/// Collects "this recipient's connection received that message" and hands them out in batches,
/// so a sender gets one `message_delivered` per room per tick, naming every recipient, not one
/// per message or per recipient.
final class DeliveryTracker: Sendable {
    struct Batch: Sendable, Equatable {
        var senderID: UserID
        var receipt: DeliveryReceipt
    }

    private struct Key: Hashable {
        var senderID: UserID
        var roomID: RoomID
    }

    private let pending = Mutex<[Key: [UserID: [MessageID]]]>([:])

    /// These frames were handed to `recipient`'s socket.
    func record(_ frames: PendingFrames, recipient: UserID) {
        pending.withLock { pending in
            for (_, delivery) in frames {
                guard let note = delivery, note.senderID != recipient else { continue }
                pending[Key(senderID: note.senderID, roomID: note.roomID), default: [:]][recipient, default: []].append(note.messageID)
            }
        }
    }

    /// What was recorded since the last drain: one batch per sender and room, its recipients
    /// in the order of their ids (the order their text sorts in).
    func drain() -> [Batch] {
        let taken = pending.withLock { pending in
            defer { pending.removeAll(keepingCapacity: true) }
            return pending
        }
        return taken.map { key, recipients in
            let deliveries = recipients.sorted { $0.key < $1.key }.map { DeliveryReceipt.Delivery(userID: $0.key, messageIDs: $0.value) }
            return Batch(senderID: key.senderID, receipt: DeliveryReceipt(roomID: key.roomID, deliveries: deliveries))
        }
    }
}
