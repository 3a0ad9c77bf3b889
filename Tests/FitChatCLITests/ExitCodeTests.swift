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
            // Rate limited (a burst of 20 per user, 5 more a second): --lines waits it out and
            // sends all 40, in order ...
            let flood = try await cli.run(["send", "general", "--lines", "--json"], as: "ann", input: (1...40).map { "flood \($0)\n" }.joined())
            #expect(flood.status == 0, "\(flood.stderr)")
            #expect(flood.stdout.count == 40)
            let stored = try await cli.ok(["history", "general", "--json", "--limit", "200"], as: "ann").objects().compactMap { $0["content"] as? String }
            #expect(stored == (1...40).map { "flood \($0)" })
            // ... unless --timeout ends the wait first: 75, saying how many were sent.
            let hurried = try await cli.run(["send", "general", "--lines", "--timeout", "0.3"], as: "ann", input: (1...40).map { "more \($0)\n" }.joined())
            #expect(hurried.status == 75)
            #expect(hurried.stderr.contains("of 40 message(s)") && hurried.stderr.split(separator: "\n").count == 1, "\(hurried.stderr)")
            // A single send into an empty bucket waits its turn (default --timeout 10 s).
            let single = try await cli.run(["send", "general", "waits its turn"], as: "ann")
            #expect(single.status == 0, "\(single.stderr)")
            // An empty message is a usage error whether it comes from argv or stdin.
            #expect(try await cli.run(["send", "general", "  "], as: "ann").status == 64)
            #expect(try await cli.run(["send", "general"], as: "ann", input: "\n").status == 64)
            // A closed stdin (cron, systemd) is a usage error too, with one line, never a crash.
            let closed = try await ChildProcess.run(
                URL(fileURLWithPath: "/bin/sh"), ["-c", "exec \"$0\" send general <&-", ServerProcess.binary.path],
                environment: cli.environment(profile: "ann", extra: [:])
            )
            #expect(closed.status == 64)
            #expect(closed.stderr == "fitchat: stdin is closed: give the message as TEXT, or pipe it in\n", "\(closed.stderr)")
            // A stdout whose reader has gone (`| head -1`, SIGPIPE ignored) ends the command
            // quietly, with the status of a writer SIGPIPE ended.
            let headless = try ChildProcess(
                URL(fileURLWithPath: "/bin/sh"), ["-c", #"trap '' PIPE; exec "$0" "$@""#, ServerProcess.binary.path, "history", "general", "--json"],
                environment: cli.environment(profile: "ann", extra: [:]), outputReaderGone: true
            )
            let headlessStatus = await headless.exitStatus()
            let headlessErrors = await headless.stderr()
            #expect(headlessStatus == 128 + SIGPIPE, "\(headlessErrors)")
            #expect(headlessErrors == "")
        }
    }
}
