@testable import FitChatServer
import FitChatProtocol
import FitChatTestSupport
import Foundation
import GRDB
import PostgresNIO
import Testing

/// A database written by the schema of integer ids (migration 1) is upgraded in place on the
/// first start: every row gets a UUID, every reference follows, nothing is lost.
@Suite struct IdentifierMigrationTests {
    /// Rows as the integer-id schema held them: three users, a group, a direct room and a group
    /// of one, read markers, replies, a client id, an edit, friendships and a block.
    static let legacyRows = [
        """
        INSERT INTO users (id, username, display_name, password_hash, created_at, last_seen_at) VALUES
            (1, 'ann', 'Ann A.', 'hash-ann', 1700000000000, NULL),
            (2, 'bob', NULL, 'hash-bob', 1700000001000, 1700000900000),
            (3, 'cat', NULL, 'hash-cat', 1700000002000, NULL)
        """,
        """
        INSERT INTO rooms (id, kind, name, owner_id, direct_key, last_seq, created_at) VALUES
            (1, 'group', 'general', 1, NULL, 3, 1700000010000),
            (2, 'direct', NULL, NULL, '1:2', 2, 1700000020000),
            (3, 'group', 'quiet', 3, NULL, 0, 1700000030000)
        """,
        """
        INSERT INTO room_members (room_id, user_id, joined_at, last_read_seq) VALUES
            (1, 1, 1700000010000, 3), (1, 2, 1700000010000, 1), (1, 3, 1700000011000, 0),
            (2, 1, 1700000020000, 2), (2, 2, 1700000020000, 0), (3, 3, 1700000030000, 0)
        """,
        """
        INSERT INTO messages (id, room_id, seq, sender_id, content, message_type, reply_to_id, client_msg_id, created_at, edited_at) VALUES
            (1, 1, 1, 1, 'hello world', 'text', NULL, NULL, 1700000100000, NULL),
            (2, 1, 2, 2, 'a reply', 'text', 1, 'k1', 1700000101000, NULL),
            (3, 1, 3, 3, 'third thing', 'text', NULL, NULL, 1700000102000, 1700000103000),
            (4, 2, 1, 1, 'dm one', 'text', NULL, NULL, 1700000104000, NULL),
            (5, 2, 2, 2, 'dm two', 'text', 4, NULL, 1700000105000, NULL)
        """,
        """
        INSERT INTO friend_requests (id, requester_id, addressee_id, status, pair_key, created_at, responded_at) VALUES
            (1, 1, 2, 'accepted', '1:2', 1700000200000, 1700000201000),
            (2, 3, 1, 'pending', '1:3', 1700000202000, NULL)
        """,
        "INSERT INTO blocks (blocker_id, blocked_id, created_at) VALUES (3, 2, 1700000300000)",
    ]

    static let postgresClusterRows = [
        "INSERT INTO nodes (id, heartbeat_at) VALUES ('old-node', 1700000000000)",
        "INSERT INTO presence (node_id, user_id) VALUES ('old-node', 1)",
        "INSERT INTO outbox (node_id, message_id, created_at) VALUES ('old-node', 1, 1700000000000)",
    ]

    @Test(arguments: StoreBackend.all) func aDatabaseOfIntegerIdsIsUpgradedInPlace(_ backend: StoreBackend) async throws {
        switch backend {
        case .sqlite:
            let path = try TestServer.makeDirectory().appendingPathComponent("legacy.sqlite").path
            let legacy = try DatabaseQueue(path: path)
            try SQLiteSchema.migrator.migrate(legacy, upTo: "v1: users, rooms, messages, social")
            try await legacy.write { db in for sql in Self.legacyRows { try db.execute(sql: sql) } }
            try legacy.close()
            try await Self.checkUpgraded(try SQLiteChatStore(path: path))
        case .postgres:
            let url = try await PostgresTestDatabase.create()
            try await PostgresTestDatabase.withClient(url) { client in
                try await PostgresSchema.migrate(client, logger: PostgresTestDatabase.quietLogger, upTo: 1)
                for sql in Self.legacyRows + Self.postgresClusterRows { try await client.query(PostgresQuery(unsafeSQL: sql)) }
            }
            try await PostgresChatStore.withStore(url: url, nodeID: "new-node", logger: PostgresTestDatabase.quietLogger) { store in
                try await Self.checkUpgraded(store)
            }
            for (table, column) in [("outbox", "node_id"), ("presence", "node_id"), ("nodes", "id")] {
                let left = try await PostgresTestDatabase.count("SELECT COUNT(*) FROM \(table) WHERE \(column) = 'old-node'", in: url)
                #expect(left == 0, "\(table) holds nothing of the nodes from before")
            }
        }
    }

