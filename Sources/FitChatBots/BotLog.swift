import FitChatClient
import Foundation

/// The runner's stderr: its own notes as `fitchat: bot NAME: ...`, and the bot's stderr lines
/// prefixed with its name. One write per line, so lines from several sources never interleave.
public struct BotLog: Sendable {
    public let name: String

    public init(name: String) {
        self.name = name
    }

    func note(_ text: String) {
        StandardStream.write("fitchat: bot \(name): \(text)\n", to: STDERR_FILENO)
    }

    func botLine(_ line: String) {
        StandardStream.write("[\(name)] \(line)\n", to: STDERR_FILENO)
    }
}
