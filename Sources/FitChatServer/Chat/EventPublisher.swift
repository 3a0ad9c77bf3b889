import FitChatProtocol
import NIOCore

/// Turns chat events into frames for the right connections: encoded once, filtered by blocks,
/// and handed to the other nodes of a cluster, which apply them with `apply(_:)`.
struct EventPublisher: Sendable {
    let hub: RoomHub
    let blocks: BlockGraph
    let encoder: FrameEncoder
    let cluster: any Cluster
    /// The cluster's way to the other nodes; nil on a single node.
    let forward: (@Sendable (ClusterEvent) -> Void)?

    init(hub: RoomHub, blocks: BlockGraph, cluster: any Cluster, encoder: FrameEncoder) {
        self.hub = hub
        self.blocks = blocks
        self.encoder = encoder
        self.cluster = cluster
        forward = cluster.forward
    }

    /// `new_message` to this node's subscribers of each message's room, except the sending
    /// connection and anyone who blocked the sender; a recipient gets all of them in one write.
    /// Each recipient's socket reports delivery back to the sender. (Other nodes hear of
    /// messages from the outbox row written with the message.)
    func newMessages(_ messages: [(message: ChatMessage, exceptConnection: UInt64?)]) {
        var batch = WriteBatch()
        for (message, exceptConnection) in messages {
            var wire = message
            wire.clientMessageID = nil
            let frame = encoder.encode(.newMessage(wire))
            let note = DeliveryNote(roomID: message.roomID, messageID: message.id, senderID: message.senderID)
            let blockers = blocks.blockers(of: message.senderID)
            for connection in hub.subscribers(of: message.roomID)
            where connection.id != exceptConnection && !blockers.contains(connection.user.id) {
                connection.deliver(frame, seq: message.seq, delivery: note, batch: &batch)
            }
        }
        batch.schedule()
    }

    /// An event about `actor` (typing, receipts) to the room's other users who did not block them.
    func roomEvent(_ event: ServerEvent, in roomID: RoomID, actor: UserID) {
        let frame = encoder.encode(event)
        roomFrame(frame, in: roomID, actor: actor)
        forward?(.roomFrame(roomID: roomID, actor: actor, frame: String(buffer: frame)))
    }

    /// An event to every connection of these users.
    func toUsers(_ event: ServerEvent, _ userIDs: some Sequence<UserID>) {
        let frame = encoder.encode(event)
        let userIDs = Array(userIDs)
        hub.send(frame, toUsers: userIDs)
        forward?(.userFrame(userIDs: userIDs, frame: String(buffer: frame)))
    }

    /// The user left or was removed: their connections, on every node, stop following the room.
    /// Returns once every node will apply it before any later message.
    func memberLeft(_ userID: UserID, roomID: RoomID) async {
        hub.unsubscribe(user: userID, from: roomID)
        await cluster.forwardNow(.memberLeft(roomID: roomID, userID: userID))
    }

    func roomDeleted(_ roomID: RoomID) async {
        hub.dropRoom(roomID)
        await cluster.forwardNow(.roomDeleted(roomID: roomID))
    }

    func blockChanged(blocker: UserID, blocked: UserID, blocking: Bool) async {
        if blocking { blocks.add(blocker: blocker, blocked: blocked) } else { blocks.remove(blocker: blocker, blocked: blocked) }
        await cluster.forwardNow(.blockChanged(blocker: blocker, blocked: blocked, blocking: blocking))
    }

    /// What another node published, for this node's connections.
    func apply(_ event: ClusterEvent) {
        switch event {
        case .roomFrame(let roomID, let actor, let frame):
            roomFrame(ByteBuffer(string: frame), in: roomID, actor: actor)
        case .userFrame(let userIDs, let frame):
            hub.send(ByteBuffer(string: frame), toUsers: userIDs)
        case .memberLeft(let roomID, let userID):
            hub.unsubscribe(user: userID, from: roomID)
        case .roomDeleted(let roomID):
            hub.dropRoom(roomID)
        case .blockChanged(let blocker, let blocked, let blocking):
            if blocking { blocks.add(blocker: blocker, blocked: blocked) } else { blocks.remove(blocker: blocker, blocked: blocked) }
        case .presence, .nodeGone, .tokenRevoked:
            break
        }
    }

    private func roomFrame(_ frame: ByteBuffer, in roomID: RoomID, actor: UserID) {
        var excluded = blocks.blockers(of: actor)
        excluded.insert(actor)
        hub.broadcast(frame, in: roomID, exceptUsers: excluded)
    }
}
