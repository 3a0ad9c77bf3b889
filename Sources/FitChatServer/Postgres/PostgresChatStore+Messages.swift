import FitChatProtocol
import Foundation
import PostgresNIO

extension PostgresChatStore {
    static let messageColumns = """
        m.id, m.room_id, m.seq, m.sender_id, CASE WHEN u.is_hook THEN u.display_name ELSE u.username END AS sender_username,
        m.content, m.message_type,
        m.reply_to_id, m.client_msg_id, m.created_at, m.edited_at, m.deleted_at, m.attachment_id,
        (SELECT a.filename FROM attachments a WHERE a.id = m.attachment_id) AS attachment_filename,
        (SELECT a.content_type FROM attachments a WHERE a.id = m.attachment_id) AS attachment_content_type,
        (SELECT a.size FROM attachments a WHERE a.id = m.attachment_id) AS attachment_size,
        (SELECT a.sha256 FROM attachments a WHERE a.id = m.attachment_id) AS attachment_sha256
        """

    static func chatMessage(_ row: PostgresRandomAccessRow, includeClientID: Bool = false) throws -> ChatMessage {
        ChatMessage(
            id: try row.value("id"),
            roomID: try row.value("room_id"),
            senderID: try row.value("sender_id"),
            content: try row.value("content"),
            createdAt: Date(epochMilliseconds: try row.value("created_at")),
            seq: try row.value("seq"),
            senderUsername: try row.value("sender_username"),
            messageType: try row.value("message_type"),
            replyToID: try row.value("reply_to_id"),
            clientMessageID: includeClientID ? try row.value("client_msg_id") : nil,
            editedAt: (try row.value("edited_at", as: Int64?.self)).map(Date.init(epochMilliseconds:)),
            deleted: try row.value("deleted_at", as: Int64?.self) != nil ? true : nil,
            attachment: try attachmentInfo(row)
        )
    }

    private static func attachmentInfo(_ row: PostgresRandomAccessRow) throws -> AttachmentInfo? {
        guard let id = try row.value("attachment_id", as: AttachmentInfo.ID?.self),
            let sha256 = try row.value("attachment_sha256", as: String?.self)
        else { return nil }
        return AttachmentInfo(
            id: id, filename: try row.value("attachment_filename"), contentType: try row.value("attachment_content_type"),
            size: try row.value("attachment_size"), sha256: sha256
        )
    }

    public func messages(in roomID: RoomID, afterSeq: Int64?, beforeSeq: Int64?, limit: Int, hiddenSenders: Set<UserID>) async throws -> [ChatMessage] {
        let hidden = Array(hiddenSenders)
        let select = """
            SELECT \(Self.messageColumns) FROM messages m JOIN users u ON u.id = m.sender_id
            WHERE m.room_id = $1 AND ($2::bigint IS NULL OR m.seq > $2) AND ($3::bigint IS NULL OR m.seq < $3)
              AND NOT (m.sender_id = ANY($4::uuid[]))
            """
        var bindings = PostgresBindings()
        bindings.append(roomID)
        bindings.append(afterSeq)
        bindings.append(beforeSeq)
        bindings.append(hidden)
        bindings.append(limit)
        let order = afterSeq != nil ? "ASC" : "DESC"
        let page = try await query(PostgresQuery(unsafeSQL: select + " ORDER BY m.seq \(order) LIMIT $5", binds: bindings)).map { try Self.chatMessage($0) }
        return try await withReactions(afterSeq != nil ? page : page.reversed(), hiddenSenders: hiddenSenders)
    }

    public func messages(ids: [MessageID], in roomID: RoomID) async throws -> [ChatMessage] {
        guard !ids.isEmpty else { return [] }
        return try await query("""
            SELECT \(unescaped: Self.messageColumns) FROM messages m JOIN users u ON u.id = m.sender_id
            WHERE m.room_id = \(roomID) AND m.id = ANY(\(ids)) ORDER BY m.seq
            """).map { try Self.chatMessage($0) }
    }

    public func markRead(roomID: RoomID, userID: UserID, upToSeq: Int64) async throws -> ReadMarkerChange {
        try await transaction { connection in
            let rows = try await connection.query("""
                SELECT last_read_seq FROM room_members WHERE room_id = \(roomID) AND user_id = \(userID) FOR UPDATE
                """, logger: self.logger).all()
            let previous: Int64 = try rows.first?.value("last_read_seq") ?? 0
            let current = max(previous, upToSeq)
            if current > previous {
                try await connection.query(
                    "UPDATE room_members SET last_read_seq = \(current) WHERE room_id = \(roomID) AND user_id = \(userID)", logger: self.logger
                )
            }
            return ReadMarkerChange(previous: previous, current: current)
        }
    }

    public func unreadCount(roomID: RoomID, userID: UserID, hiddenSenders: Set<UserID>) async throws -> Int {
        let rows = try await query("""
            SELECT COUNT(*) AS unread FROM messages m JOIN room_members mine ON mine.room_id = m.room_id AND mine.user_id = \(userID)
            WHERE m.room_id = \(roomID) AND m.seq > mine.last_read_seq AND m.sender_id <> \(userID) AND m.deleted_at IS NULL
              AND NOT (m.sender_id = ANY(\(Array(hiddenSenders))))
            """)
        return Int(try rows.first?.value("unread", as: Int64.self) ?? 0)
    }

    public func messages(idPrefix prefix: ChatIDPrefix, visibleTo userID: UserID, roomID: RoomID?, hiddenSenders: Set<UserID>, limit: Int) async throws -> [ChatMessage] {
        try await query("""
            SELECT \(unescaped: Self.messageColumns) FROM messages m JOIN users u ON u.id = m.sender_id
            JOIN room_members mine ON mine.room_id = m.room_id AND mine.user_id = \(userID)
            WHERE m.id BETWEEN \(prefix.lowerBound) AND \(prefix.upperBound) AND (\(roomID)::uuid IS NULL OR m.room_id = \(roomID))
              AND NOT (m.sender_id = ANY(\(Array(hiddenSenders))))
            ORDER BY m.created_at DESC, m.seq DESC, m.id DESC LIMIT \(limit)
            """).map { try Self.chatMessage($0) }
    }

    /// The `search` column is computed with its row, in the commit: nothing waits.
    public func indexForSearch(limit: Int) async throws -> Int { 0 }

    public func searchMessages(_ text: String, visibleTo userID: UserID, roomID: RoomID?, hiddenSenders: Set<UserID>, limit: Int) async throws -> [ChatMessage] {
        guard let match = FullTextQuery(text).tsquery else { return [] }
        return try await query("""
            SELECT \(unescaped: Self.messageColumns) FROM messages m JOIN users u ON u.id = m.sender_id
            JOIN room_members mine ON mine.room_id = m.room_id AND mine.user_id = \(userID)
            WHERE m.search @@ to_tsquery('simple', \(match)) AND m.deleted_at IS NULL AND (\(roomID)::uuid IS NULL OR m.room_id = \(roomID))
              AND NOT (m.sender_id = ANY(\(Array(hiddenSenders))))
            ORDER BY m.created_at DESC, m.seq DESC, m.id DESC LIMIT \(limit)
            """).map { try Self.chatMessage($0) }
    }
}
