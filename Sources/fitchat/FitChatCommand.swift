import ArgumentParser

@main
struct FitChatCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fitchat",
        abstract: "A scriptable chat system: server, CLI, REPL and bot runner.",
        discussion: """
            Exit codes: 0 ok, 1 refused by the server, 64 usage, 69 server unreachable, \
            75 temporary (rate limited, --timeout), 77 not logged in or not allowed, 78 configuration.
            """,
        subcommands: [
            ServeCommand.self,
            RegisterCommand.self, LoginCommand.self, LogoutCommand.self, WhoamiCommand.self, TokenCommand.self,
            RoomsCommand.self, SendCommand.self, TailCommand.self, HistoryCommand.self, ReadCommand.self, UnreadCommand.self,
            FriendsCommand.self, BlockCommand.self, UnblockCommand.self, BlocksCommand.self, SearchCommand.self,
            ReplCommand.self, BotCommand.self,
        ]
    )
}
