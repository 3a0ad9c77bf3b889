import FitChatProtocol
import Foundation
import Testing

@testable import FitChatServer

/// The `ChatStore` contract: every operation, the same assertions, on every backend.
@Suite struct StoreContractTests {
    let now = Date(timeIntervalSince1970: 1_790_000_000.123)
    /// An id no row has.
    static let missing = ChatID.random()

    @Test(arguments: StoreBackend.all) func users(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let ann = try await store.createUser(username: "Ann", displayName: "Ann A.", passwordHash: "hash-a", at: now)
            #expect(ann.username == "Ann" && ann.displayName == "Ann A." && ann.createdAt == now.roundedToMilliseconds)
            await #expect(throws: StoreError.conflict("the username ann is taken")) {
                try await store.createUser(username: "ann", displayName: nil, passwordHash: "x", at: now)
            }
            let bob = try await store.createUser(username: "bob_100%", displayName: nil, passwordHash: "hash-b", at: now)
            _ = try await store.createUser(username: "annabel", displayName: "Bob's friend", passwordHash: "h", at: now)
            #expect(try await store.user(id: ann.id) == ann)
            #expect(try await store.user(username: "ANN") == ann)
            #expect(try await store.user(username: "nobody") == nil)
            #expect(try await store.user(id: Self.missing) == nil)
            #expect(try await store.passwordHash(userID: bob.id) == "hash-b")
            #expect(try await store.searchUsers(matching: "ann", limit: 10).map(\.username) == ["Ann", "annabel"])
            #expect(try await store.searchUsers(matching: "bob", limit: 10).map(\.username) == ["bob_100%", "annabel"])
            #expect(try await store.searchUsers(matching: "100%", limit: 10).map(\.username) == ["bob_100%"])
            #expect(try await store.searchUsers(matching: "_", limit: 10).map(\.username) == ["bob_100%"])
            #expect(try await store.searchUsers(matching: "a", limit: 1).count == 1)
            let seen = now.addingTimeInterval(60)
            try await store.setLastSeen(seen, userID: ann.id)
            #expect(try await store.user(id: ann.id)?.lastSeen == seen.roundedToMilliseconds)
        }
    }

    @Test(arguments: StoreBackend.all) func rooms(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let (ann, bob, cat) = try await threeUsers(store)
            let room = try await store.createGroupRoom(name: "general", ownerID: ann.id, memberIDs: [bob.id, bob.id], at: now)
            #expect(room.kind == .group && room.name == "general" && room.ownerID == ann.id && room.lastSeq == 0)
            #expect(try await store.room(id: room.id) == room)
            #expect(try await store.room(id: Self.missing) == nil)
            #expect(try await store.members(of: room.id).map(\.username) == ["ann", "bob"])
            #expect(Set(try await store.memberIDs(of: room.id)) == [ann.id, bob.id])
            #expect(try await store.isMember(bob.id, of: room.id))
            #expect(try await !store.isMember(cat.id, of: room.id))

            try await store.renameRoom(room.id, to: "lobby")
            #expect(try await store.room(id: room.id)?.name == "lobby")
            #expect(try await store.addMembers([bob.id, cat.id], to: room.id, at: now + 1) == [cat.id])
            #expect(try await store.removeMember(ann.id, from: room.id))
            #expect(try await !store.removeMember(ann.id, from: room.id))
            #expect(try await store.room(id: room.id)?.ownerID == bob.id, "the owner's room passes to the longest-standing member")

            let direct = try await store.findOrCreateDirectRoom(between: cat.id, and: ann.id, at: now)
            #expect(direct.created && direct.room.kind == .direct && direct.room.ownerID == nil)
            let again = try await store.findOrCreateDirectRoom(between: ann.id, and: cat.id, at: now)
            #expect(!again.created && again.room == direct.room)
            #expect(Set(try await store.memberIDs(of: direct.room.id)) == [ann.id, cat.id])

            _ = try await store.appendMessages([message(room.id, from: bob, "bye")])
            try await store.deleteRoom(room.id)
            #expect(try await store.room(id: room.id) == nil)
            #expect(try await store.memberIDs(of: room.id) == [])
            #expect(try await store.messages(in: room.id, afterSeq: 0, beforeSeq: nil, limit: 10, hiddenSenders: []) == [])
        }
    }

    /// Two nodes race to open the same direct room: one room, one "created".
    @Test(arguments: StoreBackend.all) func directRoomsAreUniqueUnderConcurrency(_ backend: StoreBackend) async throws {
        try await backend.withStores { first, second in
            let (ann, bob, _) = try await threeUsers(first)
            let outcomes = try await withThrowingTaskGroup(of: (RoomRecord, Bool).self) { group in
                for index in 0..<8 {
                    let store = index.isMultiple(of: 2) ? first : second
                    group.addTask { try await store.findOrCreateDirectRoom(between: ann.id, and: bob.id, at: now) }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(Set(outcomes.map(\.0.id)).count == 1)
            #expect(outcomes.filter(\.1).count == 1)
        }
    }

    @Test(arguments: StoreBackend.all) func appendingMessages(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let (ann, bob, cat) = try await threeUsers(store)
            let room = try await store.createGroupRoom(name: "general", ownerID: ann.id, memberIDs: [bob.id], at: now)
            var withKey = message(room.id, from: ann, "one")
            withKey.clientMessageID = "key-1"
            let results = try await store.appendMessages([
                withKey, message(room.id, from: cat, "intruder"), message(room.id, from: bob, "two"),
                message(room.id, from: bob, "reply", replyTo: Self.missing),
            ])
            #expect(results[1] == .failure(.notAMember))
            #expect(results[3] == .failure(.invalidReference("reply_to_id \(Self.missing) is not a message of this room")))
            let one = try #require(try? results[0].get().message)
            let two = try #require(try? results[2].get().message)
            #expect(one.seq == 1 && two.seq == 2 && one.content == "one" && two.senderUsername == "bob")
            #expect(one.createdAt == now.roundedToMilliseconds && one.clientMessageID == "key-1")

            var retry = withKey
            retry.content = "one, again"
            let repeated = try await store.appendMessages([retry, message(room.id, from: ann, "three", replyTo: one.id)])
            #expect(repeated[0] == .success(.duplicate(one)))
            let three = try #require(try? repeated[1].get().message)
            #expect(three.seq == 3 && three.replyToID == one.id)
            #expect(try await store.room(id: room.id)?.lastSeq == 3)

            let all = try await store.messages(in: room.id, afterSeq: nil, beforeSeq: nil, limit: 10, hiddenSenders: [])
            #expect(all.map(\.seq) == [1, 2, 3] && all[0].clientMessageID == nil)
            #expect(try await store.messages(in: room.id, afterSeq: nil, beforeSeq: nil, limit: 2, hiddenSenders: []).map(\.seq) == [2, 3])
            #expect(try await store.messages(in: room.id, afterSeq: nil, beforeSeq: 3, limit: 1, hiddenSenders: []).map(\.seq) == [2])
            #expect(try await store.messages(in: room.id, afterSeq: 1, beforeSeq: nil, limit: 1, hiddenSenders: []).map(\.seq) == [2])
            #expect(try await store.messages(in: room.id, afterSeq: 0, beforeSeq: 3, limit: 10, hiddenSenders: []).map(\.seq) == [1, 2])
            #expect(try await store.messages(in: room.id, afterSeq: 0, beforeSeq: nil, limit: 10, hiddenSenders: [bob.id]).map(\.seq) == [1, 3])
            #expect(try await store.messages(ids: [three.id, one.id, Self.missing], in: room.id).map(\.seq) == [1, 3])
            #expect(try await store.messages(ids: [], in: room.id) == [])
        }
    }

    /// Short ids: users by id prefix anywhere; messages by id prefix only in the reader's rooms.
    @Test(arguments: StoreBackend.all) func findingByIdPrefix(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let (ann, bob, cat) = try await threeUsers(store)
            func prefix(_ id: ChatID, _ length: Int = 8) throws -> ChatIDPrefix { try #require(ChatIDPrefix(id.uuidString.prefix(length))) }
            for user in [ann, bob, cat] {
                #expect(try await store.users(idPrefix: try prefix(user.id), limit: 10).contains(user))
                #expect(try await store.users(idPrefix: try prefix(user.id, 36), limit: 10) == [user])
            }
            let unused = try #require(["0000", "5555", "aaaa", "ffff"].first { digits in ![ann, bob, cat].contains { $0.id.uuidString.hasPrefix(digits) } })
            #expect(try await store.users(idPrefix: try #require(ChatIDPrefix(unused)), limit: 10) == [])

            let general = try await store.createGroupRoom(name: "general", ownerID: ann.id, memberIDs: [bob.id], at: now)
            let secret = try await store.createGroupRoom(name: "secret", ownerID: cat.id, memberIDs: [], at: now)
            let results = try await store.appendMessages([
                message(general.id, from: ann, "one"), message(general.id, from: bob, "two"), message(secret.id, from: cat, "hidden"),
            ])
            let (one, two, hidden) = (try results[0].get().message, try results[1].get().message, try results[2].get().message)
            #expect(try await store.messages(idPrefix: try prefix(one.id), visibleTo: bob.id, roomID: nil, hiddenSenders: [], limit: 10) == [one])
            #expect(try await store.messages(idPrefix: try prefix(one.id, 36), visibleTo: bob.id, roomID: general.id, hiddenSenders: [], limit: 10) == [one])
            #expect(try await store.messages(idPrefix: try prefix(one.id), visibleTo: bob.id, roomID: secret.id, hiddenSenders: [], limit: 10) == [])
            #expect(try await store.messages(idPrefix: try prefix(hidden.id), visibleTo: bob.id, roomID: nil, hiddenSenders: [], limit: 10) == [])
            #expect(try await store.messages(idPrefix: try prefix(hidden.id), visibleTo: cat.id, roomID: nil, hiddenSenders: [], limit: 10) == [hidden])
            #expect(try await store.messages(idPrefix: try prefix(two.id), visibleTo: ann.id, roomID: nil, hiddenSenders: [bob.id], limit: 10) == [])
        }
    }

    /// A webhook comes with a user of its own in the room, shown by the hook's name, found by
    /// its secret's hash only; deleting it takes the user out of the room.
    @Test(arguments: StoreBackend.all) func webhooks(_ backend: StoreBackend) async throws {
        try await backend.withStores { first, second in
            let (ann, bob, _) = try await threeUsers(first)
            let room = try await first.createGroupRoom(name: "ops", ownerID: ann.id, memberIDs: [bob.id], at: now)
            let hook = try await first.createWebhook(roomID: room.id, name: "grafana", secretHash: "h1", creatorID: bob.id, at: now)
            #expect(try await second.webhook(secretHash: "h1") == hook)
            #expect(try await second.webhook(secretHash: "h2") == nil)
            #expect(try await second.webhook(id: hook.id) == hook)
            #expect(try await second.webhooks(in: room.id) == [hook])
            let user = try #require(try await second.user(id: hook.userID))
            #expect(user.isHook && user.username == "grafana")
            #expect(try await second.user(username: "grafana") == nil, "a hook's name is not a username")
            #expect(try await second.searchUsers(matching: "graf", limit: 10).isEmpty)
            #expect(try await second.isMember(hook.userID, of: room.id))
            let sent = try await second.appendMessages([message(room.id, from: user, "alert")])
            #expect(try sent[0].get().message.senderUsername == "grafana")
            try await second.deleteWebhook(id: hook.id)
            #expect(try await first.webhook(secretHash: "h1") == nil)
            #expect(try await !first.isMember(hook.userID, of: room.id))
            #expect(try await first.messages(in: room.id, afterSeq: 0, beforeSeq: nil, limit: 10, hiddenSenders: []).map(\.senderUsername) == ["grafana"])
        }
    }

    /// Logged-out tokens: kept until they would have expired, seen by every node.
    @Test(arguments: StoreBackend.all) func revokedTokens(_ backend: StoreBackend) async throws {
        try await backend.withStores { first, second in
            let later = Date().addingTimeInterval(3600)
            try await first.revokeToken(hash: "live", until: later)
            try await first.revokeToken(hash: "live", until: later)
            try await first.revokeToken(hash: "gone", until: Date().addingTimeInterval(-60))
            #expect(try await second.isTokenRevoked(hash: "live"))
            #expect(try await !second.isTokenRevoked(hash: "never"))
            #expect(try await second.revokedTokens(after: Date()).map(\.hash) == ["live"])
        }
    }

    /// Concurrent senders through two stores (two nodes): every `seq` from 1 to N exactly once.
    @Test(arguments: StoreBackend.all) func seqHasNoGapsOrRepeatsUnderConcurrentSenders(_ backend: StoreBackend) async throws {
        try await backend.withStores { first, second in
            let (ann, bob, _) = try await threeUsers(first)
            let room = try await first.createGroupRoom(name: "busy", ownerID: ann.id, memberIDs: [bob.id], at: now)
            let seqs = try await withThrowingTaskGroup(of: [Int64].self) { group in
                for sender in 0..<8 {
                    let store = sender.isMultiple(of: 2) ? first : second
                    let user = sender.isMultiple(of: 2) ? ann : bob
                    group.addTask {
                        var seqs: [Int64] = []
                        for batch in 0..<5 {
                            let messages = (0..<5).map { message(room.id, from: user, "s\(sender) b\(batch) m\($0)") }
                            for result in try await store.appendMessages(messages) { seqs.append(try result.get().message.seq) }
                        }
                        return seqs
                    }
                }
                return try await group.reduce(into: []) { $0 += $1 }
            }
            #expect(seqs.sorted() == Array(1...200))
            let stored = try await second.messages(in: room.id, afterSeq: 0, beforeSeq: nil, limit: 500, hiddenSenders: [])
            #expect(stored.map(\.seq) == Array(1...200))
        }
    }

    @Test(arguments: StoreBackend.all) func readMarkersAndUnread(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let (ann, bob, cat) = try await threeUsers(store)
            let room = try await store.createGroupRoom(name: "general", ownerID: ann.id, memberIDs: [bob.id, cat.id], at: now)
            _ = try await store.appendMessages([
                message(room.id, from: ann, "a1"), message(room.id, from: bob, "b1"), message(room.id, from: cat, "c1"), message(room.id, from: bob, "b2"),
            ])
            #expect(try await store.unreadCount(roomID: room.id, userID: ann.id, hiddenSenders: []) == 3)
            #expect(try await store.unreadCount(roomID: room.id, userID: ann.id, hiddenSenders: [bob.id]) == 1)
            #expect(try await store.markRead(roomID: room.id, userID: ann.id, upToSeq: 2) == ReadMarkerChange(previous: 0, current: 2))
            #expect(try await store.markRead(roomID: room.id, userID: ann.id, upToSeq: 1) == ReadMarkerChange(previous: 2, current: 2))
            #expect(try await store.unreadCount(roomID: room.id, userID: ann.id, hiddenSenders: []) == 2)

            let summaries = try await store.roomSummaries(for: ann.id, hiddenSenders: [bob.id])
            #expect(summaries.count == 1)
            let summary = try #require(summaries.first)
            #expect(summary.room.id == room.id && summary.room.lastSeq == 4 && summary.lastReadSeq == 2)
            #expect(summary.unreadCount == 1)
            #expect(summary.lastMessage?.content == "c1", "the last message a reader may see")
            #expect(summary.members.map(\.username) == ["ann", "bob", "cat"])
            #expect(try await store.roomSummaries(for: bob.id, hiddenSenders: []).first?.lastMessage?.content == "b2")
        }
    }

    @Test(arguments: StoreBackend.all) func searchingMessages(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let (ann, bob, cat) = try await threeUsers(store)
            let shared = try await store.createGroupRoom(name: "ops", ownerID: ann.id, memberIDs: [bob.id], at: now)
            let other = try await store.createGroupRoom(name: "secret", ownerID: cat.id, memberIDs: [], at: now)
            _ = try await store.appendMessages([
                message(shared.id, from: ann, "Deploy failed on web-1"), message(shared.id, from: bob, "deployment fixed"),
                message(shared.id, from: ann, "lunch?"), message(other.id, from: cat, "deploy the secret thing"),
            ])
            let found = try await store.searchMessages("deploy", visibleTo: ann.id, roomID: nil, hiddenSenders: [], limit: 10)
            #expect(found.map(\.content) == ["deployment fixed", "Deploy failed on web-1"])
            #expect(try await store.searchMessages("DEPLOY fail", visibleTo: ann.id, roomID: nil, hiddenSenders: [], limit: 10).map(\.content) == ["Deploy failed on web-1"])
            #expect(try await store.searchMessages("deploy", visibleTo: ann.id, roomID: shared.id, hiddenSenders: [bob.id], limit: 10).count == 1)
            #expect(try await store.searchMessages("deploy", visibleTo: ann.id, roomID: other.id, hiddenSenders: [], limit: 10) == [])
            #expect(try await store.searchMessages("deploy", visibleTo: ann.id, roomID: nil, hiddenSenders: [], limit: 1).count == 1)
            for hostile in ["\"deploy OR *", "deploy:* | !", "' OR 1=1 --", "***", ""] {
                _ = try await store.searchMessages(hostile, visibleTo: ann.id, roomID: nil, hiddenSenders: [], limit: 10)
            }
            #expect(try await store.searchMessages("' OR 1=1 --", visibleTo: ann.id, roomID: nil, hiddenSenders: [], limit: 10) == [])
        }
    }

    @Test(arguments: StoreBackend.all) func friendsAndBlocks(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let (ann, bob, cat) = try await threeUsers(store)
            let request = try await store.createFriendRequest(from: ann.id, to: bob.id, at: now)
            #expect(!request.accepted && request.requesterID == ann.id && request.addresseeID == bob.id)
            await #expect(throws: StoreError.conflict("a friend request between you already exists")) {
                try await store.createFriendRequest(from: bob.id, to: ann.id, at: now)
            }
            #expect(try await store.friendRequest(id: request.id) == request)
            #expect(try await store.friendRequest(between: bob.id, and: ann.id) == request)
            #expect(try await store.friendRequests(involving: bob.id) == [request])
            #expect(try await store.friends(of: ann.id) == [])
            let accepted = try await store.acceptFriendRequest(id: request.id, at: now)
            #expect(accepted.accepted && accepted.id == request.id)
            await #expect(throws: StoreError.notFound("no friend request \(Self.missing)")) { try await store.acceptFriendRequest(id: Self.missing, at: now) }
            #expect(try await store.friendRequests(involving: bob.id) == [])
            #expect(try await store.friends(of: bob.id).map(\.username) == ["ann"])

            let pending = try await store.createFriendRequest(from: cat.id, to: ann.id, at: now)
            try await store.deleteFriendRequest(id: pending.id)
            #expect(try await store.friendRequest(id: pending.id) == nil)

            _ = try await store.createGroupRoom(name: "general", ownerID: cat.id, memberIDs: [bob.id], at: now)
            #expect(try await store.presenceAudience(of: bob.id) == [ann.id, cat.id])
            #expect(try await store.presenceAudience(of: ann.id) == [bob.id])

            try await store.block(ann.id, by: bob.id, at: now)
            try await store.block(ann.id, by: bob.id, at: now)
            #expect(try await store.friends(of: bob.id) == [], "a block ends the friendship")
            #expect(try await store.allBlocks() == [BlockRecord(blockerID: bob.id, blockedID: ann.id)])
            #expect(try await store.blockedUsers(by: bob.id).map(\.username) == ["ann"])
            #expect(try await store.unblock(ann.id, by: bob.id))
            #expect(try await !store.unblock(ann.id, by: bob.id))
            #expect(try await store.allBlocks() == [])
        }
    }

    // MARK: Fixtures

    func threeUsers(_ store: any ChatStore) async throws -> (UserRecord, UserRecord, UserRecord) {
        (
            try await store.createUser(username: "ann", displayName: nil, passwordHash: "h", at: now),
            try await store.createUser(username: "bob", displayName: nil, passwordHash: "h", at: now),
            try await store.createUser(username: "cat", displayName: nil, passwordHash: "h", at: now)
        )
    }
}

func message(_ roomID: RoomID, from sender: UserRecord, _ content: String, replyTo: MessageID? = nil) -> NewMessage {
    NewMessage(
        roomID: roomID, senderID: sender.id, senderUsername: sender.username, content: content, messageType: "text",
        replyToID: replyTo, clientMessageID: nil, createdAt: Date(timeIntervalSince1970: 1_790_000_000.123)
    )
}

