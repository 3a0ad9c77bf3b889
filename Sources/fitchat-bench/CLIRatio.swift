import FitChatClient
import FitChatProtocol
import Foundation

/// `fitchat send` end to end against `curl` posting the same message, run alternately so both
/// see the same machine.
struct CLIRatio {
    var runs: Int

    func run(on server: ServerUnderTest) async throws {
        let world = try await BenchWorld.make(on: server, users: 1)
        let room = try await world.room(owner: 0, members: [])
        await world.shutdown()
        let fitchat = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
            .appendingPathComponent("fitchat").path
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("fitchat-bench-cli-\(UUID().uuidString)").path
        var environment = ProcessInfo.processInfo.environment
        environment["FITCHAT_HOME"] = home
        defer { try? FileManager.default.removeItem(atPath: home) }
        environment["FITCHAT_SERVER"] = server.url
        environment["FITCHAT_TOKEN"] = world.tokens[0]
        var cli: [Double] = []
        var curl: [Double] = []
        for index in 0..<runs {
            cli.append(try Self.time(fitchat, ["send", String(room), "cli \(index)"], environment))
            let body = #"{"content":"curl \#(index)"}"#
            curl.append(try Self.time("/usr/bin/curl", [
                "-sS", "-o", "/dev/null", "-f", "-X", "POST", "\(server.url)/api/rooms/\(room)/messages",
                "-H", "Authorization: Bearer \(world.tokens[0])", "-H", "Content-Type: application/json", "-d", body,
            ], environment))
        }
        let cliMedian = Self.median(cli), curlMedian = Self.median(curl)
        printTable("one-shot send: fitchat send vs curl, \(runs) runs each", [
            ("fitchat send median / mean", "\(format(cliMedian * 1000, 1)) / \(format(cli.reduce(0, +) / Double(runs) * 1000, 1)) ms"),
            ("curl median / mean", "\(format(curlMedian * 1000, 1)) / \(format(curl.reduce(0, +) / Double(runs) * 1000, 1)) ms"),
            ("ratio (medians)", "\(format(cliMedian / curlMedian))x"),
        ])
    }

    /// Wall time of one run, which must succeed. posix_spawn and waitpid, not Foundation's
    /// `Process`: its `waitUntilExit` polls a run loop and can add up to 50 ms to a run.
    private static func time(_ executable: String, _ arguments: [String], _ environment: [String: String]) throws -> Double {
        var actions: posix_spawn_file_actions_t = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0)=\($1)") } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        var pid: pid_t = 0
        let started = now()
        let spawned = posix_spawn(&pid, executable, &actions, nil, argv, envp)
        guard spawned == 0 else { throw BenchError("cannot start \(executable): \(String(cString: strerror(spawned)))") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let elapsed = Double(now() - started) / 1e9
        // Exited normally with status 0 (WIFEXITED and WEXITSTATUS, spelled out for Swift).
        guard status & 0x7f == 0, (status >> 8) & 0xff == 0 else {
            throw BenchError("\(executable) \(arguments.first ?? "") failed (wait status \(status))")
        }
        return elapsed
    }

    private static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        return sorted.isEmpty ? 0 : sorted[sorted.count / 2]
    }
}
