import FitChatProtocol
import Foundation
import PostgresNIO

/// Edits, deletions and reactions on PostgreSQL: as on SQLite, each takes the room's next `seq`
/// (the room row is locked by the update), and each writes its outbox row in the same
/// transaction, so the other nodes hear of it exactly when it commits, in commit order.
extension PostgresChatStore {
    /// One transaction per batch, under the outbox lock; the other nodes are woken when it commits.
    public func commit(_ batch: [RoomWrite]) async throws -> [Result<RoomCommit, StoreError>] {
        try await transaction(ordered: true) { connection in
            var results: [Result<RoomCommit, StoreError>] = []
            for write in batch {
                do {
                    switch write {
                    case .message(let new):
                        results.append(try await self.append(new, on: connection).map(RoomCommit.message))
                    case .edit(let messageID, let editorID, let content, let date):
                        results.append(.success(try await self.edit(messageID, by: editorID, to: content, at: date, on: connection)))
                    case .delete(let messageID, let actorID, let date):
                        results.append(.success(try await self.delete(messageID, by: actorID, at: date, on: connection)))
                    case .react(let messageID, let userID, let emoji, let on, let date, let maxDistinct):
                        results.append(.success(try await self.react(messageID, by: userID, emoji: emoji, on: on, at: date, maxDistinct: maxDistinct, on: connection)))
                    }
                } catch let refusal as StoreError {
                    // Found before anything is written: the batch's other writes stand.
                    results.append(.failure(refusal))
                }
            }
            if results.contains(where: Self.changedSomething) {
                try await connection.query("NOTIFY \(unescaped: PostgresCluster.channel)", logger: self.logger)
            }
            return results
        }
    }

    private static func changedSomething(_ result: Result<RoomCommit, StoreError>) -> Bool {
        switch result {
        case .success(.message(.stored)), .success(.logged): true
        default: false
        }
    }

    private func target(_ messageID: MessageID, actor: UserID, on connection: PostgresConnection) async throws -> (message: ChatMessage, ownerID: UserID?) {
        guard let row = try await connection.query("""
            SELECT \(unescaped: Self.messageColumns), r.owner_id FROM messages m JOIN users u ON u.id = m.sender_id JOIN rooms r ON r.id = m.room_id
            WHERE m.id = \(messageID)
            """, logger: logger).all().first
        else { throw StoreError.notFound("no message \(messageID)") }
        let message = try Self.chatMessage(row)
        let member = try await connection.query(
            "SELECT 1 AS one FROM room_members WHERE room_id = \(message.roomID) AND user_id = \(actor)", logger: logger
        ).all()
        guard !member.isEmpty else { throw StoreError.notAMember }
        return (message, try row.value("owner_id", as: UserID?.self))
    }

    /// Takes the room's next `seq`, records the entry and hands it to the other nodes.
    private func log(
        _ kind: String, messageID: MessageID, userID: UserID, emoji: String? = nil, reactionOn: Bool? = nil, at date: Date,
        roomID: RoomID, on connection: PostgresConnection, entry: (Int64) -> RoomLogEntry
    ) async throws -> RoomLogEntry {
        guard let row = try await connection.query(
            "UPDATE rooms SET last_seq = last_seq + 1 WHERE id = \(roomID) RETURNING last_seq", logger: logger
        ).all().first else { throw StoreError.inconsistent("a message's room \(roomID) is gone") }
        let seq: Int64 = try row.value("last_seq")
        try await connection.query("""
            INSERT INTO room_events (room_id, seq, kind, message_id, user_id, emoji, reaction_on, created_at)
            VALUES (\(roomID), \(seq), \(kind), \(messageID), \(userID), \(emoji), \(reactionOn), \(date.epochMilliseconds))
            """, logger: logger)
        let logged = entry(seq)
        let payload = String(decoding: try JSONEncoder().encode(ClusterEvent.roomLog(logged)), as: UTF8.self)
        try await connection.query("""
            INSERT INTO outbox (node_id, payload, created_at) VALUES (\(nodeID), \(payload), \(unescaped: PostgresSchema.now))
            """, logger: logger)
        return logged
    }

