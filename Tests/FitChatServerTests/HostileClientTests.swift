import FitChatProtocol
import FitChatTestSupport
import Foundation
import Testing

/// Clients that break the rules on purpose, over raw sockets (client libraries would not).
@Suite struct HostileClientTests {
    /// Sends one frame with the given first byte (FIN, RSV, opcode), masked or not; then prints
    /// the close code the server answers with, or "eof" if it only hung up.
    static func frameSender(firstByte: UInt8, masked: Bool) -> String {
        #"""
        payload = b'{"type":"ping","data":{}}'
        header = bytes([\#(firstByte), (0x80 if \#(masked ? "True" : "False") else 0) | len(payload)])
        if \#(masked ? "True" : "False"):
            mask = os.urandom(4)
            s.sendall(header + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload)))
        else:
            s.sendall(header + payload)
        while True:
            opcode, data = read_frame()
            if opcode == 0x8:
                print("close", struct.unpack(">H", data[:2])[0], data[2:].decode(), flush=True)
                break
        """#
    }

    @Test(arguments: [
        (UInt8(0x81), false, "client frames must be masked"),
        (UInt8(0xC1), true, "RSV bits are set"),
        (UInt8(0xA1), true, "RSV bits are set"),
        (UInt8(0x83), true, "reserved opcode"),
        (UInt8(0x8B), true, "reserved opcode"),
    ])
    func framesAgainstRFC6455FailTheConnectionWith1002(firstByte: UInt8, masked: Bool, reason: String) async throws {
        try await withServer { server in
            let ann = try await server.register("ann")
            let lines = try await RawWebSocketClient.run(Self.frameSender(firstByte: firstByte, masked: masked), server: server, token: ann.token)
            #expect(lines.first?.hasPrefix("close 1002 \(reason)") == true, "\(lines)")
            // A well-behaved client is served meanwhile.
            let socket = try await TestSocket.connect(server, as: ann)
            try socket.send(.ping(Heartbeat(timestamp: .integer(1))), id: "still")
            #expect(try await socket.next("pong").id == "still")
        }
    }

    /// Fragments out of order fail the connection with 1002: a continuation frame with no
    /// message to continue, and a new message begun before the last one ended. A ping between
    /// the fragments of a message is answered, and the message is served whole.
    @Test(arguments: [
        (#"s.sendall(frame(0x00, b'{"type":"ping","data":{}}'))"#, "close 1002 malformed fragments: a continuation frame"),
        (#"s.sendall(frame(0x01, b'{"type":') + frame(0x81, b'{}'))"#, "close 1002 malformed fragments: a new message began"),
        (#"s.sendall(frame(0x01, b'{"type":"ping",') + frame(0x89, b'hi') + frame(0x80, b'"id":"whole","data":{}}'))"#, "pong hi|text whole"),
    ])
    func fragmentsFollowTheirMessage(sending: String, expected: String) async throws {
        try await withServer { server in
            let ann = try await server.register("ann")
            let body = """
                import json
                def frame(first, payload):
                    mask = os.urandom(4)
                    return bytes([first, 0x80 | len(payload)]) + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
                \(sending)
                seen = []
                while len(seen) < 2:
                    opcode, data = read_frame()
                    if opcode == 0x8:
                        seen.append("close %d %s" % (struct.unpack(">H", data[:2])[0], data[2:].decode()))
                        break
                    if opcode == 0xA:
                        seen.append("pong " + data.decode())
                    if opcode == 0x1 and b'"pong"' in data:
                        seen.append("text " + json.loads(data)["id"])
                print("|".join(seen), flush=True)
                """
            let lines = try await RawWebSocketClient.run(body, server: server, token: ann.token)
            #expect(lines.first?.hasPrefix(expected) == true, "\(lines)")
        }
    }

    /// A control frame the decoder itself refuses (a ping longer than 125 bytes) is 1002 too.
    @Test func aMalformedControlFrameIs1002() async throws {
        try await withServer { server in
            let ann = try await server.register("ann")
            let body = #"""
                mask = os.urandom(4)
                s.sendall(bytes([0x89, 0x80 | 126]) + struct.pack(">H", 200) + mask + bytes(200))
                while True:
                    opcode, data = read_frame()
                    if opcode == 0x8:
                        print("close", struct.unpack(">H", data[:2])[0], flush=True)
                        break
                """#
            let lines = try await RawWebSocketClient.run(body, server: server, token: ann.token)
            #expect(lines.first == "close 1002", "\(lines)")
        }
    }

    /// A frame over 64 KiB, with more data behind it still unread by the server: the client still
    /// reads the 1009 close frame (the server reads and drops the rest instead of resetting the
    /// connection under it), then the end of the stream.
    @Test func anOversizeFrameGetsItsCloseFrameNotAReset() async throws {
        try await withServer { server in
            let ann = try await server.register("ann")
            let body = #"""
                mask = os.urandom(4)
                payload = bytes(70000)
                s.sendall(bytes([0x81, 0x80 | 127]) + struct.pack(">Q", len(payload)) + mask + payload)
                try:
                    s.sendall(bytes(200000))
                except OSError as error:
                    print("send failed", error, flush=True)
                try:
                    while True:
                        opcode, data = read_frame()
                        if opcode == 0x8:
                            print("close", struct.unpack(">H", data[:2])[0], flush=True)
                            break
                    while s.recv(65536):
                        pass
                    print("eof", flush=True)
                except ConnectionResetError:
                    print("reset", flush=True)
                """#
            let lines = try await RawWebSocketClient.run(body, server: server, token: ann.token)
            #expect(lines.contains("close 1009"), "\(lines)")
            #expect(!lines.contains("reset"), "\(lines)")
        }
    }

    /// A client that joins and stops reading, while a flood fills its socket: it cannot even take
    /// the 1013 close frame, and is dropped hard once the close timeout passes; its user goes
    /// offline with a last_seen.
    @Test func aClientThatStopsReadingIsDroppedWithinTheCloseTimeout() async throws {
        try await withServer(configure: {
            $0.limits.outboundQueueFrames = 20
            $0.limits.closeTimeout = .seconds(1)
            $0.limits.sendBurst = 1_000_000
            $0.limits.sendRefillPerSecond = 1_000_000
        }) { server in
            let (ann, bob, room) = try await server.annAndBobInGeneral()
            let body = #"""
                s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
                mask = os.urandom(4)
                payload = ('{"type":"join_room","data":{"room_id":"%s"}}' % sys.argv[3]).encode()
                s.sendall(bytes([0x81, 0x80 | len(payload)]) + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload)))
                print("joined", flush=True)
                sys.stdin.readline()
                """#
            let script = server.directory.appendingPathComponent("stall.py")
            try (RawWebSocketClient.prelude + body).write(to: script, atomically: true, encoding: .utf8)
            let python = try ChildProcess(
                URL(fileURLWithPath: "/usr/bin/env"), ["python3", script.path, String(server.port), bob.token, room.id.uuidString]
            )
            var lines = python.lines.makeAsyncIterator()
            #expect(await lines.next() == "joined")
            let big = String(repeating: "é", count: 3900)
            var offline: UserInfo?
            for index in 0..<1500 where offline == nil {
                _ = try ann.api.expect(try await ann.api.post("/api/rooms/\(room.id)/messages", PostMessageRequest(content: big)), ChatMessage.self)
                if index % 100 == 99 {
                    let user: UserInfo = try ann.api.expect(try await ann.api.get("/api/users/\(bob.id)"))
                    if user.isOnline == false { offline = user }
                }
            }
            // The flood is in; the stalled client's close timeout (1 s) is the only thing left to pass.
            for _ in 0..<400 where offline == nil {
                let user: UserInfo = try ann.api.expect(try await ann.api.get("/api/users/\(bob.id)"))
                if user.isOnline == false { offline = user } else { try await Task.sleep(for: .milliseconds(50)) }
            }
            #expect(offline?.isOnline == false, "bob's stalled connection is gone")
            #expect(offline?.lastSeen != nil)
            python.write("done\n")
            python.closeInput()
            _ = await python.exitStatus()
        }
    }

    /// Slowloris: sockets that send half a request line and stop are closed once the request
    /// head timeout passes, and a fresh client is served meanwhile; an idle keep-alive
    /// connection is closed after the idle timeout.
    /// The real binary, in a process of its own: its event loops are not shared with other tests.
    @Test func halfOpenRequestsAndIdleKeepAlivesAreClosed() async throws {
        let directory = try TestServer.makeDirectory()
        let process = try await ServerProcess.start(
            database: directory.appendingPathComponent("fitchat.sqlite").path, arguments: ["--request-timeout", "2", "--idle-timeout", "1"]
        )
        do {
            let server = TestServer.attached(port: process.port, directory: directory)
            let script = server.directory.appendingPathComponent("slowloris.py")
            try #"""
                import socket, sys, time, urllib.request
                port = int(sys.argv[1])
                slow = []
                for _ in range(200):
                    c = socket.create_connection(("127.0.0.1", port))
                    c.sendall(b"GET /health HT")
                    slow.append(c)
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=15) as response:
                    print("fresh client", response.status, flush=True)
                closed = 0
                for c in slow:
                    c.settimeout(15)
                    try:
                        if c.recv(1) == b"":
                            closed += 1
                    except (ConnectionResetError, socket.timeout):
                        pass
                print("closed", closed, flush=True)
                keep = socket.create_connection(("127.0.0.1", port))
                keep.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n")
                keep.settimeout(15)
                answer = b""
                while b'"ok"' not in answer:
                    answer += keep.recv(4096)
                rest = keep.recv(4096)
                print("keep-alive closed" if rest == b"" else "keep-alive got more", flush=True)
                """#.write(to: script, atomically: true, encoding: .utf8)
            let python = try ChildProcess(URL(fileURLWithPath: "/usr/bin/env"), ["python3", script.path, String(server.port)])
            var lines: [String] = []
            for await line in python.lines { lines.append(line) }
            let errors = await python.stderr()
            #expect(lines == ["fresh client 200", "closed 200", "keep-alive closed"], "\(lines) \(errors)")
        }
        await process.kill(SIGTERM)
    }

    /// 400 failed logins with 200 KB usernames (no account needed) cost the server under 5 MiB:
    /// the login throttle keeps a hash per username, not the name.
    @Test func failedLoginsWithHugeUsernamesDoNotGrowMemory() async throws {
        let directory = try TestServer.makeDirectory()
        let process = try await ServerProcess.start(database: directory.appendingPathComponent("fitchat.sqlite").path)
        let script = directory.appendingPathComponent("logins.py")
        try #"""
            import http.client, json, os, sys
            port, count = int(sys.argv[1]), int(sys.argv[2])
            connection = http.client.HTTPConnection("127.0.0.1", port)
            statuses = set()
            for _ in range(count):
                body = json.dumps({"username": os.urandom(8).hex() + "x" * 200000, "password": "whatever1"})
                connection.request("POST", "/api/auth/login", body, {"Content-Type": "application/json"})
                response = connection.getresponse()
                response.read()
                statuses.add(response.status)
            print(sorted(statuses), flush=True)
            """#.write(to: script, atomically: true, encoding: .utf8)
        func logins(_ count: Int) async throws -> [String] {
            let python = try ChildProcess(URL(fileURLWithPath: "/usr/bin/env"), ["python3", script.path, String(process.port), String(count)])
            var lines: [String] = []
            for await line in python.lines { lines.append(line) }
            return lines
        }
        #expect(try await logins(50) == ["[401]"])  // warms up buffers and allocator arenas
        let before = try #require(process.residentKiB)
        #expect(try await logins(400) == ["[401]"])
        let after = try #require(process.residentKiB)
        #expect(after - before < 5 * 1024, "RSS grew \(after - before) KiB (\(before) -> \(after))")
        await process.kill(SIGTERM)
    }
}
