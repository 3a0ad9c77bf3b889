import FitChatTestSupport
import Foundation
import Testing

/// `fitchat bot serve FILE`, driven through the built binary against a real server.
@Suite struct BotServeTests {
    /// Streaming: says who it is with its pid, answers `!roll` with its pid and SIDES, posts a
    /// tick into its first room on every timer event.
    static let dice = #"""
    import json, os, sys
    def send(room, text):
        print(json.dumps({"type": "send_message", "data": {"room_id": room, "content": text}}), flush=True)
    for line in sys.stdin:
        event = json.loads(line)
        kind, data = event["type"], event.get("data", {})
        if kind == "bot_started":
            send(data["rooms"][0]["id"], f"dice ready pid {os.getpid()}")
        elif kind == "new_message":
            print(json.dumps({"type": "reply", "data": {"to": data["id"], "content": f"rolled {data['content']} by {os.getpid()} sides {os.environ['SIDES']}"}}), flush=True)
        elif kind == "timer":
            send(data["rooms"][0]["id"], f"tick {data['schedule']} {data['due_at']}")
    """#

    /// Per event: answers a message with WORD; a timer event is one run too.
    static let greeter = #"""
    import json, os, sys
    event = json.loads(sys.stdin.readline())
    if event["type"] == "new_message":
        print(json.dumps({"type": "reply", "data": {"to": event["data"]["id"], "content": "greeter says " + os.environ["WORD"]}}), flush=True)
    elif event["type"] == "timer":
        room = event["data"]["rooms"][0]["id"]
        print(json.dumps({"type": "send_message", "data": {"room_id": room, "content": "greeter tick " + event["data"]["due_at"]}}), flush=True)
    """#

    static func file(word: String) -> String {
        """
        # two bots
        [[bot]]
        name = "dice"
        profile = "dice"
        command = ["python3", "dice.py"]
        commands = ["!roll"]
        schedule = "* * * * *"
        env = { SIDES = "6" }

        [[bot]]
        name = "greeter"
        profile = "greeter"
        command = ["python3", "greeter.py"]
        mode = "per-event"
        commands = ["!hi"]
        schedule = ["* * * * *"]
        env = { WORD = "\(word)" }

