import FitChatProtocol
import NIOWebSocket
import NIOCore
import Synchronization

/// Routes live events: which connections are open, whose they are, and which rooms each follows.
/// Every operation is a short critical section; delivery itself is a non-blocking enqueue.
final class RoomHub: Sendable {
    private struct State {
        var nextConnectionID: UInt64 = 1
        var byUser: [UserID: [UInt64: ClientConnection]] = [:]
        var subscribers: [RoomID: [UInt64: ClientConnection]] = [:]
        var closing = false
    }

    private let state = Mutex(State())
    private let bounds: ClientConnection.Bounds
    private let deliveries: DeliveryTracker
    private let metrics: ServerMetrics

    init(bounds: ClientConnection.Bounds, deliveries: DeliveryTracker, metrics: ServerMetrics) {
        self.bounds = bounds
        self.deliveries = deliveries
        self.metrics = metrics
    }

    /// Opens a connection for `user` on `channel`, with `firstFrame` queued before anything a
    /// fan-out can send it; `isFirst` tells whether the user just came online. Nil while the
    /// server is shutting down.
    func open(
        for user: AuthenticatedUser, on channel: any Channel, firstFrame: WireFrame, closer: @escaping @Sendable (CloseRequest) -> Void
    ) -> (connection: ClientConnection, isFirst: Bool)? {
        state.withLock { state in
            guard !state.closing else { return nil }
            let connection = ClientConnection(
                id: state.nextConnectionID, user: user, channel: channel, deliveries: deliveries, bounds: bounds, metrics: metrics,
                closer: closer
            )
            metrics.connectionsOpened.increment()
            metrics.connectionsOpen.increment()
            // Before the connection is findable: no receipt or presence frame can come first.
            connection.send(firstFrame)
            state.nextConnectionID += 1
            let isFirst = state.byUser[user.id]?.isEmpty ?? true
            state.byUser[user.id, default: [:]][connection.id] = connection
            return (connection, isFirst)
        }
    }

    /// Forgets a connection; returns true when it was the user's last one.
    func close(_ connection: ClientConnection) -> Bool {
        let rooms = connection.subscribedRooms
        return state.withLock { state in
            for roomID in rooms {
                state.subscribers[roomID]?.removeValue(forKey: connection.id)
                if state.subscribers[roomID]?.isEmpty == true { state.subscribers[roomID] = nil }
            }
            state.byUser[connection.user.id]?.removeValue(forKey: connection.id)
            guard state.byUser[connection.user.id]?.isEmpty ?? true else { return false }
            state.byUser[connection.user.id] = nil
            return true
        }
    }

    func subscribe(_ connection: ClientConnection, to roomID: RoomID) {
        state.withLock { $0.subscribers[roomID, default: [:]][connection.id] = connection }
    }

    func unsubscribe(_ connection: ClientConnection, from roomID: RoomID) {
        connection.unsubscribe(from: roomID)
        state.withLock { state in
            state.subscribers[roomID]?.removeValue(forKey: connection.id)
            if state.subscribers[roomID]?.isEmpty == true { state.subscribers[roomID] = nil }
        }
    }

    /// A user left or was removed from a room: their connections stop following it.
    func unsubscribe(user userID: UserID, from roomID: RoomID) {
        for connection in connections(of: userID) where connection.isSubscribed(to: roomID) {
            unsubscribe(connection, from: roomID)
        }
    }

    /// The room is gone: nobody follows it any more.
    func dropRoom(_ roomID: RoomID) {
        let followers = state.withLock { $0.subscribers.removeValue(forKey: roomID) ?? [:] }
        for connection in followers.values { connection.unsubscribe(from: roomID) }
    }

    func subscribers(of roomID: RoomID) -> [ClientConnection] {
        state.withLock { state in state.subscribers[roomID].map { Array($0.values) } ?? [] }
    }

    func connections(of userID: UserID) -> [ClientConnection] {
        state.withLock { state in state.byUser[userID].map { Array($0.values) } ?? [] }
    }

    func isOnline(_ userID: UserID) -> Bool {
        state.withLock { $0.byUser[userID] != nil }
    }

    /// Users with at least one connection here.
    var onlineUsers: [UserID] {
        state.withLock { Array($0.byUser.keys) }
    }

    var connectionCount: Int {
        state.withLock { $0.byUser.values.reduce(0) { $0 + $1.count } }
    }

    /// Sends one encoded frame to every connection of each user; with `following`, only to
    /// the connections that joined that room.
    func send(_ frame: WireFrame, toUsers userIDs: some Sequence<UserID>, following roomID: RoomID? = nil) {
        var batch = WriteBatch()
        for userID in userIDs {
            for connection in connections(of: userID) where roomID.map(connection.isSubscribed(to:)) ?? true {
                connection.send(frame, batch: &batch)
            }
        }
        batch.schedule()
    }

    /// Sends a room event to its subscribers, minus one connection and minus some users.
    func broadcast(_ frame: WireFrame, in roomID: RoomID, exceptConnection: UInt64? = nil, exceptUsers: Set<UserID> = []) {
        var batch = WriteBatch()
        for connection in subscribers(of: roomID)
        where connection.id != exceptConnection && !exceptUsers.contains(connection.user.id) {
            connection.send(frame, batch: &batch)
        }
        batch.schedule()
    }

    /// Refuses new connections and closes the open ones ahead of their queues (shutdown: 1001).
    func closeAll(_ code: WebSocketErrorCode, reason: String) {
        let all = state.withLock { state in
            state.closing = true
            return state.byUser.values.flatMap(\.values)
        }
        for connection in all { connection.closeNow(code, reason: reason) }
    }
}