    /// Everything the legacy rows said, asked through the store as the server asks it.
    static func checkUpgraded(_ store: any ChatStore) async throws {
        let ann = try #require(try await store.user(username: "ann"))
        let bob = try #require(try await store.user(username: "bob"))
        let cat = try #require(try await store.user(username: "cat"))
        #expect(Set([ann.id, bob.id, cat.id]).count == 3)
        for user in [ann, bob, cat] { #expect(user.id.uuidString.dropFirst(14).first == "4", "a version 4 id: \(user.id)") }
        #expect(ann.displayName == "Ann A." && ann.createdAt == Date(epochMilliseconds: 1_700_000_000_000))
        #expect(bob.lastSeen == Date(epochMilliseconds: 1_700_000_900_000))
        #expect(try await store.passwordHash(userID: cat.id) == "hash-cat")
        #expect(try await store.user(id: ann.id) == ann)

        // Rooms, their members, owners and read markers.
        let annRooms = try await store.roomSummaries(for: ann.id, hiddenSenders: [])
        #expect(annRooms.map { $0.room.name } == ["general", nil])
        let general = try #require(annRooms.first).room
        let direct = try #require(annRooms.last).room
        #expect(general.kind == .group && general.ownerID == ann.id && general.lastSeq == 3)
        #expect(direct.kind == .direct && direct.lastSeq == 2)
        #expect(annRooms.map(\.unreadCount) == [0, 0])
        #expect(Set(try await store.memberIDs(of: general.id)) == [ann.id, bob.id, cat.id])
        let bobRooms = try await store.roomSummaries(for: bob.id, hiddenSenders: [])
        #expect(bobRooms.map(\.lastReadSeq) == [1, 0])
        #expect(bobRooms.map(\.unreadCount) == [1, 1])
        let quiet = try #require(try await store.roomSummaries(for: cat.id, hiddenSenders: []).first { $0.room.name == "quiet" })
        #expect(quiet.room.ownerID == cat.id && quiet.members.map(\.id) == [cat.id])

        // Messages keep their room, sender, seq, reply, client id and edit.
        let messages = try await store.messages(in: general.id, afterSeq: 0, beforeSeq: nil, limit: 10, hiddenSenders: [])
        #expect(messages.map(\.seq) == [1, 2, 3])
        #expect(messages.map(\.content) == ["hello world", "a reply", "third thing"])
        #expect(messages.map(\.senderID) == [ann.id, bob.id, cat.id])
        #expect(messages.map(\.senderUsername) == ["ann", "bob", "cat"])
        #expect(messages[1].replyToID == messages[0].id)
        #expect(messages[2].editedAt == Date(epochMilliseconds: 1_700_000_103_000))
        #expect(Set(messages.map(\.id)).count == 3)
        let dms = try await store.messages(in: direct.id, afterSeq: 0, beforeSeq: nil, limit: 10, hiddenSenders: [])
        #expect(dms.map(\.content) == ["dm one", "dm two"] && dms[1].replyToID == dms[0].id)
        #expect(try await store.messages(ids: [messages[2].id, messages[0].id], in: general.id).map(\.seq) == [1, 3])
        let retry = NewMessage(
            roomID: general.id, senderID: bob.id, senderUsername: "bob", content: "again", messageType: "text", replyToID: nil,
            clientMessageID: "k1", createdAt: Date()
        )
        #expect(try await store.appendMessages([retry]).first == .success(.duplicate(messages[1].withClientID("k1"))))

        // The block hides bob from cat, and the search index was rebuilt.
        #expect(try await store.allBlocks() == [BlockRecord(blockerID: cat.id, blockedID: bob.id)])
        let catsView = try await store.roomSummaries(for: cat.id, hiddenSenders: [bob.id]).first { $0.room.id == general.id }
        #expect(catsView?.unreadCount == 1)
        #expect(try await store.searchMessages("world", visibleTo: ann.id, roomID: nil, hiddenSenders: [], limit: 10).map(\.id) == [messages[0].id])
        #expect(try await store.searchMessages("dm", visibleTo: cat.id, roomID: nil, hiddenSenders: [], limit: 10).isEmpty)

        // Pair keys were made again from the new ids.
        let again = try await store.findOrCreateDirectRoom(between: bob.id, and: ann.id, at: Date())
        #expect(!again.created && again.room.id == direct.id)
        #expect(try await store.friendRequest(between: bob.id, and: ann.id)?.accepted == true)
        #expect(try await store.friends(of: ann.id).map(\.username) == ["bob"])
        let pending = try await store.friendRequests(involving: ann.id)
        #expect(pending.count == 1 && pending.first?.requesterID == cat.id && pending.first?.addresseeID == ann.id)
        await #expect(throws: StoreError.conflict("a friend request between you already exists")) {
            try await store.createFriendRequest(from: ann.id, to: cat.id, at: Date())
        }

        // New rows live beside the old ones.
        let next = NewMessage(
            roomID: general.id, senderID: ann.id, senderUsername: "ann", content: "after the upgrade", messageType: "text",
            replyToID: messages[2].id, clientMessageID: nil, createdAt: Date()
        )
        let stored = try #require(try await store.appendMessages([next]).first?.get().message)
        #expect(stored.seq == 4 && stored.replyToID == messages[2].id)
        #expect(try await store.searchMessages("upgrade", visibleTo: bob.id, roomID: general.id, hiddenSenders: [], limit: 10).map(\.id) == [stored.id])
        let dave = try await store.createUser(username: "dave", displayName: nil, passwordHash: "h", at: Date())
        #expect(try await store.addMembers([dave.id], to: general.id, at: Date()) == [dave.id])
    }
}

extension ChatMessage {
    func withClientID(_ id: String) -> ChatMessage {
        var message = self
        message.clientMessageID = id
        return message
    }
}
