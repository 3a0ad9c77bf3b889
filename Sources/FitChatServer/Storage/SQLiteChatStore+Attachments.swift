import FitChatProtocol
import Foundation
import GRDB

/// Files in the SQLite database: a row per file, its bytes in chunk rows written one short
/// transaction at a time, so a slow upload never holds the writer for long.
extension SQLiteChatStore {
    static func attachment(id: AttachmentInfo.ID, in db: Database) throws -> AttachmentRecord? {
        try Row.fetchOne(db, sql: "SELECT * FROM attachments WHERE id = ?", arguments: [id]).map { row in
            AttachmentRecord(
                info: AttachmentInfo(id: row["id"], filename: row["filename"], contentType: row["content_type"], size: row["size"], sha256: row["sha256"] ?? ""),
                roomID: row["room_id"], uploaderID: row["uploader_id"], chunkSize: row["chunk_size"],
                isComplete: (row["sha256"] as String?) != nil, createdAt: Date(epochMilliseconds: row["created_at"])
            )
        }
    }

    public func createAttachment(_ new: NewAttachment) async throws -> AttachmentRecord {
        let id = AttachmentInfo.ID.random()
        return try await pool.write { db in
            guard try Self.isMember(new.uploaderID, of: new.roomID, in: db) else {
                throw StoreError.notAMember
            }
            try db.execute(
                sql: "INSERT INTO attachments (id, room_id, uploader_id, filename, content_type, chunk_size, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                arguments: [id, new.roomID, new.uploaderID, new.filename, new.contentType, new.chunkSize, new.createdAt.epochMilliseconds]
            )
            guard let record = try Self.attachment(id: id, in: db) else { throw StoreError.inconsistent("an attachment just stored is gone") }
            return record
        }
    }

    public func storeAttachmentChunk(_ id: AttachmentInfo.ID, index: Int, bytes: Data) async throws {
        try await pool.write { db in
            try db.execute(sql: "INSERT INTO attachment_chunks (attachment_id, chunk, bytes) VALUES (?, ?, ?)", arguments: [id, index, bytes])
        }
    }

    public func finishAttachment(_ id: AttachmentInfo.ID, size: Int64, sha256: String) async throws -> AttachmentRecord {
        try await pool.write { db in
            try db.execute(sql: "UPDATE attachments SET size = ?, sha256 = ? WHERE id = ?", arguments: [size, sha256, id])
            guard let record = try Self.attachment(id: id, in: db) else { throw StoreError.notFound("no attachment \(id)") }
            return record
        }
    }

    public func attachment(id: AttachmentInfo.ID) async throws -> AttachmentRecord? {
        try await pool.read { db in try Self.attachment(id: id, in: db) }
    }

    public func attachmentChunk(_ id: AttachmentInfo.ID, index: Int) async throws -> Data? {
        try await pool.read { db in
            try Data.fetchOne(db, sql: "SELECT bytes FROM attachment_chunks WHERE attachment_id = ? AND chunk = ?", arguments: [id, index])
        }
    }

    public func deleteAttachment(id: AttachmentInfo.ID) async throws {
        try await pool.write { db in try db.execute(sql: "DELETE FROM attachments WHERE id = ?", arguments: [id]) }
    }

    public func pruneUnsentAttachments(createdBefore date: Date) async throws -> Int {
        try await pool.write { db in
            try db.execute(
                sql: """
                    DELETE FROM attachments WHERE created_at < ?
                      AND NOT EXISTS (SELECT 1 FROM messages WHERE messages.attachment_id = attachments.id)
                    """,
                arguments: [date.epochMilliseconds]
            )
            return db.changesCount
        }
    }
}
