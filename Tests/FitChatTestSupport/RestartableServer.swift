import Foundation

/// A `fitchat serve` process on a database file of its own that a test can stop and start
/// again on the same port, to show that clients survive a restart.
package actor RestartableServer {
    package let directory: URL
    package let port: Int
    private let database: String
    private var process: ServerProcess?

    private init(directory: URL, database: String, process: ServerProcess) {
        self.directory = directory
        self.database = database
        self.process = process
        port = process.port
    }

    package static func start() async throws -> RestartableServer {
        let directory = try TestServer.makeDirectory()
        let database = directory.appendingPathComponent("fitchat.sqlite").path
        return RestartableServer(directory: directory, database: database, process: try await ServerProcess.start(database: database))
    }

    /// SIGTERM, and wait for the exit.
    package func stop() async {
        await process?.kill(SIGTERM)
        process = nil
    }

    /// The same database on the same port.
    package func startAgain() async throws {
        process = try await ServerProcess.start(database: database, arguments: ["--port", String(port)])
    }
}

/// Runs `body` with a restartable server and a CLI for it; the server is always stopped.
package func withRestartableServer(_ body: (RestartableServer, CLI) async throws -> Void) async throws {
    let server = try await RestartableServer.start()
    do {
        try await body(server, try CLI(server: TestServer.attached(port: server.port, directory: server.directory)))
    } catch {
        await server.stop()
        throw error
    }
    await server.stop()
}
