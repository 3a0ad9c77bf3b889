import FitChatProtocol
import FitChatTestSupport
import Foundation
import GRDB
import Testing

@testable import FitChatServer

/// SQLite indexes messages for search after their commit, not in it, and a search still finds
/// every message committed before it.
@Suite struct SearchIndexTests {
    let contract = StoreContractTests()

    /// How many messages the full-text index itself matches, read past the store.
    private func indexed(_ word: String, in store: SQLiteChatStore) async throws -> Int {
        try await store.pool.read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM messages_fts WHERE messages_fts MATCH ?", arguments: [word]) ?? -1
        }
    }

    /// FTS5 compares its index with the `messages` table: throws unless they agree exactly.
    private func checkIndexMatchesMessages(_ store: SQLiteChatStore) async throws {
        try await store.pool.write { db in
            try db.execute(sql: "INSERT INTO messages_fts(messages_fts, rank) VALUES ('integrity-check', 1)")
        }
    }

    private func search(_ store: SQLiteChatStore, _ query: String, as user: UserRecord) async throws -> [String] {
        try await store.searchMessages(query, visibleTo: user.id, roomID: nil, hiddenSenders: [], limit: 10).map(\.content)
    }

    private func freshStore() throws -> SQLiteChatStore {
        try SQLiteChatStore(path: TestServer.makeDirectory().appendingPathComponent("search.sqlite").path)
    }

    @Test func aCommitLeavesIndexingForLaterAndASearchCatchesUpFirst() async throws {
        let store = try freshStore()
        let (ann, bob, _) = try await contract.threeUsers(store)
        let room = try await store.createGroupRoom(name: "ops", ownerID: ann.id, memberIDs: [bob.id], at: contract.now)
        _ = try await store.appendMessages([message(room.id, from: ann, "deploy failed"), message(room.id, from: bob, "deploy fixed")])
        #expect(try await indexed("deploy", in: store) == 0)
        #expect(try await search(store, "deploy", as: bob) == ["deploy fixed", "deploy failed"])
        #expect(try await indexed("deploy", in: store) == 2)
        try await checkIndexMatchesMessages(store)
    }

    @Test func indexingGoesInSlicesAndSaysWhatIsLeft() async throws {
        let store = try freshStore()
        let (ann, _, _) = try await contract.threeUsers(store)
        let room = try await store.createGroupRoom(name: "ops", ownerID: ann.id, memberIDs: [], at: contract.now)
        _ = try await store.appendMessages((1...10).map { message(room.id, from: ann, "line \($0)") })
        #expect(try await store.indexForSearch(limit: 4) == 6)
        #expect(try await indexed("line", in: store) == 4)
        #expect(try await store.indexForSearch(limit: 4) == 2)
        #expect(try await store.indexForSearch(limit: 4) == 0)
        #expect(try await store.indexForSearch(limit: 4) == 0)
        #expect(try await indexed("line", in: store) == 10)
        try await checkIndexMatchesMessages(store)
    }

    /// Edits and deletions of indexed and not yet indexed messages, and a deleted room whose
    /// newest message's row key SQLite hands to the next message.
    @Test func editsDeletionsAndDeletedRoomsLeaveTheIndexExact() async throws {
        let store = try freshStore()
        let (ann, bob, _) = try await contract.threeUsers(store)
        let general = try await store.createGroupRoom(name: "general", ownerID: ann.id, memberIDs: [bob.id], at: contract.now)
        let scratch = try await store.createGroupRoom(name: "scratch", ownerID: ann.id, memberIDs: [], at: contract.now)
        let early = try await store.appendMessages([message(general.id, from: ann, "alpha")])[0].get().message
        _ = try await store.appendMessages([message(scratch.id, from: ann, "beta")])
        #expect(try await store.indexForSearch(limit: 100) == 0)

        try await store.deleteRoom(scratch.id)
        let late = try await store.appendMessages([message(general.id, from: bob, "gamma")])[0].get().message
        _ = try await store.commit([
            .edit(messageID: early.id, editorID: ann.id, content: "alpha edited", at: contract.now),
            .edit(messageID: late.id, editorID: bob.id, content: "gamma edited", at: contract.now),
        ])
        #expect(try await search(store, "beta", as: ann) == [])
        #expect(try await search(store, "gamma", as: ann) == ["gamma edited"])
        #expect(try await search(store, "alpha", as: ann) == ["alpha edited"])
        try await checkIndexMatchesMessages(store)

        let unindexed = try await store.appendMessages([message(general.id, from: bob, "delta")])[0].get().message
        _ = try await store.commit([
            .delete(messageID: unindexed.id, actorID: bob.id, at: contract.now),
            .delete(messageID: early.id, actorID: ann.id, at: contract.now),
        ])
        #expect(try await search(store, "delta", as: ann) == [])
        #expect(try await search(store, "alpha", as: ann) == [])
        #expect(try await search(store, "edited", as: ann) == ["gamma edited"])
        try await checkIndexMatchesMessages(store)
    }

    /// The server indexes on its own between commits, without waiting for a search.
    @Test func theServerIndexesSoonAfterItCommits() async throws {
        try await withServer { server in
            let (ann, _, room) = try await server.annAndBobInGeneral()
            for line in 1...3 {
                let reply = try await ann.api.post("/api/rooms/\(room.id)/messages", PostMessageRequest(content: "indexed \(line)"))
                #expect(reply.status == 201)
            }
            var configuration = Configuration()
            configuration.readonly = true
            let reader = try DatabaseQueue(path: server.databasePath, configuration: configuration)
            let deadline = ContinuousClock.now + .seconds(10)
            var found = 0
            while found < 3, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(50))
                found = try await reader.read { db in
                    try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM messages_fts WHERE messages_fts MATCH 'indexed'") ?? 0
                }
            }
            #expect(found == 3)
        }
    }
}
