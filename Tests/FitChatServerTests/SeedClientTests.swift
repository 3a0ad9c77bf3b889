import FitChatTestSupport
import Foundation
import Testing

/// The seed's own client, as its Flutter app speaks: every id decoded as a string, string ids
/// sent back, the token in the WebSocket URL. A raw Python client (no fitchat types) walks
/// every seed frame and every REST endpoint and checks that each id it is given is a
/// lowercase UUID string, and that ids it sends in any letter case are understood.
@Suite struct SeedClientTests {
    static let client = #"""
        import base64, json, os, re, socket, struct, sys, urllib.request, urllib.error
        port = int(sys.argv[1])
        base = f"http://127.0.0.1:{port}"
        UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
        failures = []

        def check(condition, what):
            if not condition:
                failures.append(what)
                print("FAIL " + what, flush=True)

        def ids_are_uuid_strings(value, where, key=None):
            """Every id the server sends: `id`, `*_id` and `*_ids` hold lowercase UUID strings."""
            if isinstance(value, dict):
                for k, v in value.items():
                    ids_are_uuid_strings(v, where, k)
            elif isinstance(value, list):
                for v in value:
                    ids_are_uuid_strings(v, where, key)
            elif key is not None and (key == "id" or key.endswith("_id") or key.endswith("_ids")) and value is not None:
                if key == "client_msg_id":
                    return
                check(isinstance(value, str) and UUID.match(value) is not None, f"{where}: {key} is {value!r}, not a UUID string")

        def rest(method, path, body=None, token=None, expect=None):
            data = None if body is None else json.dumps(body).encode()
            request = urllib.request.Request(base + path, data=data, method=method)
            if body is not None:
                request.add_header("Content-Type", "application/json")
            if token:
                request.add_header("Authorization", "Bearer " + token)
            try:
                with urllib.request.urlopen(request) as response:
                    status, text = response.status, response.read().decode()
            except urllib.error.HTTPError as error:
                status, text = error.code, error.read().decode()
            value = json.loads(text) if text else None
            ids_are_uuid_strings(value, f"{method} {path}")
            if expect is not None:
                check(status == expect, f"{method} {path}: status {status}, wanted {expect}: {text}")
            return status, value

        class WS:
            def __init__(self, token):
                self.s = socket.create_connection(("127.0.0.1", port), timeout=10)
                self.backlog = []
                key = base64.b64encode(os.urandom(16)).decode()
                self.s.sendall((f"GET /ws/chat?token={token} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\n"
                                f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n").encode())
                head = b""
                while b"\r\n\r\n" not in head:
                    head += self.exactly(1)
                self.status = head.split(b"\r\n")[0].decode()

            def exactly(self, n):
                data = b""
                while len(data) < n:
                    chunk = self.s.recv(n - len(data))
                    if not chunk:
                        raise EOFError("closed")
                    data += chunk
                return data

            def send(self, frame):
                payload = json.dumps(frame).encode()
                mask = os.urandom(4)
                header = bytes([0x81, 0x80 | 126]) + struct.pack(">H", len(payload)) if len(payload) >= 126 else bytes([0x81, 0x80 | len(payload)])
                self.s.sendall(header + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload)))

