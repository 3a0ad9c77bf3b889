import FitChatTestSupport
import FitChatProtocol
import Foundation
import Testing

@Suite struct RoomAndSocialTests {
    @Test func directRoomsAreUniquePerPairAndNamedAfterThePeer() async throws {
        try await withServer { server in
            let ann = try await server.register("ann")
            let bob = try await server.register("bob")
            let first = try await ann.api.post("/api/rooms", CreateRoomRequest(type: .direct, username: "bob"))
            #expect(first.status == 201)
            let room: RoomInfo = try first.decode()
            #expect(room.type == .direct)
            #expect(room.name == "bob")
            let again = try await bob.api.post("/api/rooms", CreateRoomRequest(type: .direct, userID: ann.id))
            #expect(again.status == 200)
            let seenByBob: RoomInfo = try again.decode()
            #expect(seenByBob.id == room.id)
            #expect(seenByBob.name == "ann")
            #expect(try await ann.api.patch("/api/rooms/\(room.id)", RenameRoomRequest(name: "x")).status == 400)
            #expect(try await ann.api.delete("/api/rooms/\(room.id)/participants/\(ann.id)").status == 403)
        }
    }

    @Test func groupLifecycleWithRoomUpdatedEvents() async throws {
        try await withServer { server in
            let ann = try await server.register("ann")
            let bob = try await server.register("bob")
            let cat = try await server.register("cat")
            let bobSocket = try await TestSocket.connect(server, as: bob)
            let catSocket = try await TestSocket.connect(server, as: cat)
            let room = try await server.group("team", owner: ann, members: [bob])
            guard case .roomUpdated(let created) = try await bobSocket.next("room_updated").event else { throw TestFailure("") }
            #expect(created.change == .created)
            #expect(created.room?.name == "team")

            let renamed: RoomInfo = try ann.api.expect(try await bob.api.patch("/api/rooms/\(room.id)", RenameRoomRequest(name: "crew")))
            #expect(renamed.name == "crew")
            guard case .roomUpdated(let rename) = try await bobSocket.next("room_updated").event else { throw TestFailure("") }
            #expect(rename.change == .renamed)

            let added: RoomInfo = try ann.api.expect(try await ann.api.post("/api/rooms/\(room.id)/participants", AddParticipantsRequest(usernames: ["cat"])))
            #expect(Set(added.participants?.map(\.username) ?? []) == ["ann", "bob", "cat"])
            guard case .roomUpdated(let joined) = try await catSocket.next("room_updated").event else { throw TestFailure("") }
            #expect(joined.change == .participantAdded)
            #expect(joined.userIDs == [cat.id])

            #expect(try await bob.api.delete("/api/rooms/\(room.id)/participants/\(cat.id)").status == 403)
            #expect(try await bob.api.delete("/api/rooms/\(room.id)").status == 403)
            #expect(try await ann.api.delete("/api/rooms/\(room.id)/participants/\(cat.id)").status == 204)
            guard case .roomUpdated(let removed) = try await catSocket.next("room_updated").event else { throw TestFailure("") }
            #expect(removed.change == .participantRemoved)
            #expect(try await cat.api.get("/api/rooms/\(room.id)/messages").status == 403)

            #expect(try await bob.api.delete("/api/rooms/\(room.id)/participants/\(bob.id)").status == 204)
            #expect(try await ann.api.delete("/api/rooms/\(room.id)").status == 204)
            #expect(try await ann.api.get("/api/rooms/\(room.id)").status == 404)
            let rooms: [RoomInfo] = try ann.api.expect(try await ann.api.get("/api/rooms"))
            #expect(rooms.isEmpty)
        }
    }

