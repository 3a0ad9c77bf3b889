import FitChatProtocol
import Foundation
import GRDB

/// Edits, deletions and reactions: entries of the room's log beside its messages, each taking
/// the room's next `seq` in the same transaction as the change it records.
extension SQLiteChatStore {
    public func commit(_ batch: [RoomWrite]) async throws -> [Result<RoomCommit, StoreError>] {
        try await pool.write { db in
            try batch.map { write in
                // A refusal is found before anything is written, so it leaves the others' writes alone.
                do {
                    switch write {
                    case .message(let new): return try Self.append(new, in: db).map(RoomCommit.message)
                    case .edit(let messageID, let editorID, let content, let date):
                        return .success(try Self.edit(messageID, by: editorID, to: content, at: date, in: db))
                    case .delete(let messageID, let actorID, let date):
                        return .success(try Self.delete(messageID, by: actorID, at: date, in: db))
                    case .react(let messageID, let userID, let emoji, let on, let date, let maxDistinct):
                        return .success(try Self.react(messageID, by: userID, emoji: emoji, on: on, at: date, maxDistinct: maxDistinct, in: db))
                    }
                } catch let refusal as StoreError {
                    return .failure(refusal)
                }
            }
        }
    }

    /// The message a change is about, if the actor may see it (a participant of its room).
    /// Throws `StoreError` when there is no such message or the actor is not in its room.
    private static func target(_ messageID: MessageID, actor: UserID, in db: Database) throws -> (message: ChatMessage, ownerID: UserID?) {
        guard let row = try Row.fetchOne(db, sql: messageSelect + " WHERE m.id = ?", arguments: [messageID]) else {
            throw StoreError.notFound("no message \(messageID)")
        }
        let message = chatMessage(row)
        guard try Bool.fetchOne(db, sql: "SELECT 1 FROM room_members WHERE room_id = ? AND user_id = ?", arguments: [message.roomID, actor]) != nil else {
            throw StoreError.notAMember
        }
        let ownerID = try UserID.fetchOne(db, sql: "SELECT owner_id FROM rooms WHERE id = ?", arguments: [message.roomID])
        return (message, ownerID)
    }

    private static func nextSeq(_ roomID: RoomID, in db: Database) throws -> Int64 {
        guard let seq = try Int64.fetchOne(db, sql: "UPDATE rooms SET last_seq = last_seq + 1 WHERE id = ? RETURNING last_seq", arguments: [roomID]) else {
            throw StoreError.inconsistent("a message's room \(roomID) is gone")
        }
        return seq
    }

    private static func logEvent(_ kind: String, roomID: RoomID, seq: Int64, messageID: MessageID, userID: UserID, emoji: String? = nil, on: Bool? = nil, at date: Date, in db: Database) throws {
        try db.execute(
            sql: "INSERT INTO room_events (room_id, seq, kind, message_id, user_id, emoji, reaction_on, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            arguments: [roomID, seq, kind, messageID, userID, emoji, on, date.epochMilliseconds]
        )
    }

    private static func edit(_ messageID: MessageID, by editorID: UserID, to content: String, at date: Date, in db: Database) throws -> RoomCommit {
        let (message, _) = try target(messageID, actor: editorID, in: db)
        try RoomWrite.checkEdit(of: message, by: editorID)
        let seq = try nextSeq(message.roomID, in: db)
        try db.execute(sql: "UPDATE messages SET content = ?, edited_at = ? WHERE id = ?", arguments: [content, date.epochMilliseconds, messageID])
        try logEvent("edited", roomID: message.roomID, seq: seq, messageID: messageID, userID: editorID, at: date, in: db)
        var edited = message
        edited.content = content
        edited.editedAt = date.roundedToMilliseconds
        return .logged(RoomLogEntry(event: .edited(MessageEdited(message: edited, eventSeq: seq)), roomID: message.roomID, seq: seq, actors: [message.senderID]))
    }

    private static func delete(_ messageID: MessageID, by actorID: UserID, at date: Date, in db: Database) throws -> RoomCommit {
        let (message, ownerID) = try target(messageID, actor: actorID, in: db)
        try RoomWrite.checkDeletion(of: message, by: actorID, ownerID: ownerID)
        guard message.deleted != true else { return .unchanged(.deleted(MessageDeleted(id: messageID, roomID: message.roomID))) }
        let seq = try nextSeq(message.roomID, in: db)
        try db.execute(
            sql: "UPDATE messages SET content = '', deleted_at = ?, attachment_id = NULL WHERE id = ?", arguments: [date.epochMilliseconds, messageID]
        )
        try db.execute(sql: "DELETE FROM reactions WHERE message_id = ?", arguments: [messageID])
        if let attachment = message.attachment { try db.execute(sql: "DELETE FROM attachments WHERE id = ?", arguments: [attachment.id]) }
        try logEvent("deleted", roomID: message.roomID, seq: seq, messageID: messageID, userID: actorID, at: date, in: db)
        let deletion = MessageDeleted(id: messageID, roomID: message.roomID, userID: actorID, eventSeq: seq)
        return .logged(RoomLogEntry(event: .deleted(deletion), roomID: message.roomID, seq: seq, actors: [message.senderID]))
    }

    private static func react(
        _ messageID: MessageID, by userID: UserID, emoji: String, on: Bool, at date: Date, maxDistinct: Int, in db: Database
    ) throws -> RoomCommit {
        let (message, _) = try target(messageID, actor: userID, in: db)
        guard message.deleted != true else { throw StoreError.notFound("message \(messageID) was deleted") }
        let username = try String.fetchOne(
            db, sql: "SELECT CASE WHEN is_hook THEN display_name ELSE username END FROM users WHERE id = ?", arguments: [userID]
        )
        let exists = try Bool.fetchOne(
            db, sql: "SELECT 1 FROM reactions WHERE message_id = ? AND emoji = ? AND user_id = ?", arguments: [messageID, emoji, userID]
        ) != nil
        var reaction = Reaction(messageID: messageID, roomID: message.roomID, userID: userID, emoji: emoji, on: on, username: username)
        guard exists != on else { return .unchanged(.reaction(reaction)) }
        if on {
            let known = try Bool.fetchOne(db, sql: "SELECT 1 FROM reactions WHERE message_id = ? AND emoji = ?", arguments: [messageID, emoji]) != nil
            let distinct = try Int.fetchOne(db, sql: "SELECT COUNT(DISTINCT emoji) FROM reactions WHERE message_id = ?", arguments: [messageID]) ?? 0
            if !known && distinct >= maxDistinct { throw RoomWrite.tooManyReactions(maxDistinct) }
            try db.execute(
                sql: "INSERT INTO reactions (message_id, emoji, user_id, created_at) VALUES (?, ?, ?, ?)",
                arguments: [messageID, emoji, userID, date.epochMilliseconds]
            )
        } else {
            try db.execute(sql: "DELETE FROM reactions WHERE message_id = ? AND emoji = ? AND user_id = ?", arguments: [messageID, emoji, userID])
        }
        let seq = try nextSeq(message.roomID, in: db)
        try logEvent("reaction", roomID: message.roomID, seq: seq, messageID: messageID, userID: userID, emoji: emoji, on: on, at: date, in: db)
        reaction.eventSeq = seq
        return .logged(RoomLogEntry(event: .reaction(reaction), roomID: message.roomID, seq: seq, actors: [message.senderID, userID]))
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
