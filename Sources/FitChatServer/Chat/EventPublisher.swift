import FitChatProtocol
import NIOCore

/// Turns chat events into frames for the right connections: encoded once, filtered by blocks.
struct EventPublisher: Sendable {
    let hub: RoomHub
    let blocks: BlockGraph
    let encoder = FrameEncoder()

    /// `new_message` to the room's subscribers, except the sending connection and anyone who
    /// blocked the sender. Each recipient's writer reports delivery back to the sender.
    func newMessage(_ message: ChatMessage, exceptConnection: UInt64?) {
        var wire = message
        wire.clientMessageID = nil
        let frame = encoder.encode(.newMessage(wire))
        let note = DeliveryNote(roomID: message.roomID, messageID: message.id, senderID: message.senderID)
        let blockers = blocks.blockers(of: message.senderID)
        for connection in hub.subscribers(of: message.roomID)
        where connection.id != exceptConnection && !blockers.contains(connection.user.id) {
            connection.deliver(frame, seq: message.seq, delivery: note)
        }
    }

    /// An event about `actor` (typing, receipts) to the room's other users who did not block them.
    func roomEvent(_ event: ServerEvent, in roomID: RoomID, actor: UserID) {
        var excluded = blocks.blockers(of: actor)
        excluded.insert(actor)
        hub.broadcast(encoder.encode(event), in: roomID, exceptUsers: excluded)
    }

    /// An event to every connection of these users.
    func toUsers(_ event: ServerEvent, _ userIDs: some Sequence<UserID>) {
        hub.send(encoder.encode(event), toUsers: userIDs)
    }
}