    @Test func historyCursorsAndMarkRead() async throws {
        try await withServer { server in
            let ann = try await server.register("ann")
            let bob = try await server.register("bob")
            let room = try await server.group("log", owner: ann, members: [bob])
            for index in 1...12 {
                _ = try ann.api.expect(try await ann.api.post("/api/rooms/\(room.id)/messages", PostMessageRequest(content: "line \(index)")), ChatMessage.self)
            }
            let latest: [ChatMessage] = try bob.api.expect(try await bob.api.get("/api/rooms/\(room.id)/messages?limit=5"))
            #expect(latest.map(\.seq) == [8, 9, 10, 11, 12])
            let older: [ChatMessage] = try bob.api.expect(try await bob.api.get("/api/rooms/\(room.id)/messages?limit=5&before_seq=8"))
            #expect(older.map(\.seq) == [3, 4, 5, 6, 7])
            let newer: [ChatMessage] = try bob.api.expect(try await bob.api.get("/api/rooms/\(room.id)/messages?limit=3&after_seq=4"))
            #expect(newer.map(\.seq) == [5, 6, 7])
            #expect(try await bob.api.get("/api/rooms/\(room.id)/messages?limit=500").status == 400)
            #expect(try await bob.api.get("/api/rooms/\(room.id)/messages?before_seq=abc").status == 400)

            let partly: ReadState = try bob.api.expect(try await bob.api.post("/api/rooms/\(room.id)/read", MarkReadRequest(upToSeq: 10)))
            #expect(partly.lastReadSeq == 10)
            #expect(partly.unreadCount == 2)
            let all: ReadState = try bob.api.expect(try await bob.api.request(.POST, "/api/rooms/\(room.id)/read"))
            #expect(all.unreadCount == 0)
            #expect(all.lastReadSeq == 12)
            let found: [ChatMessage] = try bob.api.expect(try await bob.api.get("/api/messages/search?q=line%2011"))
            #expect(found.map(\.seq) == [11])
            let scoped: [ChatMessage] = try bob.api.expect(try await bob.api.get("/api/messages/search?q=lin&room_id=\(room.id)"))
            #expect(scoped.count == 12)
            #expect(try await bob.api.get("/api/messages/search?q=%22%2A").status == 400)
        }
    }

    @Test func friendRequestsAcceptDeclineAndRemove() async throws {
        try await withServer { server in
            let ann = try await server.register("ann")
            let bob = try await server.register("bob")
            let cat = try await server.register("cat")
            let request: FriendRequestInfo = try ann.api.expect(try await ann.api.post("/api/friends/requests", UserReference(username: "bob")))
            #expect(request.status == .pending)
            #expect(try await ann.api.post("/api/friends/requests", UserReference(username: "bob")).status == 409)
            let lists: FriendRequestList = try bob.api.expect(try await bob.api.get("/api/friends/requests"))
            #expect(lists.incoming.map(\.from.username) == ["ann"])
            #expect(try await ann.api.post("/api/friends/requests/\(request.id)/accept").status == 403)
            let accepted: FriendRequestInfo = try bob.api.expect(try await bob.api.post("/api/friends/requests/\(request.id)/accept"))
            #expect(accepted.status == .accepted)
            let friends: [UserInfo] = try ann.api.expect(try await ann.api.get("/api/friends"))
            #expect(friends.map(\.username) == ["bob"])
            #expect(friends.first?.isOnline == false)

            let toCat: FriendRequestInfo = try ann.api.expect(try await ann.api.post("/api/friends/requests", UserReference(userID: cat.id)))
            #expect(try await cat.api.post("/api/friends/requests/\(toCat.id)/decline").status == 204)
            let mutual: FriendRequestInfo = try cat.api.expect(try await cat.api.post("/api/friends/requests", UserReference(userID: ann.id)))
            #expect(mutual.status == .pending)
            let crossed: FriendRequestInfo = try ann.api.expect(try await ann.api.post("/api/friends/requests", UserReference(userID: cat.id)))
            #expect(crossed.status == .accepted)

            #expect(try await ann.api.delete("/api/friends/\(bob.id)").status == 204)
            let remaining: [UserInfo] = try ann.api.expect(try await ann.api.get("/api/friends"))
            #expect(remaining.map(\.username) == ["cat"])
            let search: [UserInfo] = try ann.api.expect(try await ann.api.get("/api/users/search?q=ca"))
            #expect(search.map(\.username) == ["cat"])
        }
    }
}
