import FitChatTestSupport
import Foundation
import Testing

@Suite struct BotRunnerTests {
    /// Lines that are not frames come back to the bot as `bad_bot_output` with their line
    /// number, and the bot keeps working; the token is withheld from its environment.
    @Test func garbageGetsBadBotOutputAndTheBotGoesOn() async throws {
        try await withServer { server in
            let cli = try CLI(server: server)
            var tail = try await cli.botRoom()
            let runner = try cli.runBot(["--", "python3", try cli.writeProbe()], environment: ["PROBE_GARBAGE": "1"])
            _ = try await tail.awaitMessage("ready as bot")
            _ = try await tail.awaitMessage("bad output on line 2")
            _ = try await tail.awaitMessage("bad output on line 3")
            try await cli.ok(["send", "general", "ping after garbage"], as: "bob")
            _ = try await tail.awaitMessage("pong: ping after garbage")
            runner.signal(SIGTERM)
            #expect(await runner.exitStatus() == 0)
            let log = await runner.stderr()
            #expect(log.contains("fitchat: bot probe: bad output on line 2: bad_json: the frame is not valid JSON"))
            #expect(log.contains("[probe] started as bot with FITCHAT_TOKEN=False"))
            tail.stop()
        }
    }

    /// A crashing bot is restarted with growing delays; a bot that exits 78 is not.
    @Test func crashesAreRestartedWithBackoffButExit78IsFinal() async throws {
        try await withServer { server in
            let cli = try CLI(server: server)
            let tail = try await cli.botRoom()
            tail.stop()
            let probe = try cli.writeProbe()
            let starts = try TestServer.makeDirectory().appendingPathComponent("starts").path
            let crashing = try cli.runBot(["--", "python3", probe], environment: ["PROBE_EXIT": "1", "PROBE_LOG": starts])
            var times: [Double] = []
            for _ in 0..<300 where times.count < 3 {
                try await Task.sleep(for: .milliseconds(50))
                times = ((try? String(contentsOfFile: starts, encoding: .utf8)) ?? "").split(separator: "\n").compactMap { Double($0) }
            }
            crashing.signal(SIGTERM)
            #expect(await crashing.exitStatus() == 0)
            try #require(times.count >= 3, "three starts within 15 s")
            #expect(times[2] - times[1] > times[1] - times[0], "the delay grows: \(times)")
            let log = await crashing.stderr()
            #expect(log.contains("exited with code 1"))
            #expect(log.contains("restarting in 1.0 seconds"))
            #expect(log.contains("restarting in 2.0 seconds"))

            let configurationError = starts + "-78"
            let final = try cli.runBot(["--", "python3", probe], environment: ["PROBE_EXIT": "78", "PROBE_LOG": configurationError])
            #expect(await final.exitStatus() == 78)
            #expect(try String(contentsOfFile: configurationError, encoding: .utf8).split(separator: "\n").count == 1)
            #expect(!(await final.stderr()).contains("restarting"))
        }
    }

