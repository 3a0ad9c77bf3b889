import FitChatTestSupport
import Foundation
import Testing

@Suite struct PerEventAndOfflineTests {
    /// A handler in shell: "hang" never finishes, anything else is answered.
    static let handler = """
        #!/bin/sh
        read -r event
        content=$(printf '%s' "$event" | jq -r .data.content)
        [ "$content" = hang ] && exec sleep 30
        printf '%s' "$event" | jq -c '{type: "reply", data: {to: .data, content: ("seen: " + .data.content)}}'
        """

    /// Per-event mode: a handler past --handler-timeout is killed; events of one room keep
    /// their order behind it, while another room's events run alongside.
    @Test func handlersTimeOutAndRoomsKeepTheirOrder() async throws {
        try await withServer { server in
            let cli = try CLI(server: server)
            try await cli.register("bot")
            try await cli.register("bob")
            try await cli.ok(["rooms", "create", "general", "--member", "bot"], as: "bob")
            try await cli.ok(["rooms", "create", "other", "--member", "bot"], as: "bob")
            let script = try TestServer.makeDirectory().appendingPathComponent("handler.sh")
            try Self.handler.write(to: script, atomically: true, encoding: .utf8)
            chmod(script.path, 0o755)
            let tail = try cli.start(["tail", "general", "other", "--json", "--events", "room_joined,user_status_change,new_message", "--timeout", "30"], as: "bob")
            var follower = Follower(tail)
            for _ in 0..<2 { #expect(try await follower.next().type == "room_joined") }
            let runner = try cli.runBot(["--per-event", "--handler-timeout", "4", "--", script.path])
            while try await follower.next().data["is_online"] as? Bool != true {}
            // "quick" goes to the other room while "hang" holds general's lane for 4 s.
            try await cli.ok(["send", "general", "--lines"], as: "bob", input: "one\nhang\n")
            try await cli.ok(["send", "other", "quick"], as: "bob")
            try await cli.ok(["send", "general", "--lines"], as: "bob", input: "two\nthree\n")
            var replies: [String] = []
            do {
                while replies.count < 4 {
                    let event = try await follower.next()
                    if event.data["sender_username"] as? String == "bot", let content = event.data["content"] as? String { replies.append(content) }
                }
            } catch {
                runner.signal(SIGKILL)
                throw TestFailure("\(error); replies \(replies); the runner said: \(await runner.stderr())")
            }
            // general's replies keep their order; "quick" ran alongside general's hang, so it came
            // before "two" (whether before or after "one" is up to the scheduler).
            #expect(replies.filter { $0 != "seen: quick" } == ["seen: one", "seen: two", "seen: three"])
            #expect((replies.firstIndex(of: "seen: quick") ?? Int.max) < (replies.firstIndex(of: "seen: two") ?? Int.min), "\(replies)")
            runner.signal(SIGTERM)
            let status = await runner.exitStatus()
            let log = await runner.stderr()
            #expect(status == 0, "\(log)")
            #expect(log.contains("ran over 4.0 seconds: killed"))
            tail.signal(SIGTERM)
        }
    }

    /// `bot test` replays a recorded `tail --json` into a bot with no server and prints the
    /// frames it wrote; garbage from the bot makes it exit 1.
    @Test func botTestReplaysARecording() async throws {
        try await withServer { server in
            let cli = try CLI(server: server)
            try await cli.register("bob")
            try await cli.ok(["rooms", "create", "general"], as: "bob")
            try await cli.ok(["send", "general", "!help"], as: "bob")
            try await cli.ok(["send", "general", "!roll 2d1"], as: "bob")
            let recording = try await cli.ok(["tail", "general", "--json", "--history", "2", "--count", "2"], as: "bob").stdout
            let messages = try recording.map { line in
                let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
                return try #require(object["data"] as? [String: Any])
            }
            let ids = messages.compactMap { $0["id"] as? String }
            let room = try #require(messages.first?["room_id"] as? String)
            let input = recording.joined(separator: "\n") + "\n"

            let dice = try await cli.run(["bot", "test", "--", "python3", shippedBots.appendingPathComponent("dice.py").path], input: input)
            #expect(dice.status == 0, "\(dice.stderr)")
            let help = "commands: !roll NdM (e.g. !roll 2d6, up to 100 dice of up to 1000 sides), !help"
            #expect(dice.stdout == [
                #"{"data":{"content":"\#(help)","reply_to_id":"\#(ids[0])","room_id":"\#(room)"},"type":"send_message"}"#,
                #"{"data":{"content":"2d1: 1 + 1 = 2","reply_to_id":"\#(ids[1])","room_id":"\#(room)"},"type":"send_message"}"#,
            ])
            #expect(dice.stderr.contains("[dice] dice bot up as dice"))

            let echo = try await cli.run(["bot", "test", "--per-event", "--", shippedBots.appendingPathComponent("echo.sh").path], input: input)
            #expect(echo.status == 0, "\(echo.stderr)")
            #expect(echo.stdout.count == 2)
            #expect(echo.stdout.first == #"{"data":{"content":"echo: !help","reply_to_id":"\#(ids[0])","room_id":"\#(room)"},"type":"send_message"}"#)

            let garbage = try await cli.run(["bot", "test", "--", "sh", "-c", "cat > /dev/null; echo nope"], input: input)
            #expect(garbage.status == 1)
            #expect(garbage.stdout.isEmpty)
            #expect(garbage.stderr.contains("bad output on line 1: bad_json"))
        }
    }

    /// A hand-written recording may name rooms and messages as it likes ("r1"): a bot that
    /// copies the ids it was given passes, as written; one that makes an id up does not.
    /// `bot test` hands a streaming bot what the runner would: `--events` and `--command`
    /// applied; an event type the server never sends is a usage error.
    @Test func botTestFiltersAsTheRunnerDoes() async throws {
        try await withServer { server in
            let cli = try CLI(server: server)
            func message(_ id: String, _ content: String) -> String {
                #"{"type":"new_message","data":{"id":"\#(id)","room_id":"r1","sender_id":"u1","sender_username":"bob","content":"\#(content)","created_at":"2026-12-01T10:00:00.000Z","seq":1}}"#
            }
            let recording = [
                message("m1", "!roll 2d6"), message("m2", "!rollback"), message("m3", "hello"),
                #"{"type":"typing_indicator","data":{"room_id":"r1","user_id":"u1","username":"bob","is_typing":true}}"#,
            ].joined(separator: "\n") + "\n"
            // Names every event it reads (but bot_started) in a message to room r1.
            let namer = #"jq -c --unbuffered 'select(.type != "bot_started") | {type: "send_message", data: {room_id: "r1", content: (.type + " " + (.data.content // ""))}}'"#
            let all = try await cli.run(["bot", "test", "--", "sh", "-c", namer], input: recording)
            #expect(all.status == 0, "\(all.stderr)")
            #expect(all.stdout.count == 4, "\(all.stdout)")
            let filtered = try await cli.run(["bot", "test", "--events", "new_message", "--command", "!roll", "--", "sh", "-c", namer], input: recording)
            #expect(filtered.status == 0, "\(filtered.stderr)")
            #expect(filtered.stdout == [#"{"data":{"content":"new_message !roll 2d6","room_id":"r1"},"type":"send_message"}"#])
            let unknown = try await cli.run(["bot", "test", "--events", "new_mesage", "--", "true"], input: "")
            #expect(unknown.status == 64 && unknown.stderr.contains("--events: no event type new_mesage"), "\(unknown.stderr)")
        }
    }

    @Test func botTestTakesAHandWrittenRecordsIDsAsWritten() async throws {
        try await withServer { server in
            let cli = try CLI(server: server)
            let recording = #"{"type":"new_message","data":{"id":"m1","room_id":"r1","sender_id":"u1","sender_username":"bob","content":"hi","created_at":"2026-12-01T10:00:00.000Z","seq":1}}"# + "\n"
            let copier = try TestServer.makeDirectory().appendingPathComponent("copier.sh")
            try """
                #!/bin/sh
                jq -c '{type: "send_message", data: {room_id: .data.room_id, content: ("got " + .data.content), reply_to_id: .data.id}}'
                """.write(to: copier, atomically: true, encoding: .utf8)
            chmod(copier.path, 0o755)
            let copied = try await cli.run(["bot", "test", "--per-event", "--", copier.path], input: recording)
            #expect(copied.status == 0, "\(copied.stderr)")
            #expect(copied.stdout == [#"{"data":{"content":"got hi","reply_to_id":"m1","room_id":"r1"},"type":"send_message"}"#])

            let replier = try await cli.run(["bot", "test", "--per-event", "--", shippedBots.appendingPathComponent("echo.sh").path], input: recording)
            #expect(replier.status == 0, "\(replier.stderr)")
            #expect(replier.stdout == [#"{"data":{"content":"echo: hi","reply_to_id":"m1","room_id":"r1"},"type":"send_message"}"#])

            let inventor = try await cli.run(
                ["bot", "test", "--per-event", "--", "sh", "-c", #"cat >/dev/null; echo '{"type":"send_message","data":{"room_id":"r2","content":"x"}}'"#],
                input: recording
            )
            #expect(inventor.status == 1)
            #expect(inventor.stdout.isEmpty)
            #expect(inventor.stderr.contains("room_id must be a UUID string"), "\(inventor.stderr)")
        }
    }

    /// What a bot writes to stderr just before it exits is never lost, and a file that is there
    /// but cannot be run says so.
    @Test func aBotsLastWordsAreKeptAndAFileThatCannotRunSaysWhy() async throws {
        try await withServer { server in
            let cli = try CLI(server: server)
            try await cli.register("bot")
            let script = #"read -r started; for i in 1 2 3 4 5 6 7 8; do echo "last words $i" >&2; done; exit 3"#
            for _ in 0..<8 {
                let runner = try cli.runBot(["--restart", "never", "--name", "quiet", "--", "sh", "-c", script])
                let status = await runner.exitStatus()
                let errors = await runner.stderr()
                #expect(status == 3, "\(errors)")
                for line in 1...8 { #expect(errors.contains("[quiet] last words \(line)\n"), "\(errors)") }
            }
            let file = try TestServer.makeDirectory().appendingPathComponent("bot.sh")
            try "#!/bin/sh\n".write(to: file, atomically: true, encoding: .utf8)
            let refused = try await cli.run(["bot", "test", "--", file.path], input: "")
            #expect(refused.status == 78)
            #expect(refused.stderr.contains("is not executable (chmod +x"), "\(refused.stderr)")
        }
    }
}