    private func edit(_ messageID: MessageID, by editorID: UserID, to content: String, at date: Date, on connection: PostgresConnection) async throws -> RoomCommit {
        let (message, _) = try await target(messageID, actor: editorID, on: connection)
        try RoomWrite.checkEdit(of: message, by: editorID)
        try await connection.query(
            "UPDATE messages SET content = \(content), edited_at = \(date.epochMilliseconds) WHERE id = \(messageID)", logger: logger
        )
        var edited = message
        edited.content = content
        edited.editedAt = date.roundedToMilliseconds
        return .logged(
            try await log("edited", messageID: messageID, userID: editorID, at: date, roomID: message.roomID, on: connection) { seq in
                RoomLogEntry(event: .edited(MessageEdited(message: edited, eventSeq: seq)), roomID: message.roomID, seq: seq, actors: [message.senderID])
            }
        )
    }

    private func delete(_ messageID: MessageID, by actorID: UserID, at date: Date, on connection: PostgresConnection) async throws -> RoomCommit {
        let (message, ownerID) = try await target(messageID, actor: actorID, on: connection)
        try RoomWrite.checkDeletion(of: message, by: actorID, ownerID: ownerID)
        guard message.deleted != true else { return .unchanged(.deleted(MessageDeleted(id: messageID, roomID: message.roomID))) }
        try await connection.query(
            "UPDATE messages SET content = '', deleted_at = \(date.epochMilliseconds), attachment_id = NULL WHERE id = \(messageID)", logger: logger
        )
        try await connection.query("DELETE FROM reactions WHERE message_id = \(messageID)", logger: logger)
        if let attachment = message.attachment {
            try await connection.query("DELETE FROM attachments WHERE id = \(attachment.id)", logger: logger)
        }
        return .logged(
            try await log("deleted", messageID: messageID, userID: actorID, at: date, roomID: message.roomID, on: connection) { seq in
                let deletion = MessageDeleted(id: messageID, roomID: message.roomID, userID: actorID, eventSeq: seq)
                return RoomLogEntry(event: .deleted(deletion), roomID: message.roomID, seq: seq, actors: [message.senderID])
            }
        )
    }

    private func react(
        _ messageID: MessageID, by userID: UserID, emoji: String, on: Bool, at date: Date, maxDistinct: Int, on connection: PostgresConnection
    ) async throws -> RoomCommit {
        let (message, _) = try await target(messageID, actor: userID, on: connection)
        guard message.deleted != true else { throw StoreError.notFound("message \(messageID) was deleted") }
        let counts = try await connection.query("""
            SELECT (SELECT COUNT(DISTINCT emoji) FROM reactions WHERE message_id = \(messageID)) AS distinct_emoji,
                   EXISTS (SELECT 1 FROM reactions WHERE message_id = \(messageID) AND emoji = \(emoji)) AS known,
                   EXISTS (SELECT 1 FROM reactions WHERE message_id = \(messageID) AND emoji = \(emoji) AND user_id = \(userID)) AS mine,
                   (SELECT CASE WHEN is_hook THEN display_name ELSE username END FROM users WHERE id = \(userID)) AS username
            """, logger: logger).all()
        guard let row = counts.first else { throw StoreError.inconsistent("no answer counting reactions") }
        var reaction = Reaction(
            messageID: messageID, roomID: message.roomID, userID: userID, emoji: emoji, on: on, username: try row.value("username", as: String?.self)
        )
        guard try row.value("mine", as: Bool.self) != on else { return .unchanged(.reaction(reaction)) }
        if on {
            if try !row.value("known", as: Bool.self), try row.value("distinct_emoji", as: Int64.self) >= maxDistinct {
                throw RoomWrite.tooManyReactions(maxDistinct)
            }
            try await connection.query("""
                INSERT INTO reactions (message_id, emoji, user_id, created_at) VALUES (\(messageID), \(emoji), \(userID), \(date.epochMilliseconds))
                """, logger: logger)
        } else {
            try await connection.query(
                "DELETE FROM reactions WHERE message_id = \(messageID) AND emoji = \(emoji) AND user_id = \(userID)", logger: logger
            )
        }
        let logged = try await log("reaction", messageID: messageID, userID: userID, emoji: emoji, reactionOn: on, at: date, roomID: message.roomID, on: connection) { seq in
            reaction.eventSeq = seq
            return RoomLogEntry(event: .reaction(reaction), roomID: message.roomID, seq: seq, actors: [message.senderID, userID])
        }
        return .logged(logged)
    }

