import FitChatTestSupport
import FitChatProtocol
import Foundation
import Testing

/// Edits, deletions and reactions through a real server: the frames and REST routes, who
/// hears of them, and a resume that brings back exactly what was missed.
@Suite struct MessageLifecycleTests {
    func sent(_ envelope: ServerEnvelope) throws -> ChatMessage {
        guard case .messageSent(let message) = envelope.event else { throw TestFailure("expected message_sent, got \(envelope)") }
        return message
    }

    @Test func editsDeletionsAndReactionsReachTheRoomAndAnswerTheirSender() async throws {
        try await withServer { server in
            let (ann, bob, room) = try await server.annAndBobInGeneral()
            let annSocket = try await TestSocket.connect(server, as: ann)
            let bobSocket = try await TestSocket.connect(server, as: bob)
            try await annSocket.join(room.id)
            try await bobSocket.join(room.id)
            try annSocket.send(.sendMessage(SendMessage(roomID: room.id, content: "helo")))
            let original = try sent(try await annSocket.next("message_sent"))
            _ = try await bobSocket.next("new_message")

            try annSocket.send(.editMessage(EditMessage(messageID: original.id, content: "  hello\u{7}  ")), id: "e1")
            let reply = try await annSocket.next("message_edited")
            guard case .messageEdited(let ownEdit) = reply.event else { throw TestFailure("\(reply)") }
            #expect(reply.id == "e1" && ownEdit.message.content == "hello" && ownEdit.eventSeq == 2 && ownEdit.message.seq == 1)
            guard case .messageEdited(let edit) = try await bobSocket.next("message_edited").event else { throw TestFailure("no edit") }
            #expect(edit.message.id == original.id && edit.message.content == "hello" && edit.message.editedAt != nil && edit.eventSeq == 2)

            try bobSocket.send(.editMessage(EditMessage(messageID: original.id, content: "mine now")), id: "e2")
            let refused = try await bobSocket.next("error")
            guard case .error(let problem) = refused.event else { throw TestFailure("\(refused)") }
            #expect(problem.code == .forbidden && problem.requestType == "edit_message" && refused.id == "e2")

            try bobSocket.send(.react(React(messageID: original.id, emoji: "👍", on: true)), id: "r1")
            guard case .reaction(let own) = try await bobSocket.next("reaction").event else { throw TestFailure("no reaction reply") }
            #expect(own.eventSeq == 3 && own.userID == bob.id && own.username == "bob")
            guard case .reaction(let seen) = try await annSocket.next("reaction").event else { throw TestFailure("no reaction") }
            #expect(seen.emoji == "👍" && seen.on && seen.messageID == original.id && seen.eventSeq == 3)
            try bobSocket.send(.react(React(messageID: original.id, emoji: "👍", on: true)), id: "r2")
            guard case .reaction(let again) = try await bobSocket.next("reaction").event else { throw TestFailure("no reaction reply") }
            #expect(again.eventSeq == nil, "a repeated reaction changes nothing and takes no seq")
            try bobSocket.send(.react(React(messageID: original.id, emoji: "thumbs up", on: true)), id: "r3")
            guard case .error(let badEmoji) = try await bobSocket.next("error").event else { throw TestFailure("no error") }
            #expect(badEmoji.code == .invalid && badEmoji.message.contains("emoji"))

            try annSocket.send(.deleteMessage(DeleteMessage(messageID: original.id)), id: "d1")
            guard case .messageDeleted(let deletion) = try await annSocket.next("message_deleted").event else { throw TestFailure("no reply") }
            #expect(deletion.eventSeq == 4 && deletion.userID == ann.id)
            guard case .messageDeleted(let heard) = try await bobSocket.next("message_deleted").event else { throw TestFailure("no deletion") }
            #expect(heard.id == original.id && heard.roomID == room.id && heard.eventSeq == 4)
            // Nothing arrives twice: ann's own changes come back as replies only.
            #expect(try await annSocket.drain().filter { ["message_edited", "message_deleted"].contains($0.event.type) }.isEmpty)

            let history: [ChatMessage] = try bob.api.expect(try await bob.api.get("/api/rooms/\(room.id)/messages"))
            #expect(history.count == 1 && history[0].deleted == true && history[0].content == "" && history[0].reactions == nil)
            let raw = try #require(try await bob.api.get("/api/rooms/\(room.id)/messages").json as? [[String: Any]])
            #expect(raw[0]["deleted"] as? Bool == true)
            await annSocket.close()
            await bobSocket.close()
        }
    }

