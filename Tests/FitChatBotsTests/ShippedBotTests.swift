import FitChatTestSupport
import Foundation
import Testing

@Suite struct ShippedBotTests {
    /// bots/echo.sh, per-event, answers a real user with a reply to their message.
    @Test func theEchoBotAnswers() async throws {
        try await withServer { server in
            let cli = try CLI(server: server)
            var tail = try await cli.botRoom(events: "user_status_change,new_message")
            let runner = try cli.runBot(["--per-event", "--", shippedBots.appendingPathComponent("echo.sh").path])
            while try await tail.next().data["is_online"] as? Bool != true {}
            try await cli.ok(["send", "general", "hello echo"], as: "bob")
            let original = try await tail.awaitMessage("hello echo")
            let echo = try await tail.awaitMessage("echo: hello echo")
            let originalID = try #require(original["id"] as? String)
            #expect(echo["reply_to_id"] as? String == originalID)
            #expect(echo["sender_username"] as? String == "bot")
            runner.signal(SIGTERM)
            let status = await runner.exitStatus()
            let log = await runner.stderr()
            #expect(status == 0, "\(log)")
            tail.stop()
        }
    }

    /// bots/dice.py, streaming, answers !roll and !help.
    @Test func theDiceBotRollsAndHelps() async throws {
        try await withServer { server in
            let cli = try CLI(server: server)
            var tail = try await cli.botRoom(events: "user_status_change,new_message")
            let runner = try cli.runBot(["--", "python3", shippedBots.appendingPathComponent("dice.py").path])
            while try await tail.next().data["is_online"] as? Bool != true {}
            try await cli.ok(["send", "general", "!roll 3d6"], as: "bob")
            _ = try await tail.awaitMessage("!roll 3d6")
            let roll = try #require(try await tail.next().data["content"] as? String)
            let match = try #require(roll.wholeMatch(of: /3d6: ([1-6]) \+ ([1-6]) \+ ([1-6]) = (\d+)/))
            #expect(Int(match.1)! + Int(match.2)! + Int(match.3)! == Int(match.4)!)
            try await cli.ok(["send", "general", "!help"], as: "bob")
            _ = try await tail.awaitMessage("!help")
            #expect(try await tail.next().data["content"] as? String == "commands: !roll NdM (e.g. !roll 2d6, up to 100 dice of up to 1000 sides), !help")
            runner.signal(SIGINT)
            #expect(await runner.exitStatus() == 0)
            let log = await runner.stderr()
            #expect(log.contains("[dice] dice bot up as bot"), "bot stderr is prefixed with its name: \(log)")
            tail.stop()
        }
    }

    /// bots/backup-notify.sh posts with `fitchat send`, as cron would run it.
    @Test func theCronNotifierPosts() async throws {
        try await withServer { server in
            let cli = try CLI(server: server)
            try await cli.register("ops")
            try await cli.ok(["rooms", "create", "alerts"], as: "ops")
            let script = shippedBots.appendingPathComponent("backup-notify.sh")
            let path = ServerProcess.binary.deletingLastPathComponent().path + ":/usr/bin:/bin"
            let done = try await ChildProcess.run(script, [], environment: cli.environment(profile: "ops", extra: ["PATH": path]))
            #expect(done.status == 0, "\(done.stderr)")
            let failed = try await ChildProcess.run(script, [], environment: cli.environment(profile: "ops", extra: ["PATH": path, "BACKUP_COMMAND": "exit 3"]))
            #expect(failed.status == 3)
            let history = try await cli.ok(["history", "alerts", "--json"], as: "ops").objects().compactMap { $0["content"] as? String }
            #expect(history.count == 2)
            #expect(history.first?.hasPrefix("backup done on ") == true)
            #expect(history.last?.hasPrefix("backup FAILED on ") == true && history.last?.hasSuffix("(exit 3)") == true)
        }
    }
}
