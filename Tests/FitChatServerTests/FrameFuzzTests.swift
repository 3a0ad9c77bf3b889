import FitChatTestSupport
import Foundation
import Testing

/// A seeded, bounded fuzzer over the WebSocket frames a client can send: tens of thousands of
/// mutated frames (broken JSON, wrong types, hostile numbers, deep nesting, unknown fields,
/// binary frames), each followed by a well-formed `ping` on the same connection. Every fuzzed
/// frame gets at most one answer, every ping its pong, and the server lives on.
@Suite struct FrameFuzzTests {
    static let fuzzer = #"""
        import json, random, sys
        seed, count = int(sys.argv[3]), int(sys.argv[4])
        rng = random.Random(seed)
        room = "0192f1c3-7b1e-4c3a-9f00-5d2e8a1b4c6d"
        seeds = [
            {"type": "join_room", "data": {"room_id": room, "since_seq": 0}},
            {"type": "leave_room", "data": {"room_id": room}},
            {"type": "send_message", "data": {"room_id": room, "content": "hi", "message_type": "text", "reply_to_id": room, "client_msg_id": "k"}},
            {"type": "typing_start", "data": {"room_id": room}},
            {"type": "typing_stop", "data": {"room_id": room}},
            {"type": "message_read", "data": {"room_id": room, "message_ids": [room]}},
            {"type": "ping", "data": {"timestamp": 1}},
            {"type": "edit_message", "data": {"message_id": room, "content": "x"}},
            {"type": "react", "data": {"message_id": room, "emoji": "+1", "on": True}},
        ]
        hostile = [None, True, 0, -1, 2**63, -2**63 - 1, 1e308, -0.0, "", "x" * 5000, "\u0000\u202e", [], {}, [[[]]], room.upper(), "r1", 7]

        def value():
            return rng.choice(hostile)

        def mutate_value(frame):
            data = frame.get("data")
            if isinstance(data, dict) and data:
                data[rng.choice(list(data))] = value()
            elif rng.random() < 0.5:
                frame["data"] = value()
            else:
                frame[rng.choice(["type", "id", "data", "extra"])] = value()
            return json.dumps(frame)

        def nested():
            opener, closer = rng.choice([("[", "]"), ('{"a":', "}")])
            # As deep as fits in a 64 KiB frame: 30,000 arrays, 10,000 objects.
            depth = rng.choice([10, 100, 1000, 10000, 30000 if opener == "[" else 10000])
            inner = opener * depth + "1" + closer * depth
            return '{"type":"ping","data":{"timestamp":%s}}' % inner if rng.random() < 0.5 else inner

        def mutate_text(text):
            chars = list(text)
            for _ in range(rng.randint(1, 4)):
                op = rng.random()
                position = rng.randrange(len(chars) + 1)
                if op < 0.4 and chars:
                    del chars[min(position, len(chars) - 1)]
                elif op < 0.8:
                    chars.insert(position, rng.choice('{}[]":,\\ 0123456789.-eE\x01\ttrue'))
                else:
                    chars[position:position] = list(json.dumps(value()))
            return "".join(chars)

        def frame():
            base = json.loads(json.dumps(rng.choice(seeds)))
            kind = rng.random()
            if kind < 0.35:
                return "text", mutate_value(base)
            if kind < 0.7:
                return "text", mutate_text(json.dumps(base))
            if kind < 0.8:
                return "text", nested()
            if kind < 0.9:
                return "text", rng.choice(["", " ", "null", "1", '"s"', "[]", "{}", '{"type":5}', '{"type":"ping","data":null}'])
            return "binary", bytes(rng.randrange(256) for _ in range(rng.randint(0, 64)))

        def send(opcode, payload):
            mask = os.urandom(4)
            masked = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
            length = len(payload)
            if length < 126:
                header = bytes([0x80 | opcode, 0x80 | length])
            elif length < 65536:
                header = bytes([0x80 | opcode, 0x80 | 126]) + struct.pack(">H", length)
            else:
                header = bytes([0x80 | opcode, 0x80 | 127]) + struct.pack(">Q", length)
            s.sendall(header + mask + masked)

        assert read_frame()[0] == 0x1  # connection_established
        batch, worst, answered = 200, 0, 0
        for start in range(0, count, batch):
            size = min(batch, count - start)
            for n in range(start, start + size):
                kind, body = frame()
                if kind == "binary":
                    send(0x2, body)
                else:
                    send(0x1, body.encode("utf-8", "replace"))
                send(0x1, json.dumps({"type": "ping", "id": "probe-%d" % n, "data": {"timestamp": n}}).encode())
            expected = start
            others = 0
            while expected < start + size:
                opcode, payload = read_frame()
                if opcode == 0x8:
                    print("closed", struct.unpack(">H", payload[:2])[0], payload[2:].decode(errors="replace"), "after", expected, flush=True)
                    sys.exit(1)
                if opcode == 0x9:
                    send(0xA, payload)  # a run longer than the ping interval must still answer pings
                    continue
                if opcode != 0x1:
                    continue
                event = json.loads(payload)
                if event.get("id") == "probe-%d" % expected and event.get("type") == "pong":
                    worst = max(worst, others)
                    answered += others
                    others = 0
                    expected += 1
                elif isinstance(event.get("id"), str) and event["id"].startswith("probe-"):
                    print("out of order", event, "expected", expected, flush=True)
                    sys.exit(1)
                else:
                    others += 1
        print("fuzzed", count, "answered", answered, "most answers to one frame", worst, flush=True)
        """#

    @Test func thousandsOfMalformedFramesGetAtMostOneAnswerEach() async throws {
        try await withServer(configure: { $0.limits.sendBurst = 1_000_000; $0.limits.sendRefillPerSecond = 1_000_000 }) { server in
            let ann = try await server.register("ann")
            let script = server.directory.appendingPathComponent("fuzz.py")
            try (RawWebSocketClient.prelude + Self.fuzzer).write(to: script, atomically: true, encoding: .utf8)
            let seed = 20261201
            let python = try ChildProcess(URL(fileURLWithPath: "/usr/bin/env"), ["python3", script.path, String(server.port), ann.token, String(seed), "20000"])
            var lines: [String] = []
            for await line in python.lines { lines.append(line) }
            let status = await python.exitStatus()
            let errors = await python.stderr()
            #expect(status == 0, "seed \(seed): \(lines) \(errors)")
            let summary = try #require(lines.last, "\(errors)")
            #expect(summary.hasPrefix("fuzzed 20000 answered ") && summary.hasSuffix("most answers to one frame 1"), "\(summary)")
            // The server lives on: a new client is served.
            let socket = try await TestSocket.connect(server, as: ann)
            try socket.send(.ping(.init(timestamp: .integer(1))), id: "after")
            #expect(try await socket.next("pong").id == "after")
        }
    }
}
