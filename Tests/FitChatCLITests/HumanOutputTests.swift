import FitChatTestSupport
import Foundation
import Testing

/// Human output says what happened in words; scripts get stable JSON.
@Suite struct HumanOutputTests {
    @Test func tailSpeaksInWordsAndLeavesReceiptsOut() async throws {
        try await withAnnAndBob { cli in
            try await cli.ok(["rooms", "create", "general", "--member", "bob"], as: "ann")
            try await cli.ok(["send", "general", "from bob"], as: "bob")
            try await cli.ok(["send", "general", "before the tail"], as: "ann")
            // Its one line of history is printed once its starting point is fixed: whatever is
            // sent after that line appears reaches it, however slowly it connects.
            let tail = try cli.start(["tail", "general", "--history", "1", "--count", "4", "--timeout", "20"], as: "bob")
            var output = tail.lines.makeAsyncIterator()
            let history = await output.next()
            #expect(history?.hasSuffix("#general ann: before the tail") == true, "\(history ?? "nothing")")
            try await cli.ok(["send", "general"], as: "ann", input: "hi\nsecond line\n")
            try await cli.ok(["read", "general"], as: "ann")  // a receipt reaches bob: not printed
            try await cli.ok(["rooms", "rename", "general", "lobby"], as: "ann")
            try await cli.ok(["send", "lobby", "last"], as: "ann")
            var lines: [String] = []
            while let line = await output.next() { lines.append(line) }
            let status = await tail.exitStatus()
            let errors = await tail.stderr()
            #expect(status == 0, "\(errors)")
            #expect(lines.count >= 3, "\(lines)")
            #expect(lines.first?.hasSuffix("#general ann: hi") == true, "\(lines)")
            #expect(lines.dropFirst().first == "    second line", "continuation lines are indented: \(lines)")
            #expect(lines.dropFirst(2).first == "the room is now called #lobby", "\(lines)")
            #expect(!lines.contains { $0.contains("read") || $0.contains("room_updated") || $0.contains("renamed") }, "\(lines)")
        }
    }

    @Test func unknownEventTypesAreRefused() async throws {
        try await withAnnAndBob { cli in
            let result = try await cli.run(["tail", "--events", "new_message,bogus"], as: "ann")
            #expect(result.status == 64)
            #expect(result.stderr.hasPrefix("fitchat: --events: no event type bogus"), "\(result.stderr)")
        }
    }

    @Test func jsonKeysComeInOneOrderAndUnreadNamesMatch() async throws {
        try await withAnnAndBob { cli in
            try await cli.ok(["send", "@bob", "hello"], as: "ann")
            let unread = try await cli.ok(["unread", "--json"], as: "bob").objects()
            #expect(unread.first?["name"] as? String == "@ann" && unread.first?["type"] as? String == "direct")
            #expect(try await cli.ok(["unread"], as: "bob").stdout == ["@ann\t1"])
            var raw = try await cli.ok(["tail", "@ann", "--json", "--history", "1", "--count", "1"], as: "bob").stdout
            // And a frame as the server sent it, live.
            let tail = try cli.start(["tail", "@ann", "--json", "--count", "2", "--events", "room_joined,new_message"], as: "bob")
            var lines = tail.lines.makeAsyncIterator()
            _ = await lines.next()
            try await cli.ok(["send", "@bob", "hello"], as: "ann")
            raw.append(try #require(await lines.next()))
            for line in raw {
                let keys = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]).keys.sorted()
                #expect(line.hasPrefix(#"{"\#(keys[0])":"#), "\(line)")
                #expect(line.contains(#""content":"hello","created_at":"#), "the data's keys are sorted too: \(line)")
            }
        }
    }
}
