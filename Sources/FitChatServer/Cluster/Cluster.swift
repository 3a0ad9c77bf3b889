import Foundation
import FitChatProtocol

/// What one node must tell the others so that their connections see what happened on it.
/// New messages are not among them: they travel with their own commit (the outbox row the
/// store writes in the same transaction).
enum ClusterEvent: Codable, Sendable, Equatable {
    /// Typing and receipts: to the room's subscribers, minus the actor and whoever blocked them.
    case roomFrame(roomID: RoomID, actor: UserID, frame: String)
    /// Presence, room updates, delivery receipts: to every connection of these users (with a
    /// room, only those that joined it).
    case userFrame(userIDs: [UserID], frame: String, roomID: RoomID?)
    case memberLeft(roomID: RoomID, userID: UserID)
    case roomDeleted(roomID: RoomID)
    case blockChanged(blocker: UserID, blocked: UserID, blocking: Bool)
    /// A user's first connection opened, or last closed, on the node that wrote the event.
    case presence(userID: UserID, online: Bool)
    /// A node stopped heartbeating; its connections are gone.
    case nodeGone(node: String)
    /// An edit, deletion or reaction, written to the outbox in its own transaction.
    case roomLog(RoomLogEntry)
    /// A token was logged out: refused from now on.
    case tokenRevoked(hash: String, expiresAt: Date)
}

/// The nodes sharing one database. A single SQLite node is a cluster of one.
protocol Cluster: Sendable {
    /// Hands an event to the other nodes (it is already applied here); nil for a single node,
    /// so nothing is encoded for nobody.
    var forward: (@Sendable (ClusterEvent) -> Void)? { get }
    /// Hands an event to the other nodes and returns once it is committed: for changes that
    /// must hold everywhere before the request that made them is answered (blocks, membership).
    func forwardNow(_ event: ClusterEvent) async
    /// The user's first connection on this node opened: true when they were online nowhere else.
    func userConnected(_ userID: UserID) async -> Bool
    /// The user's last connection on this node closed: true when they are online nowhere else.
    func userDisconnected(_ userID: UserID) async -> Bool
    func isOnlineElsewhere(_ userID: UserID) -> Bool
}

/// What a node does with what the others tell it (implemented by `ChatService`).
protocol ClusterReceiver: Sendable {
    func receive(_ event: ClusterEvent)
    func receive(_ message: ChatMessage)
    /// Users went offline with a dead node, or came back with a node that had been given up.
    func presenceChanged(_ userIDs: [UserID], online: Bool) async
}

/// The embedded SQLite server: one node, nobody to tell.
struct SingleNode: Cluster {
    var forward: (@Sendable (ClusterEvent) -> Void)? { nil }
    func forwardNow(_ event: ClusterEvent) async {}
    func userConnected(_ userID: UserID) async -> Bool { true }
    func userDisconnected(_ userID: UserID) async -> Bool { true }
    func isOnlineElsewhere(_ userID: UserID) -> Bool { false }
}
