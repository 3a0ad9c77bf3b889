import FitChatTestSupport
import FitChatProtocol
import Foundation
import Testing

@Suite struct BlockingTests {
    @Test func aBlockedUserCannotReachTheBlocker() async throws {
        try await withServer { server in
            let ann = try await server.register("ann")
            let eve = try await server.register("eve")
            _ = try ann.api.expect(try await ann.api.post("/api/blocks", UserReference(username: "eve")), UserInfo.self)
            let dm = try await eve.api.post("/api/rooms", CreateRoomRequest(type: .direct, username: "ann"))
            #expect(dm.status == 403)
            #expect(dm.error?.error.code == .blocked)
            let friend = try await eve.api.post("/api/friends/requests", UserReference(userID: ann.id))
            #expect(friend.error?.error.code == .blocked)
            let group = try await eve.api.post("/api/rooms", CreateRoomRequest(type: .group, name: "trap", participantIDs: [ann.id]))
            #expect(group.error?.error.code == .blocked)
            let blocks: [UserInfo] = try ann.api.expect(try await ann.api.get("/api/blocks"))
            #expect(blocks.map(\.username) == ["eve"])
            #expect(try await ann.api.delete("/api/blocks/\(eve.id)").status == 204)
            let afterUnblock = try await eve.api.post("/api/rooms", CreateRoomRequest(type: .direct, username: "ann"))
            #expect(afterUnblock.status == 201)
        }
    }

    @Test func theBlockerNeverReceivesTheBlockedUsersMessagesTypingOrPresence() async throws {
        try await withServer { server in
            let ann = try await server.register("ann")
            let bob = try await server.register("bob")
            let eve = try await server.register("eve")
            let room = try await server.group("general", owner: bob, members: [ann, eve])
            _ = try await eve.api.post("/api/rooms/\(room.id)/messages", PostMessageRequest(content: "before the block"))
            _ = try ann.api.expect(try await ann.api.post("/api/blocks", UserReference(userID: eve.id)), UserInfo.self)

            let annSocket = try await TestSocket.connect(server, as: ann)
            let bobSocket = try await TestSocket.connect(server, as: bob)
            for socket in [annSocket, bobSocket] {
                try await socket.join(room.id, sinceSeq: 0)
            }
            let eveSocket = try await TestSocket.connect(server, as: eve)
            try eveSocket.send(.typingStart(RoomReference(roomID: room.id)))
            try eveSocket.send(.sendMessage(SendMessage(roomID: room.id, content: "can you hear me")))
            _ = try await eveSocket.next("message_sent")
            // Bob hears Eve; Ann hears nothing of her, not even her presence.
            #expect(try await bobSocket.drain().contains { $0.event.type == "new_message" })
            let annSaw = try await annSocket.drain()
            #expect(annSaw.allSatisfy { !["new_message", "typing_indicator", "user_status_change"].contains($0.event.type) })

            let history: [ChatMessage] = try ann.api.expect(try await ann.api.get("/api/rooms/\(room.id)/messages"))
            #expect(history.isEmpty)
            let search: [ChatMessage] = try ann.api.expect(try await ann.api.get("/api/messages/search?q=hear"))
            #expect(search.isEmpty)
            let bobSearch: [ChatMessage] = try bob.api.expect(try await bob.api.get("/api/messages/search?q=hear"))
            #expect(bobSearch.count == 1)
            let replay = try await TestSocket.connect(server, as: ann)
            try replay.send(.joinRoom(JoinRoom(roomID: room.id, sinceSeq: 0)))
            guard case .roomJoined(let joined) = try await replay.next("room_joined").event else { throw TestFailure("") }
            #expect(joined.replayed == 0)
        }
    }
}
