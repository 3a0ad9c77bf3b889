import FitChatProtocol
import Foundation
import GRDB

extension SQLiteChatStore {
    /// A room's newest `seq`, read from its log (schema v8): every entry that takes a `seq` is a
    /// row of `messages` or `room_events`, so no counter row is written with each message.
    static func lastSeq(ofRoom room: String) -> String {
        """
        MAX(COALESCE((SELECT MAX(seq) FROM messages WHERE room_id = \(room)), 0),
            COALESCE((SELECT MAX(seq) FROM room_events WHERE room_id = \(room)), 0))
        """
    }

    /// The columns `roomRecord` reads, for a query over `rooms r`.
    static let roomColumns = "r.*, " + lastSeq(ofRoom: "r.id") + " AS last_seq"

    static func roomRecord(_ row: Row) -> RoomRecord {
        RoomRecord(
            id: row["id"],
            kind: RoomInfo.Kind(rawValue: row["kind"]) ?? .group,
            name: row["name"],
            ownerID: row["owner_id"],
            createdAt: Date(epochMilliseconds: row["created_at"]),
            lastSeq: row["last_seq"]
        )
    }

    static func insertRoom(_ db: Database, kind: RoomInfo.Kind, name: String?, ownerID: UserID?, directKey: String?, memberIDs: [UserID], at date: Date) throws -> RoomRecord {
        let roomID = RoomID.random()
        try db.execute(
            sql: "INSERT INTO rooms (id, kind, name, owner_id, direct_key, created_at) VALUES (?, ?, ?, ?, ?, ?)",
            arguments: [roomID, kind.rawValue, name, ownerID, directKey, date.epochMilliseconds]
        )
        for memberID in Set(memberIDs) {
            try db.execute(
                sql: "INSERT INTO room_members (room_id, user_id, joined_at) VALUES (?, ?, ?)",
                arguments: [roomID, memberID, date.epochMilliseconds]
            )
        }
        return RoomRecord(id: roomID, kind: kind, name: name, ownerID: ownerID, createdAt: date.roundedToMilliseconds, lastSeq: 0)
    }

    public func createGroupRoom(name: String, ownerID: UserID, memberIDs: [UserID], at date: Date) async throws -> RoomRecord {
        try await pool.write { db in
            try Self.insertRoom(db, kind: .group, name: name, ownerID: ownerID, directKey: nil, memberIDs: [ownerID] + memberIDs, at: date)
        }
    }

    public func findOrCreateDirectRoom(between first: UserID, and second: UserID, at date: Date) async throws -> (room: RoomRecord, created: Bool) {
        let key = pairKey(first, second)
        return try await pool.write { db in
            if let row = try Row.fetchOne(db, sql: "SELECT \(Self.roomColumns) FROM rooms r WHERE r.direct_key = ?", arguments: [key]) {
                return (Self.roomRecord(row), false)
            }
            let room = try Self.insertRoom(db, kind: .direct, name: nil, ownerID: nil, directKey: key, memberIDs: [first, second], at: date)
            return (room, true)
        }
    }

    public func room(id: RoomID) async throws -> RoomRecord? {
        try await pool.read { db in
            try Row.fetchOne(db, sql: "SELECT \(Self.roomColumns) FROM rooms r WHERE r.id = ?", arguments: [id]).map(Self.roomRecord)
        }
    }

    public func members(of roomID: RoomID) async throws -> [UserRecord] {
        try await pool.read { db in
            try Row.fetchAll(
                db,
                sql: "SELECT \(Self.userColumns) FROM room_members m JOIN users u ON u.id = m.user_id WHERE m.room_id = ? ORDER BY u.username",
                arguments: [roomID]
            ).map { Self.userRecord($0) }
        }
    }

    public func memberIDs(of roomID: RoomID) async throws -> [UserID] {
        try await pool.read { db in
            try UserID.fetchAll(db, sql: "SELECT user_id FROM room_members WHERE room_id = ? ORDER BY user_id", arguments: [roomID])
        }
    }

    public func isMember(_ userID: UserID, of roomID: RoomID) async throws -> Bool {
        try await pool.read { db in try Self.isMember(userID, of: roomID, in: db) }
    }

