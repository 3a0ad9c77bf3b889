import FitChatProtocol
import Foundation
import GRDB

/// Writes to a room's log on SQLite: messages, edits, deletions and reactions, each taking the
/// room's next `seq` in the same transaction as the change it records (`RoomWritePlan` decides).
extension SQLiteChatStore {
    /// Runs the transaction on the caller's thread (GRDB runs a `sync` write there when its
    /// writer is idle): the message pipeline calls this from its `CommitThread`, so a commit
    /// wakes no other thread. The server calls it from nowhere else.
    public func commit(_ batch: [RoomWrite]) async throws -> [Result<RoomCommit, StoreError>] {
        try commitHere(batch)
    }

    private func commitHere(_ batch: [RoomWrite]) throws -> [Result<RoomCommit, StoreError>] {
        try pool.writeWithoutTransaction { db in
            try Self.inCachedTransaction(db) {
                try batch.map { write in try Self.carryOut(Self.plan(write, in: db), in: db) }
            }
        }
    }

    /// A write transaction begun and committed by cached statements: GRDB's `write` prepares
    /// its `BEGIN` and `COMMIT` afresh every time, a tenth of what a lone message's commit costs.
    /// Rolled back when `body` or the commit fails, as GRDB's would be.
    static func inCachedTransaction<T>(_ db: Database, _ body: () throws -> T) throws -> T {
        try db.cachedStatement(sql: "BEGIN IMMEDIATE TRANSACTION").execute()
        do {
            let result = try body()
            try db.cachedStatement(sql: "COMMIT TRANSACTION").execute()
            return result
        } catch {
            if db.isInsideTransaction { try? db.execute(sql: "ROLLBACK TRANSACTION") }
            throw error
        }
    }

    /// Reads what the write's rules need in this transaction, and lets them decide.
    private static func plan(_ write: RoomWrite, in db: Database) throws -> RoomWritePlan {
        switch write {
        case .message(let new):
            return .message(new, facts: try messageFacts(new, in: db))
        case .edit(let messageID, let actorID, _, _), .delete(let messageID, let actorID, _), .react(let messageID, let actorID, _, _, _, _):
            let reaction = try write.reactionKey.map { try reactionFacts($0.messageID, emoji: $0.emoji, userID: $0.userID, in: db) }
            return .change(write, target: try targetFacts(messageID, actor: actorID, in: db), reaction: reaction)
        }
    }

    private static func messageFacts(_ new: NewMessage, in db: Database) throws -> MessageFacts {
        var facts = MessageFacts(senderIsMember: try isMember(new.senderID, of: new.roomID, in: db))
        guard facts.senderIsMember else { return facts }
        if let clientID = new.clientMessageID {
            facts.original = try Row.fetchOne(
                db, sql: messageSelect + " WHERE m.room_id = ? AND m.sender_id = ? AND m.client_msg_id = ?",
                arguments: [new.roomID, new.senderID, clientID]
            ).map { chatMessage($0, includeClientID: true) }
        }
        if let replyTo = new.replyToID {
            facts.replyIsInRoom = try Bool.fetchOne(
                db, sql: "SELECT 1 FROM messages WHERE id = ? AND room_id = ?", arguments: [replyTo, new.roomID]
            ) != nil
        }
        if let attachmentID = new.attachmentID {
            facts.attachment = try attachment(id: attachmentID, in: db)
            facts.attachmentAlreadySent = try Bool.fetchOne(
                db, sql: "SELECT 1 FROM messages WHERE attachment_id = ?", arguments: [attachmentID]
            ) != nil
        }
        return facts
    }

    private static func targetFacts(_ messageID: MessageID, actor: UserID, in db: Database) throws -> TargetFacts {
        guard let row = try Row.fetchOne(db, sql: messageSelect + " WHERE m.id = ?", arguments: [messageID]) else {
            return TargetFacts(message: nil, ownerID: nil, actorIsMember: false)
        }
        let message = chatMessage(row)
        let ownerID = try UserID.fetchOne(db, sql: "SELECT owner_id FROM rooms WHERE id = ?", arguments: [message.roomID])
        return TargetFacts(message: message, ownerID: ownerID, actorIsMember: try isMember(actor, of: message.roomID, in: db))
    }

