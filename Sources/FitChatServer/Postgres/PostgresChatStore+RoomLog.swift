import FitChatProtocol
import Foundation
import PostgresNIO

/// Writes to a room's log on PostgreSQL: as on SQLite, each takes the room's next `seq` (the
/// room row is locked by the update) and `RoomWritePlan` decides; each also writes its outbox
/// row with it, so the other nodes hear of it exactly when it commits.
extension PostgresChatStore {
    /// Runs of messages in two statements each (`commitRun`), any other change one at a time.
    /// A batch of one room's messages needs no transaction around them: its checks are one
    /// read, its insert one statement (atomic on its own, and its only lock is the room's).
    /// Any other batch is one transaction, which first locks its rooms in id order, so that
    /// batches of several nodes never wait on each other's rooms in a circle.
    public func commit(_ batch: [RoomWrite]) async throws -> [Result<RoomCommit, StoreError>] {
        let first = Self.messageRun(batch[...])
        if first.count == batch.count, let room = first.first?.roomID, first.allSatisfy({ $0.roomID == room }) {
            try Task.checkCancellation()
            return try await client.withConnection { connection in try await self.commitRun(first, locking: nil, on: connection) }
        }
        return try await transaction(retries: 2) { connection in
            var locks = RoomLocks(batch)
            var results: [Result<RoomCommit, StoreError>] = []
            results.reserveCapacity(batch.count)
            var rest = batch[...]
            while let write = rest.first {
                let run = Self.messageRun(rest)
                if run.isEmpty {
                    if let pending = locks.take() { try await self.lockRooms(pending, on: connection) }
                    results.append(try await self.carryOut(try await self.plan(write, on: connection), on: connection))
                    rest = rest.dropFirst()
                } else {
                    results += try await self.commitRun(run, locking: locks.take(), on: connection)
                    rest = rest.dropFirst(run.count)
                }
            }
            if results.contains(where: Self.loggedAChange) {
                try await connection.query("NOTIFY \(unescaped: PostgresCluster.channel)", logger: self.logger)
            }
            return results
        }
    }

    private func lockRooms(_ locks: RoomLocks, on connection: PostgresConnection) async throws {
        _ = try await connection.query("""
            SELECT id FROM rooms WHERE id IN (SELECT unnest(\(locks.rooms)::uuid[]) UNION SELECT room_id FROM messages WHERE id = ANY(\(locks.targets)))
            ORDER BY id FOR UPDATE
            """, logger: logger).all()
    }

    /// Messages wake the other nodes in their own statement; this is for the other changes.
    private static func loggedAChange(_ result: Result<RoomCommit, StoreError>) -> Bool {
        if case .success(.logged) = result { true } else { false }
    }

    /// Reads what the write's rules need in this transaction, and lets them decide.
    private func plan(_ write: RoomWrite, on connection: PostgresConnection) async throws -> RoomWritePlan {
        switch write {
        case .message(let new):
            guard let facts = try await messageFacts([new], on: connection).first else { throw StoreError.inconsistent("no answer checking a message") }
            return .message(new, facts: facts)
        case .edit(let messageID, let actorID, _, _), .delete(let messageID, let actorID, _), .react(let messageID, let actorID, _, _, _, _):
            var reaction: ReactionFacts?
            if let key = write.reactionKey { reaction = try await reactionFacts(key.messageID, emoji: key.emoji, userID: key.userID, on: connection) }
            return .change(write, target: try await targetFacts(messageID, actor: actorID, on: connection), reaction: reaction)
        }
    }

    private func targetFacts(_ messageID: MessageID, actor: UserID, on connection: PostgresConnection) async throws -> TargetFacts {
        guard let row = try await connection.query("""
            SELECT \(unescaped: Self.messageColumns), r.owner_id,
                   EXISTS (SELECT 1 FROM room_members rm WHERE rm.room_id = m.room_id AND rm.user_id = \(actor)) AS actor_is_member
            FROM messages m JOIN users u ON u.id = m.sender_id JOIN rooms r ON r.id = m.room_id
            WHERE m.id = \(messageID)
            """, logger: logger).all().first
        else { return TargetFacts(message: nil, ownerID: nil, actorIsMember: false) }
        return TargetFacts(
            message: try Self.chatMessage(row), ownerID: try row.value("owner_id", as: UserID?.self), actorIsMember: try row.value("actor_is_member")
        )
    }

