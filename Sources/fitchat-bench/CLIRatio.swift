import FitChatClient
import FitChatProtocol
import Foundation

/// `fitchat send` end to end against `curl` posting the same message, run alternately so both
/// see the same machine.
struct CLIRatio {
    var runs: Int

    func run(on server: ServerUnderTest) async throws {
        let world = try await BenchWorld.make(server: server.url, users: 1)
        let room = try await world.room(owner: 0, members: [])
        await world.api.shutdown()
        let fitchat = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
            .appendingPathComponent("fitchat").path
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("fitchat-bench-cli-\(UUID().uuidString)").path
        var environment = ProcessInfo.processInfo.environment
        environment["FITCHAT_HOME"] = home
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

    /// Wall time of one run, which must succeed.
    private static func time(_ executable: String, _ arguments: [String], _ environment: [String: String]) throws -> Double {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = environment
        process.standardOutput = FileHandle.nullDevice
        let started = now()
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw BenchError("\(executable) \(arguments.first ?? "") exited \(process.terminationStatus)") }
        return Double(now() - started) / 1e9
    }

    private static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        return sorted.isEmpty ? 0 : sorted[sorted.count / 2]
    }
}
