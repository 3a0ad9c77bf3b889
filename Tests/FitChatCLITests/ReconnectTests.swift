import FitChatTestSupport
import Foundation
import Testing

@Suite struct ReconnectTests {
    /// `tail` outlives a server restart: it reconnects on its own and re-joins with `since_seq`,
    /// so what was sent while it was away arrives, once, in order.
    @Test func tailSurvivesAServerRestartMissingNothing() async throws {
        try await withRestartableServer { server, cli in
            try await cli.register("ann")
            try await cli.register("bob")
            try await cli.ok(["rooms", "create", "general", "--member", "bob"], as: "ann")
            let tail = try cli.start(["tail", "general", "--json", "--count", "5", "--events", "room_joined,new_message"], as: "bob")
            var lines = tail.lines.makeAsyncIterator()
            #expect(await lines.next()?.contains("room_joined") == true)
            try await cli.ok(["send", "general", "before"], as: "ann")
            #expect(await lines.next()?.contains("\"before\"") == true)

            await server.stop()
            try await server.startAgain()
            try await cli.ok(["send", "general", "while away 1"], as: "ann")
            try await cli.ok(["send", "general", "while away 2"], as: "ann")
            // Three more lines: the two messages and the second room_joined, in either order.
            var rest: [String] = []
            while let line = await lines.next() { rest.append(line) }
            #expect(rest.count == 3)
            let messages = rest.filter { $0.contains("new_message") }
            #expect(messages.count == 2)
            #expect(messages.first?.contains("while away 1") == true)
            #expect(messages.last?.contains("while away 2") == true)
            #expect(await tail.exitStatus() == 0)
            #expect(await tail.stderr().contains("reconnecting"))
        }
    }
}