    public func roomLog(in roomID: RoomID, afterSeq: Int64, limit: Int, hiddenSenders: Set<UserID>) async throws -> RoomLogPage {
        let hidden = Array(hiddenSenders)
        let messages = try await query("""
            SELECT \(unescaped: Self.messageColumns) FROM messages m JOIN users u ON u.id = m.sender_id
            WHERE m.room_id = \(roomID) AND m.seq > \(afterSeq) AND NOT (m.sender_id = ANY(\(hidden)))
            ORDER BY m.seq LIMIT \(limit)
            """).map { row in
            let message = try Self.chatMessage(row)
            return RoomLogEntry(message: message)
        }
        let eventRows = try await query("""
            SELECT e.seq AS event_seq, e.kind, e.user_id AS actor_id, e.emoji, e.reaction_on,
                   CASE WHEN eu.is_hook THEN eu.display_name ELSE eu.username END AS actor_name, \(unescaped: Self.messageColumns)
            FROM room_events e JOIN messages m ON m.id = e.message_id JOIN users u ON u.id = m.sender_id JOIN users eu ON eu.id = e.user_id
            WHERE e.room_id = \(roomID) AND e.seq > \(afterSeq) ORDER BY e.seq LIMIT \(limit)
            """)
        let events = try eventRows.map { row -> RoomLogEntry in
            let seq: Int64 = try row.value("event_seq")
            let message = try Self.chatMessage(row)
            let actorID: UserID = try row.value("actor_id")
            switch try row.value("kind", as: String.self) {
            case "edited":
                return RoomLogEntry(event: .edited(MessageEdited(message: message, eventSeq: seq)), roomID: roomID, seq: seq, actors: [message.senderID])
            case "deleted":
                let deletion = MessageDeleted(id: message.id, roomID: roomID, userID: actorID, eventSeq: seq)
                return RoomLogEntry(event: .deleted(deletion), roomID: roomID, seq: seq, actors: [message.senderID])
            default:
                let reaction = Reaction(
                    messageID: message.id, roomID: roomID, userID: actorID, emoji: try row.value("emoji", as: String?.self) ?? "",
                    on: try row.value("reaction_on", as: Bool?.self) ?? false, username: try row.value("actor_name", as: String?.self), eventSeq: seq
                )
                return RoomLogEntry(event: .reaction(reaction), roomID: roomID, seq: seq, actors: [message.senderID, actorID])
            }
        }
        return mergedLogPage(
            messages: messages, messagesFull: messages.count == limit, events: events, eventsFull: eventRows.count == limit, hiddenSenders: hiddenSenders
        )
    }

    /// The messages with who reacted with what, minus reactions of hidden users.
    func withReactions(_ messages: [ChatMessage], hiddenSenders: Set<UserID>) async throws -> [ChatMessage] {
        guard !messages.isEmpty else { return messages }
        var byMessage: [MessageID: [(emoji: String, userID: UserID)]] = [:]
        for row in try await query("""
            SELECT message_id, emoji, user_id FROM reactions
            WHERE message_id = ANY(\(messages.map(\.id))) AND NOT (user_id = ANY(\(Array(hiddenSenders))))
            ORDER BY created_at, emoji
            """) {
            byMessage[try row.value("message_id"), default: []].append((try row.value("emoji"), try row.value("user_id")))
        }
        return messages.map { message in
            guard let reactions = byMessage[message.id] else { return message }
            var message = message
            message.reactions = ReactionCount.grouping(reactions)
            return message
        }
    }
}
