import FitChatTestSupport
import Foundation
import Testing

@Suite struct AccountCommandTests {
    @Test func registerLoginWhoamiLogout() async throws {
        try await withServer { server in
            let cli = try CLI(server: server)
            let registered = try await cli.ok(["register", "ann", "--password-stdin", "--json"], input: "correct horse\n")
            #expect(try registered.objects().first?["username"] as? String == "ann")
            let tokenFile = cli.home.appendingPathComponent("config/profiles/default.token")
            let attributes = try FileManager.default.attributesOfItem(atPath: tokenFile.path)
            #expect((attributes[.posixPermissions] as? Int) == 0o600)

            let who = try await cli.ok(["whoami", "--json"])
            #expect(try who.objects().first?["username"] as? String == "ann")
            let token = try await cli.ok(["token"]).stdout.first ?? ""
            #expect(token.split(separator: ".").count == 3)

            try await cli.ok(["logout"])
            #expect(!FileManager.default.fileExists(atPath: tokenFile.path))
            // The server revoked it: the old token opens nothing any more, not even the WebSocket.
            let revoked = try await cli.run(["whoami"], environment: ["FITCHAT_TOKEN": token])
            #expect(revoked.status == 77 && revoked.stderr.contains("revoked"), "\(revoked.stderr)")
            let tail = try await cli.run(["tail", "--timeout", "2"], environment: ["FITCHAT_TOKEN": token])
            #expect(tail.status == 77, "\(tail.stderr)")
            let after = try await cli.run(["whoami"])
            #expect(after.status == 77)
            #expect(after.stderr.hasPrefix("fitchat: ") && after.stderr.split(separator: "\n").count == 1)

            let wrong = try await cli.run(["login", "ann", "--password-stdin"], input: "wrong password\n")
            #expect(wrong.status == 77)
            try await cli.ok(["login", "ann", "--password-stdin"], input: "correct horse\n")
            #expect(try await cli.ok(["whoami"]).stdout.first?.hasPrefix("ann ") == true)
        }
    }

    @Test func noPasswordPromptWithoutATerminal() async throws {
        try await withServer { server in
            let cli = try CLI(server: server)
            let result = try await cli.run(["login", "ann"], input: "")
            #expect(result.status == 77)
            #expect(result.stderr.contains("--password-stdin"))
        }
    }

    @Test func fitchatTokenOverridesTheSavedOne() async throws {
        try await withAnnAndBob { cli in
            let bobToken = try await cli.ok(["token"], as: "bob").stdout.first ?? ""
            let who = try await cli.run(["whoami"], as: "ann", environment: ["FITCHAT_TOKEN": bobToken])
            #expect(who.stdout.first?.hasPrefix("bob ") == true)
            let forged = try await cli.run(["whoami"], as: "ann", environment: ["FITCHAT_TOKEN": "not.a.token"])
            #expect(forged.status == 77)
        }
    }
}
