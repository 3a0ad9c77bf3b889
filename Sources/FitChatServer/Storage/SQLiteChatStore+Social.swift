import FitChatProtocol
import Foundation
import GRDB

extension SQLiteChatStore {
    static func friendRequestRecord(_ row: Row) -> FriendRequestRecord {
        FriendRequestRecord(
            id: row["id"],
            requesterID: row["requester_id"],
            addresseeID: row["addressee_id"],
            accepted: (row["status"] as String) == "accepted",
            createdAt: Date(epochMilliseconds: row["created_at"])
        )
    }

    public func friends(of userID: UserID) async throws -> [UserRecord] {
        try await pool.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT \(Self.userColumns) FROM friend_requests f
                    JOIN users u ON u.id = CASE WHEN f.requester_id = ?1 THEN f.addressee_id ELSE f.requester_id END
                    WHERE f.status = 'accepted' AND (f.requester_id = ?1 OR f.addressee_id = ?1)
                    ORDER BY u.username
                    """,
                arguments: [userID]
            ).map { Self.userRecord($0) }
        }
    }

    public func friendRequests(involving userID: UserID) async throws -> [FriendRequestRecord] {
        try await pool.read { db in
            try Row.fetchAll(
                db,
                sql: "SELECT * FROM friend_requests WHERE status = 'pending' AND (requester_id = ?1 OR addressee_id = ?1) ORDER BY created_at, id",
                arguments: [userID]
            ).map(Self.friendRequestRecord)
        }
    }

    public func friendRequest(id: FriendRequestID) async throws -> FriendRequestRecord? {
        try await pool.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM friend_requests WHERE id = ?", arguments: [id]).map(Self.friendRequestRecord)
        }
    }

    public func friendRequest(between first: UserID, and second: UserID) async throws -> FriendRequestRecord? {
        try await pool.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM friend_requests WHERE pair_key = ?", arguments: [pairKey(first, second)])
                .map(Self.friendRequestRecord)
        }
    }

    public func createFriendRequest(from requester: UserID, to addressee: UserID, at date: Date) async throws -> FriendRequestRecord {
        let id = FriendRequestID.random()
        return try await pool.write { db in
            do {
                try db.execute(
                    sql: """
                        INSERT INTO friend_requests (id, requester_id, addressee_id, status, pair_key, created_at)
                        VALUES (?, ?, ?, 'pending', ?, ?)
                        """,
                    arguments: [id, requester, addressee, pairKey(requester, addressee), date.epochMilliseconds]
                )
            } catch let error as DatabaseError where error.extendedResultCode == .SQLITE_CONSTRAINT_UNIQUE {
                throw StoreError.conflict("a friend request between you already exists")
            }
            return FriendRequestRecord(
                id: id, requesterID: requester, addresseeID: addressee, accepted: false, createdAt: date.roundedToMilliseconds
            )
        }
    }

    public func acceptFriendRequest(id: FriendRequestID, at date: Date) async throws -> FriendRequestRecord {
        try await pool.write { db in
            try db.execute(
                sql: "UPDATE friend_requests SET status = 'accepted', responded_at = ? WHERE id = ?",
                arguments: [date.epochMilliseconds, id]
            )
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM friend_requests WHERE id = ?", arguments: [id]) else {
                throw StoreError.notFound("no friend request \(id)")
            }
            return Self.friendRequestRecord(row)
        }
    }

    public func deleteFriendRequest(id: FriendRequestID) async throws {
        try await pool.write { db in
            try db.execute(sql: "DELETE FROM friend_requests WHERE id = ?", arguments: [id])
        }
    }

    public func allBlocks() async throws -> [BlockRecord] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT blocker_id, blocked_id FROM blocks").map {
                BlockRecord(blockerID: $0["blocker_id"], blockedID: $0["blocked_id"])
            }
        }
    }

    public func blockedUsers(by blocker: UserID) async throws -> [UserRecord] {
        try await pool.read { db in
            try Row.fetchAll(
                db,
                sql: "SELECT \(Self.userColumns) FROM blocks b JOIN users u ON u.id = b.blocked_id WHERE b.blocker_id = ? ORDER BY u.username",
                arguments: [blocker]
            ).map { Self.userRecord($0) }
        }
    }

    public func block(_ blocked: UserID, by blocker: UserID, at date: Date) async throws {
        try await pool.write { db in
            try db.execute(
                sql: "INSERT OR IGNORE INTO blocks (blocker_id, blocked_id, created_at) VALUES (?, ?, ?)",
                arguments: [blocker, blocked, date.epochMilliseconds]
            )
            try db.execute(sql: "DELETE FROM friend_requests WHERE pair_key = ?", arguments: [pairKey(blocker, blocked)])
        }
    }

    public func unblock(_ blocked: UserID, by blocker: UserID) async throws -> Bool {
        try await pool.write { db in
            try db.execute(sql: "DELETE FROM blocks WHERE blocker_id = ? AND blocked_id = ?", arguments: [blocker, blocked])
            return db.changesCount > 0
        }
    }

    public func presenceAudience(of userID: UserID) async throws -> Set<UserID> {
        try await pool.read { db in
            Set(
                try UserID.fetchAll(
                    db,
                    sql: """
                        SELECT CASE WHEN requester_id = ?1 THEN addressee_id ELSE requester_id END FROM friend_requests
                        WHERE status = 'accepted' AND (requester_id = ?1 OR addressee_id = ?1)
                        UNION
                        SELECT other.user_id FROM room_members mine
                        JOIN room_members other ON other.room_id = mine.room_id
                        WHERE mine.user_id = ?1 AND other.user_id != ?1
                        """,
                    arguments: [userID]
                )
            )
        }
    }
}
