import FitChatTestSupport
import Foundation

/// Raw WebSocket clients in Python, for what client libraries will not do (leave pings
/// unanswered, send a ping of their own, half-close). `run` puts the body after a prelude that
/// connects to the server with the token, completes the handshake (its status line is in
/// `status`), and defines `exactly(n)` and `read_frame()` → (opcode, payload); EOF prints "eof"
/// and exits. Returns every line the client printed, once it has exited.
enum RawWebSocketClient {
    static func run(_ body: String, server: TestServer, token: String) async throws -> [String] {
        let script = server.directory.appendingPathComponent("raw-client-\(UUID().uuidString).py")
        try (prelude + body).write(to: script, atomically: true, encoding: .utf8)
        let python = try ChildProcess(URL(fileURLWithPath: "/usr/bin/env"), ["python3", script.path, String(server.port), token])
        var lines: [String] = []
        for await line in python.lines { lines.append(line) }
        _ = await python.exitStatus()
        return lines
    }

    static let prelude = #"""
        import base64, os, socket, struct, sys
        port, token = int(sys.argv[1]), sys.argv[2]
        s = socket.create_connection(("127.0.0.1", port))
        key = base64.b64encode(os.urandom(16)).decode()
        s.sendall((f"GET /ws/chat HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                   f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\nAuthorization: Bearer {token}\r\n\r\n").encode())
        def exactly(n):
            data = b""
            while len(data) < n:
                chunk = s.recv(n - len(data))
                if not chunk:
                    print("eof", flush=True); sys.exit(0)
                data += chunk
            return data
        def read_frame():
            first, second = exactly(2)
            opcode, length = first & 0x0F, second & 0x7F
            if length == 126:
                length = struct.unpack(">H", exactly(2))[0]
            elif length == 127:
                length = struct.unpack(">Q", exactly(8))[0]
            return opcode, exactly(length)
        head = b""
        while b"\r\n\r\n" not in head:
            head += exactly(1)
        status = head.split(b"\r\n")[0].decode()

        """#
}
