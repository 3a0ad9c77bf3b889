import FitChatTestSupport
import FitChatProtocol
import FitChatServer
import Foundation
import NIOWebSocket
import Testing

/// The real binary: crash durability, graceful shutdown, what reaches the logs.
@Suite(.serialized) struct ServerProcessTests {
    func server(_ process: ServerProcess, directory: URL) -> TestServer {
        TestServer.attached(port: process.port, directory: directory)
    }

    @Test func anAcknowledgedMessageSurvivesSIGKILL() async throws {
        let directory = try TestServer.makeDirectory()
        let database = directory.appendingPathComponent("fitchat.sqlite").path
        var process = try await ServerProcess.start(database: database)
        var server = server(process, directory: directory)
        let ann = try await server.register("ann")
        let room = try await server.group("log", owner: ann, members: [])
        let socket = try await TestSocket.connect(server, as: ann)
        try socket.send(.sendMessage(SendMessage(roomID: room.id, content: "acknowledged then crashed")))
        guard case .messageSent(let sent) = try await socket.next("message_sent").event else { throw TestFailure("no ack") }
        await process.kill(SIGKILL)

        process = try await ServerProcess.start(database: database)
        server = self.server(process, directory: directory)
        let login: AuthResponse = try server.anonymous.expect(try await server.anonymous.post("/api/auth/login", LoginRequest(username: "ann", password: "correct horse")))
        let api = APIClient(baseURL: server.baseURL, token: login.accessToken)
        let history: [ChatMessage] = try api.expect(try await api.get("/api/rooms/\(room.id)/messages"))
        #expect(history.map(\.id) == [sent.id])
        #expect(history.first?.content == "acknowledged then crashed")
        await process.kill(SIGTERM)
    }

    /// The database holds password hashes: it and its -wal and -shm files are 0600, also when
    /// an older version left it readable; a --database in a missing directory is refused.
    @Test func theDatabaseIsPrivateAndNotCreatedInMissingDirectories() async throws {
        let directory = try TestServer.makeDirectory()
        let database = directory.appendingPathComponent("fitchat.sqlite").path
        #expect(FileManager.default.createFile(atPath: database, contents: nil, attributes: [.posixPermissions: 0o644]))
        let process = try await ServerProcess.start(database: database)
        _ = try await server(process, directory: directory).register("ann")
        for file in [database, database + "-wal", database + "-shm"] {
            let mode = try FileManager.default.attributesOfItem(atPath: file)[.posixPermissions] as? Int
            #expect(mode == 0o600, "\(file): \(String(mode ?? 0, radix: 8))")
        }
        await process.kill(SIGTERM)
        let missing = directory.appendingPathComponent("no/such/dir/x.sqlite").path
        let refused = try await ChildProcess.run(ServerProcess.binary, ["serve", "--port", "0", "--database", missing])
        #expect(refused.status == 78)
        #expect(refused.stderr.hasPrefix("fitchat: the directory ") && refused.stderr.split(separator: "\n").count == 1, "\(refused.stderr)")
        #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("no").path))
    }

    /// `--max-upload` takes sizes as people write them, and the server holds uploads to it.
    @Test func maxUploadSetsTheLimitAndRefusesNonsense() async throws {
        let directory = try TestServer.makeDirectory()
        let process = try await ServerProcess.start(database: directory.appendingPathComponent("fitchat.sqlite").path, arguments: ["--max-upload", "2K"])
        let attached = server(process, directory: directory)
        let ann = try await attached.register("ann")
        let room = try await attached.group("files", owner: ann, members: [])
        let path = "/api/rooms/\(room.id)/attachments?filename=f"
        #expect(try await ann.api.request(.POST, path, bytes: Data(count: 2048)).status == 201)
        let refused = try await ann.api.request(.POST, path, bytes: Data(count: 2049))
        #expect(refused.status == 413 && refused.error?.error.message.contains("at most 2 KiB") == true, "\(String(decoding: refused.body, as: UTF8.self))")
        #expect(await process.stop())
        for bad in ["2X", "-1", "0", "lots"] {
            let result = try await ChildProcess.run(ServerProcess.binary, ["serve", "--port", "0", "--max-upload", bad])
            #expect(result.status == 64, "--max-upload \(bad): \(result.stderr)")
        }
    }

