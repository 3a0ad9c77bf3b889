import FitChatProtocol
import Foundation
import NIOCore

/// Turns chat events into frames for the right connections: encoded once, filtered by blocks,
/// and handed to the other nodes of a cluster, which apply them with `apply(_:)`.
struct EventPublisher: EventFanOut {
    let hub: RoomHub
    let blocks: BlockGraph
    let encoder: FrameEncoder
    let cluster: any Cluster
    let metrics: ServerMetrics
    /// The cluster's way to the other nodes; nil on a single node.
    let forward: (@Sendable (ClusterEvent) -> Void)?

    init(hub: RoomHub, blocks: BlockGraph, cluster: any Cluster, encoder: FrameEncoder, metrics: ServerMetrics) {
        self.hub = hub
        self.metrics = metrics
        self.blocks = blocks
        self.encoder = encoder
        self.cluster = cluster
        forward = cluster.forward
    }

    /// Room log entries (`new_message`, `message_edited`, `message_deleted`, `reaction`) to this
    /// node's subscribers of each room, except the connection that made the change (it gets the
    /// reply) and anyone who blocked an actor, whose connections only count past the entry's
    /// `seq`; a recipient gets all of them in one write. A new
    /// message's recipients report delivery back to its sender. (Other nodes hear of entries
    /// from the outbox row written with them.) `committedAt` starts the fan-out latency.
    func roomLog(_ entries: [(entry: RoomLogEntry, exceptConnection: UInt64?)], committedAt: ContinuousClock.Instant) {
        var batch = WriteBatch(measuringInto: metrics.fanOutLatency, since: committedAt)
        var delivered: Int64 = 0
        for (entry, exceptConnection) in entries {
            let frame = encoder.frame(entry.subscriberEvent)
            let note = entry.deliveryNote
            let blockers = entry.actors.reduce(into: Set<UserID>()) { $0.formUnion(blocks.blockers(of: $1)) }
            for connection in hub.subscribers(of: entry.roomID) {
                let sees = connection.id != exceptConnection && !blockers.contains(connection.user.id)
                connection.deliver(sees ? frame : nil, roomID: entry.roomID, seq: entry.seq, delivery: sees ? note : nil, batch: &batch)
                if sees { delivered += 1 }
            }
        }
        metrics.deliveries.increment(by: delivered)
        batch.schedule()
    }

    /// An event about `actor` (typing, receipts) to the room's other users who did not block them.
    func roomEvent(_ event: ServerEvent, in roomID: RoomID, actor: UserID) {
        let payload = encoder.encode(event)
        forward?(.roomFrame(roomID: roomID, actor: actor, frame: String(buffer: payload)))
        roomFrame(WireFrame(text: payload), in: roomID, actor: actor)
    }

    /// To every connection of these users, on every node; with `following`, only to the ones
    /// that joined that room (a receipt means nothing to a connection that does not show it).
    func toUsers(_ event: ServerEvent, _ userIDs: some Sequence<UserID>, following roomID: RoomID?) {
        let payload = encoder.encode(event)
        let userIDs = Array(userIDs)
        forward?(.userFrame(userIDs: userIDs, frame: String(buffer: payload), roomID: roomID))
        hub.send(WireFrame(text: payload), toUsers: userIDs, following: roomID)
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

    func tokenRevoked(hash: String, expiresAt: Date) async {
        await cluster.forwardNow(.tokenRevoked(hash: hash, expiresAt: expiresAt))
    }

    /// What another node published, for this node's connections.
    func apply(_ event: ClusterEvent) {
        switch event {
        case .roomFrame(let roomID, let actor, let frame):
            roomFrame(WireFrame(text: ByteBuffer(string: frame)), in: roomID, actor: actor)
        case .userFrame(let userIDs, let frame, let roomID):
            hub.send(WireFrame(text: ByteBuffer(string: frame)), toUsers: userIDs, following: roomID)
        case .memberLeft(let roomID, let userID):
            hub.unsubscribe(user: userID, from: roomID)
        case .roomDeleted(let roomID):
            hub.dropRoom(roomID)
        case .blockChanged(let blocker, let blocked, let blocking):
            if blocking { blocks.add(blocker: blocker, blocked: blocked) } else { blocks.remove(blocker: blocker, blocked: blocked) }
        case .roomLog(let entry):
            roomLog([(entry, nil)], committedAt: .now)
        case .presence, .nodeGone, .tokenRevoked:
            break
        }
    }

    private func roomFrame(_ frame: WireFrame, in roomID: RoomID, actor: UserID) {
        var excluded = blocks.blockers(of: actor)
        excluded.insert(actor)
        hub.broadcast(frame, in: roomID, exceptUsers: excluded)
    }
}

extension RoomLogEntry {
    /// What subscribers see of an entry: never the sender's `client_msg_id`, nor reactions
    /// (those arrive as their own entries).
    var subscriberEvent: ServerEvent {
        switch event {
        case .message(var message):
            message.clientMessageID = nil
            message.reactions = nil
            return .newMessage(message)
        case .edited(var edit):
            edit.message.clientMessageID = nil
            edit.message.reactions = nil
            return .messageEdited(edit)
        default:
            return serverEvent
        }
    }

    /// A new message's recipients tell its sender it arrived; other entries need no receipt.
    var deliveryNote: DeliveryNote? {
        guard case .message(let message) = event else { return nil }
        return DeliveryNote(roomID: message.roomID, messageID: message.id, senderID: message.senderID)
    }
}
