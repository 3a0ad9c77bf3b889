import FitChatTestSupport
import FitChatProtocol
import Foundation
import Testing

@Suite struct RealtimeTests {
    @Test func sinceSeqReplayMissesNothingAndRepeatsNothing() async throws {
        try await withServer { server in
            let (ann, bob, room) = try await server.annAndBobInGeneral()
            var bobSocket = try await TestSocket.connect(server, as: bob)
            try await bobSocket.join(room.id)
            for index in 1...3 { _ = try await ann.api.post("/api/rooms/\(room.id)/messages", PostMessageRequest(content: "live \(index)")) }
            var seen: [Int64] = []
            for _ in 1...3 {
                guard case .newMessage(let message) = try await bobSocket.next("new_message").event else { throw TestFailure("") }
                seen.append(message.seq)
            }
            await bobSocket.close()
            for index in 1...4 { _ = try await ann.api.post("/api/rooms/\(room.id)/messages", PostMessageRequest(content: "missed \(index)")) }

            // Reconnect while more arrive concurrently: the replay and the live stream must join seamlessly.
            bobSocket = try await TestSocket.connect(server, as: bob)
            let sender = Task {
                for index in 1...10 { _ = try await ann.api.post("/api/rooms/\(room.id)/messages", PostMessageRequest(content: "during \(index)")) }
            }
            try bobSocket.send(.joinRoom(JoinRoom(roomID: room.id, sinceSeq: seen.last!)), id: "resume")
            try await sender.value
            var joined: RoomJoined?
            while seen.count < 17 {
                let envelope = try await bobSocket.next()
                switch envelope.event {
                case .newMessage(let message): seen.append(message.seq)
                case .roomJoined(let info): joined = info
                default: break
                }
            }
            #expect(seen == Array(1...17))
            #expect(joined != nil)
            #expect((joined?.replayed ?? 0) >= 4)
            #expect(try await bobSocket.drain().allSatisfy { $0.event.type != "new_message" })
        }
    }

    @Test func typingIsRelayedOnceAndExpiresOnItsOwn() async throws {
        try await withServer { server in
            let (ann, bob, room) = try await server.annAndBobInGeneral()
            let annSocket = try await TestSocket.connect(server, as: ann)
            let bobSocket = try await TestSocket.connect(server, as: bob)
            try await bobSocket.join(room.id)
            // Before the first typing_start leaves: the server cannot have started typing earlier.
            let started = ContinuousClock.now
            try annSocket.send(.typingStart(RoomReference(roomID: room.id)))
            try annSocket.send(.typingStart(RoomReference(roomID: room.id)))
            _ = try await annSocket.drain()
            let first = try await bobSocket.next("typing_indicator")
            #expect(first.event == .typingIndicator(TypingIndicator(roomID: room.id, userID: ann.id, username: "ann", isTyping: true)))
            let stopped = try await bobSocket.next("typing_indicator", timeout: .seconds(10))
            #expect(stopped.event == .typingIndicator(TypingIndicator(roomID: room.id, userID: ann.id, username: "ann", isTyping: false)))
            // Expiry is the server's own doing, never before the 3 s timeout.
            #expect(ContinuousClock.now - started >= .seconds(3))
        }
    }

    @Test func sendingAMessageEndsTyping() async throws {
        try await withServer { server in
            let (ann, bob, room) = try await server.annAndBobInGeneral()
            let annSocket = try await TestSocket.connect(server, as: ann)
            let bobSocket = try await TestSocket.connect(server, as: bob)
            try await bobSocket.join(room.id)
            try annSocket.send(.typingStart(RoomReference(roomID: room.id)))
            try annSocket.send(.sendMessage(SendMessage(roomID: room.id, content: "done typing")))
            _ = try await annSocket.next("message_sent")
            let events = [try await bobSocket.next(), try await bobSocket.next(), try await bobSocket.next()].map(\.event.type)
            #expect(events.filter { $0 == "typing_indicator" }.count == 2)
            #expect(events.contains("new_message"))
        }
    }

    @Test func presenceFollowsTheFirstAndLastConnection() async throws {
        try await withServer { server in
            let ann = try await server.register("ann")
            let bob = try await server.register("bob")
            _ = try await server.group("general", owner: ann, members: [bob])
            let bobSocket = try await TestSocket.connect(server, as: bob)
            let phone = try await TestSocket.connect(server, as: ann)
            guard case .userStatusChange(let online) = try await bobSocket.next("user_status_change").event else { throw TestFailure("") }
            #expect(online.userID == ann.id)
            #expect(online.isOnline)
            let laptop = try await TestSocket.connect(server, as: ann)
            #expect(try await bobSocket.drain().allSatisfy { $0.event.type != "user_status_change" })
            let asSeen: UserInfo = try bob.api.expect(try await bob.api.get("/api/users/\(ann.id)"))
            #expect(asSeen.isOnline == true)
            await phone.close()
            _ = try await laptop.drain()
            #expect(try await bobSocket.drain().allSatisfy { $0.event.type != "user_status_change" })
            await laptop.close()
            guard case .userStatusChange(let offline) = try await bobSocket.next("user_status_change").event else { throw TestFailure("") }
            #expect(!offline.isOnline)
            #expect(offline.lastSeen != nil)
            let afterwards: UserInfo = try bob.api.expect(try await bob.api.get("/api/users/\(ann.id)"))
            #expect(afterwards.isOnline == false)
            #expect(afterwards.lastSeen != nil)
        }
    }
}