        """
    }

    struct Setup {
        let cli: CLI
        let directory: URL
        let file: URL
        var tail: Follower

        func write(_ text: String) throws {
            // Through a rename, as editors save: the supervisor never reads half a file.
            let temporary = directory.appendingPathComponent(".bots.toml.new")
            try text.write(to: temporary, atomically: false, encoding: .utf8)
            _ = rename(temporary.path, file.path)
        }

        func serve() throws -> ChildProcess {
            try ChildProcess(ServerProcess.binary, ["bot", "serve", file.path], environment: cli.environment(profile: nil, extra: ["PATH": "/usr/bin:/bin"]))
        }

        func history() async throws -> [String] {
            try await cli.ok(["history", "general", "--json", "--limit", "200"], as: "bob").objects().compactMap { $0["content"] as? String }
        }
    }

    func setUp(_ server: TestServer, word: String) async throws -> Setup {
        let cli = try CLI(server: server)
        for name in ["bob", "dice", "greeter"] { try await cli.register(name) }
        try await cli.ok(["rooms", "create", "general", "--member", "dice", "--member", "greeter"], as: "bob")
        let tail = try await cli.follow("general", as: "bob", timeout: 150)
        let directory = try TestServer.makeDirectory()
        try Self.dice.write(to: directory.appendingPathComponent("dice.py"), atomically: true, encoding: .utf8)
        try Self.greeter.write(to: directory.appendingPathComponent("greeter.py"), atomically: true, encoding: .utf8)
        let setup = Setup(cli: cli, directory: directory, file: directory.appendingPathComponent("bots.toml"), tail: tail)
        try setup.write(Self.file(word: word))
        return setup
    }

    /// Waits until the supervisor's stderr holds `text` (it logs each reload).
    func awaitLog(_ supervisor: ChildProcess, _ text: String) async throws -> String {
        for _ in 0..<100 {
            let log = supervisor.stderrSoFar()
            if log.contains(text) { return log }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw TestFailure("the supervisor never said \"\(text)\": \(supervisor.stderrSoFar())")
    }

    @Test func twoBotsFromOneFileWithAScheduleCommandFiltersAndReloads() async throws {
        try await withServer { server in
            var setup = try await setUp(server, word: "hello")
            let supervisor = try setup.serve()
            let ready = try await setup.tail.awaitMessage { $0.hasPrefix("dice ready pid ") }
            let pid = try #require(Int32(ready.dropFirst("dice ready pid ".count)))
            // The bot holds its stdin, stdout and stderr, and none of the runner's sockets or pipes.
            let descriptors = try FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/fd").sorted()
            #expect(descriptors == ["0", "1", "2"], "the bot's open descriptors")

            try await setup.cli.ok(["send", "general", "hello there"], as: "bob")
            try await setup.cli.ok(["send", "general", "!rollback"], as: "bob")
            try await setup.cli.ok(["send", "general", "!roll 2d6"], as: "bob")
            _ = try await setup.tail.awaitMessage("rolled !roll 2d6 by \(pid) sides 6")
            try await setup.cli.ok(["send", "general", "!hi"], as: "bob")
            _ = try await setup.tail.awaitMessage("greeter says hello")

            // A reload that changes the greeter only: dice keeps its process.
            try setup.write(Self.file(word: "bonjour"))
            _ = try await awaitLog(supervisor, "reloaded (the file changed): restarted greeter")
            try await setup.cli.ok(["send", "general", "!hi again"], as: "bob")
            _ = try await setup.tail.awaitMessage("greeter says bonjour")
            try await setup.cli.ok(["send", "general", "!roll 1d20"], as: "bob")
            _ = try await setup.tail.awaitMessage("rolled !roll 1d20 by \(pid) sides 6")

            // A file that does not parse is refused, naming line and key; both bots keep running.
            try setup.write(Self.file(word: "hola").replacingOccurrences(of: "mode = \"per-event\"", with: "mode = \"sometimes\""))
            let log = try await awaitLog(supervisor, "not reloaded")
            #expect(log.contains("bots.toml:14: key 'mode': must be \"streaming\" or \"per-event\", not \"sometimes\"; the running bots are kept"), "\(log)")
            try await setup.cli.ok(["send", "general", "!hi once more"], as: "bob")
            _ = try await setup.tail.awaitMessage("greeter says bonjour")
            try await setup.cli.ok(["send", "general", "!roll 3d4"], as: "bob")
            _ = try await setup.tail.awaitMessage("rolled !roll 3d4 by \(pid) sides 6")

            // The schedules fire every minute: wait for one firing of each, the streaming bot's
            // on its stdin, the per-event bot's as a run of its own.
            var ticks: Set<String> = []
            while ticks.count < 2 {
                let tick = try await setup.tail.awaitMessage { $0.hasPrefix("tick * * * * * ") || $0.hasPrefix("greeter tick ") }
                #expect(tick.hasSuffix(":00.000Z"), "due at a whole minute: \(tick)")
                ticks.insert(tick.hasPrefix("greeter") ? "greeter" : "dice")
            }

            supervisor.signal(SIGTERM)
            #expect(await supervisor.exitStatus() == 0)
            #expect(kill(pid, 0) != 0, "the bot was stopped with the supervisor")
            setup.tail.stop()

            let history = try await setup.history()
            #expect(history.count { $0.hasPrefix("dice ready") } == 1, "dice was started once: \(history)")
            #expect(!history.contains { $0.contains("rolled hello") || $0.contains("rolled !rollback") }, "only !roll commands: \(history)")
            #expect(history.count { $0.hasPrefix("greeter says") } == 3, "the greeter answered !hi only: \(history)")
        }
    }

    @Test func aFileThatIsInvalidAtStartExits78NamingLineAndKey() async throws {
        try await withServer { server in
            let cli = try CLI(server: server)
            let directory = try TestServer.makeDirectory()
            let file = directory.appendingPathComponent("bots.toml")
            let cases: [(text: String, says: String)] = [
                ("[[bot]]\nname = \"a\"\ncommand = [\"./a.sh\"]\nrestart = \"sometimes\"\n", "bots.toml:4: key 'restart': must be one of"),
                ("[[bot]]\nname = \"a\"\ncommand = [\"./a.sh\"]\nschedule = [\"0 25 * * *\"]\n", "bots.toml:4: key 'schedule': schedule \"0 25 * * *\": hour \"25\""),
                ("[[bot]]\nname = \"a\"\ncommand = [\"./a.sh\"]\n\n[[bot]]\nname = \"a\"\ncommand = [\"./b.sh\"]\n", "bots.toml:6: key 'name': \"a\" names two bots"),
                ("[[bot]]\nname = \"a\"\ncomand = [\"./a.sh\"]\n", "bots.toml:3: key 'comand': unknown key"),
                ("[[bot]]\nname = \"a\"\ncommand = [\"./a.sh\"\n", "bots.toml:3:"),
            ]
            for (text, says) in cases {
                try text.write(to: file, atomically: true, encoding: .utf8)
                let result = try await cli.run(["bot", "serve", file.path])
                #expect(result.status == 78, "\(text)")
                let lines = result.stderr.split(separator: "\n")
                #expect(lines.count == 1 && result.stderr.contains(says), "\(result.stderr)")
            }
        }
    }

    /// A bot can run from a token file; one that others may read is refused, and SIGHUP
    /// starts the bot again once the file is private.
    @Test func aTokenFileBotRunsOnceTheFileIsPrivate() async throws {
        try await withServer { server in
            var setup = try await setUp(server, word: "hello")
            let token = try #require(try await setup.cli.ok(["token"], as: "greeter").stdout.first)
            let tokenFile = setup.directory.appendingPathComponent("greeter.token")
            try (token + "\n").write(to: tokenFile, atomically: true, encoding: .utf8)
            _ = chmod(tokenFile.path, 0o644)
            try setup.write(Self.file(word: "hello").replacingOccurrences(of: "profile = \"greeter\"", with: "token_file = \"greeter.token\""))
            let supervisor = try setup.serve()
            let refused = try await awaitLog(supervisor, "bot greeter stopped")
            #expect(refused.contains("the token file \(tokenFile.path) may be read by others: chmod 600"), "\(refused)")
            _ = chmod(tokenFile.path, 0o600)
            supervisor.signal(SIGHUP)
            _ = try await awaitLog(supervisor, "reloaded (SIGHUP): started greeter")
            try await setup.cli.ok(["send", "general", "!hi"], as: "bob")
            _ = try await setup.tail.awaitMessage("greeter says hello")
            supervisor.signal(SIGINT)
            #expect(await supervisor.exitStatus() == 0)
            setup.tail.stop()
        }
    }

    /// A due time that passed while the runner was stopped is logged, not fired late.
    @Test func aDueTimeMissedWhileStoppedIsLoggedNotFired() async throws {
        try await withServer { server in
            let cli = try CLI(server: server)
            var tail = try await cli.botRoom()
            let directory = try TestServer.makeDirectory()
            try Self.dice.write(to: directory.appendingPathComponent("dice.py"), atomically: true, encoding: .utf8)
            let calendar = Calendar(identifier: .gregorian)
            let thisMinute = try #require(calendar.dateInterval(of: .minute, for: Date())?.start)
            let lastFired = thisMinute.addingTimeInterval(-600)
            let botDirectory = cli.home.appendingPathComponent("state/bot/bots/dice")
            try FileManager.default.createDirectory(at: botDirectory, withIntermediateDirectories: true)
            let formatter = ISO8601DateFormatter()
            try #"{"* * * * *":"\#(formatter.string(from: lastFired))"}"#.write(
                to: botDirectory.appendingPathComponent("timers.json"), atomically: true, encoding: .utf8
            )
            let started = Date()
            let runner = try cli.runBot(["--schedule", "* * * * *", "--", "python3", directory.appendingPathComponent("dice.py").path], environment: ["SIDES": "6"])
            _ = try await tail.awaitMessage { $0.hasPrefix("dice ready") }
            let firstMissed = formatter.string(from: lastFired.addingTimeInterval(60))
            let log = runner.stderrSoFar()
            #expect(log.contains("schedule \"* * * * *\": ") && log.contains("due times from \(firstMissed.replacingOccurrences(of: "Z", with: ".000Z"))"), "\(log)")
            #expect(log.contains("passed while the runner was stopped; not fired late"), "\(log)")
            try await cli.ok(["send", "general", "!roll 1d6"], as: "bob")
            _ = try await tail.awaitMessage { $0.hasPrefix("rolled !roll 1d6") }
            runner.signal(SIGTERM)
            #expect(await runner.exitStatus() == 0)
            tail.stop()
            let ticks = try await cli.ok(["history", "general", "--json"], as: "bob").objects().compactMap { $0["content"] as? String }.filter { $0.hasPrefix("tick") }
            for tick in ticks {
                let due = try #require(tick.split(separator: " ").last.flatMap { formatter.date(from: String($0).replacingOccurrences(of: ".000Z", with: "Z")) })
                #expect(due >= thisMinute && due.addingTimeInterval(60) > started, "only due times after the start fire: \(tick)")
            }
        }
    }
}

extension Follower {
    /// Skips events until a message whose content passes `matches`; returns the content.
    mutating func awaitMessage(_ matches: (String) -> Bool) async throws -> String {
        while true {
            let event = try await next()
            if event.type == "new_message", let content = event.data["content"] as? String, matches(content) { return content }
        }
    }
}