    private func reactionFacts(_ messageID: MessageID, emoji: String, userID: UserID, on connection: PostgresConnection) async throws -> ReactionFacts {
        guard let row = try await connection.query("""
            SELECT (SELECT CASE WHEN is_hook THEN display_name ELSE username END FROM users WHERE id = \(userID)) AS actor_name,
                   EXISTS (SELECT 1 FROM reactions WHERE message_id = \(messageID) AND emoji = \(emoji) AND user_id = \(userID)) AS already_on,
                   EXISTS (SELECT 1 FROM reactions WHERE message_id = \(messageID) AND emoji = \(emoji)) AS known,
                   (SELECT COUNT(DISTINCT emoji) FROM reactions WHERE message_id = \(messageID)) AS distinct_emoji
            """, logger: logger).all().first
        else { throw StoreError.inconsistent("no answer counting reactions") }
        return ReactionFacts(
            actorName: try row.value("actor_name", as: String?.self), alreadyOn: try row.value("already_on"), emojiKnown: try row.value("known"),
            distinctEmoji: Int(try row.value("distinct_emoji", as: Int64.self))
        )
    }

    /// Writes what the plan decided: the room's next `seq`, the change, its record, and the
    /// outbox row that hands it to the other nodes.
    private func carryOut(_ plan: RoomWritePlan, on connection: PostgresConnection) async throws -> Result<RoomCommit, StoreError> {
        let change: RoomChange
        switch plan {
        case .settled(let outcome): return outcome
        case .change(let planned): change = planned
        }
        if case .insertMessage(let new, let id, _) = change.effect {
            guard let seq = try await insertMessages([(new, id)], on: connection)[id] else { return .failure(change.roomGone) }
            return .success(change.committed(seq: seq))
        }
        guard let seqRow = try await connection.query(
            "UPDATE rooms SET last_seq = last_seq + 1 WHERE id = \(change.roomID) RETURNING last_seq", logger: logger
        ).all().first else { return .failure(change.roomGone) }
        let seq: Int64 = try seqRow.value("last_seq")
        switch change.effect {
        case .insertMessage:
            break
        case .edit(let message, _, let content, let date):
            try await connection.query(
                "UPDATE messages SET content = \(content), edited_at = \(date.epochMilliseconds) WHERE id = \(message.id)", logger: logger
            )
        case .delete(let message, _, let date):
            try await connection.query(
                "UPDATE messages SET content = '', deleted_at = \(date.epochMilliseconds), attachment_id = NULL WHERE id = \(message.id)", logger: logger
            )
            try await connection.query("DELETE FROM reactions WHERE message_id = \(message.id)", logger: logger)
            if let attachment = message.attachment {
                try await connection.query("DELETE FROM attachments WHERE id = \(attachment.id)", logger: logger)
            }
        case .react(let message, let reaction, let date):
            if reaction.on {
                try await connection.query("""
                    INSERT INTO reactions (message_id, emoji, user_id, created_at)
                    VALUES (\(message.id), \(reaction.emoji), \(reaction.userID), \(date.epochMilliseconds))
                    """, logger: logger)
            } else {
                try await connection.query(
                    "DELETE FROM reactions WHERE message_id = \(message.id) AND emoji = \(reaction.emoji) AND user_id = \(reaction.userID)",
                    logger: logger
                )
            }
        }
        let committed = change.committed(seq: seq)
        if let event = change.event, case .logged(let entry) = committed {
            try await connection.query("""
                INSERT INTO room_events (room_id, seq, kind, message_id, user_id, emoji, reaction_on, created_at)
                VALUES (\(change.roomID), \(seq), \(event.kind), \(event.messageID), \(event.userID), \(event.emoji), \(event.reactionOn),
                        \(event.at.epochMilliseconds))
                """, logger: logger)
            let payload = String(decoding: try JSONEncoder().encode(ClusterEvent.roomLog(entry)), as: UTF8.self)
            try await connection.query("""
                INSERT INTO outbox (node_id, payload, created_at) VALUES (\(nodeID), \(payload), \(unescaped: PostgresSchema.now))
                """, logger: logger)
        }
        return .success(committed)
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
