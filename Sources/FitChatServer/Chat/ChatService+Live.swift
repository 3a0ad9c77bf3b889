import FitChatProtocol
import Foundation

/// What only exists while connected: presence, subscriptions, typing, delivery receipts.
extension ChatService {
    /// A connection opened: the user comes online for their audience if it is their first.
    /// Its frames (`connection_established` first) go out once its presence is recorded, so a
    /// client that has been told it is connected is seen online everywhere.
    func connected(_ connection: ClientConnection, isFirst: Bool) async {
        let cameOnline = isFirst ? await presence.firstConnectionOpened(connection.user.id) : false
        connection.release()
        guard cameOnline else { return }
        await announcePresence(of: connection.user.id, username: connection.user.username, online: true, lastSeen: nil)
    }

    /// A connection closed: on the user's last, typing ends and they go offline with `last_seen`.
    func disconnected(_ connection: ClientConnection) async {
        let user = connection.user
        // The user's last connection here: last_seen is written before anyone can see them
        // offline (a lookup in between would find them offline with no last_seen).
        if connections.connectionCount(of: user.id) == 1 {
            try? await store.setLastSeen(Date(), userID: user.id)
        }
        guard connections.close(connection) else { return }
        for roomID in typing.stopAll(userID: user.id) {
            fanOut.roomEvent(.typingIndicator(.init(roomID: roomID, userID: user.id, username: user.username, isTyping: false)), in: roomID, actor: user.id)
        }
        guard await presence.lastConnectionClosed(user.id) else { return }
        await wentOffline(user.id, username: user.username)
    }

    /// Records `last_seen` and tells the user's audience.
    func wentOffline(_ userID: UserID, username: String) async {
        let now = Date()
        do {
            try await store.setLastSeen(now, userID: userID)
        } catch {
            logger.error("recording last_seen failed", metadata: ["user_id": "\(userID)", "error": "\(error)"])
        }
        await announcePresence(of: userID, username: username, online: false, lastSeen: now.roundedToMilliseconds)
    }

    func announcePresence(of userID: UserID, username: String, online: Bool, lastSeen: Date?) async {
        do {
            let audience = try await store.presenceAudience(of: userID).filter { !blocks.isBlocked($0, eitherWay: userID) }
            let change = UserStatusChange(userID: userID, isOnline: online, username: username, lastSeen: lastSeen)
            fanOut.toUsers(.userStatusChange(change), audience)
        } catch {
            logger.error("announcing presence failed", metadata: ["user_id": "\(userID)", "error": "\(error)"])
        }
    }

    /// Subscribes a connection to a room; with `since_seq`, first replays the room's log it missed
    /// (messages, edits, deletions, reactions), with no gap and no duplicate against live entries
    /// arriving meanwhile. Ends with `room_joined`.
    func join(_ request: JoinRoom, connection: ClientConnection, requestID: String?) async throws {
        let roomID = request.roomID
        if let since = request.sinceSeq, since < 0 { throw ServerError.invalid("since_seq must not be negative") }
        if !connection.isSubscribed(to: roomID), connection.subscribedRooms.count >= limits.maxRoomsPerConnection {
            throw ServerError.invalid("at most \(limits.maxRoomsPerConnection) rooms per connection")
        }
        try await requireMembership(connection.user.id, in: roomID)
        connection.subscribe(to: roomID)
        connections.subscribe(connection, to: roomID)
        do {
            // Read after subscribing: every entry past this position is held by the subscription.
            guard let position = try await store.room(id: roomID)?.lastSeq else { throw ServerError.notFound("no room \(roomID)") }
            let replayed = try await replay(roomID, to: connection, after: request.sinceSeq.map { min($0, position) })
            connection.finishReplay(roomID: roomID, position: position) { lastSeq in
                encoder.frame(.roomJoined(RoomJoined(roomID: roomID, lastSeq: lastSeq, replayed: replayed)), id: requestID)
            }
        } catch {
            connections.unsubscribe(connection, from: roomID)
            throw error
        }
    }

    /// Queues the room's log after `since` (nothing without it); returns how many entries.
    private func replay(_ roomID: RoomID, to connection: ClientConnection, after since: Int64?) async throws -> Int {
        guard var cursor = since else { return 0 }
        connection.startReplay(roomID: roomID, after: cursor)
        let hidden = blocks.blocked(by: connection.user.id)
        var replayed = 0
        while true {
            let page = try await store.roomLog(in: roomID, afterSeq: cursor, limit: 200, hiddenSenders: hidden)
            try await connection.replay(
                page.entries.map { entry in (entry.seq, encoder.frame(entry.subscriberEvent), entry.deliveryNote) },
                roomID: roomID
            )
            replayed += page.entries.count
            guard let next = page.next else { return replayed }
            cursor = next
        }
    }

    func leave(_ roomID: RoomID, connection: ClientConnection) {
        connections.unsubscribe(connection, from: roomID)
    }

    func setTyping(_ isTyping: Bool, roomID: RoomID, connection: ClientConnection) async throws {
        let user = connection.user
        if !connection.isSubscribed(to: roomID) { _ = try await requireMembership(user.id, in: roomID) }
        if isTyping {
            guard typing.start(.init(roomID: roomID, userID: user.id), username: user.username) else { return }
            fanOut.roomEvent(.typingIndicator(.init(roomID: roomID, userID: user.id, username: user.username, isTyping: true)), in: roomID, actor: user.id)
        } else {
            stopTyping(roomID: roomID, user: user)
        }
    }

    func stopTyping(roomID: RoomID, user: AuthenticatedUser) {
        guard typing.stop(.init(roomID: roomID, userID: user.id)) else { return }
        fanOut.roomEvent(.typingIndicator(.init(roomID: roomID, userID: user.id, username: user.username, isTyping: false)), in: roomID, actor: user.id)
    }

    /// Periodic work: expire typing that was not refreshed, hand out batched delivery receipts.
    func tick() {
        for (key, username) in typing.expire() {
            fanOut.roomEvent(.typingIndicator(.init(roomID: key.roomID, userID: key.userID, username: username, isTyping: false)), in: key.roomID, actor: key.userID)
        }
        for batch in deliveries.drain() {
            var receipt = batch.receipt
            let blocked = blocks.blocked(by: batch.senderID)
            receipt.deliveries.removeAll { blocked.contains($0.userID) }
            guard !receipt.deliveries.isEmpty else { continue }
            fanOut.toUsers(.messageDelivered(receipt), [batch.senderID], following: receipt.roomID)
        }
    }
}