    private static func reactionFacts(_ messageID: MessageID, emoji: String, userID: UserID, in db: Database) throws -> ReactionFacts {
        let row = try Row.fetchOne(
            db,
            sql: """
                SELECT (SELECT CASE WHEN is_hook THEN display_name ELSE username END FROM users WHERE id = ?) AS actor_name,
                       EXISTS (SELECT 1 FROM reactions WHERE message_id = ? AND emoji = ? AND user_id = ?) AS already_on,
                       EXISTS (SELECT 1 FROM reactions WHERE message_id = ? AND emoji = ?) AS known,
                       (SELECT COUNT(DISTINCT emoji) FROM reactions WHERE message_id = ?) AS distinct_emoji
                """,
            arguments: [userID, messageID, emoji, userID, messageID, emoji, messageID]
        )
        guard let row else { throw StoreError.inconsistent("no answer counting reactions") }
        return ReactionFacts(actorName: row["actor_name"], alreadyOn: row["already_on"], emojiKnown: row["known"], distinctEmoji: row["distinct_emoji"])
    }

    /// The room's next `seq`, or no row when the room is gone; made once, as the statement
    /// cache looks it up by its text for every message.
    private static let nextSeqSQL = "SELECT " + lastSeq(ofRoom: "r.id") + " + 1 FROM rooms r WHERE r.id = ?"

    /// Writes what the plan decided: the room's next `seq`, the change, and its record.
    private static func carryOut(_ plan: RoomWritePlan, in db: Database) throws -> Result<RoomCommit, StoreError> {
        let change: RoomChange
        switch plan {
        case .settled(let outcome): return outcome
        case .change(let planned): change = planned
        }
        // Every statement here runs for every message: prepared once per connection (cached).
        // The next `seq` follows the room's log; the writer holds the only write lock, so no other
        // transaction takes it meanwhile.
        guard let seq = try Int64.fetchOne(
            db.cachedStatement(sql: nextSeqSQL), arguments: [change.roomID]
        ) else { return .failure(change.roomGone) }
        switch change.effect {
        case .insertMessage(let new, let id, _):
            try db.cachedStatement(
                sql: """
                    INSERT INTO messages (id, room_id, seq, sender_id, content, message_type, reply_to_id, client_msg_id, created_at, attachment_id)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """
            ).execute(
                arguments: [
                    id, new.roomID, seq, new.senderID, new.content, new.messageType, new.replyToID, new.clientMessageID,
                    new.createdAt.epochMilliseconds, new.attachmentID,
                ]
            )
        case .edit(let message, _, let content, let date):
            try db.cachedStatement(sql: "UPDATE messages SET content = ?, edited_at = ? WHERE id = ?").execute(arguments: [content, date.epochMilliseconds, message.id])
        case .delete(let message, _, let date):
            try db.execute(
                sql: "UPDATE messages SET content = '', deleted_at = ?, attachment_id = NULL WHERE id = ?", arguments: [date.epochMilliseconds, message.id]
            )
            try db.execute(sql: "DELETE FROM reactions WHERE message_id = ?", arguments: [message.id])
            if let attachment = message.attachment { try db.execute(sql: "DELETE FROM attachments WHERE id = ?", arguments: [attachment.id]) }
        case .react(let message, let reaction, let date):
            if reaction.on {
                try db.cachedStatement(sql: "INSERT INTO reactions (message_id, emoji, user_id, created_at) VALUES (?, ?, ?, ?)").execute(
                    arguments: [message.id, reaction.emoji, reaction.userID, date.epochMilliseconds]
                )
            } else {
                try db.execute(
                    sql: "DELETE FROM reactions WHERE message_id = ? AND emoji = ? AND user_id = ?", arguments: [message.id, reaction.emoji, reaction.userID]
                )
            }
        }
        if let event = change.event {
            try db.cachedStatement(
                sql: "INSERT INTO room_events (room_id, seq, kind, message_id, user_id, emoji, reaction_on, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
            ).execute(
                arguments: [change.roomID, seq, event.kind, event.messageID, event.userID, event.emoji, event.reactionOn, event.at.epochMilliseconds]
            )
        }
        return .success(change.committed(seq: seq))
    }

