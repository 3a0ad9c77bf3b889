import FitChatTestSupport
import Foundation
import Testing

/// The command line as people meet it: global options anywhere, --version, readable errors.
@Suite struct CommandLineTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test func globalOptionsGoBeforeOrAfterTheCommand() async throws {
        try await withAnnAndBob { cli in
            let before = try await cli.ok(["--profile", "bob", "--json", "whoami"])
            #expect(try before.objects().first?["username"] as? String == "bob")
            let after = try await cli.ok(["whoami", "--profile=ann"])
            #expect(after.stdout.first?.hasPrefix("ann ") == true)
            // Before a command with `--`, they land before it, never among the bot's arguments.
            let bot = try await cli.run(["--profile", "nobody", "bot", "run", "--", "/bin/true", "--profile"])
            #expect(bot.status == 77, "\(bot.stderr)")
        }
    }

    @Test func versionUsageAndConnectionErrorsAreReadable() async throws {
        let version = try await ChildProcess.run(ServerProcess.binary, ["--version"])
        #expect(version.status == 0 && version.stdout.count == 1 && version.stdout.first?.first?.isNumber == true)

        let usage = try await ChildProcess.run(ServerProcess.binary, ["tail", "--count", "0"])
        #expect(usage.status == 64)
        #expect(usage.stderr == "fitchat: --count must be at least 1\nfitchat: 'fitchat tail --help' shows how to use it\n")

        let home = try TestServer.makeDirectory()
        let unreachable = try await ChildProcess.run(
            ServerProcess.binary, ["rooms", "--server", "http://127.0.0.1:1"], environment: ["FITCHAT_HOME": home.path, "FITCHAT_TOKEN": "t"]
        )
        #expect(unreachable.status == 69)
        #expect(unreachable.stderr == "fitchat: cannot reach http://127.0.0.1:1: connection refused\n")
    }

    /// The man page is shipped, generated from the same definitions as --help.
    @Test func theManPageCoversEveryCommand() throws {
        let page = try String(contentsOf: Self.repository.appendingPathComponent("man/fitchat.1"), encoding: .utf8)
        for command in ["serve", "register", "login", "logout", "rooms", "send", "tail", "history", "unread", "friends", "repl", "bot"] {
            #expect(page.contains(".It Em \(command)"), "\(command)")
        }
        #expect(page.contains("--timeout"), "regenerate with scripts/generate-docs")
    }
}
