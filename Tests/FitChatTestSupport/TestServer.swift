import FitChatProtocol
import FitChatServer
import Foundation
import Logging
import Synchronization

/// A real server in this process: ephemeral port, its own temporary SQLite file.
package struct TestServer: Sendable {
    package let port: Int
    package let directory: URL
    package let scheme: String
    private let task: Task<Void, any Error>?

    package var baseURL: String { "\(scheme)://127.0.0.1:\(port)" }
    package var webSocketURL: String { "\(scheme == "https" ? "wss" : "ws")://127.0.0.1:\(port)/ws/chat" }
    package var databasePath: String { directory.appendingPathComponent("fitchat.sqlite").path }

    package static func makeDirectory() throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("fitchat-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory
    }

    package static func start(
        directory: URL? = nil, scheme: String = "http", configure: (inout ServerConfiguration) -> Void = { _ in }
    ) async throws -> TestServer {
        let directory = try directory ?? makeDirectory()
        var configuration = ServerConfiguration(database: .sqlite(path: directory.appendingPathComponent("fitchat.sqlite").path))
        configuration.port = 0
        configuration.bcryptCost = 4
        configure(&configuration)
        var logger = Logger(label: "fitchat-test")
        logger.logLevel = ProcessInfo.processInfo.environment["FITCHAT_TEST_LOG"] == nil ? .critical : .debug
        let server = ChatServer(configuration: configuration, logger: logger)
        let (ports, portContinuation) = AsyncStream.makeStream(of: Int.self)
        let task = Task {
            defer { portContinuation.finish() }
            try await server.run(handlesSignals: false) { port in portContinuation.yield(port) }
        }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next() else {
            _ = try await task.value
            throw TestFailure("the server stopped before listening")
        }
        return TestServer(port: port, directory: directory, scheme: scheme, task: task)
    }

    /// A server this test did not start (a child process): only its address.
    package static func attached(port: Int, directory: URL, scheme: String = "http") -> TestServer {
        TestServer(port: port, directory: directory, scheme: scheme, task: nil)
    }

    package func stop() async {
        task?.cancel()
        _ = try? await task?.value
    }
}

/// Runs `body` against a fresh server and always stops it, then removes its directory.
package func withServer<T>(
    configure: (inout ServerConfiguration) -> Void = { _ in }, _ body: (TestServer) async throws -> T
) async throws -> T {
    let server = try await TestServer.start(configure: configure)
    defer { try? FileManager.default.removeItem(at: server.directory) }
    do {
        let result = try await body(server)
        await server.stop()
        return result
    } catch {
        await server.stop()
        throw error
    }
}

package struct TestFailure: Error, CustomStringConvertible {
    package let description: String
    package init(_ description: String) { self.description = description }
}
