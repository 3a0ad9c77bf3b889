import FitChatClient
import FitChatProtocol
import Foundation

/// Where results go: JSON Lines or human text on stdout, written (and so flushed) a line at a
/// time; errors as one `fitchat: ...` line on stderr. Colour only on a TTY without `NO_COLOR`.
struct Output: Sendable {
    let json: Bool
    /// Human forms of messages, users and rooms, coloured when stdout is a terminal.
    let style: TextStyle

    init(json: Bool, environment: [String: String]) {
        self.json = json
        style = json ? TextStyle(colour: false) : .forTerminal(STDOUT_FILENO, environment: environment)
    }

    func line(_ text: String) {
        FileHandle.standardOutput.write(Data((text + "\n").utf8))
    }

    /// One JSON object on one line, in the wire format.
    func object(_ value: some Encodable) {
        let encoder = WireCoding.makeEncoder()
        guard let data = try? encoder.encode(value) else { return }
        FileHandle.standardOutput.write(data + Data("\n".utf8))
    }

    /// `value` as JSON, or `human` as text.
    func emit(_ value: some Encodable, human: @autoclosure () -> String) {
        if json { object(value) } else { line(human()) }
    }

    static func error(_ message: String) {
        FileHandle.standardError.write(Data("fitchat: \(message)\n".utf8))
    }
}