    public func roomLog(in roomID: RoomID, afterSeq: Int64, limit: Int, hiddenSenders: Set<UserID>) async throws -> RoomLogPage {
        let hidden = HiddenSendersClause(column: "m.sender_id", hidden: hiddenSenders)
        return try await pool.read { db in
            let messages = try Row.fetchAll(
                db,
                sql: Self.messageSelect + " WHERE m.room_id = ? AND m.seq > ?" + hidden.sql + " ORDER BY m.seq LIMIT ?",
                arguments: [roomID, afterSeq] + hidden.arguments + [limit]
            ).map { row in
                let message = Self.chatMessage(row)
                return RoomLogEntry(message: message)
            }
            let eventRows = try Row.fetchAll(
                db,
                sql: """
                    SELECT e.seq, e.kind, e.message_id, e.user_id, e.emoji, e.reaction_on, m.sender_id,
                           CASE WHEN u.is_hook THEN u.display_name ELSE u.username END AS username
                    FROM room_events e JOIN messages m ON m.id = e.message_id JOIN users u ON u.id = e.user_id
                    WHERE e.room_id = ? AND e.seq > ? ORDER BY e.seq LIMIT ?
                    """,
                arguments: [roomID, afterSeq, limit]
            )
            let editedIDs = eventRows.filter { $0["kind"] == "edited" }.map { $0["message_id"] as MessageID }
            var current: [MessageID: ChatMessage] = [:]
            for message in try Self.messages(ids: editedIDs, in: db) { current[message.id] = message }
            let events = eventRows.compactMap { row -> RoomLogEntry? in
                let seq: Int64 = row["seq"]
                let messageID: MessageID = row["message_id"]
                let senderID: UserID = row["sender_id"]
                let userID: UserID = row["user_id"]
                switch row["kind"] as String {
                case "edited":
                    guard let message = current[messageID] else { return nil }
                    return RoomLogEntry(event: .edited(MessageEdited(message: message, eventSeq: seq)), roomID: roomID, seq: seq, actors: [senderID])
                case "deleted":
                    let deletion = MessageDeleted(id: messageID, roomID: roomID, userID: userID, eventSeq: seq)
                    return RoomLogEntry(event: .deleted(deletion), roomID: roomID, seq: seq, actors: [senderID])
                default:
                    let reaction = Reaction(
                        messageID: messageID, roomID: roomID, userID: userID, emoji: row["emoji"] ?? "", on: row["reaction_on"] ?? false,
                        username: row["username"], eventSeq: seq
                    )
                    return RoomLogEntry(event: .reaction(reaction), roomID: roomID, seq: seq, actors: [senderID, userID])
                }
            }
            return mergedLogPage(
                messages: messages, messagesFull: messages.count == limit, events: events, eventsFull: eventRows.count == limit,
                hiddenSenders: hiddenSenders
            )
        }
    }

    private static func messages(ids: [MessageID], in db: Database) throws -> [ChatMessage] {
        guard !ids.isEmpty else { return [] }
        let placeholders = Array(repeating: "?", count: ids.count).joined(separator: ", ")
        return try Row.fetchAll(db, sql: messageSelect + " WHERE m.id IN (\(placeholders))", arguments: StatementArguments(ids)).map { chatMessage($0) }
    }

    /// The messages with who reacted with what, minus reactions of hidden users.
    static func withReactions(_ messages: [ChatMessage], in db: Database, hiddenSenders: Set<UserID>) throws -> [ChatMessage] {
        guard !messages.isEmpty else { return messages }
        let placeholders = Array(repeating: "?", count: messages.count).joined(separator: ", ")
        let hidden = HiddenSendersClause(column: "user_id", hidden: hiddenSenders)
        var byMessage: [MessageID: [(emoji: String, userID: UserID)]] = [:]
        for row in try Row.fetchAll(
            db,
            sql: "SELECT message_id, emoji, user_id FROM reactions WHERE message_id IN (\(placeholders))" + hidden.sql + " ORDER BY created_at, emoji",
            arguments: StatementArguments(messages.map(\.id)) + hidden.arguments
        ) {
            byMessage[row["message_id"], default: []].append((row["emoji"], row["user_id"]))
        }
        return messages.map { message in
            guard let reactions = byMessage[message.id] else { return message }
            var message = message
            message.reactions = ReactionCount.grouping(reactions)
            return message
        }
    }
}
