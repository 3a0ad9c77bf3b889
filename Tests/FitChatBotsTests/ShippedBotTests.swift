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

    /// bots/bots.toml runs dice.py and standup.sh under `bot serve`, as its header says.
    @Test func theShippedBotsFileRunsBothBots() async throws {
        try await withServer { server in
            let cli = try CLI(server: server)
            for name in ["bob", "dicebot", "standup"] { try await cli.register(name) }
            try await cli.ok(["rooms", "create", "general", "--member", "dicebot", "--member", "standup"], as: "bob")
            var tail = try await cli.follow("general", as: "bob", events: "user_status_change,new_message")
            let supervisor = try ChildProcess(
                ServerProcess.binary, ["bot", "serve", shippedBots.appendingPathComponent("bots.toml").path],
                environment: cli.environment(profile: nil, extra: [:])
            )
            var online: Set<String> = []
            while online != ["dicebot", "standup"] {
                let event = try await tail.next()
                if event.data["is_online"] as? Bool == true, let name = event.data["username"] as? String { online.insert(name) }
            }
            try await cli.ok(["send", "general", "!standup"], as: "bob")
            _ = try await tail.awaitMessage("Stand-up time: what did you do, what will you do, what is in your way?")
            try await cli.ok(["send", "general", "!roll 1d1"], as: "bob")
            _ = try await tail.awaitMessage("1d1: 1 = 1")
            supervisor.signal(SIGTERM)
            #expect(await supervisor.exitStatus() == 0)
            tail.stop()
        }
    }

    /// bots/standup.sh posts its reminder into its first room when its schedule is due.
    @Test func theStandupBotPostsWhenItsTimerFires() async throws {
        let result = try await ChildProcess.run(
            ServerProcess.binary,
            ["bot", "test", "--per-event", "--command", "!standup", "--timer", "0 9 * * 1-5", "--", shippedBots.appendingPathComponent("standup.sh").path],
            environment: ["PATH": "/usr/bin:/bin"],
            input: #"{"type":"new_message","data":{"id":"m1","room_id":"r1","seq":1,"sender_id":"u2","sender_username":"ann","content":"hi","message_type":"text","created_at":"2026-11-25T10:00:00.000Z"}}"# + "\n"
        )
        #expect(result.status == 0, "\(result.stderr)")
        // "hi" is not !standup, so only the timer ran the handler: one reminder into room r1.
        #expect(result.stdout.count == 1, "\(result.stdout)")
        #expect(result.stdout.first?.contains(#""type":"send_message""#) == true && result.stdout.first?.contains(#""room_id":"r1""#) == true, "\(result.stdout)")
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
