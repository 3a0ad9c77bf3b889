import FitChatTestSupport
import Foundation

extension CLI {
    /// `fitchat repl` for `profile` on a terminal of its own (colour off, so the text is plain).
    func repl(_ arguments: [String] = [], as profile: String) throws -> TerminalProcess {
        let environment = environment(profile: profile, extra: ["TERM": "xterm", "NO_COLOR": "1"])
        return try TerminalProcess(ServerProcess.binary, ["repl"] + arguments, environment: environment)
    }
}
