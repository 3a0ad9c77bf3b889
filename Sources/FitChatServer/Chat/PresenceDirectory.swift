import FitChatProtocol

/// Whether a user is online, on this node or another: what the rules ask when they show a
/// user, and what they tell when a user's first connection opens or last one closes.
protocol PresenceDirectory: Sendable {
    func isOnline(_ userID: UserID) -> Bool
    /// Online through a connection of this node (a dead node's users stay online if so).
    func isConnectedHere(_ userID: UserID) -> Bool
    /// The user's first connection here opened: true when they were online nowhere else.
    func firstConnectionOpened(_ userID: UserID) async -> Bool
    /// The user's last connection here closed: true when they are online nowhere else.
    func lastConnectionClosed(_ userID: UserID) async -> Bool
}

/// A node's presence: its own connections, and what the cluster knows of the other nodes'.
struct NodePresence: PresenceDirectory {
    let hub: RoomHub
    let cluster: any Cluster

    func isOnline(_ userID: UserID) -> Bool {
        hub.isOnline(userID) || cluster.isOnlineElsewhere(userID)
    }

    func isConnectedHere(_ userID: UserID) -> Bool {
        hub.isOnline(userID)
    }

    func firstConnectionOpened(_ userID: UserID) async -> Bool {
        await cluster.userConnected(userID)
    }

    func lastConnectionClosed(_ userID: UserID) async -> Bool {
        await cluster.userDisconnected(userID)
    }
}
