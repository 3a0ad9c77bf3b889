import Foundation

extension CLI {
    /// `tail --json` of one room, returned once it has joined, so nothing sent later is missed.
    /// It ends after `timeout` seconds: a test that follows for longer says so.
    package func follow(_ room: String, as profile: String, events: String = "new_message", timeout: Int = 30) async throws -> Follower {
        let process = try start(["tail", room, "--json", "--events", "room_joined," + events, "--timeout", String(timeout)], as: profile)
        var follower = Follower(process)
        let first = try await follower.next()
        guard first.type == "room_joined" else { throw TestFailure("tail began with \(first.type)") }
        return follower
    }
}

/// A running `tail --json`, read an event at a time.
package struct Follower {
    package let process: ChildProcess
    package var lines: AsyncStream<String>.Iterator
    /// The events read so far, so a tail that ends early says where it stopped.
    private var seen: [String] = []

    /// Reads `process`'s stdout (a `tail --json`) an event at a time.
    package init(_ process: ChildProcess) {
        self.process = process
        lines = process.lines.makeAsyncIterator()
    }

    package mutating func next() async throws -> (type: String, data: [String: Any]) {
        guard let line = await lines.next() else {
            throw TestFailure("tail ended after \(seen.count) events (the last: \(seen.suffix(3))): \(await process.stderr())")
        }
        guard let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
              let type = object["type"] as? String, let data = object["data"] as? [String: Any] else {
            throw TestFailure("not an event: \(line)")
        }
        seen.append(line)
        return (type, data)
    }

    /// The content of the next `new_message`.
    package mutating func nextMessage() async throws -> String? {
        let event = try await next()
        guard event.type == "new_message" else { throw TestFailure("expected a new_message, got \(event.type)") }
        return event.data["content"] as? String
    }

    package func stop() {
        process.signal(SIGTERM)
    }
}