    /// SIGTERM to the runner: stdin closed, SIGTERM, and past the grace SIGKILL, to the bot
    /// and everything it started; the runner exits 0 and leaves no process behind.
    @Test func sigtermLeavesNoProcessBehind() async throws {
        try await withServer { server in
            let cli = try CLI(server: server)
            var tail = try await cli.botRoom()
            let pids = try TestServer.makeDirectory().appendingPathComponent("pids").path
            let runner = try cli.runBot(["--", "python3", try cli.writeProbe()], environment: ["PROBE_PIDS": pids, "PROBE_STUBBORN": "1"])
            _ = try await tail.awaitMessage("ready as bot")
            let started = try String(contentsOfFile: pids, encoding: .utf8).split(separator: " ").compactMap { Int32($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
            try #require(started.count == 2)
            for pid in started { #expect(kill(pid, 0) == 0, "\(pid) runs") }
            runner.signal(SIGTERM)
            #expect(await runner.exitStatus() == 0)
            for pid in started { #expect(Self.isGone(pid), "\(pid) is gone") }
            #expect(await runner.stderr().contains("SIGKILL"))
            tail.stop()
        }
    }

    /// With no --room the bot follows rooms its user joins while it runs: a group it is added
    /// to and a direct room opened with it are answered without a restart.
    @Test func aRunningBotAnswersInRoomsItJoinsLater() async throws {
        try await withServer { server in
            let cli = try CLI(server: server)
            var tail = try await cli.botRoom()
            let runner = try cli.runBot(["--", "python3", try cli.writeProbe()])
            _ = try await tail.awaitMessage("ready as bot")
            try await cli.ok(["rooms", "create", "extra", "--member", "bot"], as: "bob")
            var extra = try await cli.follow("extra", as: "bob")
            try await cli.ok(["send", "extra", "ping in extra"], as: "bob")
            _ = try await extra.awaitMessage("pong: ping in extra")
            var direct = try await cli.follow("@bot", as: "bob")
            try await cli.ok(["send", "@bot", "ping in private"], as: "bob")
            _ = try await direct.awaitMessage("pong: ping in private")
            runner.signal(SIGTERM)
            #expect(await runner.exitStatus() == 0)
            for follower in [tail, extra, direct] { follower.stop() }
        }
    }

    /// A bot that falls behind gets `events_dropped` once the queue bound is passed, with counts
    /// that account for every event it did not see.
    @Test func aSlowBotIsToldWhatWasDropped() async throws {
        try await withServer { server in
            let cli = try CLI(server: server)
            var tail = try await cli.botRoom()
            // The bot stays busy with "slow" until every filler and "done" reached the runner (the
            // test's own tail has seen "done"), however slow the machine.
            let release = try TestServer.makeDirectory().appendingPathComponent("release").path
            let runner = try cli.runBot(["--queue-size", "2", "--", "python3", try cli.writeProbe()], environment: ["PROBE_RELEASE": release])
            _ = try await tail.awaitMessage("ready as bot")
            try await cli.ok(["send", "general", "slow"], as: "bob")
            let padding = String(repeating: "x", count: 400)
            try await cli.ok(["send", "general", "--lines"], as: "bob", input: (1...15).map { "filler \($0) \(padding)\n" }.joined())
            try await cli.ok(["send", "general", "done"], as: "bob")
            _ = try await tail.awaitMessage("done")
            _ = FileManager.default.createFile(atPath: release, contents: nil)
            // The fillers may arrive in more than one burst, and each overflow is its own notice.
            var dropped: Int?
            var seen: Int?
            while seen == nil {
                let content = try await tail.next().data["content"] as? String ?? ""
                if let match = content.wholeMatch(of: /dropped (\d+)/) { dropped = (dropped ?? 0) + Int(match.1)! }
                if let match = content.wholeMatch(of: /saw (\d+) fillers/) { seen = Int(match.1) }
            }
            let count = try #require(dropped, "events_dropped came before the bot caught up")
            #expect(count >= 1)
            #expect(count + (seen ?? 0) == 15, "every filler was either seen or counted as dropped")
            runner.signal(SIGTERM)
            #expect(await runner.exitStatus() == 0)
            tail.stop()
        }
    }

    /// A bot that sends faster than the rate limit loses nothing: the runner holds and retries.
    @Test func rateLimitedSendsAreHeldAndRetried() async throws {
        // A small bucket, so that 30 quick sends surely run into it however slow the machine.
        try await withServer(configure: { $0.limits.sendBurst = 2; $0.limits.sendRefillPerSecond = 8 }) { server in
            let cli = try CLI(server: server)
            var tail = try await cli.botRoom()
            let runner = try cli.runBot(["--", "python3", try cli.writeProbe()])
            _ = try await tail.awaitMessage("ready as bot")
            try await cli.ok(["send", "general", "flood"], as: "bob")
            _ = try await tail.awaitMessage("flood")
            for index in 0..<30 { #expect(try await tail.nextMessage() == "flood \(index)") }
            runner.signal(SIGTERM)
            #expect(await runner.exitStatus() == 0)
            #expect(await runner.stderr().contains("rate limited: holding a message"))
            tail.stop()
        }
    }

    /// The server restarts under a running bot: the bot keeps running, hears
    /// `bot_reconnected`, and gets what was sent meanwhile, once.
    @Test func aServerRestartLosesNothingForTheBot() async throws {
        try await withRestartableServer { server, cli in
            var tail = try await cli.botRoom()
            let runner = try cli.runBot(["--", "python3", try cli.writeProbe()])
            _ = try await tail.awaitMessage("ready as bot")
            try await cli.ok(["send", "general", "ping 1"], as: "bob")
            _ = try await tail.awaitMessage("pong: ping 1")
            tail.stop()

            await server.stop()
            try await server.startAgain()
            try await cli.ok(["send", "general", "ping 2"], as: "bob")
            var history: [String] = []
            for _ in 0..<200 where !history.contains("pong: ping 2") || !history.contains("reconnected!") {
                try await Task.sleep(for: .milliseconds(50))
                history = try await cli.ok(["history", "general", "--json"], as: "bob").objects().compactMap { $0["content"] as? String }
            }
            #expect(history.filter { $0 == "pong: ping 2" }.count == 1)
            #expect(history.filter { $0 == "pong: ping 1" }.count == 1)
            #expect(history.contains("reconnected!"))
            #expect(history.filter { $0.hasPrefix("ready") }.count == 1, "the bot was not restarted")
            runner.signal(SIGTERM)
            #expect(await runner.exitStatus() == 0)
        }
    }

    /// Gone, or a zombie waiting for a reaper that is not ours (PID 1 in a container may not reap).
    static func isGone(_ pid: Int32) -> Bool {
        guard kill(pid, 0) == 0 else { return errno == ESRCH }
        let stat = (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)) ?? ""
        return stat.split(separator: ")").last?.trimmingCharacters(in: .whitespaces).hasPrefix("Z") ?? true
    }
}
