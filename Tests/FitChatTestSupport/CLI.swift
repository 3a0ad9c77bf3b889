import Foundation

/// The built `fitchat` binary run as a user would, against a real server, with its own
/// `FITCHAT_HOME` so every test starts logged out with empty caches, and a working directory
/// of its own, so a file a command saves under its own name never lands in the checkout.
package struct CLI: Sendable {
    package let home: URL
    /// The working directory every command runs in (the parent of `home`).
    package let directory: URL
    package let server: String
    package var caFile: String?

    package init(server: TestServer) throws {
        directory = try TestServer.makeDirectory()
        home = directory.appendingPathComponent("home")
        self.server = server.baseURL
    }

    package struct Result: Sendable {
        package let status: Int32
        package let stdout: [String]
        package let stderr: String

        /// Each stdout line parsed as a JSON object.
        package func objects() throws -> [[String: Any]] {
            try stdout.map { line in
                guard let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
                    throw TestFailure("not a JSON object: \(line)")
                }
                return object
            }
        }
    }

    package func environment(profile: String?, extra: [String: String]) -> [String: String] {
        var environment = ["FITCHAT_HOME": home.path, "FITCHAT_SERVER": server, "PATH": "/usr/bin:/bin", "HOME": home.path]
        if let profile { environment["FITCHAT_PROFILE"] = profile }
        if let caFile { environment["FITCHAT_CA_FILE"] = caFile }
        environment.merge(extra) { $1 }
        return environment
    }

    @discardableResult
    package func run(_ arguments: [String], as profile: String? = nil, input: String? = nil, environment extra: [String: String] = [:]) async throws -> Result {
        let result = try await ChildProcess.run(
            ServerProcess.binary, arguments, environment: environment(profile: profile, extra: extra), directory: directory, input: input
        )
        return Result(status: result.status, stdout: result.stdout, stderr: result.stderr)
    }

    /// Runs and requires exit 0, quoting stderr otherwise.
    @discardableResult
    package func ok(_ arguments: [String], as profile: String? = nil, input: String? = nil) async throws -> Result {
        let result = try await run(arguments, as: profile, input: input)
        guard result.status == 0 else { throw TestFailure("fitchat \(arguments.joined(separator: " ")) exited \(result.status): \(result.stderr)") }
        return result
    }

    /// A long-running command (tail) in the background.
    package func start(_ arguments: [String], as profile: String? = nil) throws -> ChildProcess {
        try ChildProcess(ServerProcess.binary, arguments, environment: environment(profile: profile, extra: [:]), directory: directory)
    }

    /// Registers `name` in a profile of the same name.
    package func register(_ name: String) async throws {
        try await ok(["register", name, "--password-stdin"], as: name, input: "password-of-\(name)\n")
    }
}

/// A server, a CLI pointed at it, and ann and bob registered, each in their own profile.
package func withAnnAndBob(_ body: (CLI) async throws -> Void) async throws {
    try await withServer { server in
        let cli = try CLI(server: server)
        try await cli.register("ann")
        try await cli.register("bob")
        try await body(cli)
    }
}
