import FitChatProtocol
import Foundation
import PostgresNIO

extension PostgresChatStore {
    static func friendRequestRecord(_ row: PostgresRandomAccessRow) throws -> FriendRequestRecord {
        FriendRequestRecord(
            id: try row.value("id"),
            requesterID: try row.value("requester_id"),
            addresseeID: try row.value("addressee_id"),
            accepted: try row.value("status", as: String.self) == "accepted",
            createdAt: Date(epochMilliseconds: try row.value("created_at"))
        )
    }

    static let requestColumns = "id, requester_id, addressee_id, status, created_at"

    public func friends(of userID: UserID) async throws -> [UserRecord] {
        try await query("""
            SELECT \(unescaped: Self.userColumns) FROM friend_requests f
            JOIN users u ON u.id = CASE WHEN f.requester_id = \(userID) THEN f.addressee_id ELSE f.requester_id END
            WHERE f.status = 'accepted' AND (f.requester_id = \(userID) OR f.addressee_id = \(userID))
            ORDER BY lower(u.username)
            """).map(Self.userRecord)
    }

    public func friendRequests(involving userID: UserID) async throws -> [FriendRequestRecord] {
        try await query("""
            SELECT \(unescaped: Self.requestColumns) FROM friend_requests
            WHERE status = 'pending' AND (requester_id = \(userID) OR addressee_id = \(userID)) ORDER BY created_at, id
            """).map(Self.friendRequestRecord)
    }

    public func friendRequest(id: FriendRequestID) async throws -> FriendRequestRecord? {
        try await query("SELECT \(unescaped: Self.requestColumns) FROM friend_requests WHERE id = \(id)").first.map(Self.friendRequestRecord)
    }

    public func friendRequest(between first: UserID, and second: UserID) async throws -> FriendRequestRecord? {
        let key = pairKey(first, second)
        return try await query("SELECT \(unescaped: Self.requestColumns) FROM friend_requests WHERE pair_key = \(key)").first.map(Self.friendRequestRecord)
    }

    public func createFriendRequest(from requester: UserID, to addressee: UserID, at date: Date) async throws -> FriendRequestRecord {
        let id = FriendRequestID.random()
        do {
            try await query("""
                INSERT INTO friend_requests (id, requester_id, addressee_id, status, pair_key, created_at)
                VALUES (\(id), \(requester), \(addressee), 'pending', \(pairKey(requester, addressee)), \(date.epochMilliseconds))
                """)
            return FriendRequestRecord(
                id: id, requesterID: requester, addresseeID: addressee, accepted: false, createdAt: date.roundedToMilliseconds
            )
        } catch where Self.isUniqueViolation(error) {
            throw StoreError.conflict("a friend request between you already exists")
        }
    }

    public func acceptFriendRequest(id: FriendRequestID, at date: Date) async throws -> FriendRequestRecord {
        let rows = try await query("""
            UPDATE friend_requests SET status = 'accepted', responded_at = \(date.epochMilliseconds) WHERE id = \(id)
            RETURNING \(unescaped: Self.requestColumns)
            """)
        guard let row = rows.first else { throw StoreError.notFound("no friend request \(id)") }
        return try Self.friendRequestRecord(row)
    }

    public func deleteFriendRequest(id: FriendRequestID) async throws {
        try await query("DELETE FROM friend_requests WHERE id = \(id)")
    }

    public func allBlocks() async throws -> [BlockRecord] {
        try await query("SELECT blocker_id, blocked_id FROM blocks").map {
            BlockRecord(blockerID: try $0.value("blocker_id"), blockedID: try $0.value("blocked_id"))
        }
    }

    public func blockedUsers(by blocker: UserID) async throws -> [UserRecord] {
        try await query("""
            SELECT \(unescaped: Self.userColumns) FROM blocks b JOIN users u ON u.id = b.blocked_id
            WHERE b.blocker_id = \(blocker) ORDER BY lower(u.username)
            """).map(Self.userRecord)
    }

    public func block(_ blocked: UserID, by blocker: UserID, at date: Date) async throws {
        try await transaction { connection in
            try await connection.query("""
                INSERT INTO blocks (blocker_id, blocked_id, created_at) VALUES (\(blocker), \(blocked), \(date.epochMilliseconds))
                ON CONFLICT DO NOTHING
                """, logger: self.logger)
            try await connection.query(
                "DELETE FROM friend_requests WHERE pair_key = \(pairKey(blocker, blocked))", logger: self.logger
            )
        }
    }

    public func unblock(_ blocked: UserID, by blocker: UserID) async throws -> Bool {
        try await !query("DELETE FROM blocks WHERE blocker_id = \(blocker) AND blocked_id = \(blocked) RETURNING blocker_id").isEmpty
    }

    public func presenceAudience(of userID: UserID) async throws -> Set<UserID> {
        Set(
            try await query("""
                SELECT CASE WHEN requester_id = \(userID) THEN addressee_id ELSE requester_id END AS user_id FROM friend_requests
                WHERE status = 'accepted' AND (requester_id = \(userID) OR addressee_id = \(userID))
                UNION
                SELECT other.user_id FROM room_members mine JOIN room_members other ON other.room_id = mine.room_id
                WHERE mine.user_id = \(userID) AND other.user_id <> \(userID)
                """).map { try $0.value("user_id", as: UserID.self) }
        )
    }
}
