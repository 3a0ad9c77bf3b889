import ArgumentParser
import FitChatClient
import FitChatProtocol

struct EditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "edit",
        abstract: "Change the text of a message you sent.",
        discussion: """
            MESSAGE is the id history prints, or any unique prefix of it. The room sees the edit \
            (message_edited) and history shows "(edited)".

            EXAMPLES:
              fitchat edit 3f9a1c2e "the deploy is at 15:00, not 14:00"
            """
    )

    @Argument(help: "The message's id, or a unique prefix of it.") var message: String
    @Argument(help: "The new text (words are joined with spaces).") var text: [String]
    @OptionGroup var global: GlobalOptions

    func run() async throws {
        try await runClient(global) { context throws(ClientError) in
            let content = text.joined(separator: " ")
            guard !content.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { throw .usage("nothing to change to: the text is empty") }
            let id = try await context.resolver.message(message, in: nil)
            let edited = try await context.api.editMessage(id, content: content)
            if context.output.json { context.output.object(edited) }
        }
    }
}

struct DeleteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "delete",
        abstract: "Delete a message: yours, or any in a room you own.",
        discussion: "History keeps its place as \"(deleted)\"; its text is gone from the server and from search."
    )

    @Argument(help: "The message's id, or a unique prefix of it.") var message: String
    @OptionGroup var global: GlobalOptions

    func run() async throws {
        try await runClient(global) { context throws(ClientError) in
            let id = try await context.resolver.message(message, in: nil)
            try await context.api.deleteMessage(id)
        }
    }
}

struct ReactCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "react",
        abstract: "React to a message with an emoji (--off takes it back).",
        discussion: """
            One reaction per person, emoji and message: reacting again changes nothing.

            EXAMPLES:
              fitchat react 3f9a1c2e 👍
              fitchat react 3f9a1c2e 👍 --off
            """
    )

    @Argument(help: "The message's id, or a unique prefix of it.") var message: String
    @Argument(help: "One emoji (or one character).") var emoji: String
    @Flag(help: "Take the reaction back.") var off = false
    @OptionGroup var global: GlobalOptions

    func run() async throws {
        try await runClient(global) { context throws(ClientError) in
            let id = try await context.resolver.message(message, in: nil)
            try await context.api.react(id, emoji: emoji, on: !off)
        }
    }
}