    /// Inside a transaction: every write that needs a participant asks this.
    static func isMember(_ userID: UserID, of roomID: RoomID, in db: Database) throws -> Bool {
        try Bool.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM room_members WHERE room_id = ? AND user_id = ?"), arguments: [roomID, userID]) != nil
    }

    public func roomSummaries(for userID: UserID, hiddenSenders: Set<UserID>) async throws -> [RoomSummary] {
        let hidden = HiddenSendersClause(column: "m.sender_id", hidden: hiddenSenders)
        return try await pool.read { db in
            let rooms = try Row.fetchAll(
                db,
                sql: "SELECT \(Self.roomColumns), mine.last_read_seq FROM room_members mine JOIN rooms r ON r.id = mine.room_id WHERE mine.user_id = ? ORDER BY r.created_at, r.id",
                arguments: [userID]
            )
            var membersByRoom: [RoomID: [UserRecord]] = [:]
            for row in try Row.fetchAll(
                db,
                sql: """
                    SELECT m.room_id AS member_room_id, \(Self.userColumns) FROM room_members mine
                    JOIN room_members m ON m.room_id = mine.room_id JOIN users u ON u.id = m.user_id
                    WHERE mine.user_id = ? ORDER BY u.username
                    """,
                arguments: [userID]
            ) {
                membersByRoom[row["member_room_id"], default: []].append(Self.userRecord(row))
            }
            return try rooms.map { row in
                let room = Self.roomRecord(row)
                let lastReadSeq: Int64 = row["last_read_seq"]
                let unread = try Int.fetchOne(
                    db,
                    sql: "SELECT COUNT(*) FROM messages m WHERE m.room_id = ? AND m.seq > ? AND m.sender_id != ? AND m.deleted_at IS NULL" + hidden.sql,
                    arguments: [room.id, lastReadSeq, userID] + hidden.arguments
                ) ?? 0
                let last = try Row.fetchOne(
                    db,
                    sql: Self.messageSelect + " WHERE m.room_id = ?" + hidden.sql + " ORDER BY m.seq DESC LIMIT 1",
                    arguments: [room.id] + hidden.arguments
                ).map { Self.chatMessage($0) }
                return RoomSummary(
                    room: room, members: membersByRoom[room.id] ?? [], lastReadSeq: lastReadSeq, unreadCount: unread, lastMessage: last
                )
            }
        }
    }

    public func renameRoom(_ roomID: RoomID, to name: String) async throws {
        try await pool.write { db in
            try db.execute(sql: "UPDATE rooms SET name = ? WHERE id = ?", arguments: [name, roomID])
        }
    }

    public func deleteRoom(_ roomID: RoomID) async throws {
        try await pool.write { db in
            try db.execute(sql: "DELETE FROM rooms WHERE id = ?", arguments: [roomID])
        }
    }

    public func addMembers(_ userIDs: [UserID], to roomID: RoomID, at date: Date) async throws -> [UserID] {
        try await pool.write { db in
            var added: [UserID] = []
            for userID in userIDs {
                try db.execute(
                    sql: "INSERT OR IGNORE INTO room_members (room_id, user_id, joined_at) VALUES (?, ?, ?)",
                    arguments: [roomID, userID, date.epochMilliseconds]
                )
                if db.changesCount > 0 { added.append(userID) }
            }
            return added
        }
    }

    public func removeMember(_ userID: UserID, from roomID: RoomID) async throws -> Bool {
        try await pool.write { db in
            try db.execute(sql: "DELETE FROM room_members WHERE room_id = ? AND user_id = ?", arguments: [roomID, userID])
            guard db.changesCount > 0 else { return false }
            // An owner who leaves hands the room to the longest-standing member.
            try db.execute(
                sql: """
                    UPDATE rooms SET owner_id = (
                        SELECT user_id FROM room_members WHERE room_id = ?1 ORDER BY joined_at, user_id LIMIT 1
                    ) WHERE id = ?1 AND owner_id = ?2
                    """,
                arguments: [roomID, userID]
            )
            return true
        }
    }
}