    @Test func theRESTRoutesFollowTheSameRules() async throws {
        try await withServer { server in
            let (ann, bob, room) = try await server.annAndBobInGeneral()
            let cat = try await server.register("cat")
            let message: ChatMessage = try ann.api.expect(try await ann.api.post("/api/rooms/\(room.id)/messages", PostMessageRequest(content: "first draft")))
            let edited: ChatMessage = try ann.api.expect(try await ann.api.patch("/api/messages/\(message.id)", EditMessageRequest(content: "final")))
            #expect(edited.content == "final" && edited.editedAt != nil && edited.seq == message.seq)
            #expect(try await bob.api.patch("/api/messages/\(message.id)", EditMessageRequest(content: "x")).status == 403)
            #expect(try await cat.api.patch("/api/messages/\(message.id)", EditMessageRequest(content: "x")).status == 403)
            #expect(try await ann.api.patch("/api/messages/\(ChatID.random())", EditMessageRequest(content: "x")).status == 404)
            #expect(try await ann.api.patch("/api/messages/\(message.id)", EditMessageRequest(content: "   ")).status == 400)

            let thumbs = "/api/messages/\(message.id)/reactions/%F0%9F%91%8D"
            #expect(try await bob.api.request(.PUT, thumbs).status == 204)
            #expect(try await bob.api.request(.PUT, thumbs).status == 204, "idempotent")
            #expect(try await ann.api.request(.PUT, "/api/messages/\(message.id)/reactions/%F0%9F%8E%89").status == 204)
            #expect(try await cat.api.request(.PUT, thumbs).status == 403)
            #expect(try await bob.api.request(.PUT, "/api/messages/\(message.id)/reactions/two%20words").status == 400)
            var history: [ChatMessage] = try bob.api.expect(try await bob.api.get("/api/rooms/\(room.id)/messages"))
            #expect(history[0].reactions == [ReactionCount(emoji: "👍", userIDs: [bob.id]), ReactionCount(emoji: "🎉", userIDs: [ann.id])])
            #expect(try await bob.api.delete(thumbs).status == 204)
            history = try bob.api.expect(try await bob.api.get("/api/rooms/\(room.id)/messages"))
            #expect(history[0].reactions == [ReactionCount(emoji: "🎉", userIDs: [ann.id])])

            let bobs: ChatMessage = try bob.api.expect(try await bob.api.post("/api/rooms/\(room.id)/messages", PostMessageRequest(content: "oops")))
            #expect(try await ann.api.delete("/api/messages/\(bobs.id)").status == 204, "the owner deletes anyone's message")
            #expect(try await bob.api.delete("/api/messages/\(message.id)").status == 403, "a member deletes only their own")
            #expect(try await bob.api.delete("/api/messages/\(bobs.id)").status == 204, "deleting again changes nothing")
            let search: [ChatMessage] = try ann.api.expect(try await ann.api.get("/api/messages/search?q=oops"))
            #expect(search.isEmpty)
            #expect(try await bob.api.patch("/api/messages/\(bobs.id)", EditMessageRequest(content: "revived")).status == 404)
        }
    }

