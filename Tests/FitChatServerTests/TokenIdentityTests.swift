import FitChatProtocol
import FitChatTestSupport
import Foundation
import Testing

/// A token must name a user of this server by UUID: a validly signed one from another database
/// (same secret), one with an integer `sub` (issued before ids were UUIDs) and one whose `exp`
/// is absurd are refused with 401 on REST and before any WebSocket upgrade.
@Suite struct TokenIdentityTests {
    static let secret = "a-secret-two-servers-share-0123456789"

    @Test func aTokenFromAnotherDatabaseIsRefusedEverywhere() async throws {
        try await withServer(configure: { $0.jwtSecret = Self.secret }) { first in
            try await withServer(configure: { $0.jwtSecret = Self.secret }) { second in
                let ann = try await first.register("ann")
                _ = try await second.register("bob")
                let stranger = APIClient(baseURL: second.baseURL, token: ann.token)
                let attempts: [(String, () async throws -> APIClient.Reply)] = [
                    ("GET /api/users/me", { try await stranger.get("/api/users/me") }),
                    ("POST /api/rooms", { try await stranger.post("/api/rooms", CreateRoomRequest(type: .direct, username: "bob")) }),
                    ("POST /api/blocks", { try await stranger.post("/api/blocks", UserReference(username: "bob")) }),
                    ("POST /api/friends/requests", { try await stranger.post("/api/friends/requests", UserReference(username: "bob")) }),
                ]
                for (name, attempt) in attempts {
                    let reply = try await attempt()
                    #expect(reply.status == 401, "\(name): \(reply.status)")
                    #expect(reply.error?.error.code == .unauthorized, "\(name)")
                }
                // The same token still works where its user exists.
                #expect(try await APIClient(baseURL: first.baseURL, token: ann.token).get("/api/users/me").status == 200)
                let upgrade = try await RawWebSocketClient.run("print(status, flush=True)\n", server: second, token: ann.token)
                #expect(upgrade.first?.contains(" 401 ") == true, "\(upgrade)")
                let accepted = try await RawWebSocketClient.run("print(status, flush=True)\n", server: first, token: ann.token)
                #expect(accepted.first?.contains(" 101 ") == true, "\(accepted)")
            }
        }
    }

    /// Tokens signed here by hand with the server's secret (HS256 in Python): only the one with
    /// a UUID `sub` of an existing user and a sane `exp` opens anything.
    static let signer = #"""
        import base64, hashlib, hmac, json, socket, os, sys, time, urllib.request, urllib.error
        port, secret, user_id = int(sys.argv[1]), sys.argv[2].encode(), sys.argv[3]
        def b64(data): return base64.urlsafe_b64encode(data).rstrip(b"=").decode()
        def token(claims):
            head = b64(json.dumps({"alg": "HS256", "typ": "JWT"}).encode()) + "." + b64(json.dumps(claims).encode())
            return head + "." + b64(hmac.new(secret, head.encode(), hashlib.sha256).digest())
        now = int(time.time())
        cases = {
            "valid": {"sub": user_id, "username": "ann", "iat": now, "exp": now + 600},
            "uppercase": {"sub": user_id.upper(), "username": "ann", "iat": now, "exp": now + 600},
            "integer-sub": {"sub": "1", "username": "ann", "iat": now, "exp": now + 600},
            "unknown-user": {"sub": "7d0c54a3-55a4-4b8e-9a41-0c6f3c1d2e9b", "username": "ann", "iat": now, "exp": now + 600},
            "absurd-exp": {"sub": user_id, "username": "ann", "iat": now, "exp": 1e18},
            "not-yet": {"sub": user_id, "username": "ann", "iat": now, "nbf": now + 600, "exp": now + 1200},
            "valid-since": {"sub": user_id, "username": "ann", "iat": now, "nbf": now - 5, "exp": now + 600},
        }
        for name, claims in cases.items():
            request = urllib.request.Request(f"http://127.0.0.1:{port}/api/users/me", headers={"Authorization": "Bearer " + token(claims)})
            try:
                with urllib.request.urlopen(request) as response: rest = response.status
            except urllib.error.HTTPError as error: rest = error.code
            s = socket.create_connection(("127.0.0.1", port))
            key = base64.b64encode(os.urandom(16)).decode()
            s.sendall((f"GET /ws/chat?token={token(claims)} HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                       f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n").encode())
            head = b""
            while b"\r\n" not in head:
                chunk = s.recv(1)
                if not chunk: break
                head += chunk
            s.close()
            print(name, rest, head.split(b" ")[1].decode() if b" " in head else "eof", flush=True)
        """#

    @Test func handSignedTokensNeedAUUIDOfAUserAndASaneExpiry() async throws {
        try await withServer(configure: { $0.jwtSecret = Self.secret }) { server in
            let ann = try await server.register("ann")
            let script = server.directory.appendingPathComponent("signer.py")
            try Self.signer.write(to: script, atomically: true, encoding: .utf8)
            let python = try ChildProcess(URL(fileURLWithPath: "/usr/bin/env"), ["python3", script.path, String(server.port), Self.secret, ann.id.uuidString])
            var lines: [String] = []
            for await line in python.lines { lines.append(line) }
            _ = await python.exitStatus()
            let errors = await python.stderr()
            #expect(lines == [
                "valid 200 101", "uppercase 200 101", "integer-sub 401 401", "unknown-user 401 401", "absurd-exp 401 401",
                "not-yet 401 401", "valid-since 200 101",
            ], "\(errors)")
            // The server lived through all of it.
            #expect(try await ann.api.get("/api/users/me").status == 200)
        }
    }
}
