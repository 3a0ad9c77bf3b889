import FitChatTestSupport
import FitChatProtocol
import Foundation
import Testing

@Suite struct ConnectionLimitsTests {
    @Test func roomsPerConnectionAreBounded() async throws {
        try await withServer(configure: { $0.limits.maxRoomsPerConnection = 3 }) { server in
            let ann = try await server.register("ann")
            var rooms: [RoomInfo] = []
            for name in ["one", "two", "three", "four"] { rooms.append(try await server.group(name, owner: ann, members: [])) }
            let socket = try await TestSocket.connect(server, as: ann)
            for room in rooms.prefix(3) { try await socket.join(room.id) }
            try await socket.join(rooms[0].id)  // joining again is not another room

            try socket.send(.joinRoom(JoinRoom(roomID: rooms[3].id)), id: "fourth")
            let refused = try await socket.next("error")
            #expect(refused.id == "fourth")
            guard case .error(let error) = refused.event else { throw TestFailure("not an error") }
            #expect(error.code == .invalid)
            #expect(error.requestType == "join_room")
            #expect(error.message.contains("3 rooms"))

            try socket.send(.leaveRoom(RoomReference(roomID: rooms[0].id)))
            _ = try await socket.next("room_left")
            try await socket.join(rooms[3].id)
        }
    }

    /// A replay is paced by the reader: far more messages than the outbound queue holds arrive
    /// whole and in order, and the connection is not closed as a slow consumer.
    @Test func aReplayLargerThanTheQueueBoundArrivesWhole() async throws {
        try await withServer(configure: {
            $0.limits.outboundQueueFrames = 20
            $0.limits.sendBurst = 10_000
            $0.limits.sendRefillPerSecond = 10_000
        }) { server in
            let (ann, bob, room) = try await server.annAndBobInGeneral()
            for index in 1...150 {
                _ = try ann.api.expect(try await ann.api.post("/api/rooms/\(room.id)/messages", PostMessageRequest(content: "m\(index)")), ChatMessage.self)
            }
            let socket = try await TestSocket.connect(server, as: bob)
            try socket.send(.joinRoom(JoinRoom(roomID: room.id, sinceSeq: 0)))
            var seqs: [Int64] = []
            var joined: RoomJoined?
            while joined == nil {
                switch try await socket.next().event {
                case .newMessage(let message): seqs.append(message.seq)
                case .roomJoined(let info): joined = info
                default: break
                }
            }
            #expect(seqs == Array(1...150))
            #expect(joined?.replayed == 150)
            #expect(joined?.lastSeq == 150)
            #expect(try await socket.drain().isEmpty)
        }
    }

    /// A raw client (Python, since real client libraries answer pings by themselves) that never
    /// answers the server's WebSocket pings is closed; a client that answers stays connected.
    static let silentClient = #"""
        print(status, flush=True)
        while True:
            opcode, payload = read_frame()
            if opcode == 0x9:
                print("ping", flush=True)
            elif opcode == 0x8:
                print("close", struct.unpack(">H", payload[:2])[0], payload[2:].decode(), flush=True)
                break
        """#

    /// A loop's ping task stops with its last connection; the next connection starts it again.
    @Test func pingsStartAgainOnceEveryConnectionHasClosed() async throws {
        try await withServer(configure: { $0.limits.pingInterval = .seconds(1) }) { server in
            let ann = try await server.register("ann")
            // One after another, so some land on a loop whose only connection has gone (the
            // server has two or more loops, taken in turn).
            for _ in 0..<4 {
                // A client never pinged fails on its socket timeout instead of hanging the suite.
                let lines = try await RawWebSocketClient.run("s.settimeout(15)\n" + Self.silentClient, server: server, token: ann.token)
                #expect(lines.contains("ping"))
                #expect(lines.last == "close 1001 Ping timeout")
            }
        }
    }

    @Test func aClientThatNeverAnswersPingsIsClosed() async throws {
        // Pings every 2 s: the answering client has that long to answer, also on a busy machine.
        try await withServer(configure: { $0.limits.pingInterval = .seconds(2) }) { server in
            let (ann, bob, _) = try await server.annAndBobInGeneral()
            let answering = try await TestSocket.connect(server, as: ann)
            let lines = try await RawWebSocketClient.run(Self.silentClient, server: server, token: bob.token)
            #expect(lines.first == "HTTP/1.1 101 Switching Protocols")
            #expect(lines.contains("ping"))
            #expect(lines.last == "close 1001 Ping timeout")
            // The client that answers pings outlived the silent one.
            try answering.send(.ping(Heartbeat(timestamp: .integer(7))), id: "alive")
            #expect(try await answering.next("pong").id == "alive")
        }
    }
}
