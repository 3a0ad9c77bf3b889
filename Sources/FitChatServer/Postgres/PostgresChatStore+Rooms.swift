import FitChatProtocol
import Foundation
import PostgresNIO

extension PostgresChatStore {
    static func roomRecord(_ row: PostgresRandomAccessRow) throws -> RoomRecord {
        RoomRecord(
            id: try row.value("id"),
            kind: RoomInfo.Kind(rawValue: try row.value("kind")) ?? .group,
            name: try row.value("name"),
            ownerID: try row.value("owner_id"),
            createdAt: Date(epochMilliseconds: try row.value("created_at")),
            lastSeq: try row.value("last_seq")
        )
    }

    static let roomColumns = "r.id, r.kind, r.name, r.owner_id, r.created_at, r.last_seq"

    private func insertRoom(
        _ connection: PostgresConnection, kind: RoomInfo.Kind, name: String?, ownerID: UserID?, directKey: String?, memberIDs: [UserID], at date: Date
    ) async throws -> RoomRecord? {
        let roomID = RoomID.random()
        let rows = try await connection.query("""
            INSERT INTO rooms (id, kind, name, owner_id, direct_key, created_at)
            VALUES (\(roomID), \(kind.rawValue), \(name), \(ownerID), \(directKey), \(date.epochMilliseconds))
            ON CONFLICT (direct_key) DO NOTHING RETURNING id
            """, logger: logger).all()
        guard !rows.isEmpty else { return nil }
        try await connection.query("""
            INSERT INTO room_members (room_id, user_id, joined_at)
            SELECT \(roomID), member, \(date.epochMilliseconds) FROM unnest(\(Array(Set(memberIDs)))::uuid[]) AS member
            """, logger: logger)
        return RoomRecord(id: roomID, kind: kind, name: name, ownerID: ownerID, createdAt: date.roundedToMilliseconds, lastSeq: 0)
    }

    public func createGroupRoom(name: String, ownerID: UserID, memberIDs: [UserID], at date: Date) async throws -> RoomRecord {
        try await transaction { connection in
            guard let room = try await self.insertRoom(
                connection, kind: .group, name: name, ownerID: ownerID, directKey: nil, memberIDs: [ownerID] + memberIDs, at: date
            ) else { throw StoreError.inconsistent("an expected row is missing") }
            return room
        }
    }

    public func findOrCreateDirectRoom(between first: UserID, and second: UserID, at date: Date) async throws -> (room: RoomRecord, created: Bool) {
        let key = pairKey(first, second)
        return try await transaction { connection in
            if let room = try await self.insertRoom(connection, kind: .direct, name: nil, ownerID: nil, directKey: key, memberIDs: [first, second], at: date) {
                return (room, true)
            }
            // Another node created it first; its row is committed (the unique index waited for it).
            let rows = try await connection.query(
                "SELECT \(unescaped: Self.roomColumns) FROM rooms r WHERE r.direct_key = \(key)", logger: self.logger
            ).all()
            guard let row = rows.first else { throw StoreError.inconsistent("an expected row is missing") }
            return (try Self.roomRecord(row), false)
        }
    }

    public func room(id: RoomID) async throws -> RoomRecord? {
        try await query("SELECT \(unescaped: Self.roomColumns) FROM rooms r WHERE r.id = \(id)").first.map(Self.roomRecord)
    }

    public func members(of roomID: RoomID) async throws -> [UserRecord] {
        try await query("""
            SELECT \(unescaped: Self.userColumns) FROM room_members m JOIN users u ON u.id = m.user_id
            WHERE m.room_id = \(roomID) ORDER BY lower(u.username)
            """).map(Self.userRecord)
    }

    public func memberIDs(of roomID: RoomID) async throws -> [UserID] {
        try await query("SELECT user_id FROM room_members WHERE room_id = \(roomID) ORDER BY user_id").map { try $0.value("user_id") }
    }

