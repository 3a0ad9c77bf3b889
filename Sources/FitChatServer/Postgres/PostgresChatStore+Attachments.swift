import FitChatProtocol
import Foundation
import PostgresNIO

/// Files in PostgreSQL: as on SQLite, a row per file and its bytes in `bytea` chunks, so every
/// node serves every file and none holds one whole in memory.
extension PostgresChatStore {
    static let attachmentColumns = "id, room_id, uploader_id, filename, content_type, chunk_size, size, sha256, created_at"

    static func attachmentRecord(_ row: PostgresRandomAccessRow) throws -> AttachmentRecord {
        let sha256 = try row.value("sha256", as: String?.self)
        return AttachmentRecord(
            info: AttachmentInfo(
                id: try row.value("id"), filename: try row.value("filename"), contentType: try row.value("content_type"),
                size: try row.value("size"), sha256: sha256 ?? ""
            ),
            roomID: try row.value("room_id"), uploaderID: try row.value("uploader_id"), chunkSize: Int(try row.value("chunk_size", as: Int32.self)),
            isComplete: sha256 != nil, createdAt: Date(epochMilliseconds: try row.value("created_at"))
        )
    }

    func attachment(id: AttachmentInfo.ID, on connection: PostgresConnection) async throws -> AttachmentRecord? {
        try await connection.query("SELECT \(unescaped: Self.attachmentColumns) FROM attachments WHERE id = \(id)", logger: logger)
            .all().first.map(Self.attachmentRecord)
    }

    public func createAttachment(_ new: NewAttachment) async throws -> AttachmentRecord {
        let id = AttachmentInfo.ID.random()
        return try await transaction { connection in
            let member = try await connection.query(
                "SELECT 1 AS one FROM room_members WHERE room_id = \(new.roomID) AND user_id = \(new.uploaderID)", logger: self.logger
            ).all()
            guard !member.isEmpty else { throw StoreError.notAMember }
            try await connection.query("""
                INSERT INTO attachments (id, room_id, uploader_id, filename, content_type, chunk_size, created_at)
                VALUES (\(id), \(new.roomID), \(new.uploaderID), \(new.filename), \(new.contentType), \(Int32(clamping: new.chunkSize)),
                        \(new.createdAt.epochMilliseconds))
                """, logger: self.logger)
            guard let record = try await self.attachment(id: id, on: connection) else { throw StoreError.inconsistent("an attachment just stored is gone") }
            return record
        }
    }

    public func storeAttachmentChunk(_ id: AttachmentInfo.ID, index: Int, bytes: Data) async throws {
        _ = try await query("INSERT INTO attachment_chunks (attachment_id, chunk, bytes) VALUES (\(id), \(Int32(clamping: index)), \(bytes))")
    }

    public func finishAttachment(_ id: AttachmentInfo.ID, size: Int64, sha256: String) async throws -> AttachmentRecord {
        let rows = try await query("""
            UPDATE attachments SET size = \(size), sha256 = \(sha256) WHERE id = \(id) RETURNING \(unescaped: Self.attachmentColumns)
            """)
        guard let row = rows.first else { throw StoreError.notFound("no attachment \(id)") }
        return try Self.attachmentRecord(row)
    }

    public func attachment(id: AttachmentInfo.ID) async throws -> AttachmentRecord? {
        try await query("SELECT \(unescaped: Self.attachmentColumns) FROM attachments WHERE id = \(id)").first.map(Self.attachmentRecord)
    }

    public func attachmentChunk(_ id: AttachmentInfo.ID, index: Int) async throws -> Data? {
        try await query("SELECT bytes FROM attachment_chunks WHERE attachment_id = \(id) AND chunk = \(Int32(clamping: index))")
            .first.map { try $0.value("bytes", as: Data.self) }
    }

    public func deleteAttachment(id: AttachmentInfo.ID) async throws {
        _ = try await query("DELETE FROM attachments WHERE id = \(id)")
    }

    public func pruneUnsentAttachments(createdBefore date: Date) async throws -> Int {
        try await query("""
            DELETE FROM attachments WHERE created_at < \(date.epochMilliseconds)
              AND NOT EXISTS (SELECT 1 FROM messages WHERE messages.attachment_id = attachments.id)
            RETURNING id
            """).count
    }
}
