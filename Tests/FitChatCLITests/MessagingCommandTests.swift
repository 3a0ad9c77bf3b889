import FitChatTestSupport
import Foundation
import Testing

@Suite struct MessagingCommandTests {
    @Test func sendFromArgumentsStdinAndLinesThenHistory() async throws {
        try await withAnnAndBob { cli in
            try await cli.ok(["rooms", "create", "general", "--member", "bob"], as: "ann")
            try await cli.ok(["send", "general", "hello", "world"], as: "ann")
            try await cli.ok(["send", "general"], as: "ann", input: "from stdin\nsecond line\n")
            try await cli.ok(["send", "general", "-"], as: "ann", input: "dash\n")
            let lines = try await cli.ok(["send", "general", "--lines", "--json"], as: "ann", input: "one\n\ntwo\n")
            #expect(try lines.objects().map { $0["content"] as? String } == ["one", "two"])

            let history = try await cli.ok(["history", "general", "--json"], as: "bob")
            let contents = try history.objects().map { $0["content"] as? String }
            #expect(contents == ["hello world", "from stdin\nsecond line", "dash", "one", "two"])
            #expect(try history.objects().map { $0["seq"] as? Int } == [1, 2, 3, 4, 5])
            let page = try await cli.ok(["history", "general", "--json", "--limit", "2", "--before", "3"], as: "bob")
            #expect(try page.objects().map { $0["seq"] as? Int } == [1, 2])

            let empty = try await cli.run(["send", "general"], as: "ann", input: "  \n")
            #expect(empty.status == 64)
        }
    }

    @Test func anIdempotencyKeyNeverPostsTwice() async throws {
        try await withAnnAndBob { cli in
            try await cli.ok(["rooms", "create", "ops"], as: "ann")
            let first = try await cli.ok(["send", "ops", "deploy done", "--idempotency-key", "job-42", "--json"], as: "ann")
            let retry = try await cli.ok(["send", "ops", "deploy done", "--idempotency-key", "job-42", "--json"], as: "ann")
            let originalID = try #require(try first.objects().first?["id"] as? String)
            #expect(try retry.objects().first?["id"] as? String == originalID)
            #expect(try await cli.ok(["history", "ops", "--json"], as: "ann").stdout.count == 1)
        }
    }

    @Test func tailPrintsWhatOthersSendAsWireEnvelopes() async throws {
        try await withAnnAndBob { cli in
            try await cli.ok(["rooms", "create", "general", "--member", "bob"], as: "ann")
            let tail = try cli.start(["tail", "general", "--json", "--count", "2", "--events", "new_message,room_joined"], as: "bob")
            var lines = tail.lines.makeAsyncIterator()
            // room_joined (asked for with --events) says the subscription is live: no sleep needed.
            let joined = try JSONSerialization.jsonObject(with: Data((await lines.next() ?? "").utf8)) as? [String: Any]
            #expect(joined?["type"] as? String == "room_joined")
            try await cli.ok(["send", "general", "first"], as: "ann")
            try await cli.ok(["send", "general", "second"], as: "ann")
            let message = try JSONSerialization.jsonObject(with: Data((await lines.next() ?? "").utf8)) as? [String: Any]
            #expect(message?["type"] as? String == "new_message")
            let data = message?["data"] as? [String: Any]
            #expect(data?["content"] as? String == "first")
            #expect(data?["sender_username"] as? String == "ann")
            #expect(await tail.exitStatus() == 0)
        }
    }

    @Test func tailSinceLastPicksUpExactlyWhatWasMissed() async throws {
        try await withAnnAndBob { cli in
            try await cli.ok(["rooms", "create", "general", "--member", "bob"], as: "ann")
            try await cli.ok(["send", "general", "before any tail"], as: "ann")
            let live = try cli.start(["tail", "general", "--json", "--count", "2", "--events", "room_joined,new_message"], as: "bob")
            var liveLines = live.lines.makeAsyncIterator()
            #expect(await liveLines.next()?.contains("room_joined") == true)
            try await cli.ok(["send", "general", "seen live"], as: "ann")
            #expect(await liveLines.next()?.contains("seen live") == true)
            #expect(await live.exitStatus() == 0)

            for index in 1...3 { try await cli.ok(["send", "general", "missed \(index)"], as: "ann") }
            let resumed = try await cli.ok(["tail", "--since-last", "--json", "--count", "3", "--timeout", "20"], as: "bob")
            let contents = try resumed.objects().map { ($0["data"] as? [String: Any])?["content"] as? String }
            #expect(contents == ["missed 1", "missed 2", "missed 3"])
            // Nothing is left to resume: the next --since-last times out with nothing printed.
            let again = try await cli.run(["tail", "--since-last", "--json", "--count", "1", "--timeout", "1"], as: "bob")
            #expect(again.status == 75)
            #expect(again.stdout.isEmpty)
        }
    }

    @Test func tailHistoryThenLiveAndRoomsByDirectName() async throws {
        try await withAnnAndBob { cli in
            try await cli.ok(["send", "@bob", "hi bob"], as: "ann")
            let rooms = try await cli.ok(["rooms", "--json"], as: "bob")
            #expect(try rooms.objects().first?["type"] as? String == "direct")
            #expect(try rooms.objects().first?["unread_count"] as? Int == 1)
            let unread = try await cli.ok(["unread"], as: "bob")
            #expect(unread.stdout == ["@ann\t1"])
            try await cli.ok(["read", "@ann"], as: "bob")
            #expect(try await cli.ok(["unread"], as: "bob").stdout.isEmpty)

            let tail = try await cli.ok(["tail", "@ann", "--history", "5", "--json", "--count", "1"], as: "bob")
            let first = try tail.objects().first?["data"] as? [String: Any]
            #expect(first?["content"] as? String == "hi bob")
        }
    }

    @Test func anAmbiguousRoomNameListsTheCandidates() async throws {
        try await withAnnAndBob { cli in
            let first = try #require(try await cli.ok(["rooms", "create", "team", "--json"], as: "ann").objects().first?["id"] as? String)
            let second = try #require(try await cli.ok(["rooms", "create", "team", "--json"], as: "ann").objects().first?["id"] as? String)
            let result = try await cli.run(["send", "team", "hello"], as: "ann")
            #expect(result.status == 1)
            #expect(result.stderr.contains("ambiguous") && result.stderr.contains("\(first.prefix(8))") && result.stderr.contains("\(second.prefix(8))"))
            try await cli.ok(["send", second, "by id"], as: "ann")
            try await cli.ok(["rooms", "rename", second, "team-b"], as: "ann")
            try await cli.ok(["send", "team", "now unique"], as: "ann")
            #expect(try await cli.ok(["history", first, "--json"], as: "ann").objects().first?["content"] as? String == "now unique")
        }
    }
}