            def recv(self):
                while True:
                    first, second = self.exactly(2)
                    opcode, length = first & 0x0F, second & 0x7F
                    if length == 126:
                        length = struct.unpack(">H", self.exactly(2))[0]
                    elif length == 127:
                        length = struct.unpack(">Q", self.exactly(8))[0]
                    payload = self.exactly(length)
                    if opcode == 0x9:
                        mask = os.urandom(4)
                        self.s.sendall(bytes([0x8A, 0x80 | len(payload)]) + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload)))
                        continue
                    if opcode == 0x1:
                        event = json.loads(payload)
                        # The envelope's own "id" is the client's request id; the data's ids are the server's.
                        ids_are_uuid_strings(event.get("data"), "ws " + event.get("type", "?"))
                        return event

            def until(self, kind, **match):
                """The next event of that kind; events passed over are kept for later calls."""
                def fits(event):
                    return event["type"] == kind and all(event.get("data", {}).get(k) == v for k, v in match.items())
                for index, event in enumerate(self.backlog):
                    if fits(event):
                        return self.backlog.pop(index)
                while True:
                    event = self.recv()
                    if fits(event):
                        return event
                    self.backlog.append(event)

        # Accounts and users.
        _, ann = rest("POST", "/api/auth/register", {"username": "ann", "password": "password-ann"}, expect=201)
        _, bob = rest("POST", "/api/auth/register", {"username": "bob", "password": "password-bob"}, expect=201)
        _, cat = rest("POST", "/api/auth/register", {"username": "cat", "password": "password-cat"}, expect=201)
        _, login = rest("POST", "/api/auth/login", {"username": "ann", "password": "password-ann"}, expect=200)
        A, B, C = ann["access_token"], bob["access_token"], cat["access_token"]
        ann_id, bob_id, cat_id = ann["user"]["id"], bob["user"]["id"], cat["user"]["id"]
        check(login["user"]["id"] == ann_id, "login names the same user")
        _, me = rest("GET", "/api/users/me", token=A, expect=200)
        check(me["id"] == ann_id, "me")
        _, found = rest("GET", "/api/users/search?q=bo", token=A, expect=200)
        check([u["id"] for u in found] == [bob_id], "search finds bob")
        _, shown = rest("GET", f"/api/users/{bob_id.upper()}", token=A, expect=200)
        check(shown["id"] == bob_id, "a user by an uppercase id")
        rest("GET", "/api/users/not-a-uuid", token=A, expect=404)
        rest("GET", "/api/users/12", token=A, expect=404)

        # Friends.
        _, request = rest("POST", "/api/friends/requests", {"user_id": bob_id}, token=A, expect=201)
        _, requests = rest("GET", "/api/friends/requests", token=B, expect=200)
        check([r["id"] for r in requests["incoming"]] == [request["id"]], "bob sees ann's request")
        rest("POST", f"/api/friends/requests/{request['id'].upper()}/accept", token=B, expect=200)
        _, friends = rest("GET", "/api/friends", token=A, expect=200)
        check([f["id"] for f in friends] == [bob_id], "ann and bob are friends")
        _, other = rest("POST", "/api/friends/requests", {"user_id": cat_id}, token=A, expect=201)
        rest("POST", f"/api/friends/requests/{other['id']}/decline", token=C, expect=204)
        rest("POST", "/api/friends/requests", {"user_id": "r1"}, token=A, expect=400)
        rest("POST", "/api/friends/requests", {"user_id": 5}, token=A, expect=400)
        rest("POST", "/api/friends/requests", {"user_id": "00000000-0000-4000-8000-000000000000"}, token=A, expect=404)

        # Blocks.
        rest("POST", "/api/blocks", {"user_id": cat_id}, token=B, expect=201)
        _, blocks = rest("GET", "/api/blocks", token=B, expect=200)
        check([b["id"] for b in blocks] == [cat_id], "bob blocks cat")
        rest("DELETE", f"/api/blocks/{cat_id}", token=B, expect=204)

        # Rooms.
        _, direct = rest("POST", "/api/rooms", {"type": "direct", "user_id": bob_id.upper()}, token=A, expect=201)
        _, group = rest("POST", "/api/rooms", {"type": "group", "name": "general", "participant_ids": [bob_id]}, token=A, expect=201)
        room = group["id"]
        _, rooms = rest("GET", "/api/rooms", token=A, expect=200)
        check(sorted(r["id"] for r in rooms) == sorted([direct["id"], room]), "ann's rooms")
        _, detail = rest("GET", f"/api/rooms/{room}", token=A, expect=200)
        check(sorted(p["id"] for p in detail["participants"]) == sorted([ann_id, bob_id]) and detail["owner_id"] == ann_id, "participants")
        rest("PATCH", f"/api/rooms/{room}", {"name": "lobby"}, token=A, expect=200)
        rest("POST", f"/api/rooms/{room}/participants", {"user_ids": [cat_id]}, token=A, expect=200)
        rest("DELETE", f"/api/rooms/{room}/participants/{cat_id}", token=A, expect=204)
        rest("GET", f"/api/rooms/{room}", token=C, expect=403)
        rest("GET", "/api/rooms/r1", token=A, expect=404)
        rest("POST", "/api/rooms", {"type": "group", "name": "x", "participant_ids": [1]}, token=A, expect=400)

        # The live session: every seed frame, string ids in, string ids out.
        wa, wb = WS(A), WS(B)
        check(wa.status.endswith("101 Switching Protocols"), "upgrade: " + wa.status)
        hello = wa.until("connection_established")
        check(hello["data"]["user_id"] == ann_id, "connection_established names ann")
        wb.until("connection_established")
        wa.send({"type": "join_room", "data": {"room_id": room}})
        wa.until("room_joined", room_id=room)
        wb.send({"type": "join_room", "data": {"room_id": room.upper()}})
        wb.until("room_joined", room_id=room)
        wa.send({"type": "send_message", "data": {"room_id": room, "content": "hello bob", "message_type": "text"}})
        sent = wa.until("message_sent")
        first = sent["data"]["id"]
        got = wb.until("new_message")
        check(got["data"]["id"] == first and got["data"]["room_id"] == room and got["data"]["sender_id"] == ann_id, "new_message ids")
        wb.send({"type": "send_message", "data": {"room_id": room, "content": "hi ann", "reply_to_id": first.upper()}})
        reply = wb.until("message_sent")
        check(reply["data"]["reply_to_id"] == first, "reply_to_id comes back lowercase")
        wa.until("new_message")
        wa.until("message_delivered")
        wb.send({"type": "typing_start", "data": {"room_id": room}})
        typing = wa.until("typing_indicator")
        check(typing["data"]["user_id"] == bob_id and typing["data"]["is_typing"] is True, "typing_indicator")
        wb.send({"type": "typing_stop", "data": {"room_id": room}})
        wa.until("typing_indicator", is_typing=False)
        wb.send({"type": "message_read", "data": {"room_id": room, "message_ids": [first]}})
        receipt = wa.until("message_read_receipt")
        check(receipt["data"]["message_ids"] == [first] and receipt["data"]["user_id"] == bob_id, "message_read_receipt")
        wa.send({"type": "ping", "data": {"timestamp": 1732000000123}})
        check(wa.until("pong")["data"]["timestamp"] == 1732000000123, "pong")
        wa.send({"type": "join_room", "id": "q1", "data": {"room_id": "r1"}})
        bad = wa.until("error")
        check(bad["data"].get("code") == "invalid" and "room_id must be a UUID string" in bad["data"]["message"] and bad.get("id") == "q1", "a malformed id: " + json.dumps(bad))
        wa.send({"type": "send_message", "data": {"room_id": 7, "content": "x"}})
        check(wa.until("error")["data"].get("code") == "invalid", "an integer id is invalid")
        wa.send({"type": "leave_room", "data": {"room_id": room}})
        wa.until("room_left", room_id=room)
        wb.s.close()
        status = wa.until("user_status_change", is_online=False)
        check(status["data"]["user_id"] == bob_id, "user_status_change names bob")

        # History, read markers, search, then the room goes.
        _, history = rest("GET", f"/api/rooms/{room}/messages?limit=10", token=A, expect=200)
        check([m["id"] for m in history] == [first, reply["data"]["id"]], "history")
        _, posted = rest("POST", f"/api/rooms/{room}/messages", {"content": "over rest", "reply_to_id": first}, token=A, expect=201)
        check(posted["reply_to_id"] == first and posted["room_id"] == room, "REST send")
        rest("POST", f"/api/rooms/{room}/messages", {"content": "x", "reply_to_id": "nope"}, token=A, expect=400)
        _, read = rest("POST", f"/api/rooms/{room}/read", {"message_ids": [posted["id"]]}, token=B, expect=200)
        check(read["room_id"] == room, "read state")
        _, hits = rest("GET", f"/api/messages/search?q=rest&room_id={room}", token=A, expect=200)
        check([m["id"] for m in hits] == [posted["id"]], "search")
        rest("GET", "/api/messages/search?q=rest&room_id=r1", token=A, expect=400)
        _, byprefix = rest("GET", f"/api/messages/search?id_prefix={posted['id'][:8]}", token=A, expect=200)
        check(posted["id"] in [m["id"] for m in byprefix], "search by id prefix")
        rest("DELETE", f"/api/friends/{bob_id}", token=A, expect=204)
        rest("DELETE", f"/api/rooms/{room}", token=A, expect=204)
        rest("GET", f"/api/rooms/{room}", token=A, expect=404)
        print("done", len(failures), flush=True)
        """#

    @Test func theSeedsClientSpeaksStringIdsEverywhere() async throws {
        try await withServer { server in
            let script = server.directory.appendingPathComponent("seed-client.py")
            try Self.client.write(to: script, atomically: true, encoding: .utf8)
            let python = try ChildProcess(URL(fileURLWithPath: "/usr/bin/env"), ["python3", script.path, String(server.port)])
            var lines: [String] = []
            for await line in python.lines { lines.append(line) }
            let status = await python.exitStatus()
            let errors = await python.stderr()
            #expect(status == 0, "\(errors)")
            #expect(lines.last == "done 0", "\(lines.joined(separator: "\n"))\n\(errors)")
            #expect(!lines.contains { $0.hasPrefix("FAIL") })
        }
    }
}
