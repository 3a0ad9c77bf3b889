import FitChatTestSupport
import Foundation
import Testing

/// A bot that lasts: where it left off survives the runner's restarts, and its state directory too.
@Suite struct BotResumeTests {
    /// Every message's content in the room, oldest first, as bob reads the history.
    func contents(_ cli: CLI) async throws -> [String] {
        try await cli.ok(["history", "general", "--json", "--limit", "200"], as: "bob").objects().compactMap { $0["content"] as? String }
    }

    /// SIGTERM, and the runner exits 0.
    func stop(_ runner: ChildProcess) async {
        runner.signal(SIGTERM)
        #expect(await runner.exitStatus() == 0)
    }

    @Test func whatCameWhileTheRunnerWasDownIsAnsweredOnceAfterItStarts() async throws {
        try await withServer { server in
            let cli = try CLI(server: server)
            var tail = try await cli.botRoom()
            let probe = try cli.writeProbe()
            var runner = try cli.runBot(["--", "python3", probe])
            _ = try await tail.awaitMessage("ready as bot")
            try await cli.ok(["send", "general", "ping one"], as: "bob")
            _ = try await tail.awaitMessage("pong: ping one")
            await stop(runner)

            try await cli.ok(["send", "general", "ping two"], as: "bob")
            runner = try cli.runBot(["--", "python3", probe])
            _ = try await tail.awaitMessage("pong: ping two")
            try await cli.ok(["send", "general", "ping three"], as: "bob")
            _ = try await tail.awaitMessage("pong: ping three")
            await stop(runner)
            tail.stop()

            let history = try await contents(cli)
            for ping in ["one", "two", "three"] {
                #expect(history.count { $0 == "pong: ping \(ping)" } == 1, "ping \(ping) answered once: \(history)")
            }
        }
    }

    /// Per event: a message counts as handled once its handler ended.
    @Test func perEventBotsResumeToo() async throws {
        try await withServer { server in
            let cli = try CLI(server: server)
            var tail = try await cli.botRoom(events: "new_message,user_status_change")
            let echo = shippedBots.appendingPathComponent("echo.sh").path
            var runner = try cli.runBot(["--per-event", "--", echo])
            // Online once its session connected, which is after it read where each room ends.
            while try await tail.next().data["is_online"] as? Bool != true {}
            try await cli.ok(["send", "general", "first"], as: "bob")
            _ = try await tail.awaitMessage("echo: first")
            await stop(runner)
            try await cli.ok(["send", "general", "second"], as: "bob")
            runner = try cli.runBot(["--per-event", "--", echo])
            _ = try await tail.awaitMessage("echo: second")
            await stop(runner)
            tail.stop()
            let history = try await contents(cli)
            #expect(history.count { $0 == "echo: first" } == 1 && history.count { $0 == "echo: second" } == 1, "\(history)")
        }
    }

    @Test func aLongAbsenceReplaysOnlyTheReplayLimitAndSaysWhatItSkipped() async throws {
        try await withServer { server in
            let cli = try CLI(server: server)
            var tail = try await cli.botRoom()
            let probe = try cli.writeProbe()
            var runner = try cli.runBot(["--", "python3", probe])
            _ = try await tail.awaitMessage("ready as bot")
            await stop(runner)

            for name in ["a", "b", "c"] { try await cli.ok(["send", "general", "ping \(name)"], as: "bob") }
            runner = try cli.runBot(["--replay-limit", "1", "--", "python3", probe])
            _ = try await tail.awaitMessage("pong: ping c")
            await stop(runner)
            tail.stop()

            let history = try await contents(cli)
            // The bot's own "ready as bot" of the second run is its own entry: not counted, never replayed.
            #expect(history.contains("dropped 2"), "\(history)")
            #expect(!history.contains("pong: ping a") && !history.contains("pong: ping b"), "\(history)")
        }
    }

    @Test func theStateDirectoryIsPrivateAndKeptAcrossRuns() async throws {
        try await withServer { server in
            let cli = try CLI(server: server)
            var tail = try await cli.botRoom()
            let probe = try cli.writeProbe()
            for run in 1...2 {
                let runner = try cli.runBot(["--", "python3", probe], environment: ["PROBE_STATE": "1"])
                _ = try await tail.awaitMessage("state 0o700 runs \(run)")
                await stop(runner)
            }
            tail.stop()
        }
    }
}
