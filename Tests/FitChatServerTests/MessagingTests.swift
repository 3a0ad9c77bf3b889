import FitChatTestSupport
import FitChatProtocol
import Foundation
import Testing

@Suite struct MessagingTests {
    func message(_ envelope: ServerEnvelope) throws -> ChatMessage {
        switch envelope.event {
        case .newMessage(let message), .messageSent(let message): return message
        default: throw TestFailure("expected a message, got \(envelope)")
        }
    }

    @Test func sendReachesSubscribersInSeqOrderAndIsAcknowledged() async throws {
        try await withServer { server in
            let (ann, bob, room) = try await server.annAndBobInGeneral()
            let annSocket = try await TestSocket.connect(server, as: ann)
            let bobSocket = try await TestSocket.connect(server, as: bob)
            for socket in [annSocket, bobSocket] {
                try socket.send(.joinRoom(JoinRoom(roomID: room.id)), id: "join")
                let joined = try await socket.next("room_joined")
                #expect(joined.id == "join")
            }
            for index in 1...5 {
                try annSocket.send(.sendMessage(SendMessage(roomID: room.id, content: "hello \(index)")), id: "m\(index)")
            }
            // Receipts may arrive between the acknowledgements: keep every frame ann gets.
            var annFrames: [ServerEnvelope] = []
            var acknowledged: [ChatMessage] = []
            while acknowledged.count < 5 {
                let frame = try await annSocket.next()
                annFrames.append(frame)
                guard frame.event.type == "message_sent" else { continue }
                #expect(frame.id == "m\(acknowledged.count + 1)")
                acknowledged.append(try message(frame))
            }
            #expect(acknowledged.map(\.seq) == [1, 2, 3, 4, 5])
            #expect(acknowledged.allSatisfy { $0.senderUsername == "ann" && $0.senderID == ann.id && $0.messageType == "text" })
            var received: [ChatMessage] = []
            for _ in 1...5 { received.append(try message(try await bobSocket.next("new_message"))) }
            #expect(received.map(\.content) == (1...5).map { "hello \($0)" })
            #expect(received.map(\.id) == acknowledged.map(\.id))
            // The sender's own connection gets message_sent, never new_message.
            annFrames += try await annSocket.drain()
            #expect(annFrames.allSatisfy { $0.event.type != "new_message" })

            var delivered = annFrames.first { $0.event.type == "message_delivered" }
            if delivered == nil { delivered = try await annSocket.next("message_delivered") }
            guard case .messageDelivered(let receipt) = delivered?.event else { throw TestFailure("not a receipt") }
            #expect(receipt.deliveries.map(\.userID) == [bob.id])
            #expect(receipt.roomID == room.id)
            #expect(Set(receipt.deliveries.flatMap(\.messageIDs)).isSubset(of: Set(acknowledged.map(\.id))))
            await annSocket.close()
            await bobSocket.close()
        }
    }

    @Test func clientMessageIDRetriesNeverStoreTwice() async throws {
        try await withServer { server in
            let (ann, bob, room) = try await server.annAndBobInGeneral()
            let bobSocket = try await TestSocket.connect(server, as: bob)
            try await bobSocket.join(room.id)
            let annSocket = try await TestSocket.connect(server, as: ann)
            try annSocket.send(.sendMessage(SendMessage(roomID: room.id, content: "once", clientMessageID: "retry-1")))
            let first = try message(try await annSocket.next("message_sent"))
            #expect(first.clientMessageID == "retry-1")
            try annSocket.send(.sendMessage(SendMessage(roomID: room.id, content: "once", clientMessageID: "retry-1")))
            let second = try message(try await annSocket.next("message_sent"))
            #expect(second.id == first.id)
            #expect(second.seq == first.seq)
            let viaREST: ChatMessage = try ann.api.expect(
                try await ann.api.post("/api/rooms/\(room.id)/messages", PostMessageRequest(content: "once", clientMessageID: "retry-1"))
            )
            #expect(viaREST.id == first.id)
            let history: [ChatMessage] = try bob.api.expect(try await bob.api.get("/api/rooms/\(room.id)/messages"))
            #expect(history.count == 1)
            let seen = try await bobSocket.drain().filter { $0.event.type == "new_message" }
            #expect(seen.count == 1)
        }
    }

    @Test func contentIsSanitisedAndBounded() async throws {
        try await withServer { server in
            let ann = try await server.register("ann")
            let room = try await server.group("notes", owner: ann, members: [])
            let socket = try await TestSocket.connect(server, as: ann)
            try socket.send(.sendMessage(SendMessage(roomID: room.id, content: "  a\u{07}b\tc\nd\u{1B}  ")))
            #expect(try message(try await socket.next("message_sent")).content == "ab\tc\nd")
            for bad in ["   ", "\u{07}\u{08}", String(repeating: "é", count: 4001)] {
                try socket.send(.sendMessage(SendMessage(roomID: room.id, content: bad)))
                guard case .error(let error) = try await socket.next("error").event else { throw TestFailure("not an error") }
                #expect(error.code == .invalid)
                #expect(error.requestType == "send_message")
            }
            try socket.send(.sendMessage(SendMessage(roomID: room.id, content: String(repeating: "é", count: 4000))))
            #expect(try message(try await socket.next("message_sent")).content.unicodeScalars.count == 4000)
            try socket.send(.sendMessage(SendMessage(roomID: room.id, content: "x", clientMessageID: String(repeating: "k", count: 65))))
            guard case .error(let tooLong) = try await socket.next("error").event else { throw TestFailure("not an error") }
            #expect(tooLong.message.contains("client_msg_id"))
        }
    }

