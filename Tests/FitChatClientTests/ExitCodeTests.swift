import FitChatTestSupport
import Foundation
import Testing

/// Every row of CLI.md's exit code table, each with one stderr line.
@Suite struct ExitCodeTests {
    @Test func everyExitCodeOfTheTable() async throws {
        try await withAnnAndBob { cli in
            let general = try #require(try await cli.ok(["rooms", "create", "general", "--json"], as: "ann").objects().first?["id"] as? String)
            let cases: [(arguments: [String], profile: String?, environment: [String: String], expected: Int32)] = [
                (["rooms"], "ann", [:], 0),
                (["send", UUID().uuidString.lowercased(), "hello"], "ann", [:], 77),  // the server does not say whether a room it hides exists
                (["rooms", "show", "nosuchroom"], "ann", [:], 1),
                (["rooms", "create"], "ann", [:], 64),
                (["send", "general", "x", "--reply-to", "abc"], "ann", [:], 64),
                (["frobnicate"], "ann", [:], 64),
                (["rooms"], "ann", ["FITCHAT_SERVER": "http://127.0.0.1:1"], 69),
                (["tail", "general", "--count", "1", "--timeout", "0.5"], "ann", [:], 75),
                (["rooms"], "nobody", [:], 77),
                (["send", general, "hi"], "bob", [:], 77),  // bob is not a member
                (["send", "general", "hi"], "bob", [:], 1),  // and has no room of that name
                (["rooms"], "ann", ["FITCHAT_SERVER": "ftp://example.com"], 78),
                (["rooms"], "../evil", [:], 78),
            ]
            for (arguments, profile, environment, expected) in cases where expected >= 0 {
                let result = try await cli.run(arguments, as: profile, environment: environment)
                #expect(result.status == expected, "fitchat \(arguments.joined(separator: " ")): \(result.stderr)")
                if expected != 0 && expected != 64 {
                    #expect(result.stderr.hasPrefix("fitchat: ") && result.stderr.split(separator: "\n").count == 1, "\(arguments)")
                }
            }
            // Rate limited (a burst of 20 per user): a 30-line send stops at the first refusal with 75,
            // after printing what was stored.
            let flood = try await cli.run(["send", "general", "--lines", "--json"], as: "ann", input: (1...30).map { "flood \($0)\n" }.joined())
            #expect(flood.status == 75)
            #expect(flood.stderr.contains("retry in"))
            let stored = try await cli.ok(["history", "general", "--json", "--limit", "200"], as: "ann").stdout.count
            #expect(flood.stdout.count == stored)
            #expect((1..<30).contains(stored))
        }
    }
}