    public func isMember(_ userID: UserID, of roomID: RoomID) async throws -> Bool {
        try await !query("SELECT 1 AS one FROM room_members WHERE room_id = \(roomID) AND user_id = \(userID)").isEmpty
    }

    public func roomSummaries(for userID: UserID, hiddenSenders: Set<UserID>) async throws -> [RoomSummary] {
        let hidden = Array(hiddenSenders)
        let rooms = try await query("""
            SELECT \(unescaped: Self.roomColumns), mine.last_read_seq,
                (SELECT COUNT(*) FROM messages m WHERE m.room_id = r.id AND m.seq > mine.last_read_seq
                    AND m.sender_id <> \(userID) AND m.deleted_at IS NULL AND NOT (m.sender_id = ANY(\(hidden)))) AS unread
            FROM room_members mine JOIN rooms r ON r.id = mine.room_id WHERE mine.user_id = \(userID) ORDER BY r.created_at, r.id
            """)
        var membersByRoom: [RoomID: [UserRecord]] = [:]
        for row in try await query("""
            SELECT m.room_id AS member_room_id, \(unescaped: Self.userColumns) FROM room_members mine
            JOIN room_members m ON m.room_id = mine.room_id JOIN users u ON u.id = m.user_id
            WHERE mine.user_id = \(userID) ORDER BY lower(u.username)
            """) {
            membersByRoom[try row.value("member_room_id"), default: []].append(try Self.userRecord(row))
        }
        var lastByRoom: [RoomID: ChatMessage] = [:]
        for row in try await query("""
            SELECT DISTINCT ON (m.room_id) \(unescaped: Self.messageColumns)
            FROM room_members mine JOIN messages m ON m.room_id = mine.room_id JOIN users u ON u.id = m.sender_id
            WHERE mine.user_id = \(userID) AND NOT (m.sender_id = ANY(\(hidden)))
            ORDER BY m.room_id, m.seq DESC
            """) {
            let message = try Self.chatMessage(row)
            lastByRoom[message.roomID] = message
        }
        return try rooms.map { row in
            let room = try Self.roomRecord(row)
            return RoomSummary(
                room: room, members: membersByRoom[room.id] ?? [], lastReadSeq: try row.value("last_read_seq"),
                unreadCount: Int(try row.value("unread", as: Int64.self)), lastMessage: lastByRoom[room.id]
            )
        }
    }

    public func renameRoom(_ roomID: RoomID, to name: String) async throws {
        try await query("UPDATE rooms SET name = \(name) WHERE id = \(roomID)")
    }

    public func deleteRoom(_ roomID: RoomID) async throws {
        try await query("DELETE FROM rooms WHERE id = \(roomID)")
    }

    public func addMembers(_ userIDs: [UserID], to roomID: RoomID, at date: Date) async throws -> [UserID] {
        let added = try await query("""
            INSERT INTO room_members (room_id, user_id, joined_at)
            SELECT \(roomID), member, \(date.epochMilliseconds) FROM unnest(\(userIDs)::uuid[]) AS member
            ON CONFLICT DO NOTHING RETURNING user_id
            """).map { try $0.value("user_id", as: UserID.self) }
        return userIDs.filter(Set(added).contains)
    }

    public func removeMember(_ userID: UserID, from roomID: RoomID) async throws -> Bool {
        try await transaction { connection in
            let removed = try await connection.query(
                "DELETE FROM room_members WHERE room_id = \(roomID) AND user_id = \(userID) RETURNING user_id", logger: self.logger
            ).all()
            guard !removed.isEmpty else { return false }
            // An owner who leaves hands the room to the longest-standing member.
            try await connection.query("""
                UPDATE rooms SET owner_id = (
                    SELECT user_id FROM room_members WHERE room_id = \(roomID) ORDER BY joined_at, user_id LIMIT 1
                ) WHERE id = \(roomID) AND owner_id = \(userID)
                """, logger: self.logger)
            return true
        }
    }
}
