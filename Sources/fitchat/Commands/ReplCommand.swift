import ArgumentParser
import FitChatClient
import FitChatREPL
import Foundation

struct ReplCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "repl",
        abstract: "The interactive chat prompt.",
        discussion: """
            A plain line goes to the current room; /help lists the commands. Tab completes \
            commands, rooms and @users; Up recalls earlier lines (kept across sessions); \
            Ctrl-C clears the line; Ctrl-D quits.
            """
    )

    @Argument(help: "The room to start in (default: the one with the newest message).", completion: Completions.rooms)
    var room: String?
    @OptionGroup var global: ConnectionOptions

    func run() async throws {
        try await runClient(global, transport: .pooled) { context throws(ClientError) in
            let repl = REPL(api: context.api, store: context.store, initialRoom: room, environment: ProcessInfo.processInfo.environment)
            try await repl.run()
        }
    }
}
