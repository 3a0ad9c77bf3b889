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
        Self.standardOutput(Data((text + "\n").utf8))
    }

    /// One JSON object on one line, in the wire format.
    func object(_ value: some Encodable) {
        let encoder = WireCoding.makeEncoder()
        guard let data = try? encoder.encode(value) else { return }
        Self.standardOutput(data + Data("\n".utf8))
    }

    /// `value` as JSON, or `human` as text.
    func emit(_ value: some Encodable, human: @autoclosure () -> String) {
        if json { object(value) } else { line(human()) }
    }

    static func error(_ message: String) {
        StandardStream.write("fitchat: \(message)\n", to: STDERR_FILENO)
    }

    /// Writes to stdout; once its reader has gone (`fitchat tail | head -1`), ends quietly with
    /// the status of a process SIGPIPE ended, as the shell expects of a pipeline's writer.
    static func standardOutput(_ data: Data) {
        guard StandardStream.write(data, to: STDOUT_FILENO) else { exit(128 + SIGPIPE) }
    }
}
