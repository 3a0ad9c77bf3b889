import Foundation

/// The built `fitchat serve` as a child process, for what only a real process shows: signals,
/// crashes, what it prints and logs.
package struct ServerProcess: Sendable {
    package let child: ChildProcess
    package let port: Int

    package static var binary: URL {
        if let path = ProcessInfo.processInfo.environment["FITCHAT_BIN"] { return URL(fileURLWithPath: path) }
        // Tests run from the build directory, beside the executable.
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        while !FileManager.default.fileExists(atPath: directory.appendingPathComponent("fitchat").path), directory.path != "/" {
            directory.deleteLastPathComponent()
        }
        return directory.appendingPathComponent("fitchat")
    }

    package static func start(database: String, arguments: [String] = [], environment: [String: String] = [:]) async throws -> ServerProcess {
        var env = ProcessInfo.processInfo.environment
        env.merge(environment) { $1 }
        let child = try ChildProcess(binary, ["serve", "--port", "0", "--database", database] + arguments, environment: env)
        // The first stdout line is "listening on http://127.0.0.1:PORT".
        var lines = child.lines.makeAsyncIterator()
        let text = await lines.next() ?? ""
        guard text.hasPrefix("listening on http"), let port = Int(text.split(separator: ":").last ?? "") else {
            child.signal(SIGKILL)
            throw TestFailure("unexpected first line from fitchat serve: \(text) \(await child.stderr())")
        }
        return ServerProcess(child: child, port: port)
    }

    /// Sends `signal` and waits for the process to end.
    package func kill(_ signal: Int32) async {
        child.signal(signal)
        _ = await child.exitStatus()
    }

    /// SIGTERM, then SIGKILL if it is still running after `grace`; true when it stopped on its own.
    @discardableResult
    package func stop(grace: Duration = .seconds(10)) async -> Bool {
        child.signal(SIGTERM)
        let child = self.child
        let watchdog = Task {
            try await Task.sleep(for: grace)
            child.signal(SIGKILL)
        }
        let status = await child.exitStatus()
        watchdog.cancel()
        return status == 0
    }

    /// The server's resident memory now, from /proc (Linux).
    package var residentKiB: Int? {
        let pid = child.pid
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") })
        else { return nil }
        return Int(line.split(separator: " ").dropFirst().first ?? "")
    }

    /// Everything the server wrote to stderr (call after it exited).
    package func stderr() async -> String {
        await child.stderr()
    }
}
