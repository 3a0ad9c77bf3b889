import FitChatTestSupport
import FitChatProtocol
import Foundation
import NIOCore
import NIOWebSocket
import Testing

@Suite struct WebSocketConnectionTests {
    @Test func badTokensAreRefusedBeforeTheUpgrade() async throws {
        try await withServer { server in
            for token in [nil, "garbage", "a.b.c"] {
                await #expect(throws: (any Error).self) { _ = try await TestSocket.connect(server, token: token) }
            }
            for path in ["/ws/chat", "/ws/chat?token=garbage", "/ws/chat?token=a.b.c"] {
                let reply = try await server.anonymous.get(path)
                #expect(reply.status == 401, "\(path)")
                #expect(reply.error?.error.code == .unauthorized, "\(path)")
            }
        }
    }

    /// PROTOCOL.md: a refused upgrade is answered before any WebSocket opens, with the JSON error.
    @Test func refusedUpgradeRequestsGetTheJSONError() async throws {
        try await withServer(configure: { $0.corsOrigins = ["https://chat.example"] }) { server in
            let ann = try await server.register("ann")
            let upgradeHeaders = [
                ("Connection", "Upgrade"), ("Upgrade", "websocket"), ("Sec-WebSocket-Version", "13"),
                ("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ=="),
            ]
            for path in ["/ws/chat", "/ws/chat?token=garbage", "/ws/chat?token=a.b.c"] {
                let reply = try await server.anonymous.request(.GET, path, headers: upgradeHeaders)
                #expect(reply.status == 401, "\(path)")
                #expect(reply.error?.error.code == .unauthorized, "\(path)")
            }
            let foreign = try await ann.api.request(.GET, "/ws/chat", headers: upgradeHeaders + [("Origin", "https://evil.example")])
            #expect(foreign.status == 403)
            #expect(foreign.error?.error.code == .forbidden)
        }
    }

    @Test func seedQueryTokenAndBearerHeaderBothConnect() async throws {
        try await withServer { server in
            let ann = try await server.register("ann")
            for viaQuery in [true, false] {
                let socket = try await TestSocket.connect(server, token: ann.token, viaQuery: viaQuery)
                try socket.send(.ping(Heartbeat(timestamp: .integer(42))), id: "p1")
                let pong = try await socket.next("pong")
                #expect(pong.id == "p1")
                #expect(pong.event == .pong(Heartbeat(timestamp: .integer(42))))
                await socket.close()
            }
        }
    }

    @Test func connectionEstablishedCarriesSeedAndExtFields() async throws {
        try await withServer { server in
            let ann = try await server.register("ann")
            let socket = TestSocket.open(server, token: ann.token)
            let first = try await socket.nextRaw()
            let object = try #require(try JSONSerialization.jsonObject(with: Data(first.utf8)) as? [String: Any])
            #expect(object["type"] as? String == "connection_established")
            let data = try #require(object["data"] as? [String: Any])
            #expect(data["user_id"] as? String == ann.id.uuidString)
            #expect(data["message"] is String)
            #expect(data["username"] as? String == "ann")
            #expect(data["server_time"] is String)
            #expect(data["heartbeat_interval"] is Int)
            await socket.close()
        }
    }