    /// A client that comes back with `since_seq` gets every entry it missed, in order, once,
    /// with none of what it had already seen.
    @Test func resumingReplaysEveryEntryMissedInOrderOnce() async throws {
        try await withServer { server in
            let (ann, bob, room) = try await server.annAndBobInGeneral()
            let annSocket = try await TestSocket.connect(server, as: ann)
            try await annSocket.join(room.id)
            let bobSocket = try await TestSocket.connect(server, as: bob)
            let joined = try await bobSocket.join(room.id)
            try annSocket.send(.sendMessage(SendMessage(roomID: room.id, content: "one")))
            let one = try sent(try await annSocket.next("message_sent"))
            _ = try await bobSocket.next("new_message")
            await bobSocket.close()
            let seenUpTo = one.seq

            try annSocket.send(.editMessage(EditMessage(messageID: one.id, content: "one, edited")))
            _ = try await annSocket.next("message_edited")
            try annSocket.send(.sendMessage(SendMessage(roomID: room.id, content: "two")))
            let two = try sent(try await annSocket.next("message_sent"))
            try annSocket.send(.react(React(messageID: two.id, emoji: "🔥", on: true)))
            _ = try await annSocket.next("reaction")
            try annSocket.send(.deleteMessage(DeleteMessage(messageID: one.id)))
            _ = try await annSocket.next("message_deleted")

            let back = try await TestSocket.connect(server, as: bob)
            try back.send(.joinRoom(JoinRoom(roomID: room.id, sinceSeq: seenUpTo)), id: "resume")
            var replay: [ServerEnvelope] = []
            while true {
                let frame = try await back.next()
                if frame.event.type == "room_joined" {
                    guard case .roomJoined(let done) = frame.event else { break }
                    #expect(done.replayed == 4 && done.lastSeq == 5 && joined.lastSeq == 0)
                    break
                }
                if frame.event.roomPosition != nil { replay.append(frame) }
            }
            #expect(replay.map(\.event.type) == ["message_edited", "new_message", "reaction", "message_deleted"])
            #expect(replay.compactMap { $0.event.roomPosition?.seq } == [2, 3, 4, 5])
            guard case .messageEdited(let edit) = replay[0].event, case .newMessage(let message) = replay[1].event else { throw TestFailure("\(replay)") }
            #expect(edit.message.deleted == true && edit.message.content == "", "replayed in the message's current state: deleted since")
            #expect(message.content == "two" && message.reactions == nil, "reactions come as their own entries")

            try annSocket.send(.react(React(messageID: two.id, emoji: "🔥", on: false)))
            guard case .reaction(let live) = try await back.next("reaction").event else { throw TestFailure("no live reaction") }
            #expect(!live.on && live.eventSeq == 6)
            #expect(try await back.drain().filter { $0.event.roomPosition != nil }.isEmpty, "nothing repeated")
            await back.close()
            await annSocket.close()
        }
    }

    @Test func aBlockedSendersChangesAndReactionsAreNotShown() async throws {
        try await withServer { server in
            let (ann, bob, room) = try await server.annAndBobInGeneral()
            let cat = try await server.register("cat")
            _ = try await ann.api.post("/api/rooms/\(room.id)/participants", AddParticipantsRequest(userIDs: [cat.id]))
            #expect(try await ann.api.post("/api/blocks", UserReference(userID: cat.id)).status < 300)
            let annSocket = try await TestSocket.connect(server, as: ann)
            try await annSocket.join(room.id)
            let bobs: ChatMessage = try bob.api.expect(try await bob.api.post("/api/rooms/\(room.id)/messages", PostMessageRequest(content: "hi all")))
            _ = try await annSocket.next("new_message")
            #expect(try await cat.api.request(.PUT, "/api/messages/\(bobs.id)/reactions/%F0%9F%91%8E").status == 204)
            #expect(try await bob.api.request(.PUT, "/api/messages/\(bobs.id)/reactions/%F0%9F%91%8D").status == 204)
            guard case .reaction(let reaction) = try await annSocket.next("reaction").event else { throw TestFailure("no reaction") }
            #expect(reaction.userID == bob.id, "cat's reaction, which came first, is not shown to ann, who blocked cat")
            let history: [ChatMessage] = try ann.api.expect(try await ann.api.get("/api/rooms/\(room.id)/messages"))
            #expect(history[0].reactions == [ReactionCount(emoji: "👍", userIDs: [bob.id])])
            await annSocket.close()
        }
    }
}
