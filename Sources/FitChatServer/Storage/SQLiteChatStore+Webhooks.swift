import FitChatProtocol
import Foundation
import GRDB

extension SQLiteChatStore {
    static func webhookRecord(_ row: Row) -> WebhookRecord {
        WebhookRecord(
            id: row["id"], roomID: row["room_id"], userID: row["user_id"], name: row["name"], creatorID: row["creator_id"],
            createdAt: Date(epochMilliseconds: row["created_at"])
        )
    }

    public func createWebhook(roomID: RoomID, name: String, secretHash: String, creatorID: UserID, at date: Date) async throws -> WebhookRecord {
        let record = WebhookRecord(id: .random(), roomID: roomID, userID: .random(), name: name, creatorID: creatorID, createdAt: date.roundedToMilliseconds)
        return try await pool.write { db in
            try db.execute(
                sql: "INSERT INTO users (id, username, display_name, password_hash, created_at, is_hook) VALUES (?, ?, ?, '', ?, 1)",
                arguments: [record.userID, WebhookRecord.handle(of: record.userID), name, date.epochMilliseconds]
            )
            try db.execute(
                sql: "INSERT INTO room_members (room_id, user_id, joined_at) VALUES (?, ?, ?)",
                arguments: [roomID, record.userID, date.epochMilliseconds]
            )
            try db.execute(
                sql: "INSERT INTO webhooks (id, room_id, user_id, name, secret_hash, creator_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                arguments: [record.id, roomID, record.userID, name, secretHash, creatorID, date.epochMilliseconds]
            )
            return record
        }
    }

    public func webhooks(in roomID: RoomID) async throws -> [WebhookRecord] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM webhooks WHERE room_id = ? ORDER BY created_at, id", arguments: [roomID]).map(Self.webhookRecord)
        }
    }

    public func webhook(id: WebhookInfo.ID) async throws -> WebhookRecord? {
        try await pool.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM webhooks WHERE id = ?", arguments: [id]).map(Self.webhookRecord)
        }
    }

    public func webhook(secretHash: String) async throws -> WebhookRecord? {
        try await pool.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM webhooks WHERE secret_hash = ?", arguments: [secretHash]).map(Self.webhookRecord)
        }
    }

    public func deleteWebhook(id: WebhookInfo.ID) async throws {
        try await pool.write { db in
            guard let hook = try Row.fetchOne(db, sql: "SELECT * FROM webhooks WHERE id = ?", arguments: [id]).map(Self.webhookRecord) else { return }
            try db.execute(sql: "DELETE FROM webhooks WHERE id = ?", arguments: [id])
            try db.execute(sql: "DELETE FROM room_members WHERE room_id = ? AND user_id = ?", arguments: [hook.roomID, hook.userID])
        }
    }
}
