import FitChatTestSupport
import FitChatProtocol
import Foundation
import Testing

@Suite struct SlowConsumerTests {
    /// A client that completes the handshake, joins, then stops reading (a raw socket in Python,
    /// since a real client library always reads). The server must close it with 1013 rather
    /// than let its queue grow.
    static let stalledClient = #"""
        import base64, json, os, socket, struct, sys
        port, token, room = int(sys.argv[1]), sys.argv[2], sys.argv[3]
        s = socket.socket()
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        s.connect(("127.0.0.1", port))
        key = base64.b64encode(os.urandom(16)).decode()
        s.sendall((f"GET /ws/chat HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                   f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\nAuthorization: Bearer {token}\r\n\r\n").encode())
        head = b""
        while b"\r\n\r\n" not in head:
            head += s.recv(1)
        payload = json.dumps({"type": "join_room", "data": {"room_id": room}}).encode()
        mask = os.urandom(4)
        s.sendall(bytes([0x81, 0x80 | len(payload)]) + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload)))
        print("joined", flush=True)
        sys.stdin.readline()
        data = b""
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            data += chunk
        i = 0
        while i + 2 <= len(data):
            opcode, length = data[i] & 0x0F, data[i + 1] & 0x7F
            i += 2
            if length == 126:
                length = struct.unpack(">H", data[i:i + 2])[0]; i += 2
            elif length == 127:
                length = struct.unpack(">Q", data[i:i + 8])[0]; i += 8
            if opcode == 0x8:
                print("close", struct.unpack(">H", data[i:i + 2])[0], flush=True)
                break
            i += length
        """#

    @Test func aClientThatStopsReadingIsClosedWith1013() async throws {
        try await withServer(configure: {
            $0.limits.outboundQueueFrames = 20
            $0.limits.sendBurst = 10_000
            // The 600 posts below can take longer than the 15 s close deadline on a busy
            // machine, and past it the connection is dropped before the client reads its close
            // frame; that deadline has its own test (HostileClientTests).
            $0.limits.closeTimeout = .seconds(300)
            $0.limits.sendRefillPerSecond = 10_000
        }) { server in
            let (ann, bob, room) = try await server.annAndBobInGeneral()
            let script = server.directory.appendingPathComponent("stalled.py")
            try Self.stalledClient.write(to: script, atomically: true, encoding: .utf8)
            let python = try ChildProcess(
                URL(fileURLWithPath: "/usr/bin/env"), ["python3", script.path, String(server.port), bob.token, room.id.uuidString]
            )
            var lines = python.lines.makeAsyncIterator()
            #expect(await lines.next() == "joined")
            // ~4.8 MB of frames: far more than the 20-frame bound plus any socket buffer, so the
            // queue overflows even if the join is served a few messages late.
            let big = String(repeating: "é", count: 4000)
            for _ in 0..<600 {
                _ = try ann.api.expect(try await ann.api.post("/api/rooms/\(room.id)/messages", PostMessageRequest(content: big)), ChatMessage.self)
            }
            python.write("read\n")
            #expect(await lines.next() == "close 1013")
            _ = await python.exitStatus()
            // Nothing acknowledged is lost: it is all there to resume from.
            let history: [ChatMessage] = try bob.api.expect(try await bob.api.get("/api/rooms/\(room.id)/messages?limit=1"))
            #expect(history.first?.seq == 600)
        }
    }
}