    /// `--metrics-listen` serves /metrics on its own address, and the main port no longer does.
    @Test func metricsListenMovesMetricsOffTheMainPort() async throws {
        let directory = try TestServer.makeDirectory()
        let metricsPort = try Self.freePort()
        let process = try await ServerProcess.start(
            database: directory.appendingPathComponent("fitchat.sqlite").path, arguments: ["--metrics-listen", "127.0.0.1:\(metricsPort)"]
        )
        let attached = server(process, directory: directory)
        _ = try await attached.register("ann")
        #expect(try await attached.anonymous.get("/metrics").status == 404)
        var scraped = try? await APIClient(baseURL: "http://127.0.0.1:\(metricsPort)").get("/metrics")
        for _ in 0..<50 where scraped == nil {
            try await Task.sleep(for: .milliseconds(50))
            scraped = try? await APIClient(baseURL: "http://127.0.0.1:\(metricsPort)").get("/metrics")
        }
        let text = String(decoding: try #require(scraped).body, as: UTF8.self)
        #expect(text.contains("# TYPE fitchat_connections_open gauge") && text.contains("fitchat_messages_stored_total 0"), "\(text)")
        #expect(await process.stop())
        for bad in ["9464", "localhost:", "localhost:70000", ":9464"] {
            let result = try await ChildProcess.run(ServerProcess.binary, ["serve", "--port", "0", "--metrics-listen", bad])
            #expect(result.status == 64, "--metrics-listen \(bad): \(result.stderr)")
        }
    }

    /// A port nobody listens on right now (the kernel's pick, released at once).
    static func freePort() throws -> Int {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw TestFailure("socket: \(errno)") }
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) == 0 && getsockname(descriptor, $0, &length) == 0 }
        }
        guard bound else { throw TestFailure("bind: \(errno)") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// A supervisor that stopped reading the server's stdout (and ignores SIGPIPE, as its child
    /// then does) stops nothing: the `listening on` line fails with EPIPE, the server serves on.
    @Test func aStdoutNobodyReadsLeavesTheServerServing() async throws {
        let directory = try TestServer.makeDirectory()
        let port = try Self.freePort()
        let child = try ChildProcess(
            URL(fileURLWithPath: "/bin/sh"),
            [
                "-c", #"trap '' PIPE; exec "$0" "$@""#, ServerProcess.binary.path,
                "serve", "--port", String(port), "--database", directory.appendingPathComponent("fitchat.sqlite").path,
            ],
            outputReaderGone: true
        )
        let server = TestServer.attached(port: port, directory: directory)
        let deadline = ContinuousClock.now + .seconds(20)
        var status = 0
        while status != 200, ContinuousClock.now < deadline {
            status = (try? await server.anonymous.get("/health"))?.status ?? 0
            if status != 200 { try await Task.sleep(for: .milliseconds(50)) }
        }
        #expect(status == 200, "\(child.stderrSoFar())")
        let ann = try await server.register("ann")
        let room = try await server.group("general", owner: ann, members: [])
        #expect(try await ann.api.post("/api/rooms/\(room.id)/messages", PostMessageRequest(content: "still serving")).status == 201)
        child.signal(SIGTERM)
        #expect(await child.exitStatus() == 0)
        #expect(!(await child.stderr()).contains("Fatal error"))
    }

    /// A port someone else holds: one line saying so, exit 78 (choose another port).
    @Test func aPortInUseIsOneLineAndExit78() async throws {
        let directory = try TestServer.makeDirectory()
        let holder = try await ServerProcess.start(database: directory.appendingPathComponent("first.sqlite").path)
        let second = try await ChildProcess.run(
            ServerProcess.binary, ["serve", "--port", String(holder.port), "--database", directory.appendingPathComponent("second.sqlite").path]
        )
        #expect(second.status == 78)
        #expect(second.stderr == "fitchat: port \(holder.port) on 127.0.0.1 is already in use (--port chooses another)\n", "\(second.stderr)")
        await holder.kill(SIGTERM)
    }

    @Test func sigtermClosesSocketsWithGoingAway() async throws {
        let directory = try TestServer.makeDirectory()
        let process = try await ServerProcess.start(database: directory.appendingPathComponent("fitchat.sqlite").path)
        let server = server(process, directory: directory)
        let ann = try await server.register("ann")
        let socket = try await TestSocket.connect(server, as: ann)
        process.child.signal(SIGTERM)
        let close = try await socket.closeFrame()
        #expect(close?.closeCode == .goingAway)
        #expect(await process.child.exitStatus() == 0)
    }

    @Test func theQueryStringTokenNeverReachesTheLogs() async throws {
        let directory = try TestServer.makeDirectory()
        let process = try await ServerProcess.start(database: directory.appendingPathComponent("fitchat.sqlite").path, arguments: ["--log-level", "trace"])
        let server = server(process, directory: directory)
        let ann = try await server.register("ann")
        let socket = try await TestSocket.connect(server, token: ann.token, viaQuery: true)
        try socket.send(.ping(Heartbeat(timestamp: .integer(1))))
        _ = try await socket.next("pong")
        _ = try await server.anonymous.get("/ws/chat?token=\(ann.token)")
        await process.kill(SIGTERM)
        let logs = await process.stderr()
        #expect(!logs.isEmpty)
        #expect(!logs.contains(ann.token))
        #expect(!logs.contains(String(ann.token.split(separator: ".").last ?? "")))
    }

    @Test func anUnusableDatabaseSettingExits78WithOneLine() async throws {
        let result = try await ChildProcess.run(
            ServerProcess.binary, ["serve", "--port", "0"],
            environment: ["DATABASE_URL": "postgres://nobody@127.0.0.1:1/none", "PATH": "/usr/bin:/bin"]
        )
        #expect(result.status == 78)
        #expect(result.stderr.hasPrefix("fitchat: "))
        #expect(result.stderr.split(separator: "\n").count == 1)
    }

    @Test func aGeneratedSecretIsKeptPrivateBesideTheDatabase() async throws {
        // The default data directory ($FITCHAT_HOME/data), the one the server creates when missing.
        let home = try TestServer.makeDirectory()
        let directory = home.appendingPathComponent("data")
        let database = directory.appendingPathComponent("fitchat.sqlite").path
        var process = try await ServerProcess.start(database: database, environment: ["FITCHAT_HOME": home.path])
        let ann = try await server(process, directory: directory).register("ann")
        await process.kill(SIGTERM)
        let secretPath = directory.appendingPathComponent("jwt-secret").path
        #expect((try FileManager.default.attributesOfItem(atPath: secretPath)[.posixPermissions] as? Int) == 0o600)
        // The directory the server created holds password hashes: private to the user.
        #expect((try FileManager.default.attributesOfItem(atPath: directory.path)[.posixPermissions] as? Int) == 0o700)
        // The same secret after a restart: old tokens stay valid.
        process = try await ServerProcess.start(database: database, environment: ["FITCHAT_HOME": home.path])
        let api = APIClient(baseURL: server(process, directory: directory).baseURL, token: ann.token)
        #expect(try await api.get("/api/users/me").status == 200)
        await process.kill(SIGTERM)
    }
}
