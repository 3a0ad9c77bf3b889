import FitChatProtocol
import Foundation
import Testing

@testable import FitChatServer

/// Edits, deletions and reactions in the store: who may make them, what they leave in
/// history, and the room log a resuming client reads, on every backend.
extension StoreContractTests {
    @Test(arguments: StoreBackend.all) func editsDeletionsAndReactionsFollowTheRules(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let (ann, bob, cat) = try await threeUsers(store)
            let room = try await store.createGroupRoom(name: "general", ownerID: ann.id, memberIDs: [bob.id], at: now)
            let sent = try await store.appendMessages([message(room.id, from: bob, "helo wrld"), message(room.id, from: bob, "second")])
            let first = try sent[0].get().message
            let second = try sent[1].get().message
            let later = now.addingTimeInterval(5)

            let results = try await store.commit([
                .edit(messageID: first.id, editorID: ann.id, content: "not mine", at: later),
                .edit(messageID: first.id, editorID: cat.id, content: "outsider", at: later),
                .edit(messageID: Self.missing, editorID: bob.id, content: "nothing", at: later),
                .edit(messageID: first.id, editorID: bob.id, content: "hello world", at: later),
                .react(messageID: first.id, userID: ann.id, emoji: "👍", on: true, at: later + 1, maxDistinct: 2),
                .react(messageID: first.id, userID: ann.id, emoji: "👍", on: true, at: later + 2, maxDistinct: 2),
                .react(messageID: first.id, userID: bob.id, emoji: "👍", on: true, at: later + 3, maxDistinct: 2),
                .react(messageID: first.id, userID: bob.id, emoji: "🎉", on: true, at: later + 4, maxDistinct: 2),
                .react(messageID: first.id, userID: bob.id, emoji: "🚀", on: true, at: later + 5, maxDistinct: 2),
                .react(messageID: first.id, userID: cat.id, emoji: "👍", on: true, at: later + 6, maxDistinct: 2),
                .delete(messageID: second.id, actorID: cat.id, at: later),
                .delete(messageID: second.id, actorID: ann.id, at: later),
                .delete(messageID: second.id, actorID: bob.id, at: later),
                .edit(messageID: second.id, editorID: bob.id, content: "back from the dead", at: later),
                .react(messageID: second.id, userID: ann.id, emoji: "👍", on: true, at: later, maxDistinct: 2),
            ])
            #expect(results[0] == .failure(.forbidden("only the sender edits a message")))
            #expect(results[1] == .failure(.notAMember))
            #expect(results[2] == .failure(.notFound("no message \(Self.missing)")))
            guard case .success(.logged(let edit)) = results[3], case .edited(let edited) = edit.event else {
                Issue.record("the sender's edit was not logged: \(results[3])")
                return
            }
            #expect(edit.seq == 3 && edited.eventSeq == 3 && edited.message.content == "hello world")
            #expect(edited.message.seq == first.seq && edited.message.editedAt == later.roundedToMilliseconds)
            guard case .success(.logged(let reaction)) = results[4] else { Issue.record("no reaction logged: \(results[4])"); return }
            #expect(reaction.seq == 4 && reaction.actors == [bob.id, ann.id])
            guard case .success(.unchanged(.reaction)) = results[5] else { Issue.record("a repeated reaction was logged: \(results[5])"); return }
            #expect(results[8] == .failure(.invalidReference("a message holds at most 2 different reactions")))
            #expect(results[9] == .failure(.notAMember))
            #expect(results[10] == .failure(.notAMember))
            guard case .success(.logged(let deletion)) = results[11], case .deleted(let deleted) = deletion.event else {
                Issue.record("the owner's deletion was not logged: \(results[11])")
                return
            }
            #expect(deleted.userID == ann.id && deletion.seq == 7, "the room's owner deletes anyone's message")
            guard case .success(.unchanged(.deleted)) = results[12] else { Issue.record("deleting twice logged twice: \(results[12])"); return }
            #expect(results[13] == .failure(.notFound("message \(second.id) was deleted")))
            #expect(results[14] == .failure(.notFound("message \(second.id) was deleted")))
            #expect(try await store.room(id: room.id)?.lastSeq == 7, "refusals and no-ops take no seq")

            let history = try await store.messages(in: room.id, afterSeq: nil, beforeSeq: nil, limit: 10, hiddenSenders: [])
            #expect(history.map(\.content) == ["hello world", ""])
            #expect(history[0].reactions == [ReactionCount(emoji: "👍", userIDs: [ann.id, bob.id]), ReactionCount(emoji: "🎉", userIDs: [bob.id])])
            #expect(history[1].deleted == true && history[1].reactions == nil && history[0].deleted == nil)
            let hidingAnn = try await store.messages(in: room.id, afterSeq: nil, beforeSeq: nil, limit: 10, hiddenSenders: [ann.id])
            #expect(hidingAnn[0].reactions?.first == ReactionCount(emoji: "👍", userIDs: [bob.id]))

            #expect(try await store.searchMessages("world", visibleTo: ann.id, roomID: nil, hiddenSenders: [], limit: 10).map(\.id) == [first.id])
            #expect(try await store.searchMessages("wrld", visibleTo: ann.id, roomID: nil, hiddenSenders: [], limit: 10).isEmpty, "an edit replaces the indexed text")
            #expect(try await store.searchMessages("second", visibleTo: ann.id, roomID: nil, hiddenSenders: [], limit: 10).isEmpty, "deleted messages leave search")
            #expect(try await store.unreadCount(roomID: room.id, userID: ann.id, hiddenSenders: []) == 1, "a tombstone is not unread")

            let off = try await store.commit([.react(messageID: first.id, userID: bob.id, emoji: "🎉", on: false, at: later, maxDistinct: 2)])
            guard case .success(.logged(let removal)) = off[0], case .reaction(let removed) = removal.event else { Issue.record("\(off)"); return }
            #expect(!removed.on && removed.eventSeq == 8 && removed.username == "bob")
            let afterRemoval = try await store.messages(ids: [first.id], in: room.id)
            #expect(afterRemoval.count == 1)
            let page = try await store.messages(in: room.id, afterSeq: 0, beforeSeq: 2, limit: 1, hiddenSenders: [])
            #expect(page[0].reactions == [ReactionCount(emoji: "👍", userIDs: [ann.id, bob.id])])
        }
    }

    @Test(arguments: StoreBackend.all) func theRoomLogIsEveryEntryInSeqOrderPageByPage(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let (ann, bob, _) = try await threeUsers(store)
            let room = try await store.createGroupRoom(name: "log", ownerID: ann.id, memberIDs: [bob.id], at: now)
            let one = try await store.appendMessages([message(room.id, from: ann, "one")])[0].get().message
            _ = try await store.commit([
                .edit(messageID: one.id, editorID: ann.id, content: "one, edited", at: now),
                .message(message(room.id, from: bob, "two")),
                .react(messageID: one.id, userID: bob.id, emoji: "👀", on: true, at: now, maxDistinct: 20),
                .message(message(room.id, from: bob, "three")),
                .react(messageID: one.id, userID: bob.id, emoji: "👀", on: false, at: now, maxDistinct: 20),
                .delete(messageID: one.id, actorID: ann.id, at: now),
            ])
            func kinds(_ entries: [RoomLogEntry]) -> [String] {
                entries.map { entry in
                    switch entry.event {
                    case .message(let message): "message:\(message.content)"
                    case .edited(let edit): "edited:\(edit.message.content)"
                    case .deleted: "deleted"
                    case .reaction(let reaction): "reaction:\(reaction.emoji):\(reaction.on)"
                    }
                }
            }
            let whole = try await store.roomLog(in: room.id, afterSeq: 0, limit: 100, hiddenSenders: [])
            #expect(whole.next == nil)
            #expect(whole.entries.map(\.seq) == Array(1...7))
            // Replayed in their current state: the first message is a tombstone by now.
            #expect(kinds(whole.entries) == ["message:", "edited:", "message:two", "reaction:👀:true", "message:three", "reaction:👀:false", "deleted"])

            var paged: [RoomLogEntry] = []
            var cursor: Int64 = 0
            var pages = 0
            while true {
                let page = try await store.roomLog(in: room.id, afterSeq: cursor, limit: 2, hiddenSenders: [])
                paged += page.entries
                pages += 1
                guard let next = page.next, pages < 10 else { break }
                try #require(next > cursor)
                cursor = next
            }
            #expect(paged.map(\.seq) == Array(1...7) && pages >= 3, "pages of 2 hold every entry once, in order")

            let hidingBob = try await store.roomLog(in: room.id, afterSeq: 0, limit: 100, hiddenSenders: [bob.id])
            #expect(kinds(hidingBob.entries) == ["message:", "edited:", "deleted"], "a blocked user's messages and reactions are left out")
            #expect(try await store.roomLog(in: room.id, afterSeq: 7, limit: 100, hiddenSenders: []).entries.isEmpty)
        }
    }
}
