import FitChatTestSupport
import Foundation

extension CLI {
    /// `fitchat repl` for `profile` on a terminal of its own (colour off, so the text is plain).
    func repl(_ arguments: [String] = [], as profile: String) throws -> TerminalProcess {
        let environment = environment(profile: profile, extra: ["TERM": "xterm", "NO_COLOR": "1"])
        return try TerminalProcess(ServerProcess.binary, ["repl"] + arguments, environment: environment)
    }
}

extension TerminalProcess {
    /// Ctrl-D on an empty line, as a person leaves; returns the REPL's exit status.
    func quit() async throws -> Int32 {
        type("\u{4}")
        return try await exitStatus()
    }
}
