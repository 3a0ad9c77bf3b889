import FitChatProtocol
import Foundation

/// Who hears about what the rules decided: frames for rooms and users, on this node and on
/// the others. The rules say what happened; how it reaches sockets and nodes is behind this.
protocol EventFanOut: Sendable {
    /// Committed room log entries, to the rooms' subscribers (the change's own connection
    /// excepted: it gets the reply).
    func roomLog(_ entries: [(entry: RoomLogEntry, exceptConnection: UInt64?)], committedAt: ContinuousClock.Instant)
    /// An event about `actor` (typing, read receipts) to the room's other users.
    func roomEvent(_ event: ServerEvent, in roomID: RoomID, actor: UserID)
    /// To every connection of these users; with `following`, only those that joined the room.
    func toUsers(_ event: ServerEvent, _ userIDs: some Sequence<UserID>, following roomID: RoomID?)
    /// These return once every node will apply the change before any later message.
    func memberLeft(_ userID: UserID, roomID: RoomID) async
    func roomDeleted(_ roomID: RoomID) async
    func blockChanged(blocker: UserID, blocked: UserID, blocking: Bool) async
    func tokenRevoked(hash: String, expiresAt: Date) async
    /// What another node published, for this node's connections.
    func apply(_ event: ClusterEvent)
}

extension EventFanOut {
    func roomLog(_ entries: [(entry: RoomLogEntry, exceptConnection: UInt64?)]) {
        roomLog(entries, committedAt: .now)
    }

    func toUsers(_ event: ServerEvent, _ userIDs: some Sequence<UserID>) {
        toUsers(event, userIDs, following: nil)
    }
}
