import Foundation

/// The built `fitchat serve` as a child process, for what only a real process shows: signals,
/// crashes, what it prints and logs.
final class ServerProcess: @unchecked Sendable {
    // @unchecked: `process` and the pipes are set in init and only read afterwards;
    // `Process` itself is thread-safe for the calls made here (terminate, interrupt, wait).
    let process = Process()
    let port: Int
    private let stderrPipe = Pipe()

    static var binary: URL {
        if let path = ProcessInfo.processInfo.environment["FITCHAT_BIN"] { return URL(fileURLWithPath: path) }
        // Tests run from the build directory, beside the executable.
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        while !FileManager.default.fileExists(atPath: directory.appendingPathComponent("fitchat").path), directory.path != "/" {
            directory.deleteLastPathComponent()
        }
        return directory.appendingPathComponent("fitchat")
    }

    init(database: String, arguments: [String] = [], environment: [String: String] = [:]) throws {
        process.executableURL = Self.binary
        process.arguments = ["serve", "--port", "0", "--database", database] + arguments
        var env = ProcessInfo.processInfo.environment
        env.merge(environment) { $1 }
        process.environment = env
        let stdout = Pipe()
        process.standardOutput = stdout
        process.standardError = stderrPipe
        try process.run()
        // The first stdout line is "listening on http://127.0.0.1:PORT".
        var line = Data()
        while true {
            let byte = stdout.fileHandleForReading.readData(ofLength: 1)
            if byte.isEmpty || byte == Data("\n".utf8) { break }
            line.append(byte)
        }
        let text = String(decoding: line, as: UTF8.self)
        guard text.hasPrefix("listening on http"), let port = Int(text.split(separator: ":").last ?? "") else {
            process.terminate()
            throw TestFailure("unexpected first line from fitchat serve: \(text)")
        }
        self.port = port
    }

    func kill(_ signal: Int32) {
        Foundation.kill(process.processIdentifier, signal)
        process.waitUntilExit()
    }

    /// Everything the server wrote to stderr (call after it exited).
    var stderr: String {
        String(decoding: stderrPipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    }

}
