import ArgumentParser
import FitChatClient
import FitChatProtocol
import Foundation

struct SendCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "send",
        abstract: "Send a message: one REST call, no live session.",
        discussion: "With no TEXT, or TEXT '-', the message is read from stdin."
    )

    @Argument(help: "Room name, id or @user.", completion: Completions.rooms) var room: String
    @Argument(help: "The message (words are joined with spaces).") var text: [String] = []
    @Flag(help: "Send one message per line of stdin (empty lines are skipped).") var lines = false
    @Option(help: ArgumentHelp("Reply to this message (its id, or a unique prefix of it).", valueName: "id")) var replyTo: String?
    @Option(help: ArgumentHelp("A retry with the same key never posts twice.", valueName: "key")) var idempotencyKey: String?
    @OptionGroup var global: GlobalOptions

    func validate() throws {
        if lines && !(text.isEmpty || text == ["-"]) { throw ValidationError("--lines reads stdin: give no TEXT") }
    }

    func run() async throws {
        try await runClient(global) { context throws(ClientError) in
            let messages = try contents()
            guard !messages.isEmpty else { throw .usage("nothing to send: the message is empty") }
            try await context.resolver.withRoom(room) { id throws(ClientError) in
                let replyTo: MessageID? = if let replyTo { try await context.resolver.message(replyTo, in: id) } else { nil }
                for (index, content) in messages.enumerated() {
                    let key = idempotencyKey.map { messages.count == 1 ? $0 : "\($0)-\(index + 1)" }
                    let request = PostMessageRequest(content: content, replyToID: replyTo, clientMessageID: key)
                    let message = try await context.api.postMessage(request, to: id)
                    if context.output.json { context.output.object(message) }
                }
            }
        }
    }

    private func contents() throws(ClientError) -> [String] {
        guard text.isEmpty || text == ["-"] else { return [text.joined(separator: " ")] }
        let input = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
        if lines {
            return input.split(separator: "\n", omittingEmptySubsequences: true).map(String.init).filter {
                !$0.trimmingCharacters(in: .whitespaces).isEmpty
            }
        }
        let message = input.hasSuffix("\n") ? String(input.dropLast()) : input
        return message.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? [] : [message]
    }
}
