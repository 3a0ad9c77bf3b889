import FitChatProtocol
import FitChatTestSupport
import Foundation
import Testing

@testable import FitChatServer

/// A group commit's batch: however a store groups its writes (PostgreSQL checks and stores a
/// run of messages in one statement each), the outcome is that of the writes one after another.
@Suite struct BatchContractTests {
    let contract = StoreContractTests()

    @Test(arguments: StoreBackend.all) func aBatchOverSeveralRoomsIsTheWritesOneAfterAnother(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let (ann, bob, cat) = try await contract.threeUsers(store)
            let general = try await store.createGroupRoom(name: "general", ownerID: ann.id, memberIDs: [bob.id], at: contract.now)
            let ops = try await store.createGroupRoom(name: "ops", ownerID: bob.id, memberIDs: [ann.id], at: contract.now)
            let first = try #require(try? await store.appendMessages([message(general.id, from: ann, "before")])[0].get().message)

            var keyed = message(ops.id, from: ann, "keyed")
            keyed.clientMessageID = "k-1"
            var keyedAgain = keyed
            keyedAgain.content = "keyed, sent twice in one batch"
            var keyedElsewhere = message(general.id, from: ann, "same key, other room")
            keyedElsewhere.clientMessageID = "k-1"
            let results = try await store.commit([
                .message(message(general.id, from: ann, "g2")),
                .message(keyed),
                .message(message(ops.id, from: cat, "not a member")),
                .message(keyedAgain),
                .edit(messageID: first.id, editorID: ann.id, content: "before, edited", at: contract.now),
                .message(message(general.id, from: bob, "g4", replyTo: first.id)),
                .message(keyedElsewhere),
                .message(message(ops.id, from: bob, "reply from elsewhere", replyTo: first.id)),
                .message(message(StoreContractTests.missing, from: ann, "no such room")),
            ])

            func stored(_ index: Int) throws -> ChatMessage {
                guard case .success(.message(.stored(let message))) = results[index] else { throw TestFailure("write \(index): \(results[index])") }
                return message
            }
            #expect(try stored(0).seq == 2 && stored(0).roomID == general.id)
            let keyedMessage = try stored(1)
            #expect(keyedMessage.seq == 1 && keyedMessage.clientMessageID == "k-1" && keyedMessage.content == "keyed")
            #expect(results[2] == .failure(.notAMember))
            // The repeat in the same batch is answered with the message the batch stored first.
            #expect(results[3] == .success(.message(.duplicate(keyedMessage))))
            guard case .success(.logged(let edit)) = results[4] else { throw TestFailure("the edit: \(results[4])") }
            #expect(edit.seq == 3 && edit.roomID == general.id)
            #expect(try stored(5).seq == 4 && stored(5).replyToID == first.id)
            #expect(try stored(6).seq == 5 && stored(6).clientMessageID == "k-1")
            #expect(results[7] == .failure(.invalidReference("reply_to_id \(first.id) is not a message of this room")))
            #expect(results[8] == .failure(.notAMember))

            #expect(try await store.room(id: general.id)?.lastSeq == 5)
            #expect(try await store.room(id: ops.id)?.lastSeq == 1)
            let log = try await store.roomLog(in: general.id, afterSeq: 0, limit: 10, hiddenSenders: [])
            #expect(log.entries.map(\.seq) == [1, 2, 3, 4, 5])
        }
    }

    /// Batches of two nodes over the same rooms in opposite orders, all at once, each
    /// alternating messages and edits (which a store writes one statement at a time): every
    /// write is stored once, each room's `seq` runs without gaps, and on PostgreSQL (where each
    /// batch locks its rooms first, in one order) the database never had to break a deadlock.
    @Test(arguments: StoreBackend.all) func crossingBatchesOfTwoNodesNeverDeadlock(_ backend: StoreBackend) async throws {
        let url = backend == .postgres ? try await PostgresTestDatabase.create() : nil
        let rounds = 10
        try await backend.withStores(postgresURL: url) { first, second in
            let (ann, bob, _) = try await contract.threeUsers(first)
            var rooms: [RoomRecord] = []
            var drafts: [UserID: [RoomID: MessageID]] = [:]
            for name in ["a", "b", "c", "d"] {
                let room = try await first.createGroupRoom(name: name, ownerID: ann.id, memberIDs: [bob.id], at: contract.now)
                rooms.append(room)
                for user in [ann, bob] {
                    drafts[user.id, default: [:]][room.id] = try await first.appendMessages([message(room.id, from: user, "draft")])[0].get().message.id
                }
            }
            let plan = drafts
            try await withThrowingTaskGroup(of: Void.self) { group in
                for sender in 0..<4 {
                    let store = sender.isMultiple(of: 2) ? first : second
                    let user = sender.isMultiple(of: 2) ? ann : bob
                    let order = sender < 2 ? rooms : rooms.reversed()
                    group.addTask {
                        for round in 0..<rounds {
                            let batch = order.flatMap { room -> [RoomWrite] in
                                let draft = plan[user.id]?[room.id] ?? StoreContractTests.missing
                                return [
                                    .message(message(room.id, from: user, "s\(sender) r\(round)")),
                                    .edit(messageID: draft, editorID: user.id, content: "s\(sender) r\(round)", at: Date()),
                                ]
                            }
                            for result in try await store.commit(batch) { _ = try result.get() }
                        }
                    }
                }
                try await group.waitForAll()
            }
            for room in rooms {
                let log = try await second.roomLog(in: room.id, afterSeq: 0, limit: 500, hiddenSenders: [])
                #expect(log.entries.map(\.seq) == Array(1...Int64(2 + 4 * rounds * 2)), "room \(room.name ?? "")")
            }
        }
        if let url {
            #expect(try await PostgresTestDatabase.deadlocks(in: url) == 0)
        }
    }
}
