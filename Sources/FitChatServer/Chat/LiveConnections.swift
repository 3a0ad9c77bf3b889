import FitChatProtocol

/// This node's open connections and the rooms each follows, as the rules change them.
protocol LiveConnections: Sendable {
    func subscribe(_ connection: ClientConnection, to roomID: RoomID)
    func unsubscribe(_ connection: ClientConnection, from roomID: RoomID)
    /// Forgets a connection; true when it was the user's last one here.
    func close(_ connection: ClientConnection) -> Bool
    func connectionCount(of userID: UserID) -> Int
}

/// The hub holds them.
extension RoomHub: LiveConnections {
    func connectionCount(of userID: UserID) -> Int {
        connections(of: userID).count
    }
}
