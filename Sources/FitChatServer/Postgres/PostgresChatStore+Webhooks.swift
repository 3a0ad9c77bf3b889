import FitChatProtocol
import Foundation
import PostgresNIO

extension PostgresChatStore {
    static func webhookRecord(_ row: PostgresRandomAccessRow) throws -> WebhookRecord {
        WebhookRecord(
            id: try row.value("id"), roomID: try row.value("room_id"), userID: try row.value("user_id"), name: try row.value("name"),
            creatorID: try row.value("creator_id"), createdAt: Date(epochMilliseconds: try row.value("created_at"))
        )
    }

    static let webhookColumns = "id, room_id, user_id, name, creator_id, created_at"

    public func createWebhook(roomID: RoomID, name: String, secretHash: String, creatorID: UserID, at date: Date) async throws -> WebhookRecord {
        let record = WebhookRecord(id: .random(), roomID: roomID, userID: .random(), name: name, creatorID: creatorID, createdAt: date.roundedToMilliseconds)
        let handle = WebhookRecord.handle(of: record.userID)
        return try await transaction { connection in
            try await connection.query("""
                INSERT INTO users (id, username, display_name, password_hash, created_at, is_hook)
                VALUES (\(record.userID), \(handle), \(name), '', \(date.epochMilliseconds), true)
                """, logger: self.logger)
            try await connection.query("""
                INSERT INTO room_members (room_id, user_id, joined_at) VALUES (\(roomID), \(record.userID), \(date.epochMilliseconds))
                """, logger: self.logger)
            try await connection.query("""
                INSERT INTO webhooks (id, room_id, user_id, name, secret_hash, creator_id, created_at)
                VALUES (\(record.id), \(roomID), \(record.userID), \(name), \(secretHash), \(creatorID), \(date.epochMilliseconds))
                """, logger: self.logger)
            return record
        }
    }

    public func webhooks(in roomID: RoomID) async throws -> [WebhookRecord] {
        try await query("""
            SELECT \(unescaped: Self.webhookColumns) FROM webhooks WHERE room_id = \(roomID) ORDER BY created_at, id
            """).map(Self.webhookRecord)
    }

    public func webhook(id: WebhookInfo.ID) async throws -> WebhookRecord? {
        try await query("SELECT \(unescaped: Self.webhookColumns) FROM webhooks WHERE id = \(id)").first.map(Self.webhookRecord)
    }

    public func webhook(secretHash: String) async throws -> WebhookRecord? {
        try await query("SELECT \(unescaped: Self.webhookColumns) FROM webhooks WHERE secret_hash = \(secretHash)").first.map(Self.webhookRecord)
    }

    public func deleteWebhook(id: WebhookInfo.ID) async throws {
        try await transaction { connection in
            let rows = try await connection.query(
                "DELETE FROM webhooks WHERE id = \(id) RETURNING room_id, user_id", logger: self.logger
            ).all()
            guard let row = rows.first else { return }
            let (roomID, userID): (RoomID, UserID) = (try row.value("room_id"), try row.value("user_id"))
            try await connection.query("DELETE FROM room_members WHERE room_id = \(roomID) AND user_id = \(userID)", logger: self.logger)
        }
    }
}
