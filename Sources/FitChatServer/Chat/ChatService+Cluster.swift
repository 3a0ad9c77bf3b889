import FitChatProtocol

/// What the other nodes of a cluster tell this one.
extension ChatService: ClusterReceiver {
    func receive(_ event: ClusterEvent) {
        if case .tokenRevoked(let hash, let expiresAt) = event { revokedTokens.add(hash, until: expiresAt) }
        fanOut.apply(event)
    }

    func receive(_ message: ChatMessage) {
        fanOut.roomLog([(RoomLogEntry(message: message), nil)])
    }

    /// Users whose node died go offline (unless they have a connection here); users of a node
    /// that rejoined come back online.
    func presenceChanged(_ userIDs: [UserID], online: Bool) async {
        for userID in userIDs where online || !presence.isConnectedHere(userID) {
            guard let user = try? await store.user(id: userID) else { continue }
            if online {
                await announcePresence(of: userID, username: user.username, online: true, lastSeen: nil)
            } else {
                await wentOffline(userID, username: user.username)
            }
        }
    }
}
