import FitChatTestSupport
import Foundation
import Testing

@Suite struct CompletionScriptTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The committed scripts are exactly what the binary generates from the command definitions.
    @Test(arguments: [("bash", "fitchat.bash"), ("zsh", "_fitchat"), ("fish", "fitchat.fish")])
    func committedCompletionsMatchTheBinary(shell: String, file: String) async throws {
        let generated = try await ChildProcess.run(ServerProcess.binary, ["--generate-completion-script", shell])
        #expect(generated.status == 0)
        let committed = try String(contentsOf: Self.repository.appendingPathComponent("completions/\(file)"), encoding: .utf8)
        #expect(generated.stdout.joined(separator: "\n") == committed.trimmingCharacters(in: .newlines),
                "regenerate with: .build/debug/fitchat --generate-completion-script \(shell) > completions/\(file)")
    }

    /// Room and user names complete from the profile's cache, filled by earlier commands.
    @Test func roomAndUserNamesCompleteDynamically() async throws {
        try await withAnnAndBob { cli in
            try await cli.ok(["rooms", "create", "general", "--member", "bob"], as: "ann")
            try await cli.ok(["rooms", "create", "garden"], as: "ann")
            try await cli.ok(["rooms", "dm", "bob"], as: "ann")
            try await cli.ok(["rooms"], as: "ann")
            // What the generated scripts run on TAB: `fitchat ---completion send -- positional@0 <words...>`.
            let rooms = try await cli.ok(["---completion", "send", "--", "positional@0", "2", "1", "fitchat", "send", "g"], as: "ann")
            #expect(rooms.stdout.sorted() == ["garden", "general"])
            let direct = try await cli.ok(["---completion", "send", "--", "positional@0", "2", "1", "fitchat", "send", "@"], as: "ann")
            #expect(direct.stdout == ["@bob"])
            let users = try await cli.ok(["---completion", "block", "--", "positional@0", "2", "1", "fitchat", "block", "b"], as: "ann")
            #expect(users.stdout == ["bob"])
        }
    }

    /// In bash, `fitchat send @b<TAB>` completes to `@bob`: readline splits words at '@' and
    /// would quote it as `\@bob`; the script puts the word back together (as bash runs it).
    @Test func bashCompletesAtUsernames() async throws {
        try await withAnnAndBob { cli in
            try await cli.ok(["rooms", "dm", "bob"], as: "ann")
            let script = Self.repository.appendingPathComponent("completions/fitchat.bash").path
            func complete(_ words: [String], current: String) async throws -> [String] {
                let quoted = words.map { "'\($0)'" }.joined(separator: " ")
                let line = words.joined(separator: " ").replacingOccurrences(of: " @ ", with: " @")
                let program = """
                    source '\(script)'
                    COMP_WORDS=(\(quoted)); COMP_CWORD=\(words.count - 1); COMP_LINE='\(line)'; COMP_POINT=${#COMP_LINE}
                    _fitchat_at_names fitchat '\(current)' '\(words[words.count - 2])'
                    printf '%s\\n' "${COMPREPLY[@]}"
                    """
                let result = try await ChildProcess.run(
                    URL(fileURLWithPath: "/bin/bash"), ["-c", program],
                    environment: cli.environment(profile: "ann", extra: ["PATH": ServerProcess.binary.deletingLastPathComponent().path + ":/usr/bin:/bin"])
                )
                return result.stdout.filter { !$0.isEmpty }
            }
            #expect(try await complete(["fitchat", "send", "@"], current: "@") == ["@bob"])
            #expect(try await complete(["fitchat", "send", "@", "b"], current: "@b") == ["@bob"])
        }
    }
}