    @Test func sendsAreRateLimitedPerUserAcrossConnections() async throws {
        try await withServer(configure: { $0.limits.sendBurst = 5; $0.limits.sendRefillPerSecond = 0.05 }) { server in
            let ann = try await server.register("ann")
            let room = try await server.group("spam", owner: ann, members: [])
            let first = try await TestSocket.connect(server, as: ann)
            let second = try await TestSocket.connect(server, as: ann)
            for index in 0..<5 {
                try (index % 2 == 0 ? first : second).send(.sendMessage(SendMessage(roomID: room.id, content: "m\(index)")))
            }
            let acks = try await first.drain().filter { $0.event.type == "message_sent" }.count
                + (try await second.drain().filter { $0.event.type == "message_sent" }.count)
            #expect(acks == 5)
            try first.send(.sendMessage(SendMessage(roomID: room.id, content: "one too many")), id: "x")
            let limited = try await first.next("error")
            guard case .error(let error) = limited.event else { throw TestFailure("not an error") }
            #expect(error.code == .rateLimited)
            #expect((error.retryAfterMs ?? 0) > 0)
            #expect(limited.id == "x")
            let rest = try await ann.api.post("/api/rooms/\(room.id)/messages", PostMessageRequest(content: "rest too"))
            #expect(rest.status == 429)
            #expect(rest.headers.first(name: "Retry-After") != nil)
            let history: [ChatMessage] = try ann.api.expect(try await ann.api.get("/api/rooms/\(room.id)/messages"))
            #expect(history.count == 5)
        }
    }

    @Test func nonMembersCanNeitherReadSubscribeNorSend() async throws {
        try await withServer { server in
            let ann = try await server.register("ann")
            let eve = try await server.register("eve")
            let room = try await server.group("private", owner: ann, members: [])
            let socket = try await TestSocket.connect(server, as: eve)
            let frames: [ClientFrame] = [
                .joinRoom(JoinRoom(roomID: room.id)),
                .sendMessage(SendMessage(roomID: room.id, content: "let me in")),
                .typingStart(RoomReference(roomID: room.id)),
                .messageRead(MessageRead(roomID: room.id, messageIDs: [1])),
            ]
            for frame in frames {
                try socket.send(frame)
                guard case .error(let error) = try await socket.next("error").event else { throw TestFailure("not an error") }
                #expect(error.code == .notAMember, "\(frame.type)")
            }
            for path in ["/api/rooms/\(room.id)", "/api/rooms/\(room.id)/messages"] {
                let reply = try await eve.api.get(path)
                #expect(reply.status == 403, "\(path)")
                #expect(reply.error?.error.code == .notAMember)
            }
            let post = try await eve.api.post("/api/rooms/\(room.id)/messages", PostMessageRequest(content: "hi"))
            #expect(post.status == 403)
            let read = try await eve.api.post("/api/rooms/\(room.id)/read", MarkReadRequest())
            #expect(read.status == 403)
            let search: [ChatMessage] = try eve.api.expect(try await eve.api.get("/api/messages/search?q=anything"))
            #expect(search.isEmpty)
            let scoped = try await eve.api.get("/api/messages/search?q=x&room_id=\(room.id)")
            #expect(scoped.status == 403)
        }
    }

    @Test func readReceiptsReachTheSender() async throws {
        try await withServer { server in
            let (ann, bob, room) = try await server.annAndBobInGeneral()
            let annSocket = try await TestSocket.connect(server, as: ann)
            try await annSocket.join(room.id)
            try annSocket.send(.sendMessage(SendMessage(roomID: room.id, content: "read me")))
            let sent = try message(try await annSocket.next("message_sent"))
            let unreadBefore: [RoomInfo] = try bob.api.expect(try await bob.api.get("/api/rooms"))
            #expect(unreadBefore.first?.unreadCount == 1)
            let bobSocket = try await TestSocket.connect(server, as: bob)
            try bobSocket.send(.messageRead(MessageRead(roomID: room.id, messageIDs: [sent.id])))
            guard case .messageReadReceipt(let receipt) = try await annSocket.next("message_read_receipt").event else {
                throw TestFailure("no receipt")
            }
            #expect(receipt == MessageReceipt(roomID: room.id, userID: bob.id, messageIDs: [sent.id]))
            let unreadAfter: [RoomInfo] = try bob.api.expect(try await bob.api.get("/api/rooms"))
            #expect(unreadAfter.first?.unreadCount == 0)
            try bobSocket.send(.messageRead(MessageRead(roomID: room.id, messageIDs: [])))
            guard case .error(let error) = try await bobSocket.next("error").event else { throw TestFailure("not an error") }
            #expect(error.code == .invalid)
        }
    }

    @Test func leaveRoomStopsLiveEventsButNotMembership() async throws {
        try await withServer { server in
            let (ann, bob, room) = try await server.annAndBobInGeneral()
            let bobSocket = try await TestSocket.connect(server, as: bob)
            try await bobSocket.join(room.id)
            try bobSocket.send(.leaveRoom(RoomReference(roomID: room.id)), id: "bye")
            let left = try await bobSocket.next("room_left")
            #expect(left.id == "bye")
            _ = try ann.api.expect(try await ann.api.post("/api/rooms/\(room.id)/messages", PostMessageRequest(content: "quiet")), ChatMessage.self)
            #expect(try await bobSocket.drain().allSatisfy { $0.event.type != "new_message" })
            let history: [ChatMessage] = try bob.api.expect(try await bob.api.get("/api/rooms/\(room.id)/messages"))
            #expect(history.map(\.content) == ["quiet"])
        }
    }
}