    @Test func badFramesGetPreciseErrorsAndTheConnectionStaysOpen() async throws {
        try await withServer { server in
            let ann = try await server.register("ann")
            let socket = try await TestSocket.connect(server, as: ann)
            func error() async throws -> (ErrorPayload, String?) {
                let envelope = try await socket.next("error")
                guard case .error(let payload) = envelope.event else { throw TestFailure("not an error") }
                return (payload, envelope.id)
            }
            socket.sendRaw("{oops")
            #expect(try await error().0.code == .badJSON)
            socket.sendBinary([1, 2, 3])
            #expect(try await error().0.code == .badFrame)
            socket.sendRaw(#"{"type":"teleport","id":"t1","data":{}}"#)
            let (unknown, unknownID) = try await error()
            #expect(unknown.code == .unknownType)
            #expect(unknown.requestType == "teleport")
            #expect(unknownID == "t1")
            socket.sendRaw(#"{"type":"send_message","id":"s1","data":{"room_id":"x","content":"hi"}}"#)
            let (invalid, invalidID) = try await error()
            #expect(invalid.code == .invalid)
            #expect(invalid.message.contains("room_id"))
            #expect(invalidID == "s1")
            try socket.send(.joinRoom(JoinRoom(roomID: 999)), id: "j")
            let (missing, _) = try await error()
            #expect(missing.code == .notFound)
            #expect(missing.requestType == "join_room")
            // Still serving:
            #expect(try await socket.drain().isEmpty)
            await socket.close()
        }
    }

    @Test func oversizeFramesCloseWith1009() async throws {
        try await withServer { server in
            let ann = try await server.register("ann")
            let socket = try await TestSocket.connect(server, as: ann)
            socket.sendRaw(#"{"type":"ping","data":{"pad":""# + String(repeating: "x", count: 70 * 1024) + #""}}"#)
            let close = try await socket.closeFrame()
            #expect(close?.closeCode == .messageTooLarge)
        }
    }

    /// A message split over continuation frames is served whole; one whose fragments add up to
    /// more than the frame limit is refused like an oversize frame.
    @Test func fragmentedMessagesAreReassembled() async throws {
        try await withServer { server in
            let ann = try await server.register("ann")
            let socket = try await TestSocket.connect(server, as: ann)
            socket.sendFragments([#"{"type":"ping","#, #""data":{"timestamp":"#, #"42}}"#])
            guard case .pong(let heartbeat) = try await socket.next("pong").event else { throw TestFailure("expected pong") }
            #expect(heartbeat.timestamp == .integer(42))
            let part = String(repeating: "x", count: 40 * 1024)
            socket.sendFragments([#"{"type":"ping","data":{"pad":""#, part, part + #""}}"#])
            #expect(try await socket.closeFrame()?.closeCode == .messageTooLarge)
        }
    }

    /// A raw client (Python: client libraries answer and send pings by themselves) sends a
    /// WebSocket ping and waits for the pong.
    static let pingingClient = #"""
        payload, mask = b"are you there", os.urandom(4)
        s.sendall(bytes([0x89, 0x80 | len(payload)]) + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload)))
        while True:
            opcode, data = read_frame()
            if opcode == 0xA:
                print("pong", data.decode(), flush=True)
                break
        """#

    @Test func clientPingsAreAnsweredWithTheirPayload() async throws {
        try await withServer { server in
            let ann = try await server.register("ann")
            let lines = try await RawWebSocketClient.run(Self.pingingClient, server: server, token: ann.token)
            #expect(lines == ["pong are you there"])
        }
    }

    /// A client that shuts its side without a close frame (a process that died mid-write) is
    /// disconnected, not kept half-open: the server ends the connection and the user goes offline.
    static let halfClosingClient = #"""
        s.settimeout(20)
        s.shutdown(socket.SHUT_WR)
        try:
            while True:
                read_frame()
        except socket.timeout:
            print("still open", flush=True)
        """#

    @Test func aHalfClosedConnectionIsEnded() async throws {
        try await withServer { server in
            let (ann, bob, _) = try await server.annAndBobInGeneral()
            let annSocket = try await TestSocket.connect(server, as: ann)
            let lines = try await RawWebSocketClient.run(Self.halfClosingClient, server: server, token: bob.token)
            #expect(lines == ["eof"])
            guard case .userStatusChange(let change) = try await annSocket.next("user_status_change").event, change.isOnline else {
                throw TestFailure("bob never came online")
            }
            guard case .userStatusChange(let gone) = try await annSocket.next("user_status_change").event else { throw TestFailure("no offline") }
            #expect(gone.userID == bob.id && !gone.isOnline)
            await annSocket.close()
        }
    }

    @Test func invalidUTF8ClosesWith1007() async throws {
        try await withServer { server in
            let ann = try await server.register("ann")
            let socket = try await TestSocket.connect(server, as: ann)
            socket.sendInvalidUTF8Text([0x7B, 0xFF, 0xFE, 0x7D])
            let close = try await socket.closeFrame()
            #expect(close?.closeCode == .dataInconsistentWithMessage)
        }
    }

    @Test func anExpiringTokenGetsTokenExpiredAnd4401() async throws {
        try await withServer(configure: { $0.tokenLifetime = .seconds(4) }) { server in
            let ann = try await server.register("ann")
            let socket = try await TestSocket.connect(server, as: ann)
            let error = try await socket.next("error")
            guard case .error(let payload) = error.event else { throw TestFailure("expected error") }
            #expect(payload.code == .tokenExpired)
            let close = try await socket.closeFrame()
            #expect(close?.closeCode == .unknown(4401))
        }
    }

    /// Each connection is told when its own token runs out, whatever order the connections
    /// opened in. The server keeps one expiry timer per event loop, planned for the earliest
    /// token: connections with later tokens open first here (more of them than the server has
    /// loops, so each loop gets one first), and the earlier tokens must still be told on time.
    @Test func eachConnectionIsToldWhenItsOwnTokenRunsOut() async throws {
        try await withServer(configure: { $0.tokenLifetime = .seconds(6) }) { server in
            let ann = try await server.register("ann")
            try await Task.sleep(for: .seconds(3))
            let login = try await server.anonymous.post("/api/auth/login", LoginRequest(username: "ann", password: "correct horse"))
            let later: AuthResponse = try server.anonymous.expect(login)
            var lasting: [TestSocket] = []
            for _ in 0..<6 { lasting.append(try await TestSocket.connect(server, token: later.accessToken)) }
            var expiring: [TestSocket] = []
            for _ in 0..<6 { expiring.append(try await TestSocket.connect(server, token: ann.token)) }
            for socket in expiring {
                guard case .error(let payload) = try await socket.next("error").event else { throw TestFailure("expected error") }
                #expect(payload.code == .tokenExpired)
                #expect(try await socket.closeFrame()?.closeCode == .unknown(4401))
            }
            // The later token has about three seconds left: its connections still serve.
            for (index, socket) in lasting.enumerated() {
                try socket.send(.ping(Heartbeat(timestamp: .integer(Int64(index)))), id: "alive-\(index)")
                #expect(try await socket.next("pong").id == "alive-\(index)")
            }
            for socket in lasting {
                guard case .error(let payload) = try await socket.next("error").event else { throw TestFailure("expected error") }
                #expect(payload.code == .tokenExpired)
                #expect(try await socket.closeFrame()?.closeCode == .unknown(4401))
            }
        }
    }

    @Test func disallowedOriginsAreRefusedWith403() async throws {
        try await withServer(configure: { $0.corsOrigins = ["https://chat.example"] }) { server in
            let ann = try await server.register("ann")
            let evil = try await ann.api.request(.GET, "/api/users/me", headers: [("Origin", "https://evil.example")])
            #expect(evil.status == 403)
            #expect(evil.error?.error.code == .forbidden)
            let fine = try await ann.api.request(.GET, "/api/users/me", headers: [("Origin", "https://chat.example")])
            #expect(fine.status == 200)
            let evilSocket = try await ann.api.request(.GET, "/ws/chat", headers: [("Origin", "https://evil.example")])
            #expect(evilSocket.status == 403)
            // swift-websocket sends the server's own origin: same-origin is always allowed.
            let sameOrigin = try await TestSocket.connect(server, token: ann.token)
            await sameOrigin.close()
        }
    }
}
