import FitChatProtocol
import Foundation
import GRDB

extension SQLiteChatStore {
    static let messageSelect = """
        SELECT m.id, m.room_id, m.seq, m.sender_id, CASE WHEN u.is_hook THEN u.display_name ELSE u.username END AS sender_username,
               m.content, m.message_type,
               m.reply_to_id, m.client_msg_id, m.created_at, m.edited_at, m.deleted_at,
               m.attachment_id, a.filename AS attachment_filename, a.content_type AS attachment_content_type,
               a.size AS attachment_size, a.sha256 AS attachment_sha256
        FROM messages m JOIN users u ON u.id = m.sender_id LEFT JOIN attachments a ON a.id = m.attachment_id
        """

    static func chatMessage(_ row: Row, includeClientID: Bool = false) -> ChatMessage {
        ChatMessage(
            id: row["id"],
            roomID: row["room_id"],
            senderID: row["sender_id"],
            content: row["content"],
            createdAt: Date(epochMilliseconds: row["created_at"]),
            seq: row["seq"],
            senderUsername: row["sender_username"],
            messageType: row["message_type"],
            replyToID: row["reply_to_id"],
            clientMessageID: includeClientID ? row["client_msg_id"] : nil,
            editedAt: (row["edited_at"] as Int64?).map(Date.init(epochMilliseconds:)),
            deleted: (row["deleted_at"] as Int64?) != nil ? true : nil,
            attachment: attachmentInfo(row)
        )
    }

    private static func attachmentInfo(_ row: Row) -> AttachmentInfo? {
        guard let id = row["attachment_id"] as AttachmentInfo.ID?, let sha256 = row["attachment_sha256"] as String? else { return nil }
        return AttachmentInfo(
            id: id, filename: row["attachment_filename"], contentType: row["attachment_content_type"], size: row["attachment_size"], sha256: sha256
        )
    }

    public func messages(in roomID: RoomID, afterSeq: Int64?, beforeSeq: Int64?, limit: Int, hiddenSenders: Set<UserID>) async throws -> [ChatMessage] {
        let hidden = HiddenSendersClause(column: "m.sender_id", hidden: hiddenSenders)
        return try await pool.read { db in
            var sql = Self.messageSelect + " WHERE m.room_id = ?"
            var arguments: StatementArguments = [roomID]
            if let afterSeq {
                sql += " AND m.seq > ?"
                arguments += [afterSeq]
            }
            if let beforeSeq {
                sql += " AND m.seq < ?"
                arguments += [beforeSeq]
            }
            sql += hidden.sql + (afterSeq != nil ? " ORDER BY m.seq ASC" : " ORDER BY m.seq DESC") + " LIMIT ?"
            arguments += hidden.arguments + [limit]
            let page = try Row.fetchAll(db, sql: sql, arguments: arguments).map { Self.chatMessage($0) }
            return try Self.withReactions(afterSeq != nil ? page : page.reversed(), in: db, hiddenSenders: hiddenSenders)
        }
    }

    public func messages(ids: [MessageID], in roomID: RoomID) async throws -> [ChatMessage] {
        guard !ids.isEmpty else { return [] }
        let placeholders = Array(repeating: "?", count: ids.count).joined(separator: ", ")
        return try await pool.read { db in
            try Row.fetchAll(
                db,
                sql: Self.messageSelect + " WHERE m.room_id = ? AND m.id IN (\(placeholders)) ORDER BY m.seq",
                arguments: [roomID] + StatementArguments(ids)
            ).map { Self.chatMessage($0) }
        }
    }

    public func markRead(roomID: RoomID, userID: UserID, upToSeq: Int64) async throws -> ReadMarkerChange {
        try await pool.write { db in
            let previous = try Int64.fetchOne(
                db, sql: "SELECT last_read_seq FROM room_members WHERE room_id = ? AND user_id = ?", arguments: [roomID, userID]
            ) ?? 0
            let current = max(previous, upToSeq)
            if current > previous {
                try db.execute(
                    sql: "UPDATE room_members SET last_read_seq = ? WHERE room_id = ? AND user_id = ?",
                    arguments: [current, roomID, userID]
                )
            }
            return ReadMarkerChange(previous: previous, current: current)
        }
    }

    public func unreadCount(roomID: RoomID, userID: UserID, hiddenSenders: Set<UserID>) async throws -> Int {
        let hidden = HiddenSendersClause(column: "m.sender_id", hidden: hiddenSenders)
        return try await pool.read { db in
            try Int.fetchOne(
                db,
                sql: """
                    SELECT COUNT(*) FROM messages m JOIN room_members mine ON mine.room_id = m.room_id AND mine.user_id = ?
                    WHERE m.room_id = ? AND m.seq > mine.last_read_seq AND m.sender_id != ? AND m.deleted_at IS NULL
                    """ + hidden.sql,
                arguments: [userID, roomID, userID] + hidden.arguments
            ) ?? 0
        }
    }

    public func messages(idPrefix prefix: ChatIDPrefix, visibleTo userID: UserID, roomID: RoomID?, hiddenSenders: Set<UserID>, limit: Int) async throws -> [ChatMessage] {
        let hidden = HiddenSendersClause(column: "m.sender_id", hidden: hiddenSenders)
        return try await pool.read { db in
            var sql = Self.messageSelect + """
                 JOIN room_members mine ON mine.room_id = m.room_id AND mine.user_id = ?
                 WHERE m.id BETWEEN ? AND ?
                """
            var arguments: StatementArguments = [userID, prefix.lowerBound, prefix.upperBound]
            if let roomID {
                sql += " AND m.room_id = ?"
                arguments += [roomID]
            }
            sql += hidden.sql + " ORDER BY m.row_key DESC LIMIT ?"
            arguments += hidden.arguments + [limit]
            return try Row.fetchAll(db, sql: sql, arguments: arguments).map { Self.chatMessage($0) }
        }
    }

    public func searchMessages(_ query: String, visibleTo userID: UserID, roomID: RoomID?, hiddenSenders: Set<UserID>, limit: Int) async throws -> [ChatMessage] {
        guard let match = FullTextQuery(query).fts5 else { return [] }
        try await catchUpSearchIndex()
        let hidden = HiddenSendersClause(column: "m.sender_id", hidden: hiddenSenders)
        return try await pool.read { db in
            var sql = Self.messageSelect + """
                 JOIN messages_fts ON messages_fts.rowid = m.row_key
                 JOIN room_members mine ON mine.room_id = m.room_id AND mine.user_id = ?
                 WHERE messages_fts MATCH ? AND m.deleted_at IS NULL
                """
            var arguments: StatementArguments = [userID, match]
            if let roomID {
                sql += " AND m.room_id = ?"
                arguments += [roomID]
            }
            sql += hidden.sql + " ORDER BY m.row_key DESC LIMIT ?"
            arguments += hidden.arguments + [limit]
            return try Row.fetchAll(db, sql: sql, arguments: arguments).map { Self.chatMessage($0) }
        }
    }
}
